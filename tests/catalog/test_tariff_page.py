"""The public tariff table (/catalog/tarif/): what staff show a visitor at the desk, priced by
the same tariffs and rules as every quote."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from catalog.models import Tariff, TariffItem

pytestmark = pytest.mark.django_db


def row_of(page: str, item: str) -> str:
    start = page.index(f'data-item="{item}"')
    return page[start : page.index("</tr>", start)]


def test_anyone_reads_the_tariffs_in_force_with_worked_examples(client):
    page = client.get(reverse("catalog:tariffs")).content.decode()

    assert "Tarif produk statistik" in page or "PP 13/2024" in page
    assert "Rp50.000" in row_of(page, TariffItem.PUBLICATION_FIRST)
    assert "Rp15.000" in row_of(page, TariffItem.PUBLICATION_NEXT)
    assert "Rp20.000" in row_of(page, TariffItem.MICRODATA_FIRST)
    assert "Rp20</td>" in row_of(page, TariffItem.MICRODATA_NEXT)
    assert "Rp30.000" in row_of(page, TariffItem.MAP_REGENCY_SUBDISTRICT)
    assert "Rp36.000.000" in row_of(page, TariffItem.MAP_NATIONAL_VILLAGE)
    examples = page[page.index('id="tariff-examples"') :]
    # 120 pages: 50.000 + 2 × 15.000; 2.500.000 bytes: 20.000 + 1.500 × 20; 3 maps × 30.000.
    assert "Rp80.000" in examples and "Rp50.000" in examples and "Rp90.000" in examples


def test_a_tariff_that_replaces_another_is_shown_from_its_first_day(client):
    today = timezone.localdate()
    Tariff.objects.filter(item=TariffItem.PUBLICATION_FIRST).update(
        valid_until=today - timedelta(days=1)
    )
    Tariff.objects.create(item=TariffItem.PUBLICATION_FIRST, amount=55_000, valid_from=today)

    page = client.get(reverse("catalog:tariffs")).content.decode()

    assert "Rp55.000" in row_of(page, TariffItem.PUBLICATION_FIRST)
    assert "Rp50.000" not in row_of(page, TariffItem.PUBLICATION_FIRST)


def test_an_item_without_a_tariff_sends_the_visitor_to_the_staff(client):
    Tariff.objects.filter(item=TariffItem.MAP_REGENCY_VILLAGE).delete()

    page = client.get(reverse("catalog:tariffs")).content.decode()

    assert "Rp" not in row_of(page, TariffItem.MAP_REGENCY_VILLAGE)
    assert "tanyakan" in row_of(page, TariffItem.MAP_REGENCY_VILLAGE).lower()


def test_the_table_reads_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("catalog:tariffs")).content.decode()

    assert "Tariffs of statistical products" in page
    assert "each further block of 50 pages, started" in page


def test_the_table_costs_the_same_queries_however_many_tariffs_changed(
    client, django_assert_max_num_queries
):
    client.get(reverse("catalog:tariffs"))  # warm: the office and session look-ups
    with django_assert_max_num_queries(6):
        client.get(reverse("catalog:tariffs"))
    today = timezone.localdate()
    for item in TariffItem.values:
        Tariff.objects.filter(item=item).update(valid_until=today - timedelta(days=1))
        Tariff.objects.create(item=item, amount=1_000, valid_from=today)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("catalog:tariffs")).content.decode()
    assert page.count("Rp1.000</td>") == len(TariffItem.values)


def test_the_desk_and_the_footer_link_the_table(client, staff):
    assert reverse("catalog:tariffs") in client.get("/").content.decode()
