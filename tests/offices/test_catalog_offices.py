"""The catalogue is national: every office's products, a facet to narrow them to an office, and
each product names the office that publishes it."""

import pytest
from django.urls import reverse

from tests.factories import PublicationFactory, UserFactory, office

pytestmark = pytest.mark.django_db


def test_the_office_facet_counts_and_narrows_the_catalogue(client):
    tana_tidung = office("6503", name="BPS Kabupaten Tana Tidung")
    PublicationFactory(title="Banjarnegara Dalam Angka")
    PublicationFactory(title="Tana Tidung Dalam Angka", office=tana_tidung)
    PublicationFactory(title="Statistik Daerah Tana Tidung", office=tana_tidung)

    everything = client.get(reverse("catalog:list"))
    narrowed = client.get(reverse("catalog:list"), {"office": "6503"})

    facet = {v.value: (v.label, v.count) for v in everything.context["facets"]["office"]}
    assert facet == {
        "6503": ("BPS Kabupaten Tana Tidung", 2),
        "3304": ("BPS Kabupaten Banjarnegara", 1),
    }
    titles = {p.title for p in narrowed.context["page"]}
    assert titles == {"Tana Tidung Dalam Angka", "Statistik Daerah Tana Tidung"}
    chosen = {v.value: v.selected for v in narrowed.context["facets"]["office"]}
    assert chosen["6503"] is True and chosen["3304"] is False


def test_a_product_page_names_its_office(client):
    publication = PublicationFactory(office=office("6503", name="BPS Kabupaten Tana Tidung"))

    page = client.get(publication.get_absolute_url()).content.decode()

    assert "BPS Kabupaten Tana Tidung" in page


def test_the_bench_spreads_its_catalogue_over_the_national_network(client, settings):
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.models import Product
    from offices.models import Office

    call_command(
        "catalog_bench_seed",
        "--publications=600",
        "--datasets=1",
        "--variables=3",
        "--force",
        stdout=StringIO(),
    )

    assert Office.objects.count() >= 550
    assert Product.objects.values("office").distinct().count() >= 550
    # Searched afresh each time (no kept page), so the queries below are the search's own.
    settings.CATALOG_SEARCH_CACHE_SECONDS = 0
    client.get(reverse("catalog:list"))  # the portal's office, read once and cached
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("catalog:list"))
    assert page.status_code == 200
    assert len(queries) <= 12
    # The office facet labels the largest offices only, not every one of 550.
    offices = page.context["facets"]["office"]
    assert 15 <= len(offices) < 100
    counts = [v.count for v in offices]
    assert counts == sorted(counts, reverse=True)
    # The bench times every page beside the bare SQL of the same answer, on either database.
    out = StringIO()
    call_command("catalog_bench", "--repeat=2", stdout=out)
    report = out.getvalue()
    assert "search ?q=penduduk, cold" in report and "facet columns read again" in report
    assert "targets met:" in report
    # The demo's accounts and catalog go on top, for the bench's logins over HTTP.
    call_command("seed_demo", "--force", stdout=StringIO())
    assert Product.objects.filter(slug__startswith="bench-").count() == 601


def test_the_ikm_bench_rates_every_order_inside_its_year(db):
    import random

    from feedback.management.commands.feedback_bench import BENCH_YEAR, JAKARTA, _seed_batch
    from feedback.models import Rating

    _seed_batch(range(0, 2000), UserFactory(), PublicationFactory(), random.Random(BENCH_YEAR))

    years = {r.created_at.astimezone(JAKARTA).year for r in Rating.objects.all()}
    assert years == {BENCH_YEAR}
