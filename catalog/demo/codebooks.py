"""DDI Codebook 2.5 documents for the demo datasets, and the reader of the variable tables they
are written from (catalog/data/demo/*.txt)."""

import random
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache

from .datafiles import demo_text, regions_rows

DDI_NS = "ddi:codebook:2_5"


@dataclass(frozen=True)
class CodebookFile:
    file_id: str
    name: str
    description: str
    records: int


@dataclass(frozen=True)
class CodebookVariable:
    name: str
    label: str
    width: int = 1
    categories: tuple[tuple[str, str], ...] = ()
    question: str = ""
    decimals: int = 0
    character: bool = False
    file_id: str = "F1"


def ddi_codebook(
    *,
    id_no: str,
    title: str,
    period: str,
    producer: str,
    abstract: str,
    files: Sequence[CodebookFile],
    variables: Sequence[CodebookVariable],
    collected: tuple[str, str] | None = None,
    series: str = "",
    universe: str = "",
) -> bytes:
    """A DDI Codebook 2.5 document (UTF-8) describing the study, its data files and variables.
    Value-label frequencies are made up, but the same on every call (seeded by the identifier),
    and add up to about the file's records: those of the province variable R101 become each
    file's records per province on import, so the demo's regional estimates have counts."""
    ET.register_namespace("", DDI_NS)
    root = _el(None, "codeBook", ID=id_no.replace(" ", "-"), version="2.5")
    doc_citation = _el(_el(root, "docDscr"), "citation")
    _el(_el(doc_citation, "titlStmt"), "titl", title)
    _el(_el(doc_citation, "prodStmt"), "producer", producer, abbr="BPS")
    _study(
        root,
        id_no=id_no,
        title=title,
        period=period,
        producer=producer,
        abstract=abstract,
        collected=collected,
        series=series,
        universe=universe,
    )
    widths = record_lengths(variables)
    for codebook_file in files:
        _file_description(root, codebook_file, variables=variables, widths=widths)
    data = _el(root, "dataDscr")
    rng = random.Random(id_no)
    records = {f.file_id: f.records for f in files}
    positions: dict[str, int] = {}
    for number, variable in enumerate(variables, start=1):
        start = positions.get(variable.file_id, 1)
        positions[variable.file_id] = start + variable.width
        _variable(data, variable, number=number, start=start, rng=rng, records=records)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _el(parent: ET.Element | None, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    qualified = f"{{{DDI_NS}}}{tag}"
    if parent is None:
        element = ET.Element(qualified, attrs)
    else:
        element = ET.SubElement(parent, qualified, attrs)
    if text is not None:
        element.text = text
    return element


def _study(
    root: ET.Element,
    *,
    id_no: str,
    title: str,
    period: str,
    producer: str,
    abstract: str,
    collected: tuple[str, str] | None,
    series: str,
    universe: str,
) -> None:
    study = _el(root, "stdyDscr")
    citation = _el(study, "citation")
    title_statement = _el(citation, "titlStmt")
    _el(title_statement, "titl", title)
    _el(title_statement, "IDNo", id_no, agency="BPS")
    _el(_el(citation, "rspStmt"), "AuthEnty", producer)
    _el(_el(citation, "prodStmt"), "producer", producer, abbr="BPS")
    if series:
        _el(_el(citation, "serStmt"), "serName", series)
    _el(_el(citation, "verStmt"), "version", f"Versi 1.0 ({period})")
    info = _el(study, "stdyInfo")
    _el(info, "abstract", abstract)
    summary = _el(info, "sumDscr")
    if collected:
        _el(summary, "collDate", collected[0], date=collected[0], event="start")
        _el(summary, "collDate", collected[1], date=collected[1], event="end")
    _el(summary, "nation", "Indonesia", abbr="IDN")
    _el(summary, "geogCover", "Seluruh provinsi di Indonesia")
    if universe:
        _el(summary, "universe", universe)
    _el(_el(_el(study, "method"), "dataColl"), "collMode", "Wawancara tatap muka (CAPI/PAPI)")


def record_lengths(variables: Iterable[CodebookVariable]) -> dict[str, int]:
    lengths: dict[str, int] = {}
    for variable in variables:
        lengths[variable.file_id] = lengths.get(variable.file_id, 0) + variable.width
    return lengths


def _file_description(
    root: ET.Element,
    codebook_file: CodebookFile,
    *,
    variables: Sequence[CodebookVariable],
    widths: dict[str, int],
) -> None:
    text = _el(_el(root, "fileDscr", ID=codebook_file.file_id), "fileTxt")
    _el(text, "fileName", codebook_file.name)
    _el(text, "fileCont", codebook_file.description)
    dimensions = _el(text, "dimensns")
    _el(dimensions, "caseQnty", str(codebook_file.records))
    count = sum(1 for v in variables if v.file_id == codebook_file.file_id)
    _el(dimensions, "varQnty", str(count))
    _el(dimensions, "logRecL", str(widths.get(codebook_file.file_id, 0)))
    _el(text, "fileType", "ASCII fixed format")


def _variable(
    data: ET.Element,
    variable: CodebookVariable,
    *,
    number: int,
    start: int,
    rng: random.Random,
    records: dict[str, int],
) -> None:
    element = _el(
        data,
        "var",
        ID=f"V{number}",
        name=variable.name,
        files=variable.file_id,
        dcml=str(variable.decimals),
        intrvl="discrete" if variable.categories else "contin",
    )
    _el(
        element,
        "location",
        StartPos=str(start),
        EndPos=str(start + variable.width - 1),
        width=str(variable.width),
    )
    _el(element, "labl", variable.label)
    _el(_el(element, "qstn"), "qstnLit", variable.question or variable.label)
    weights = [rng.random() ** 2 + 0.02 for _category in variable.categories]
    per_weight = records.get(variable.file_id, 0) / (sum(weights) or 1)
    for (value, label), weight in zip(variable.categories, weights, strict=True):
        category = _el(element, "catgry")
        _el(category, "catValu", value)
        _el(category, "labl", label)
        _el(category, "catStat", str(int(weight * per_weight)), type="freq")
    _el(
        element,
        "varFormat",
        type="character" if variable.character else "numeric",
        schema="other",
    )


# --- Reading the tables --------------------------------------------------------------------------
#
# The variables are written as tables, one variable a line, because a few hundred variables as
# Python calls would bury the logic. A line is
#
#     NAME  WIDTH  Label [@LIST | = first; second; ...] [:: item; item; ...]
#
# WIDTH is "2", "12.4" (four decimals) or "c18" (character). "@LIST" takes the value labels
# from category_lists.txt, "= a; b" lists them in place (numbered 1, 2, ... unless written
# "0=label"), and "NAME* ... :: x; y" makes one variable per item (NAMEA "Label: x", NAMEB ...);
# ":: @LIST" takes the items from item_lists.txt. A line starting with "+" continues the one
# above.

Cats = tuple[tuple[str, str], ...]
_WIDTH = re.compile(r"(c?)(\d+)(?:\.(\d+))?$")


def _logical_lines(text: str, *, items_only: bool = False) -> list[str]:
    lines: list[str] = []
    for raw in text.strip().splitlines():
        if not raw.startswith("+"):
            if raw.strip():
                lines.append(raw)
            continue
        more = raw[1:].strip()
        # A continuation adds items to a list already started, or goes on with the label
        # (the list then starts on the continuation, with "=" or "::").
        in_list = items_only or " = " in lines[-1] or " :: " in lines[-1]
        joiner = "; " if in_list and not more.startswith(("=", "::")) else " "
        lines[-1] = f"{lines[-1].rstrip()}{joiner}{more}"
    return [" ".join(line.split()) for line in lines]


def _named_lists(text: str) -> dict[str, list[str]]:
    return {
        key: [item.strip() for item in items.split(";")]
        for key, items in (line.split(" ", 1) for line in _logical_lines(text, items_only=True))
    }


@cache
def _category_lists() -> dict[str, list[str]]:
    return _named_lists(demo_text("category_lists.txt"))


@cache
def _item_lists() -> dict[str, list[str]]:
    # Items shared by several questions (":: @FUNCTIONS" in a table).
    return _named_lists(demo_text("item_lists.txt"))


def _categories(items: Sequence[str], *, width: int) -> Cats:
    categories, number = [], 1
    for item in items:
        code, separator, label = item.partition("=")
        if separator and code.isdigit():
            number = int(code)
        else:
            label = item
        categories.append((f"{number:0{width}d}", label.strip()))
        number += 1
    return tuple(categories)


def table(text: str) -> list[CodebookVariable]:
    """The variables of a table written as described above."""
    variables = []
    for line in _logical_lines(text):
        name, width_spec, rest = line.split(" ", 2)
        character, width, decimals = _WIDTH.match(width_spec).groups()
        rest, _separator, items = rest.partition(" :: ")
        label, categories = _label_and_categories(rest, width=int(width))
        common = {
            "width": int(width),
            "categories": categories,
            "decimals": int(decimals or 0),
            "character": bool(character),
        }
        if not name.endswith("*"):
            variables.append(CodebookVariable(name=name, label=label, **common))
            continue
        if items.startswith("@"):
            items = "; ".join(_item_lists()[items[1:]])
        for index, item in enumerate(item.strip() for item in items.split(";")):
            variables.append(
                CodebookVariable(
                    name=f"{name[:-1]}{chr(65 + index)}", label=f"{label}: {item}", **common
                )
            )
    return variables


def _label_and_categories(text: str, *, width: int) -> tuple[str, Cats]:
    label, separator, listed = text.partition(" = ")
    if separator:
        return label, _categories(listed.split(";"), width=width)
    label, separator, key = text.rpartition(" @")
    if not separator:
        return text, ()
    if key == "PROVINCES":
        return label, _provinces()
    return label, _categories(_category_lists()[key], width=width)


def in_file(file_id: str, variables: Iterable[CodebookVariable]) -> list[CodebookVariable]:
    return [replace(variable, file_id=file_id) for variable in variables]


@cache
def _provinces() -> Cats:
    return tuple((code, name) for code, name in regions_rows() if len(code) == 2)


def groups(prefix: str, items: Iterable[str], lines: Sequence[str]) -> str:
    """Table lines for several questions asked about each item: R601A1, R601A2, ... for the
    first item, R601B1, ... for the next. Each of `lines` is "WIDTH Label {} [@LIST]"."""
    rows = []
    for index, item in enumerate(items):
        for number, line in enumerate(lines, start=1):
            rows.append(f"{prefix}{chr(65 + index)}{number} {line.replace('{}', item)}")
    return "\n".join(rows)


def split_items(text: str) -> list[str]:
    return [item.strip() for item in text.replace("\n", "; ").split(";") if item.strip()]
