"""Worked examples of the tariff rules (PP 13/2024 table in docs/domain.md)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from catalog.models import MapLevel, Tariff, TariffItem
from catalog.pricing import (
    Quote,
    TariffMissing,
    map_lines,
    microdata_lines,
    processed_lines,
    publication_lines,
    tariffs_in_force,
)
from catalog.selection import estimate_selection_size

PP_13_2024 = {
    "publication_first": 50_000,
    "publication_next": 15_000,
    "microdata_first": 20_000,
    "microdata_next": 20,
    "processed_first": 22_000,
    "processed_next": 22,
    "map_regency_subdistrict": 30_000,
    "map_regency_village": 70_000,
    "map_national_subdistrict": 12_000_000,
    "map_national_village": 36_000_000,
}


def total(lines) -> int:
    return Quote(lines=lines).total


@pytest.mark.parametrize(
    ("pages", "price"),
    [
        (1, 50_000),
        (50, 50_000),
        (51, 65_000),  # a started block of 50 pages costs a whole one
        (100, 65_000),
        (101, 80_000),
        (450, 50_000 + 8 * 15_000),
    ],
)
def test_a_publication_is_priced_by_started_50_page_blocks(pages, price):
    assert total(publication_lines(pages=pages, tariffs=PP_13_2024)) == price


@pytest.mark.parametrize(
    ("size", "price"),
    [
        (1, 20_000),
        (500_000, 20_000),
        (1_000_000, 20_000),
        (1_000_001, 20_020),  # one started block of 1.000 bytes
        (1_001_000, 20_020),
        (1_001_001, 20_040),
        (25_000_000, 20_000 + 24_000 * 20),
    ],
)
def test_microdata_is_priced_by_the_first_mb_and_started_1000_byte_blocks(size, price):
    assert total(microdata_lines(size_bytes=size, tariffs=PP_13_2024)) == price


def test_the_real_catalogue_case_of_a_1_12_gb_file():
    """A real regional catalogue priced a 1,12 GB file at Rp24.077.601.

    Rp20.000 + Rp20 × n always ends in 0, so that figure cannot come from whole blocks: it is
    Rp20.000 + Rp0,02 per byte above the first MB for 1.203.880.050 bytes (1,12 GiB), the last
    partial block charged in part. Charging the started block, as the tariff reads, gives Rp19
    more. On a block boundary both readings agree.
    """
    size = 1_203_880_050
    assert round(size / 2**30, 2) == 1.12
    quote = Quote(microdata_lines(size_bytes=size, tariffs=PP_13_2024))

    assert quote.total == 24_077_620
    assert quote.lines[1].quantity == 1_202_881
    assert 0 < quote.total - 24_077_601 < PP_13_2024["microdata_next"]
    # On a block boundary the two readings agree.
    assert total(microdata_lines(size_bytes=1_203_880_000, tariffs=PP_13_2024)) == 24_077_600


def test_processed_tables_each_start_with_their_own_first_mb():
    lines = processed_lines(table_sizes=[500_000, 2_000_500], tariffs=PP_13_2024)

    assert total(lines) == 22_000 + 22_000 + 1_001 * 22


@pytest.mark.parametrize(
    ("level", "national", "maps", "price"),
    [
        (MapLevel.SUBDISTRICT, False, 20, 600_000),  # Banjarnegara: 20 sub-districts
        (MapLevel.VILLAGE, False, 3, 210_000),
        (MapLevel.SUBDISTRICT, True, 1, 12_000_000),
        (MapLevel.VILLAGE, True, 1, 36_000_000),
    ],
)
def test_maps_are_priced_per_map(level, national, maps, price):
    assert total(map_lines(level=level, national=national, maps=maps, tariffs=PP_13_2024)) == price


def test_a_selection_of_variables_is_estimated_as_records_times_widths_per_file():
    # Household file: 345.000 records × 12 bytes; person file: 1.200.000 records × 7 bytes.
    size = estimate_selection_size(files=[(345_000, 12), (1_200_000, 7)])

    assert size == 4_140_000 + 8_400_000
    assert total(microdata_lines(size_bytes=size, tariffs=PP_13_2024)) == 20_000 + 11_540 * 20


def test_an_exempt_quote_costs_nothing_but_keeps_its_prices():
    quote = Quote(publication_lines(pages=120, tariffs=PP_13_2024), exempt=True)

    assert quote.total == 0
    assert quote.gross == 80_000


def test_a_missing_tariff_is_reported_not_guessed():
    with pytest.raises(TariffMissing):
        publication_lines(pages=10, tariffs={})


@pytest.mark.django_db
def test_the_migration_seeds_the_pp_13_2024_table():
    assert tariffs_in_force(on=date(2026, 11, 22)) == PP_13_2024


@pytest.mark.django_db
def test_a_new_tariff_applies_from_its_start_date():
    Tariff.objects.filter(item=TariffItem.PUBLICATION_FIRST).update(valid_until=date(2026, 12, 31))
    Tariff.objects.create(
        item=TariffItem.PUBLICATION_FIRST, amount=55_000, valid_from=date(2027, 1, 1)
    )

    assert tariffs_in_force(on=date(2026, 12, 31))["publication_first"] == 50_000
    assert tariffs_in_force(on=date(2027, 1, 1))["publication_first"] == 55_000


@pytest.mark.django_db
def test_overlapping_tariff_periods_are_refused():
    overlapping = Tariff(
        item=TariffItem.MICRODATA_FIRST, amount=25_000, valid_from=date(2025, 6, 1)
    )
    with translation.override("en"), pytest.raises(ValidationError, match="overlaps"):
        overlapping.clean()
