"""The region estimate: a dataset limited to regions is estimated from the records of the
chosen regions (RegionRecords per data file), and says so where counts are missing.

Worked numbers: DatasetFactory's households file (F1, 1.000 records) and persons file (F2,
4.000 records) each have four variables of widths 2 + 2 + 3 + 5 = 12 bytes and no record
length, so each record is 12 bytes; the stored full set is 6.000.000 bytes."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from catalog.models import RegionRecords, Variable
from catalog.pricing import product_quote
from catalog.selection import Selection, dataset_size_estimate, selection_estimates
from tests.factories import DatasetFactory, banjarnegara, region

pytestmark = pytest.mark.django_db

# Records per province: households (F1) and persons (F2); each file's counts add up to its
# records.
COUNTS = {
    "F1": {"33": 250, "34": 150, "35": 600},
    "F2": {"33": 1_000, "34": 600, "35": 2_400},
}


def provinces() -> None:
    for code, name in [("33", "JAWA TENGAH"), ("34", "DI YOGYAKARTA"), ("35", "JAWA TIMUR")]:
        region(code, name)


def counts_store(dataset, counts=COUNTS) -> None:
    files = {f.file_id: f for f in dataset.files.all()}
    RegionRecords.objects.bulk_create(
        RegionRecords(file=files[file_id], region_id=code, records=records)
        for file_id, by_region in counts.items()
        for code, records in by_region.items()
    )


@pytest.fixture
def survey():
    provinces()
    dataset = DatasetFactory(title="Susenas Contoh", full_size_bytes=6_000_000)
    counts_store(dataset)
    return dataset


def chosen(dataset, *names: str, regions=()) -> Selection:
    ids = Variable.objects.filter(dataset=dataset, name__in=names).values_list("pk", flat=True)
    return Selection(variables=frozenset(ids), regions=tuple(regions), by_variable=True)


def full(*regions: str) -> Selection:
    return Selection(regions=tuple(regions))


# --- The fault: a dataset limited to one region quoted the same as the whole coverage ------------


def test_a_dataset_limited_to_one_region_quotes_less_than_the_whole_coverage(survey):
    whole = product_quote(product=survey, selection=full())
    jawa_tengah = product_quote(product=survey, selection=full("33"))

    assert whole.total == 20_000 + 5_000 * 20  # 6.000.000 bytes
    # A quarter of the households and a quarter of the persons: 1.500.000 bytes.
    estimate = dataset_size_estimate(dataset=survey, selection=full("33"))
    assert estimate.size_bytes == 1_500_000
    assert jawa_tengah.total == 20_000 + 500 * 20


# --- Chosen variables -----------------------------------------------------------------------------


def test_chosen_variables_limited_to_regions_are_the_regions_records_times_the_widths(survey):
    selection = chosen(survey, "F1_B2", "F2_B1", regions=["33", "34"])

    estimate = dataset_size_estimate(dataset=survey, selection=selection)

    # Households: (250 + 150) × 5 bytes; persons: (1.000 + 600) × 3 bytes.
    assert estimate.size_bytes == 400 * 5 + 1_600 * 3 == 6_800
    assert estimate.regional and estimate.counted_files == ("Rumah tangga", "Individu")
    assert not estimate.uncounted_files and not estimate.covers_whole_dataset
    # The whole coverage stays records × widths: 1.000 × 5 + 4.000 × 3.
    whole = dataset_size_estimate(dataset=survey, selection=chosen(survey, "F1_B2", "F2_B1"))
    assert whole.size_bytes == 17_000 and not whole.regional


def test_only_the_files_of_the_chosen_variables_count(survey):
    selection = chosen(survey, "F2_B1", "F2_B2", regions=["35"])

    estimate = dataset_size_estimate(dataset=survey, selection=selection)

    assert estimate.size_bytes == 2_400 * (3 + 5)
    assert estimate.counted_files == ("Individu",)


# --- The full set ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("regions", "size", "price"),
    [
        (["33"], 1_500_000, 20_000 + 500 * 20),
        # (400 + 1.600) records × 12 bytes of 60.000: 40 % of 6.000.000 bytes.
        (["33", "34"], 2_400_000, 20_000 + 1_400 * 20),
        # Every region: the stored size again.
        (["33", "34", "35"], 6_000_000, 20_000 + 5_000 * 20),
    ],
)
def test_the_full_set_limited_to_regions_is_its_size_scaled_by_the_regions_share(
    survey, regions, size, price
):
    quote = product_quote(product=survey, selection=full(*regions))

    assert dataset_size_estimate(dataset=survey, selection=full(*regions)).size_bytes == size
    assert quote.total == price


def test_the_share_weighs_each_file_by_its_record_length_and_rounds_up(survey):
    # With the codebook's record length of 40 bytes the persons file weighs more:
    # (250 × 12 + 1.000 × 40) / (1.000 × 12 + 4.000 × 40) = 43.000 / 172.000 = 1/4.
    survey.files.filter(file_id="F2").update(record_length=40)
    assert dataset_size_estimate(dataset=survey, selection=full("33")).size_bytes == 1_500_000

    # 150/1.000 and 600/4.000 of equal-length files is 9.000/60.000 = 15 %: 150.000,45 bytes
    # of 1.000.003, counted as a started byte.
    survey.files.filter(file_id="F2").update(record_length=None)
    survey.full_size_bytes = 1_000_003
    assert dataset_size_estimate(dataset=survey, selection=full("34")).size_bytes == 150_001


# --- Counts unknown: the whole file ---------------------------------------------------------------


def test_a_file_without_a_count_for_a_chosen_region_is_estimated_whole(survey):
    RegionRecords.objects.filter(file__file_id="F2", region_id="35").delete()

    estimate = dataset_size_estimate(dataset=survey, selection=full("35"))

    # Households: 600 of 1.000 records; persons: all 4.000 (no count for 35).
    assert estimate.size_bytes == 6_000_000 * (600 * 12 + 4_000 * 12) // 60_000 == 5_520_000
    assert estimate.counted_files == ("Rumah tangga",)
    assert estimate.uncounted_files == ("Individu",)
    assert estimate.covers_some_files_whole and not estimate.covers_whole_dataset


def test_without_any_counts_the_estimate_is_the_whole_dataset():
    provinces()
    dataset = DatasetFactory(full_size_bytes=6_000_000)

    full_set = dataset_size_estimate(dataset=dataset, selection=full("33"))
    variables = dataset_size_estimate(
        dataset=dataset, selection=chosen(dataset, "F1_B2", regions=["33"])
    )

    assert full_set.size_bytes == 6_000_000 and full_set.covers_whole_dataset
    assert full_set.uncounted_files == ("Rumah tangga", "Individu")
    assert variables.size_bytes == 1_000 * 5 and variables.covers_whole_dataset


def test_a_dataset_without_data_files_is_priced_whole_for_any_region():
    provinces()
    dataset = DatasetFactory(codebook=False, full_size_bytes=2_000_000)

    estimate = dataset_size_estimate(dataset=dataset, selection=full("33"))

    assert estimate.size_bytes == 2_000_000
    assert estimate.covers_whole_dataset and not estimate.uncounted_files


def test_counts_above_a_file_shrunk_by_a_reimport_never_make_it_bigger(survey):
    survey.files.filter(file_id="F1").update(records=100)  # 250 counted for 33 before

    estimate = dataset_size_estimate(
        dataset=survey, selection=chosen(survey, "F1_B2", regions=["33"])
    )

    assert estimate.size_bytes == 100 * 5


def test_a_region_with_no_records_estimates_nothing(survey):
    RegionRecords.objects.filter(region_id="34").update(records=0)

    assert dataset_size_estimate(dataset=survey, selection=full("34")).size_bytes == 0


# --- Queries --------------------------------------------------------------------------------------


def test_the_estimate_takes_the_same_queries_for_one_region_or_many(
    survey, django_assert_num_queries
):
    for code in range(51, 86):  # 38 provinces in all
        region(str(code), f"PROVINSI {code}")
    counts_store(survey, {"F1": {str(c): 1 for c in range(51, 86)}})
    every = [str(c) for c in range(51, 86)] + ["33", "34", "35"]
    variables = frozenset(Variable.objects.filter(dataset=survey).values_list("pk", flat=True))

    with django_assert_num_queries(2):
        dataset_size_estimate(dataset=survey, selection=full("33"))
    with django_assert_num_queries(2):
        dataset_size_estimate(dataset=survey, selection=full(*every))
    with django_assert_num_queries(2):
        dataset_size_estimate(
            dataset=survey,
            selection=Selection(variables=variables, regions=tuple(every), by_variable=True),
        )
    # Without regions, as before: the full set reads nothing, chosen variables one query.
    with django_assert_num_queries(0):
        dataset_size_estimate(dataset=survey, selection=full())
    one_variable = chosen(survey, "F1_B2")
    with django_assert_num_queries(1):
        dataset_size_estimate(dataset=survey, selection=one_variable)


def test_several_selections_are_estimated_in_three_queries(survey, django_assert_num_queries):
    other = DatasetFactory(full_size_bytes=1_000_000)
    items = [
        (survey, full("33")),
        (survey, chosen(survey, "F1_B2", regions=["34"])),
        (other, full("33")),
        (other, full()),
    ]

    with django_assert_num_queries(3):
        estimates = selection_estimates(items=items)

    assert [e.size_bytes for e in estimates] == [1_500_000, 150 * 5, 1_000_000, 1_000_000]
    assert [e.covers_whole_dataset for e in estimates] == [False, False, True, False]


# --- The counts themselves ------------------------------------------------------------------------


def test_a_file_has_one_count_per_region(survey):
    households = survey.files.get(file_id="F1")

    with pytest.raises(IntegrityError):
        RegionRecords.objects.create(file=households, region_id="33", records=1)


def test_a_count_is_for_a_region_the_dataset_offers_and_at_most_the_files_records(survey):
    banjarnegara()  # 33 > 3304 > its sub-districts
    households = survey.files.get(file_id="F1")
    households.region_records.filter(region_id="34").delete()

    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            RegionRecords(file=households, region_id="3304", records=10).full_clean()
        assert "not one of the regions" in str(refused.value.message_dict["region"])

        with pytest.raises(ValidationError) as refused:
            RegionRecords(file=households, region_id="34", records=1_001).full_clean()
        assert "more records than its data file (1,000)" in str(
            refused.value.message_dict["records"]
        )

    RegionRecords(file=households, region_id="34", records=1_000).full_clean()


def test_a_regency_dataset_is_counted_per_sub_district():
    regency = banjarnegara()
    dataset = DatasetFactory(region=regency, full_size_bytes=60_000)
    households = dataset.files.get(file_id="F1")

    RegionRecords(file=households, region_id="3304060", records=400).full_clean()
    with pytest.raises(ValidationError):
        RegionRecords(file=households, region_id="33", records=400).full_clean()
