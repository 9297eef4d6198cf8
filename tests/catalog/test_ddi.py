"""The DDI codebook importer, its management command and its admin upload page.

Expected values come from reading tests/fixtures/ddi/*.xml (real Nesstar exports, UTF-16)."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import path, reverse
from django.utils import translation

from catalog.admin_ddi import DdiUploadForm, ddi_upload_view
from catalog.ddi import DdiError, ddi_import
from catalog.models import Category, DataFile, Dataset, RegionRecords, Subject, Variable
from catalog.selection import Selection, dataset_size_estimate
from catalog.services import dataset_region_records_import
from tests.factories import DatasetFactory, UserFactory, banjarnegara, default_office, region

DDI_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "ddi"
CODEBOOK_2003 = DDI_DIR / "ag-eth-survey-2003_ddi.xml"
CODEBOOK_2004 = DDI_DIR / "ag-eth-survey-2004_ddi.xml"
# Synthetic (see the README there): a province variable R101 with frequencies in both files.
CODEBOOK_REGIONS = DDI_DIR / "synthetic-regions_ddi.xml"
TITLE_2003 = "Annual Agricultural Sample Survey-2003/2004 (1996 E.C)"
TITLE_2004 = "Annual Agricultural Sample Survey-2004/2005 (1997 E.C)"

# The upload page is wired into the real admin by DatasetAdmin.get_urls; these tests serve it
# from a site of their own, so they do not depend on how catalog/admin.py registers Dataset.
test_admin_site = admin.AdminSite(name="admin")
test_admin_site.register(Dataset)
urlpatterns = [
    path(
        "admin/catalog/dataset/import-ddi/",
        test_admin_site.admin_view(lambda request: ddi_upload_view(request, test_admin_site)),
        name="test_import_ddi",
    ),
    path("admin/", test_admin_site.urls),
]
use_test_admin = pytest.mark.urls(__name__)

DDI_25 = """<?xml version="1.0" encoding="UTF-8"?>
<codeBook xmlns="ddi:codebook:2_5" version="2.5" ID="codebook-sak">
  <stdyDscr>
    <citation>
      <titlStmt>
        <titl>  Survei Angkatan Kerja Nasional Agustus 2023  </titl>
        <IDNo>IDN-BPS-SAKERNAS-2023-08</IDNo>
      </titlStmt>
      <prodStmt><producer abbr="BPS">Badan Pusat Statistik</producer></prodStmt>
      <serStmt><serName>Sakernas</serName></serStmt>
    </citation>
    <stdyInfo>
      <abstract>
        Survei angkatan kerja.

        Data per individu.
      </abstract>
      <sumDscr>
        <timePrd event="single" date="2023-08">Agustus 2023</timePrd>
        <collDate event="start" date="2023-08-01"/>
        <collDate event="end" date="2023-08-31"/>
        <nation abbr="IDN">Indonesia</nation>
        <geogCover>Nasional sampai kabupaten/kota</geogCover>
      </sumDscr>
    </stdyInfo>
  </stdyDscr>
  <fileDscr ID="F1">
    <fileTxt>
      <fileName>sak0823_individu</fileName>
      <fileCont>Satu baris per anggota rumah tangga</fileCont>
      <dimensns><caseQnty>1000</caseQnty><varQnty>3</varQnty><logRecL>40</logRecL></dimensns>
    </fileTxt>
  </fileDscr>
  <dataDscr>
    <var ID="V1" name="KODE_PROV" files="F1" dcml="0">
      <location StartPos="1" EndPos="2"/>
      <labl>Provinsi</labl>
      <qstn><qstnLit>Provinsi tempat tinggal</qstnLit></qstn>
      <catgry>
        <catValu>33</catValu><labl>Jawa Tengah</labl><catStat type="freq">600</catStat>
      </catgry>
      <catgry>
        <catValu>34</catValu><labl>DI Yogyakarta</labl><catStat type="freq">400</catStat>
      </catgry>
      <varFormat type="numeric" schema="other"/>
    </var>
    <var ID="V2" name="NAMA_ART">
      <location width="30"/>
      <labl>Nama anggota rumah tangga (≥ 1 karakter)</labl>
      <varFormat type="character" schema="other"/>
    </var>
    <var ID="V3" name="BOBOT" files="F1" dcml="2">
      <location width="8"/>
      <labl>Bobot</labl>
      <varFormat type="numeric" schema="other"/>
    </var>
  </dataDscr>
</codeBook>
"""

NOT_DDI = """<?xml version="1.0"?>
<html><body><p>Not a codebook</p></body></html>"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE codeBook [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<codeBook><stdyDscr><citation><titlStmt><titl>&lol9;</titl></titlStmt></citation></stdyDscr>
<fileDscr ID="F1"/><dataDscr><var name="a" files="F1"/></dataDscr></codeBook>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE codeBook [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<codeBook><stdyDscr><citation><titlStmt><titl>&secret;</titl></titlStmt></citation></stdyDscr>
<fileDscr ID="F1"/><dataDscr><var name="a" files="F1"/></dataDscr></codeBook>"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE codeBook SYSTEM "http://127.0.0.1:9/Version1-2-2.dtd">
<codeBook><stdyDscr><citation><titlStmt><titl>T</titl></titlStmt></citation></stdyDscr>
<fileDscr ID="F1"/><dataDscr><var name="a" files="F1"/></dataDscr></codeBook>"""

MALFORMED = """<?xml version="1.0"?>
<codeBook><stdyDscr><citation><titl>Unclosed</citation></stdyDscr></codeBook>"""

NO_VARIABLES = """<?xml version="1.0"?>
<codeBook xmlns="http://www.icpsr.umich.edu/DDI"><stdyDscr><citation><titlStmt>
<titl>Only a study</titl></titlStmt></citation></stdyDscr><dataDscr/></codeBook>"""

UNKNOWN_FILE = DDI_25.replace('name="BOBOT" files="F1"', 'name="BOBOT" files="F9"')


def codebook_2004_edited() -> bytes:
    """The 2004 codebook with one label changed and variable V96 (v13, Holding Type) removed."""
    text = CODEBOOK_2004.read_bytes().decode("utf-16")
    # The first of two such labels: V87 in file F4 (V123 in F6 keeps its own).
    text = text.replace(
        "Household Head Sex\r\n      </labl>", "Sex of the household head</labl>", 1
    )
    text, removed = re.subn(r'<var ID="V96" .*?</var>', "", text, flags=re.DOTALL)
    assert removed == 1
    return text.encode("utf-16")


def row_counts() -> tuple[int, int, int, int]:
    return (
        Dataset.objects.count(),
        DataFile.objects.count(),
        Variable.objects.count(),
        Category.objects.count(),
    )


# --- The importer --------------------------------------------------------------------------------


def test_it_imports_the_real_2003_codebook(db):
    result = ddi_import(office=default_office(), data=CODEBOOK_2003.read_bytes())

    dataset = result.dataset
    assert (result.created, result.files, result.variables, result.categories) == (
        True,
        1,
        57,
        181,
    )
    assert dataset.title == TITLE_2003
    assert dataset.slug == "annual-agricultural-sample-survey-20032004-1996-ec"
    # No IDNo in Nesstar's export: the codeBook ID stands in for it.
    assert dataset.ddi_id == "ag-eth-survey-2003"
    assert dataset.survey_name == "Agricultural Sample Survey"
    assert dataset.coverage == "Ethiopia"
    assert dataset.producer == "Central Statistical Authority (CSA)"
    assert dataset.description.startswith("By and large, agriculture in Ethiopia is subsistence.")
    assert dataset.period == "" and dataset.year is None  # the codebook has no dates
    assert dataset.is_published is False
    assert dataset.codebook_imported_at is not None
    file = dataset.files.get()
    assert (file.file_id, file.name, file.records, file.record_length) == (
        "F1",
        "main2004.NSDstat",
        509050,
        None,
    )
    # No record length in the codebook: records times the sum of the 57 widths (214).
    assert dataset.full_size_bytes == 509050 * 214
    sex = Variable.objects.get(dataset=dataset, name="v10")
    assert (sex.var_id, sex.label, sex.width, sex.var_type, sex.decimals) == (
        "V13",
        "Sex",
        1,
        "numeric",
        0,
    )
    assert sex.question == "Sex"
    assert sex.category_count == 2
    assert list(sex.categories.values_list("value", "label", "frequency", "position")) == [
        ("1", "Male", 430158, 1),
        ("2", "Female", 78871, 2),
    ]
    assert Variable.objects.get(dataset=dataset, name="costimps").width == 9


def test_it_imports_the_real_2004_codebook_with_three_files(db):
    result = ddi_import(office=default_office(), data=CODEBOOK_2004.read_bytes())

    dataset = result.dataset
    assert (result.files, result.variables, result.categories) == (3, 79, 382)
    assert dataset.title == TITLE_2004
    assert dataset.ddi_id == "ag-eth-survey-2004"
    files = list(dataset.files.values_list("file_id", "name", "records", "position"))
    assert files == [
        ("F4", "MAIN97_Holder.NSDstat", 52923, 1),
        ("F5", "MAIN97_Agric.NSDstat", 52338, 2),
        ("F6", "main97_field_new.NSDstat", 612685, 3),
    ]
    per_file = {f.file_id: f.variables.count() for f in dataset.files.all()}
    assert per_file == {"F4": 16, "F5": 20, "F6": 43}  # the codebook's varQnty
    # The same names recur in each file (v01 ... v08 are the identification variables).
    assert Variable.objects.filter(dataset=dataset, name="v01").count() == 3
    head_sex = Variable.objects.get(dataset=dataset, file__file_id="F4", name="v07")
    assert head_sex.label == "Household Head Sex"
    # The count, not the weighted frequency (9152903.42) written beside it.
    assert list(head_sex.categories.values_list("label", "frequency")) == [
        ("Male", 41999),
        ("Female", 10924),
    ]
    trees = Variable.objects.get(dataset=dataset, file__file_id="F6", name="trees")
    assert trees.width == 7
    assert list(trees.categories.values_list("value", "label")) == [
        ("0", ""),
        ("99999", "Not Stated"),
    ]
    extension = Variable.objects.get(dataset=dataset, file__file_id="F5", name="f5")
    assert list(extension.categories.values_list("value", flat=True)) == ["1", "2", "Sysmiss"]
    assert dataset.full_size_bytes == 52923 * 35 + 52338 * 38 + 612685 * 155
    positions = list(dataset.variables.order_by("position").values_list("file__file_id", flat=True))
    assert positions == ["F4"] * 16 + ["F5"] * 20 + ["F6"] * 43


def test_reimporting_the_same_codebook_updates_instead_of_duplicating(db):
    first = ddi_import(office=default_office(), data=CODEBOOK_2004.read_bytes())
    pks = dict(Variable.objects.values_list("var_id", "pk"))
    file_pks = set(DataFile.objects.values_list("pk", flat=True))

    second = ddi_import(office=default_office(), data=CODEBOOK_2004.read_bytes())

    assert second.created is False
    assert second.dataset.pk == first.dataset.pk
    assert row_counts() == (1, 3, 79, 382)
    assert dict(Variable.objects.values_list("var_id", "pk")) == pks
    assert set(DataFile.objects.values_list("pk", flat=True)) == file_pks


def test_reimporting_an_edited_codebook_updates_labels_and_drops_removed_variables(db):
    dataset = ddi_import(office=default_office(), data=CODEBOOK_2004.read_bytes()).dataset
    pks = dict(Variable.objects.values_list("var_id", "pk"))

    result = ddi_import(office=default_office(), data=codebook_2004_edited())

    assert result.dataset.pk == dataset.pk
    assert (result.variables, result.categories) == (78, 376)  # V96 had 6 value labels
    assert row_counts() == (1, 3, 78, 376)
    assert not Variable.objects.filter(var_id="V96").exists()
    del pks["V96"]
    assert dict(Variable.objects.values_list("var_id", "pk")) == pks
    assert Variable.objects.get(var_id="V87").label == "Sex of the household head"
    assert Variable.objects.get(var_id="V123").label == "Head Sex"  # not the F6 variable


def test_reimport_keeps_what_staff_wrote_and_the_stored_size(db):
    dataset = ddi_import(office=default_office(), data=CODEBOOK_2003.read_bytes()).dataset
    dataset.title = "Survei Pertanian 2003"
    dataset.description = "Deskripsi dari petugas."
    dataset.full_size_bytes = 123
    dataset.save()

    ddi_import(office=default_office(), data=CODEBOOK_2003.read_bytes())

    dataset.refresh_from_db()
    assert dataset.title == "Survei Pertanian 2003"
    assert dataset.description == "Deskripsi dari petugas."
    assert dataset.full_size_bytes == 123


def test_it_imports_into_a_chosen_dataset(db):
    chosen = Dataset.objects.create(
        office=default_office(), title="Survei Pertanian", slug="survei-pertanian"
    )

    result = ddi_import(office=default_office(), data=CODEBOOK_2003.read_bytes(), dataset=chosen)

    assert result.created is False
    assert result.dataset.pk == chosen.pk
    assert result.dataset.title == "Survei Pertanian"  # not overwritten
    assert result.dataset.ddi_id == "ag-eth-survey-2003"
    assert result.dataset.survey_name == "Agricultural Sample Survey"  # was empty
    assert Dataset.objects.count() == 1


def test_it_refuses_a_codebook_already_imported_into_another_dataset(db):
    ddi_import(office=default_office(), data=CODEBOOK_2003.read_bytes())
    other = Dataset.objects.create(office=default_office(), title="Other", slug="other")

    with translation.override("en"), pytest.raises(DdiError, match="already been imported"):
        ddi_import(office=default_office(), data=CODEBOOK_2003.read_bytes(), dataset=other)

    assert other.variables.count() == 0


def test_a_new_dataset_takes_the_defaults_and_a_free_slug(db):
    subject = Subject.objects.create(name="Pertanian", slug="pertanian")
    taken = Dataset.objects.create(
        office=default_office(),
        title="x",
        slug="annual-agricultural-sample-survey-20032004-1996-ec",
    )

    result = ddi_import(
        office=default_office(),
        data=CODEBOOK_2003.read_bytes(),
        defaults={"subject": subject, "is_published": True},
    )

    assert result.dataset.pk != taken.pk
    assert result.dataset.slug == "annual-agricultural-sample-survey-20032004-1996-ec-2"
    assert result.dataset.subject == subject
    assert result.dataset.is_published is True


def test_it_imports_a_ddi_25_codebook_in_utf8(db):
    result = ddi_import(office=default_office(), data=b"\xef\xbb\xbf" + DDI_25.encode("utf-8"))

    dataset = result.dataset
    assert (result.files, result.variables, result.categories) == (1, 3, 2)
    assert dataset.title == "Survei Angkatan Kerja Nasional Agustus 2023"
    assert dataset.ddi_id == "IDN-BPS-SAKERNAS-2023-08"
    assert dataset.survey_name == "Sakernas"
    assert dataset.producer == "Badan Pusat Statistik"
    assert dataset.coverage == "Indonesia"
    assert dataset.period == "2023-08-01 \u2013 2023-08-31"
    assert dataset.year == 2023
    assert dataset.description == "Survei angkatan kerja.\n\nData per individu."
    file = dataset.files.get()
    assert (file.file_id, file.record_length, file.description) == (
        "F1",
        40,
        "Satu baris per anggota rumah tangga",
    )
    assert dataset.full_size_bytes == 1000 * 40
    province, name, weight = dataset.variables.order_by("position")
    assert (province.name, province.width, province.question) == (
        "KODE_PROV",
        2,
        "Provinsi tempat tinggal",
    )
    assert list(province.categories.values_list("label", "frequency")) == [
        ("Jawa Tengah", 600),
        ("DI Yogyakarta", 400),
    ]
    # No `files` attribute: the first data file.
    assert (name.file_id, name.var_type, name.width) == (file.pk, "character", 30)
    assert name.label == "Nama anggota rumah tangga (≥ 1 karakter)"
    assert (weight.decimals, weight.category_count) == (2, 0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BILLION_LAUGHS, "DTD"),
        (EXTERNAL_ENTITY, "DTD"),
        (EXTERNAL_DTD, "DTD"),
        (MALFORMED, "not well-formed XML"),
        (NOT_DDI, "not a DDI codebook"),
        (NO_VARIABLES, "no variables"),
        (UNKNOWN_FILE, "data file F9"),
        ("", "not well-formed XML"),
    ],
    ids=[
        "billion-laughs",
        "external-entity",
        "external-dtd",
        "malformed",
        "not-ddi",
        "no-variables",
        "unknown-file",
        "empty",
    ],
)
def test_it_refuses_hostile_or_invalid_files_and_imports_nothing(db, content, message):
    with translation.override("en"), pytest.raises(DdiError, match=message) as raised:
        ddi_import(office=default_office(), data=content.encode("utf-8"))

    assert raised.value.message == str(raised.value)
    assert row_counts() == (0, 0, 0, 0)


def test_a_refused_reimport_leaves_the_earlier_import_intact(db):
    ddi_import(office=default_office(), data=DDI_25.encode("utf-8"))

    with pytest.raises(DdiError):
        ddi_import(office=default_office(), data=UNKNOWN_FILE.encode("utf-8"))

    assert row_counts() == (1, 1, 3, 2)


def test_importing_the_2004_codebook_takes_a_bounded_number_of_queries(
    db, django_assert_max_num_queries
):
    office = default_office()
    # However many variables: the product's search document and its terms are 3 statements.
    with django_assert_max_num_queries(22):
        ddi_import(office=office, data=CODEBOOK_2004.read_bytes())
    with django_assert_max_num_queries(22):
        ddi_import(office=office, data=codebook_2004_edited())


# --- Records per region from the region variable's frequencies -----------------------------------


def provinces_load(*codes: str) -> None:
    for code in codes:
        region(code, f"PROVINSI {code}")


def region_counts(dataset) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    rows = RegionRecords.objects.filter(file__dataset=dataset).values_list(
        "file__file_id", "region_id", "records"
    )
    for file_id, code, records in rows:
        counts.setdefault(file_id, {})[code] = records
    return counts


def test_the_import_takes_each_files_records_per_region_from_its_province_variable(db):
    provinces_load("11", "33", "34", "35", "36")

    result = ddi_import(office=default_office(), data=CODEBOOK_REGIONS.read_bytes())

    # R105 (urban/rural) comes first in the households file but its values are no provinces;
    # the persons file's "Sysmiss" is a missing value, and weighted frequencies are not counts.
    assert result.region_files == 2
    assert region_counts(result.dataset) == {
        "F1": {"33": 250, "34": 150, "35": 600},
        "F2": {"33": 1_000, "34": 600, "35": 2_400},
    }
    # 1.000 × 12 + 4.000 × 10 bytes; Jawa Tengah holds 250 × 12 + 1.000 × 10 of them.
    dataset = result.dataset
    assert dataset.full_size_bytes == 52_000
    estimate = dataset_size_estimate(dataset=dataset, selection=Selection(regions=("33",)))
    assert estimate.size_bytes == 13_000 and not estimate.uncounted_files


def test_reimporting_updates_the_counts_and_keeps_those_of_files_without_frequencies(db):
    provinces_load("33", "34", "35")
    dataset = ddi_import(office=default_office(), data=CODEBOOK_REGIONS.read_bytes()).dataset
    RegionRecords.objects.filter(region_id="33").update(records=999)  # staff corrections
    before, persons, after = re.split(
        r'(<var ID="V5".*?</var>)', CODEBOOK_REGIONS.read_text(encoding="utf-8"), flags=re.S
    )
    # The persons file's province variable loses its value labels; a frequency changes.
    persons = re.sub(r"<catgry>.*?</catgry>", "", persons, flags=re.S)
    edited = (before + persons + after).replace(
        '<catStat type="freq">150</catStat>', '<catStat type="freq">100</catStat>'
    )

    ddi_import(office=default_office(), data=edited.encode())

    counts = region_counts(dataset)
    # The households file's counts are the codebook's again, a staff correction included.
    assert counts["F1"] == {"33": 250, "34": 100, "35": 600}
    # The codebook no longer counts persons: what was there stays.
    assert counts["F2"] == {"33": 999, "34": 600, "35": 2_400}


def test_a_region_variable_of_another_countrys_codes_is_not_taken_for_provinces(db):
    # The 2004 codebook's v01 (Killil, values 1-15 with frequencies): 12-15 would be
    # province codes of Sumatra, 1-7 are none, so it is no province variable.
    provinces_load("11", "12", "13", "14", "15", "33")

    result = ddi_import(office=default_office(), data=CODEBOOK_2004.read_bytes())

    assert result.region_files == 0
    assert not RegionRecords.objects.exists()


def test_without_regions_loaded_nothing_is_counted(db):
    result = ddi_import(office=default_office(), data=CODEBOOK_REGIONS.read_bytes())

    assert result.region_files == 0 and not RegionRecords.objects.exists()


def test_a_regency_dataset_reads_sub_district_codes_written_below_the_regency(db):
    regency = banjarnegara()
    codebook = CODEBOOK_REGIONS.read_text(encoding="utf-8")
    for province, sub_district in (("33", "050"), ("34", "060"), ("35", "160")):
        codebook = codebook.replace(
            f"<catValu>{province}</catValu>", f"<catValu>{sub_district}</catValu>"
        )
    dataset = DatasetFactory(codebook=False, region=regency, title="Survei Banjarnegara")

    ddi_import(data=codebook.encode(), dataset=dataset, office=default_office())

    assert region_counts(dataset)["F1"] == {"3304050": 250, "3304060": 150, "3304160": 600}


def test_staff_name_the_region_variable_when_it_has_values_of_no_region(db):
    """A province variable with "99 = abroad" is not recognised; named, it counts the rest."""
    provinces_load("33", "34", "35")
    codebook = CODEBOOK_REGIONS.read_text(encoding="utf-8").replace(
        "<catgry><catValu>Sysmiss</catValu>",
        '<catgry><catValu>99</catValu><labl>Luar negeri</labl><catStat type="freq">0</catStat>'
        "</catgry><catgry><catValu>Sysmiss</catValu>",
    )
    dataset = ddi_import(office=default_office(), data=codebook.encode()).dataset
    assert set(region_counts(dataset)) == {"F1"}

    dataset.region_variable = "r101"
    dataset.save(update_fields=["region_variable"])
    result = dataset_region_records_import(dataset=dataset)

    assert (result.files, result.counts) == (2, 6)
    assert region_counts(dataset)["F2"] == {"33": 1_000, "34": 600, "35": 2_400}


def test_a_frequency_above_the_files_records_is_left_out(db):
    provinces_load("33", "34", "35")
    codebook = CODEBOOK_REGIONS.read_text(encoding="utf-8").replace(
        '<catStat type="freq">600</catStat><catStat type="freq" wgtd',
        '<catStat type="freq">6000</catStat><catStat type="freq" wgtd',
    )

    dataset = ddi_import(office=default_office(), data=codebook.encode()).dataset

    assert region_counts(dataset)["F1"] == {"33": 250, "34": 150}


def test_counts_for_regions_the_dataset_no_longer_offers_go_when_its_region_changes(db):
    provinces_load("34", "35")
    regency = banjarnegara()
    dataset = ddi_import(office=default_office(), data=CODEBOOK_REGIONS.read_bytes()).dataset
    assert RegionRecords.objects.count() == 6

    dataset.region = regency
    dataset.save(update_fields=["region"])
    dataset_region_records_import(dataset=dataset)

    assert not RegionRecords.objects.exists()


def test_importing_the_regions_codebook_takes_a_bounded_number_of_queries(
    db, django_assert_max_num_queries
):
    provinces_load("33", "34", "35")
    office = default_office()
    with django_assert_max_num_queries(22):
        ddi_import(office=office, data=CODEBOOK_REGIONS.read_bytes())
    with django_assert_max_num_queries(22):
        ddi_import(office=office, data=CODEBOOK_REGIONS.read_bytes())


# --- The management command ----------------------------------------------------------------------


def test_the_command_imports_and_reports(db):
    out = StringIO()
    with translation.override("en"):
        code = default_office().code
        call_command("import_ddi", str(CODEBOOK_2004), "--office", code, stdout=out)
        call_command("import_ddi", str(CODEBOOK_2004), "--office", code, stdout=out)

    assert out.getvalue().splitlines() == [
        f"Imported {TITLE_2004}: 3 files, 79 variables, 382 value labels (created)",
        f"Imported {TITLE_2004}: 3 files, 79 variables, 382 value labels (updated)",
    ]


def test_the_command_imports_into_the_dataset_named_by_slug(db):
    chosen = Dataset.objects.create(
        office=default_office(), title="Survei Pertanian", slug="survei-pertanian"
    )

    out = StringIO()
    with translation.override("en"):
        call_command("import_ddi", str(CODEBOOK_2003), "--dataset", "survei-pertanian", stdout=out)

    assert chosen.variables.count() == 57
    assert out.getvalue() == (
        "Imported Survei Pertanian: 1 files, 57 variables, 181 value labels (updated)\n"
    )


def test_the_command_fails_with_the_importers_message(db, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text(MALFORMED)

    with translation.override("en"):
        with pytest.raises(CommandError, match="not well-formed XML"):
            call_command("import_ddi", str(bad))
        with pytest.raises(CommandError, match="no dataset with the slug"):
            call_command("import_ddi", str(CODEBOOK_2003), "--dataset", "missing")
        with pytest.raises(CommandError, match="Cannot read"):
            call_command("import_ddi", str(tmp_path / "missing.xml"))
    assert row_counts() == (0, 0, 0, 0)


# --- The admin upload ----------------------------------------------------------------------------


def upload(content: bytes, name: str = "codebook.xml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/xml")


def request_with_messages(request):
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    return request


@use_test_admin
def test_the_upload_view_imports_and_redirects_to_the_dataset(superuser):
    request = RequestFactory().post(
        "/", {"codebook": upload(CODEBOOK_2004.read_bytes()), "office": default_office().pk}
    )
    request.user = superuser

    with translation.override("en"):
        response = ddi_upload_view(request_with_messages(request), test_admin_site)

    dataset = Dataset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:catalog_dataset_change", args=[dataset.pk])
    assert [str(m) for m in get_messages(request)] == [
        f"Created “{TITLE_2004}” from the codebook: 3 data files, 79 variables, "
        "382 value labels. It is not published yet."
    ]


@use_test_admin
def test_the_upload_page_renders_and_imports_for_a_superuser(client, superuser):
    client.force_login(superuser)
    url = reverse("test_import_ddi")

    page = client.get(url)
    with translation.override("en"):
        response = client.post(
            url,
            {"codebook": upload(CODEBOOK_2003.read_bytes()), "office": default_office().pk},
            follow=True,
        )

    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' in page.content
    assert reverse("admin:catalog_dataset_changelist").encode() in page.content
    dataset = Dataset.objects.get()
    assert response.redirect_chain == [
        (reverse("admin:catalog_dataset_change", args=[dataset.pk]), 302)
    ]
    assert dataset.variables.count() == 57


@use_test_admin
def test_the_upload_page_shows_the_importers_error_on_the_codebook_field(client, superuser):
    client.force_login(superuser)

    with translation.override("en"):
        response = client.post(
            reverse("test_import_ddi"), {"codebook": upload(EXTERNAL_ENTITY.encode())}
        )

    assert response.status_code == 200
    errors = response.context["form"].errors["codebook"]
    assert len(errors) == 1 and "DTD" in errors[0]
    assert row_counts() == (0, 0, 0, 0)


@pytest.mark.parametrize("who", ["customer", "treasurer"])
def test_the_upload_view_is_refused_without_dataset_permissions(request, who):
    user = request.getfixturevalue(who)
    upload_request = RequestFactory().post("/", {"codebook": upload(DDI_25.encode())})
    upload_request.user = user

    with pytest.raises(PermissionDenied):
        ddi_upload_view(upload_request, test_admin_site)

    assert Dataset.objects.count() == 0


@use_test_admin
def test_pst_staff_may_upload_a_codebook(staff):
    request = RequestFactory().post("/", {"codebook": upload(DDI_25.encode())})
    request.user = staff

    response = ddi_upload_view(request_with_messages(request), test_admin_site)

    assert response.status_code == 302
    assert Dataset.objects.get().variables.count() == 3


@use_test_admin
def test_a_user_who_may_only_add_datasets_cannot_update_one_by_upload(db):
    ddi_import(office=default_office(), data=DDI_25.encode())
    adder = UserFactory(email="adder@example.com")
    adder.user_permissions.set([Permission.objects.get(codename="add_dataset")])
    edited = DDI_25.replace("<labl>Bobot</labl>", "<labl>Changed</labl>").encode()
    request = RequestFactory().post("/", {"codebook": upload(edited)})
    request.user = adder

    with translation.override("en"):
        response = ddi_upload_view(request_with_messages(request), test_admin_site)

    assert response.status_code == 200
    assert "may not change existing datasets" in response.context_data["form"].errors["codebook"][0]
    assert Variable.objects.get(name="BOBOT").label == "Bobot"


def test_the_upload_form_wants_an_xml_file_of_at_most_20_mb(db):
    with translation.override("en"):
        not_xml = DdiUploadForm(user=None, files={"codebook": upload(b"x", name="codebook.pdf")})
        too_big = DdiUploadForm(
            user=None, files={"codebook": upload(b"x" * (20 * 1024 * 1024 + 1))}
        )

        assert "codebook" in not_xml.errors
        assert "at most 20.0\xa0MB" in too_big.errors["codebook"][0]


def test_a_small_categorical_variable_is_not_taken_for_regencies(db):
    """In a province dataset, urban/rural (1, 2) would read as regencies 3301 and 3302: a region
    variable covers more of the offered regions than a two-valued question does."""
    province = region("33", "JAWA TENGAH")
    for code in ("01", "02", "03", "04", "05"):
        region(f"33{code}", f"KABUPATEN {code}")
    codebook = CODEBOOK_REGIONS.read_text(encoding="utf-8")
    for province_code, regency in (("33", "01"), ("34", "02"), ("35", "03")):
        codebook = codebook.replace(
            f"<catValu>{province_code}</catValu>", f"<catValu>{regency}</catValu>"
        )
    dataset = DatasetFactory(codebook=False, region=province, title="Survei Jawa Tengah")

    ddi_import(data=codebook.encode(), dataset=dataset, office=default_office())

    assert region_counts(dataset)["F1"] == {"3301": 250, "3302": 150, "3303": 600}
