"""A facet value the visitor chose stays on the catalog page, checked, whatever the search finds
and however many other values the facet has: a choice can always be taken back."""

import re

import pytest
from django.urls import reverse

from catalog.selectors import FACET_SHOWN
from tests.factories import DigitalMapFactory, PublicationFactory, SubjectFactory, banjarnegara
from tests.factories import office as office_of_code
from tests.factories import region as region_of_code

pytestmark = pytest.mark.django_db


def checked(page: str, name: str, value: str) -> bool:
    """Whether the page has the facet's checkbox for `value`, checked."""
    box = re.search(rf'<input[^>]*name="{name}" value="{re.escape(value)}"[^>]*>', page)
    return bool(box) and " checked" in box.group(0)


def test_a_choice_the_search_finds_nothing_of_stays_checked(client):
    banjarnegara()
    bawang = region_of_code("3304050", "BAWANG")
    farming = SubjectFactory(slug="pertanian", name="Pertanian")
    PublicationFactory(title="Sakernas Agustus 2024", year=2024, subject=farming)
    PublicationFactory(title="Kecamatan Bawang Dalam Angka", region=bawang, year=2023)
    DigitalMapFactory(region=bawang, year=2024)

    page = client.get(
        reverse("catalog:list"), {"q": "sakernas", "region": "3304050", "year": "2023"}
    ).content.decode()

    assert "0 produk" in page
    assert checked(page, "region", "3304050") and "Bawang" in page
    assert checked(page, "year", "2023")

    nothing = client.get(reverse("catalog:list"), {"kind": "map", "year": "2023"})
    kinds = {v.value: (v.count, v.selected) for v in nothing.context["facets"]["kind"]}
    assert kinds["map"] == (0, True)
    assert checked(nothing.content.decode(), "kind", "map")


def test_a_choice_no_longer_in_the_catalog_can_be_taken_back(client):
    PublicationFactory(title="Statistik Daerah")

    page = client.get(
        reverse("catalog:list"), {"subject": "tidak-ada", "office": "9999"}
    ).content.decode()

    assert "0 produk" in page
    assert checked(page, "subject", "tidak-ada")
    assert checked(page, "office", "9999")


def test_a_chosen_office_beyond_the_largest_is_on_the_page(client):
    for n in range(FACET_SHOWN + 2):
        for _copy in range(2 if n else 1):  # office n = 0 is the smallest
            PublicationFactory(office=office_of_code(f"35{n + 1:02d}"))

    page = client.get(reverse("catalog:list"), {"office": "3501"}).content.decode()

    assert checked(page, "office", "3501")
    shown = re.findall(r'name="office" value="(\d+)"', page)
    assert len(shown) == FACET_SHOWN + 1  # the largest, and the chosen one below them


def test_the_filters_button_says_how_many_values_are_chosen(client):
    PublicationFactory(title="Statistik Daerah", year=2024)

    chosen = client.get(reverse("catalog:list"), {"kind": "publication", "year": ["2024", "2023"]})
    none = client.get(reverse("catalog:list"), {"q": "statistik"})

    assert re.search(r'id="filters-chosen">.*?3</span>', chosen.content.decode())
    assert 'id="filters-chosen"' not in none.content.decode()


def test_a_value_repeated_in_the_address_is_one_choice(client):
    PublicationFactory(title="Statistik Daerah", year=2024)

    page = client.get(
        reverse("catalog:list"),
        {"subject": ["tidak-ada", "tidak-ada"], "year": ["2024", "2024"], "kind": ["map"] * 2},
    )
    html = page.content.decode()

    assert html.count('name="subject" value="tidak-ada"') == 1
    assert page.context["query"].chosen == 3
    ids = re.findall(r'<input[^>]*id="(f-[^"]+)"', html)
    assert len(ids) == len(set(ids)) and all(" " not in i for i in ids)


@pytest.mark.parametrize(
    "params",
    [{"subject": "\x00"}, {"q": "statistik", "subject": "a\x00b"}, {"subject": 'a b"<x>'}],
)
def test_a_subject_no_slug_could_be_is_ignored(client, params):
    """On PostgreSQL a NUL byte sent to the database was a server error."""
    PublicationFactory(title="Statistik Daerah")

    page = client.get(reverse("catalog:list"), params)

    assert page.status_code == 200
    assert "1 produk" in page.content.decode()


def test_a_year_is_four_digits_from_1000(client):
    PublicationFactory(title="Statistik Daerah", year=2024)

    page = client.get(reverse("catalog:list"), {"year": "0999"})

    assert page.context["query"].year == ()
    assert "1 produk" in page.content.decode()


def test_a_value_the_catalog_does_not_know_says_so(client):
    page = client.get(reverse("catalog:list"), {"office": "9999", "region": "99"}).content.decode()

    assert "9999 (tidak ada di katalog)" in page
    assert "99 (tidak ada di katalog)" in page and checked(page, "region", "99")
