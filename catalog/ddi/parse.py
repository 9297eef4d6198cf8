"""Reading a DDI Codebook (1.2.2 or 2.5) into plain values, before the database is touched."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as xml_fromstring
from django.db import models
from django.utils.translation import gettext as _

from silastik.errors import ApplicationError

from ..models import Category, DataFile, Dataset, Variable, VariableType

# Rows per INSERT/UPDATE: large enough for a few queries per codebook, small enough that one
# statement stays well below the databases' parameter limits.
BATCH_SIZE = 1000
BIGINT_MAX = 2**63 - 1
INT_MAX = 2**31 - 1
PERIOD_DASH = " \u2013 "  # an en dash, as a printed period is written


class DdiError(ApplicationError):
    """A codebook that cannot be imported; the message is meant for the person who uploaded it."""


@dataclass(frozen=True)
class CategorySpec:
    value: str
    label: str
    frequency: int | None


@dataclass(frozen=True)
class VariableSpec:
    name: str
    file_id: str
    var_id: str
    label: str
    width: int
    var_type: str
    decimals: int
    question: str
    categories: tuple[CategorySpec, ...]


@dataclass(frozen=True)
class FileSpec:
    file_id: str
    name: str
    description: str
    records: int
    record_length: int | None


@dataclass(frozen=True)
class Codebook:
    ddi_id: str
    title: str
    survey_name: str
    description: str
    period: str
    year: int | None
    coverage: str
    producer: str
    files: tuple[FileSpec, ...]
    variables: tuple[VariableSpec, ...]  # ordered as they will be shown: by file, then as written

    def full_size_bytes(self) -> int:
        widths: dict[str, int] = {}
        for variable in self.variables:
            widths[variable.file_id] = widths.get(variable.file_id, 0) + variable.width
        total = sum(f.records * (f.record_length or widths.get(f.file_id, 0)) for f in self.files)
        return min(total, BIGINT_MAX)


# --- Reading the XML -----------------------------------------------------------------------------


def _xml_root(data: bytes) -> Element:
    try:
        # No DTD at all: DDI needs none, and a DTD is how entity bombs and external entities
        # (reading server files, fetching URLs) get in.
        return xml_fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise DdiError(
            _(
                "The file declares a DTD or entities (<!DOCTYPE>, <!ENTITY>), which is refused "
                "for safety. Export the codebook again without a DOCTYPE."
            )
        ) from exc
    except ParseError as exc:
        raise DdiError(_("The file is not well-formed XML: %(error)s") % {"error": exc}) from exc


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _children(element: Element | None, name: str) -> Iterator[Element]:
    if element is not None:
        yield from (child for child in element if _local(child.tag) == name)


def _child(element: Element | None, *path: str) -> Element | None:
    for name in path:
        element = next(_children(element, name), None)
    return element


def _text(element: Element | None) -> str:
    """Text on one line: Nesstar pads every value with newlines and indentation."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _paragraphs(element: Element | None) -> str:
    """Longer text (abstract, question): lines kept, padding and runs of blank lines dropped."""
    if element is None:
        return ""
    lines = [" ".join(line.split()) for line in "".join(element.itertext()).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _int(value: str | None, *, limit: int = BIGINT_MAX) -> int | None:
    """A whole number written as "52923", " 52923 " or "52923.0"; None for anything else,
    including numbers beyond what the column holds."""
    match = re.fullmatch(r"\s*(\d{1,18})(?:\.0*)?\s*", value or "")
    number = int(match.group(1)) if match else None
    return number if number is not None and number <= limit else None


def _first_text(elements: Iterable[Element | None]) -> str:
    return next((text for text in map(_text, elements) if text), "")


def field_clip(value: str, model: type[models.Model], field: str) -> str:
    limit = model._meta.get_field(field).max_length
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


# --- Interpreting the codebook -------------------------------------------------------------------


def codebook_parse(data: bytes) -> Codebook:
    root = _xml_root(data)
    if _local(root.tag) != "codeBook":
        raise DdiError(_("This is not a DDI codebook: the XML root element is not <codeBook>."))
    study = _child(root, "stdyDscr")
    citation = _child(study, "citation")
    summary = _child(study, "stdyInfo", "sumDscr")
    files = _files_parse(root)
    variables = _variables_parse(root, files)
    title = _text(_child(citation, "titlStmt", "titl"))
    # Nesstar exports often have no IDNo; their codeBook ID is the study's identifier.
    ddi_id = _text(_child(citation, "titlStmt", "IDNo")) or (root.get("ID") or "").strip()
    if len(ddi_id) > Dataset._meta.get_field("ddi_id").max_length:
        raise DdiError(_("The codebook's identifier (IDNo) is too long: %(id)s") % {"id": ddi_id})
    period = _period(summary)
    return Codebook(
        ddi_id=ddi_id,
        title=title,
        survey_name=_text(_child(citation, "serStmt", "serName")) or title,
        description=_paragraphs(_child(study, "stdyInfo", "abstract")),
        period=period,
        year=_year(period),
        coverage=", ".join(filter(None, map(_text, _children(summary, "nation"))))
        or _text(_child(summary, "geogCover")),
        producer=_producer(root, citation),
        files=files,
        variables=variables,
    )


def _period(summary: Element | None) -> str:
    """The collection dates, else the time period covered: "2003", or start and end joined by
    an en dash ("2003-10 \u2013 2004-01")."""
    for tag in ("collDate", "timePrd"):
        dates = [
            (element.get("event", "single"), (element.get("date") or _text(element)).strip())
            for element in _children(summary, tag)
        ]
        dates = [(event, date) for event, date in dates if date]
        if not dates:
            continue
        start = next((date for event, date in dates if event != "end"), dates[0][1])
        end = next((date for event, date in reversed(dates) if event == "end"), start)
        return start if end == start else f"{start}{PERIOD_DASH}{end}"
    return ""


def _year(period: str) -> int | None:
    match = re.match(r"(\d{4})\b", period)
    return int(match.group(1)) if match else None


def _producer(root: Element, citation: Element | None) -> str:
    # The study's producer; Nesstar leaves it out and names the authoring entity instead, and
    # the document's producer (who wrote the XML) is the last resort.
    candidates = [
        _children(_child(citation, "prodStmt"), "producer"),
        _children(_child(citation, "rspStmt"), "AuthEnty"),
        _children(_child(root, "docDscr", "citation", "prodStmt"), "producer"),
    ]
    for elements in candidates:
        names = list(dict.fromkeys(filter(None, map(_text, elements))))
        if names:
            return "; ".join(names)
    return ""


def _files_parse(root: Element) -> tuple[FileSpec, ...]:
    files: dict[str, FileSpec] = {}
    for number, element in enumerate(_children(root, "fileDscr"), start=1):
        text = _child(element, "fileTxt")
        file_id = (element.get("ID") or "").strip() or f"F{number}"
        if file_id in files:
            raise DdiError(_("The codebook describes data file %(id)s twice.") % {"id": file_id})
        if len(file_id) > DataFile._meta.get_field("file_id").max_length:
            raise DdiError(_("The data file identifier %(id)s is too long.") % {"id": file_id})
        dimensions = _child(text, "dimensns")
        files[file_id] = FileSpec(
            file_id=file_id,
            name=_text(_child(text, "fileName")) or file_id,
            description=_paragraphs(_child(text, "fileCont")),
            records=_int(_text(_child(dimensions, "caseQnty"))) or 0,
            record_length=_int(_text(_child(dimensions, "logRecL")), limit=INT_MAX) or None,
        )
    return tuple(files.values())


def _variables_parse(root: Element, files: tuple[FileSpec, ...]) -> tuple[VariableSpec, ...]:
    elements = list(_children(_child(root, "dataDscr"), "var"))
    if not elements:
        raise DdiError(_("This is not a DDI codebook: it describes no variables (<dataDscr>)."))
    if not files:
        raise DdiError(_("The codebook describes no data files (<fileDscr>)."))
    order = {f.file_id: position for position, f in enumerate(files)}
    variables = [_variable_parse(element, default_file=files[0].file_id) for element in elements]
    seen: set[tuple[str, str]] = set()
    for variable in variables:
        if variable.file_id not in order:
            raise DdiError(
                _(
                    "Variable %(name)s belongs to data file %(file)s, "
                    "which the codebook does not describe."
                )
                % {"name": variable.name, "file": variable.file_id}
            )
        if (variable.file_id, variable.name) in seen:
            raise DdiError(
                _("Data file %(file)s has two variables named %(name)s.")
                % {"name": variable.name, "file": variable.file_id}
            )
        seen.add((variable.file_id, variable.name))
    # A stable sort: variables stay together per file, in the order the codebook lists them.
    return tuple(sorted(variables, key=lambda variable: order[variable.file_id]))


def _variable_parse(element: Element, *, default_file: str) -> VariableSpec:
    name = (element.get("name") or "").strip()
    if not name:
        raise DdiError(_("A variable in the codebook has no name."))
    if len(name) > Variable._meta.get_field("name").max_length:
        raise DdiError(_("The variable name %(name)s is too long.") % {"name": name})
    # `files` is a list of IDREFs; a variable lives in one file, the first one named.
    file_id = next(iter((element.get("files") or "").split()), default_file)
    var_format = _child(element, "varFormat")
    question = _child(element, "qstn")
    literal = list(_children(question, "qstnLit"))
    return VariableSpec(
        name=name,
        file_id=file_id,
        var_id=field_clip((element.get("ID") or "").strip(), Variable, "var_id"),
        label=field_clip(_text(_child(element, "labl")), Variable, "label"),
        width=_width(_child(element, "location")),
        var_type=VariableType.CHARACTER
        if var_format is not None and (var_format.get("type") or "").strip() == "character"
        else VariableType.NUMERIC,
        decimals=_int(element.get("dcml"), limit=32767) or 0,
        question="\n\n".join(map(_paragraphs, literal)) if literal else _paragraphs(question),
        categories=tuple(_category_parse(category) for category in _children(element, "catgry")),
    )


def _width(location: Element | None) -> int:
    if location is None:
        return 0
    width = _int(location.get("width"), limit=INT_MAX)
    if width is None:
        start = _int(location.get("StartPos"), limit=INT_MAX)
        end = _int(location.get("EndPos"), limit=INT_MAX)
        width = end - start + 1 if start is not None and end is not None and end >= start else 0
    return width


def _category_parse(element: Element) -> CategorySpec:
    # Weighted frequencies (wgtd="wgtd") sit beside the counted ones; the count is what a
    # customer can expect to find in the records.
    frequencies = [
        stat
        for stat in _children(element, "catStat")
        if stat.get("type", "freq") == "freq" and stat.get("wgtd") != "wgtd"
    ]
    return CategorySpec(
        value=field_clip(_text(_child(element, "catValu")), Category, "value"),
        label=field_clip(_first_text(_children(element, "labl")), Category, "label"),
        frequency=_int(_text(frequencies[0])) if frequencies else None,
    )
