import csv
import io

import pytest
from django.db.models import Count

from catalog.ddi import ddi_import
from catalog.demo import CodebookFile, CodebookVariable, catalog_demo_seed, ddi_codebook
from catalog.models import (
    Category,
    DataFile,
    Dataset,
    DatasetAttachment,
    DigitalMap,
    MapLevel,
    Product,
    Publication,
    Region,
    RegionRecords,
    Subject,
    Variable,
)
from catalog.selection import Selection, dataset_size_estimate
from offices.demo import offices_demo_seed
from tests.factories import default_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # The catalogue's products are published by the demo offices.
    offices_demo_seed()
    return tmp_path


def catalog_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Region,
            Subject,
            Product,
            Publication,
            Dataset,
            DataFile,
            Variable,
            Category,
            DatasetAttachment,
            DigitalMap,
            RegionRecords,
        )
    }


def test_the_demo_seed_fills_the_catalog(media):
    catalog_demo_seed()

    assert Region.objects.count() == 371
    assert Subject.objects.filter(name="Geografi", name_en="Geography").exists()
    assert Publication.objects.count() >= 30
    assert Publication.objects.filter(language="en").exists()
    assert not Publication.objects.filter(page_count__lt=40).exists()
    assert not Publication.objects.filter(page_count__gt=450).exists()
    batur = Publication.objects.get(slug="kecamatan-batur-dalam-angka-2024")
    assert batur.region_id == "3304160"
    assert batur.catalogue_number == "1102001.3304160"


def test_the_demo_datasets_come_through_the_ddi_importer(media):
    catalog_demo_seed()

    datasets = Dataset.objects.annotate(variable_total=Count("variables"))
    assert datasets.count() == 5
    for dataset in datasets:
        assert dataset.is_published
        assert dataset.subject is not None
        assert dataset.coverage
        assert dataset.ddi_id.startswith("IDN-BPS-")
        assert 200 <= dataset.variable_total <= 450, dataset.title
        assert dataset.full_size_bytes > 1_000_000
        assert not dataset.files.filter(records=0).exists()
        assert set(dataset.attachments.values_list("kind", flat=True)) == {
            "sample",
            "record_layout",
            "questionnaire",
        }
    susenas = Dataset.objects.get(ddi_id="IDN-BPS-SUSENAS-2024-M")
    assert susenas.period == "Maret 2024"
    assert susenas.files.get(file_id="F1").records == 1_203_487
    province = susenas.variables.get(name="R101", file__file_id="F1")
    assert province.category_count == 38
    assert province.categories.get(value="33").label == "JAWA TENGAH"


def test_the_demo_datasets_count_their_records_per_province(media):
    """The province variable R101 of the demo codebooks has frequencies, so `make run` shows
    regional estimates; SBH's purchases file has no R101 and is estimated whole."""
    catalog_demo_seed()

    susenas = Dataset.objects.get(ddi_id="IDN-BPS-SUSENAS-2024-M")
    for data_file in susenas.files.all():
        counts = dict(data_file.region_records.values_list("region_id", "records"))
        assert len(counts) == 38, data_file.name
        assert 0.95 * data_file.records <= sum(counts.values()) <= data_file.records
    jawa_tengah = dataset_size_estimate(dataset=susenas, selection=Selection(regions=("33",)))
    assert 0 < jawa_tengah.size_bytes < susenas.full_size_bytes
    assert not jawa_tengah.uncounted_files
    sbh = Dataset.objects.get(ddi_id="IDN-BPS-SBH-2022")
    estimate = dataset_size_estimate(dataset=sbh, selection=Selection(regions=("33",)))
    assert estimate.uncounted_files == ("sbh2022_transaksi",)
    assert estimate.covers_some_files_whole


def test_the_sample_file_has_twenty_records_of_the_first_data_file(media):
    catalog_demo_seed()

    dataset = Dataset.objects.get(ddi_id="IDN-BPS-SAKERNAS-2024-AUG")
    sample = dataset.attachments.get(kind="sample")
    with sample.file.open("rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode())))
    first_file = dataset.variables.filter(file__file_id="F1")
    assert rows[0] == list(first_file.order_by("position").values_list("name", flat=True))
    assert len(rows) == 21


def test_the_demo_maps_cover_banjarnegara_and_indonesia(media):
    catalog_demo_seed()

    maps = DigitalMap.objects.all()
    assert maps.count() == 4
    assert {(m.region_id, m.level) for m in maps} == {
        ("3304", MapLevel.SUBDISTRICT),
        ("3304", MapLevel.VILLAGE),
        (None, MapLevel.SUBDISTRICT),
        (None, MapLevel.VILLAGE),
    }
    assert all(m.subject.slug == "geografi" for m in maps)


def test_running_the_demo_seed_twice_leaves_the_same_catalog(media):
    catalog_demo_seed()
    first = catalog_counts()
    files_on_disk = sorted(path.name for path in media.rglob("*") if path.is_file())

    catalog_demo_seed()

    assert catalog_counts() == first
    assert sorted(path.name for path in media.rglob("*") if path.is_file()) == files_on_disk


def test_the_generated_codebook_is_ddi_2_5_that_the_importer_reads():
    data = ddi_codebook(
        id_no="TEST-1",
        title="Survei Uji",
        period="2024",
        producer="BPS",
        abstract="Uji.",
        files=[CodebookFile("F1", "uji", "File uji", 1000)],
        variables=[
            CodebookVariable("R1", "Jenis kelamin", 1, (("1", "Laki-laki"), ("2", "Perempuan"))),
            CodebookVariable("R2", "Umur", 2),
            CodebookVariable("ID", "Kode", 10, character=True),
        ],
        collected=("2024-03-01", "2024-03-31"),
    )

    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert b'xmlns="ddi:codebook:2_5"' in data
    result = ddi_import(data=data, office=default_office())
    assert (result.files, result.variables, result.categories) == (1, 3, 2)
    data_file = result.dataset.files.get()
    assert (data_file.records, data_file.record_length) == (1000, 13)
    identifier = result.dataset.variables.get(name="ID")
    assert (identifier.width, identifier.var_type) == (10, "character")
    assert result.dataset.full_size_bytes == 13_000
