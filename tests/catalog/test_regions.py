import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from catalog.models import Region, RegionLevel
from catalog.regions import regions_load

pytestmark = pytest.mark.django_db

DEMO_CSV = Path(__file__).resolve().parents[2] / "catalog" / "data" / "regions_demo.csv"

SMALL = [
    ("33", "JAWA TENGAH"),
    ("3304", "BANJARNEGARA"),
    ("3304060", "BANJARNEGARA"),
    ("3304060016", "KUTABANJARNEGARA"),
]


@pytest.fixture(autouse=True)
def _english():
    # The assertions read the messages; Indonesian is the default language.
    with translation.override("en"):
        yield


def demo_rows() -> list[tuple[str, str]]:
    with DEMO_CSV.open(encoding="utf-8-sig", newline="") as handle:
        return [(row["code"], row["name"]) for row in csv.DictReader(handle)]


def test_the_demo_file_loads_every_level_with_its_parents():
    result = regions_load(rows=demo_rows())

    assert result.created == Region.objects.count() == 371
    counts = {level: Region.objects.filter(level=level).count() for level in RegionLevel.values}
    assert counts == {2: 38, 4: 35, 7: 20, 10: 278}
    sub_district = Region.objects.select_related("parent__parent").get(code="3304060")
    assert sub_district.level == RegionLevel.SUBDISTRICT
    assert sub_district.parent.code == "3304"
    assert sub_district.parent.parent.code == "33"
    assert sub_district.parent.parent.parent is None
    assert Region.objects.get(code="3304160005").name == "DIENG KULON"
    assert not Region.objects.filter(level__gt=2, parent__isnull=True).exists()


def test_loading_again_updates_names_without_duplicates():
    regions_load(rows=SMALL)

    result = regions_load(rows=[*SMALL[:3], ("3304060016", "KUTA BANJARNEGARA")])

    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    assert Region.objects.count() == 4
    assert Region.objects.get(code="3304060016").name == "KUTA BANJARNEGARA"


def test_a_child_may_join_a_parent_already_in_the_database():
    regions_load(rows=SMALL[:2])

    result = regions_load(rows=[("3304010", "SUSUKAN")])

    assert result.created == 1
    assert Region.objects.get(code="3304010").parent_id == "3304"


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (("33O4", "BANJARNEGARA"), "Line 3"),
        (("330406", "SIX DIGITS"), "Line 3"),
        (("3304", ""), "Line 3"),
        (("3399010", "ORPHAN"), "3399"),
    ],
)
def test_a_bad_row_names_its_line_and_saves_nothing(bad_row, message):
    with pytest.raises(ValueError, match=message):
        regions_load(rows=[SMALL[0], ("3301", "CILACAP"), bad_row])

    assert not Region.objects.exists()


def test_a_code_twice_in_the_file_is_refused():
    with pytest.raises(ValueError, match="already appeared on line 1"):
        regions_load(rows=[SMALL[0], SMALL[0]])


def test_the_command_loads_a_csv_with_a_bom_and_reports_counts(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("code,name\n33,JAWA TENGAH\n3304,BANJARNEGARA\n\n", encoding="utf-8-sig")
    out = StringIO()

    call_command("load_regions", str(path), stdout=out)
    path.write_text("code,name\n33,JAWA TENGAH\n3304,BANJAR NEGARA\n3305,KEBUMEN\n")
    call_command("load_regions", str(path), stdout=out)

    lines = out.getvalue().splitlines()
    assert "2 created, 0 updated, 0 unchanged" in lines[0]
    assert "1 created, 1 updated, 1 unchanged" in lines[1]
    assert Region.objects.get(code="3304").name == "BANJAR NEGARA"


def test_the_command_turns_a_bad_file_into_a_command_error(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("code,name\n33,JAWA TENGAH\n\n3304001,ORPHAN\n")

    with pytest.raises(CommandError, match="Line 4"):
        call_command("load_regions", str(path))
    assert not Region.objects.exists()


def test_the_command_wants_the_header(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text("33,JAWA TENGAH\n")

    with pytest.raises(CommandError, match="header"):
        call_command("load_regions", str(path))


def test_the_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_regions", str(tmp_path / "missing.csv"))
