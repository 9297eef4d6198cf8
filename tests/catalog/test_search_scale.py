"""The national catalog's search (catalog.search): the page, the total and the facets from one
pass over the matches, the same answers as counting each on its own; what repeats comes from
the cache, stale the moment a product changes; a visitor who is not logged in gets the kept
page with a CSRF token of their own."""

import re

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Product
from catalog.search import catalog_find
from catalog.selectors import FACET_COLUMNS, FACETS, CatalogQuery, catalog_search, matching
from tests.factories import (
    DatasetFactory,
    DigitalMapFactory,
    PublicationFactory,
    SubjectFactory,
    UserFactory,
    banjarnegara,
    office,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(committed):
    with committed():
        farming = SubjectFactory(slug="pertanian", name="Pertanian")
        people = SubjectFactory(slug="penduduk", name="Kependudukan")
        regency = banjarnegara()
        for i in range(30):
            PublicationFactory(
                title=f"Statistik Pertanian Daerah {i}",
                subject=farming if i % 3 else people,
                year=2020 + i % 5,
                office=office(f"33{i % 4 + 1:02d}"),
                region=regency if i % 2 else None,
            )
        DigitalMapFactory.create_batch(4, region=regency, subject=farming)
        DatasetFactory.create_batch(3, codebook=False, subject=people, title="Survei Pertanian")


def query(**params) -> CatalogQuery:
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return CatalogQuery.from_querydict(data)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "pertanian"},
        {"q": "statistik pertanian", "kind": "publication"},
        {"q": "pertanian", "year": ["2021", "2023"], "sort": "title"},
        {"subject": "penduduk", "office": "3302"},
    ],
)
def test_one_pass_gives_what_each_count_gives_on_its_own(catalog, params, settings):
    """The page, the total and the counts (from the facet columns held in memory) are what the
    database gives asked for each on its own: the page in its ORDER BY, the total a COUNT, each
    facet a GROUP BY over the matches of the other facets' choices."""
    settings.CATALOG_SEARCH_CACHE_SECONDS = 0
    q = query(**params)
    for offset in (0, 20):
        found = catalog_find(q, offset=offset, limit=20)
        assert found.ids == tuple(
            catalog_search(q).values_list("pk", flat=True)[offset : offset + 20]
        )
    assert found.total == matching(q).count()
    assert found.counts == counted_alone(q)


def counted_alone(q: CatalogQuery) -> dict[str, dict]:
    counts = {}
    for facet in FACETS:
        column = FACET_COLUMNS[facet]
        rows = (
            matching(q.without(facet))
            .exclude(**{f"{column}__isnull": True})
            .values_list(column)
            .annotate(n=Count("pk"))
            .order_by()
        )
        counts[facet] = dict(rows)
    return counts


def test_a_page_past_the_end_shows_the_last(client, catalog):
    page = client.get(reverse("catalog:list"), {"q": "pertanian", "page": "99"})
    assert page.status_code == 200
    assert "Halaman 2 dari 2" in page.content.decode()


def test_a_visitor_gets_the_kept_page_with_their_own_csrf_token(catalog):
    url = reverse("catalog:list") + "?q=pertanian"
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = second.get(url)
    assert len(queries) == 0  # neither the search nor the products: the whole page was kept
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token and "\x00" not in token.group(1)
    # The kept page's language form works for this visitor: their token, their cookie.
    switched = second.post(
        reverse("language_set"), {"language": "en", "next": url, "csrfmiddlewaretoken": token[1]}
    )
    assert switched.status_code == 302
    english = second.get(url).content.decode()
    assert 'lang="en"' in english and "products" in english


def test_a_logged_in_customer_gets_their_own_page(client, catalog):
    Client().get(reverse("catalog:list"))  # kept for visitors
    client.force_login(UserFactory(full_name="Rina Kusuma"))
    page = client.get(reverse("catalog:list")).content.decode()
    assert "Rina" in page and 'id="account-menu"' in page


def test_a_change_of_the_catalog_shows_at_once(catalog, committed):
    url = reverse("catalog:list") + "?q=pertanian"
    assert "Atlas Pertanian Baru" not in Client().get(url).content.decode()
    with committed():
        PublicationFactory(title="Atlas Pertanian Baru", year=2026)
    assert "Atlas Pertanian Baru" in Client().get(url).content.decode()
    product = Product.objects.get(title="Atlas Pertanian Baru")
    with committed():
        product.delete()
    assert "Atlas Pertanian Baru" not in Client().get(url).content.decode()


def test_the_office_facet_labels_the_largest_offices_and_the_chosen_one(client, committed):
    from catalog.selectors import FACET_SHOWN

    with committed():
        for n in range(FACET_SHOWN + 10):
            code = f"{34 + n // 20:02d}{n % 20 + 1:02d}"
            for _copy in range(1 + n % 3):
                PublicationFactory(office=office(code))
    small = "3502"  # one product only (n = 21): not among the largest
    page = client.get(reverse("catalog:list"), {"office": small})
    offices = page.context["facets"]["office"]
    assert small in {v.value for v in offices}
    assert next(v for v in offices if v.value == small).selected
    everything = client.get(reverse("catalog:list")).context["facets"]["office"]
    assert FACET_SHOWN <= len(everything) < FACET_SHOWN + 10
    assert [v.count for v in everything] == sorted((v.count for v in everything), reverse=True)


def test_the_codebook_links_each_variables_labels_without_a_url_per_row(client):
    dataset = DatasetFactory(title="Sakernas 2024", slug="sakernas-2024")
    variable = dataset.variables.get(name="F1_B2")
    page = client.get(dataset.get_absolute_url()).content.decode()
    address = f"/catalog/sakernas-2024/variabel/{variable.pk}/label/"
    assert f'hx-get="{address}"' in page
    labels = client.get(address).content.decode()
    assert "Bekerja" in labels and "Tidak bekerja" in labels
