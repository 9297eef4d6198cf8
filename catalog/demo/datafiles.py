"""Where the demo's data lives and how it is read: the region list and the text tables under
catalog/data/demo/ (codebook tables, item lists, publication specs)."""

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

CATALOG_DATA = Path(__file__).resolve().parent.parent / "data"
DEMO_DATA = CATALOG_DATA / "demo"
REGIONS_CSV = CATALOG_DATA / "regions_demo.csv"
REGENCY = "3304"


def regions_rows() -> list[tuple[str, str]]:
    with REGIONS_CSV.open(encoding="utf-8-sig", newline="") as handle:
        return [(row["code"], row["name"]) for row in csv.DictReader(handle)]


@cache
def demo_text(name: str) -> str:
    """The content of catalog/data/demo/<name>, exactly as written."""
    with (DEMO_DATA / name).open(encoding="utf-8", newline="") as handle:
        return handle.read()


def demo_json(name: str) -> Any:
    return json.loads(demo_text(name))
