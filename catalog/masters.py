"""The office's master data files behind a dataset's codebook: what one holds, whether it matches
the codebook, and reading it in chunks of records (never whole) for the portal's cuts.

SPSS and Stata files are read with pyreadstat, CSV with pandas; both in chunks of
MASTER_CHUNK_RECORDS records and only the columns asked for.
"""

import csv
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from silastik import uploads

from .models import DataFile, DataFormat, Dataset, Variable, VariableType

MASTER_CHUNK_RECORDS = 100_000
# Names shown in a mismatch message before "and N more".
MISMATCH_NAMES_SHOWN = 10


class MasterUnreadable(Exception):
    """The file cannot be read as its format: corrupt, truncated or not what it claims."""


@dataclass(frozen=True)
class MasterInfo:
    format: str
    # Column name -> numeric (True) or text, in the file's order.
    columns: dict[str, bool]
    records: int
    # Value labels the file carries itself (SPSS, Stata): column -> {value: label}.
    value_labels: dict[str, dict] = field(default_factory=dict)
    column_labels: dict[str, str] = field(default_factory=dict)

    def column_for(self, name: str) -> str | None:
        """The file's spelling of a codebook variable's name (SPSS names ignore case)."""
        if name in self.columns:
            return name
        lowered = {column.lower(): column for column in self.columns}
        return lowered.get(name.lower())


def _reader(fmt: str):
    return pyreadstat.read_sav if fmt == DataFormat.SAV else pyreadstat.read_dta


def csv_delimiter(path: str | Path) -> str:
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as text:
        head = text.read(uploads.CSV_SNIFF_CHARS)
    try:
        return csv.Sniffer().sniff(head, delimiters=uploads.CSV_DELIMITERS).delimiter
    except csv.Error:
        return ","


def master_inspect(path: str | Path, *, fmt: str) -> MasterInfo:
    """What a master file holds: its columns and their types, its records and its labels. A
    CSV file is read through once, in chunks, to count its records and type its columns."""
    try:
        if fmt == DataFormat.CSV:
            return _csv_inspect(path)
        _empty, meta = _reader(fmt)(str(path), metadataonly=True)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, UnicodeDecodeError) as exc:
        raise MasterUnreadable(str(exc)) from exc
    except (ValueError, pd.errors.ParserError) as exc:
        raise MasterUnreadable(str(exc)) from exc
    records = meta.number_rows
    if records is None:  # some writers leave the count out: count the records
        records = sum(len(chunk) for chunk in _chunks(path, fmt=fmt, columns=None))
    return MasterInfo(
        format=fmt,
        columns={
            name: meta.readstat_variable_types.get(name) != "string" for name in meta.column_names
        },
        records=records,
        value_labels=dict(meta.variable_value_labels),
        column_labels={k: v for k, v in meta.column_names_to_labels.items() if v},
    )


def master_header(path: str | Path, *, fmt: str) -> MasterInfo:
    """The master's columns and labels without reading its records (its record count is the
    one recorded when it was attached); for a CSV file the types are not known here."""
    if fmt == DataFormat.CSV:
        return MasterInfo(format=fmt, columns={n: True for n in _csv_header(path)}, records=0)
    try:
        _empty, meta = _reader(fmt)(str(path), metadataonly=True)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, ValueError) as exc:
        raise MasterUnreadable(str(exc)) from exc
    return MasterInfo(
        format=fmt,
        columns={
            name: meta.readstat_variable_types.get(name) != "string" for name in meta.column_names
        },
        records=meta.number_rows or 0,
        value_labels=dict(meta.variable_value_labels),
        column_labels={k: v for k, v in meta.column_names_to_labels.items() if v},
    )


def _csv_inspect(path: str | Path) -> MasterInfo:
    records = 0
    numeric: dict[str, bool] = {}
    for chunk in _csv_chunks(path, columns=None):
        records += len(chunk)
        for name in chunk.columns:
            if numeric.get(name, True):
                numeric[name] = _all_numbers(chunk[name])
    if not numeric:  # a header and no records
        numeric = {name: True for name in _csv_header(path)}
    return MasterInfo(format=DataFormat.CSV, columns=numeric, records=records)


def _all_numbers(values: pd.Series) -> bool:
    filled = values[values.str.strip() != ""]
    return bool(pd.to_numeric(filled, errors="coerce").notna().all())


def _csv_header(path: str | Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as text:
        return next(csv.reader(text, delimiter=csv_delimiter(path)), [])


def _csv_chunks(path: str | Path, *, columns: Sequence[str] | None) -> Iterator[pd.DataFrame]:
    """Text as written: codes keep their leading zeros, empty cells stay empty."""
    return pd.read_csv(
        path,
        sep=csv_delimiter(path),
        dtype=str,
        keep_default_na=False,
        usecols=list(columns) if columns is not None else None,
        chunksize=MASTER_CHUNK_RECORDS,
        encoding="utf-8-sig",
    )


def _chunks(path: str | Path, *, fmt: str, columns: Sequence[str] | None):
    if fmt == DataFormat.CSV:
        yield from _csv_chunks(path, columns=columns)
        return
    for chunk, _meta in pyreadstat.read_file_in_chunks(
        _reader(fmt),
        str(path),
        chunksize=MASTER_CHUNK_RECORDS,
        usecols=list(columns) if columns is not None else None,
        disable_datetime_conversion=True,
    ):
        yield chunk


def master_chunks(path: str | Path, *, fmt: str, columns: Sequence[str]) -> Iterator[pd.DataFrame]:
    """The master's records in chunks, only `columns`, in that order. Unreadable data raises
    MasterUnreadable wherever it is met."""
    try:
        for chunk in _chunks(path, fmt=fmt, columns=columns):
            yield chunk[list(columns)]
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, UnicodeDecodeError) as exc:
        raise MasterUnreadable(str(exc)) from exc
    except (ValueError, pd.errors.ParserError) as exc:
        raise MasterUnreadable(str(exc)) from exc


def _names(names: list[str]) -> str:
    shown = names[:MISMATCH_NAMES_SHOWN]
    if len(names) > len(shown):
        return _("%(names)s and %(more)s more") % {
            "names": ", ".join(shown),
            "more": len(names) - len(shown),
        }
    return get_text_list(shown, _("and"))


def master_mismatches(*, data_file: DataFile, info: MasterInfo) -> list[str]:
    """Where a master file disagrees with its codebook, in words staff can act on; empty when
    it matches. Columns the codebook does not describe are allowed (they are never sold)."""
    problems = []
    variables = list(data_file.variables.order_by("position").values_list("name", "var_type"))
    missing = [name for name, _type in variables if info.column_for(name) is None]
    if missing:
        problems.append(
            _("Variables of the codebook are not in the file: %(names)s.")
            % {"names": _names(missing)}
        )
    wrong_type = [
        name
        for name, var_type in variables
        if (column := info.column_for(name)) is not None
        and var_type == VariableType.NUMERIC
        and not info.columns[column]
    ]
    if wrong_type:
        problems.append(
            _("Numeric in the codebook but text in the file: %(names)s.")
            % {"names": _names(wrong_type)}
        )
    if data_file.records and info.records != data_file.records:
        problems.append(
            _("The file holds %(found)s records; the codebook says %(expected)s.")
            % {"found": intcomma(info.records), "expected": intcomma(data_file.records)}
        )
    return problems


# --- regions ------------------------------------------------------------------------------------


def region_values(*, dataset: Dataset, codes: Sequence[str]) -> set[int]:
    """The values a master's region variable takes for the chosen regions: the code in full
    (33, 3304060) or its part below the dataset's region (04 in a dataset of province 33), as
    BPS files write R102 and R103 (catalog.services reads the codebook the same way)."""
    values = set()
    parent = dataset.region_id or ""
    for code in codes:
        values.add(int(code))
        if parent and code.startswith(parent) and len(code) > len(parent):
            values.add(int(code[len(parent) :]))
    return values


def region_mask(column: pd.Series, *, values: set[int]) -> np.ndarray:
    """Which records lie in the chosen regions: numeric codes, or text codes read as numbers
    (leading zeros and blanks do not matter); anything else lies in none of them."""
    if not pd.api.types.is_numeric_dtype(column):
        column = pd.to_numeric(column.astype(str).str.strip(), errors="coerce")
    return np.isin(column.to_numpy(dtype="float64", na_value=np.nan), sorted(values))


def codebook_value_labels(variables: Sequence[Variable]) -> dict[str, dict]:
    """Value labels from the codebook, for masters that carry none (CSV): numeric values of
    numeric variables, as SPSS and Stata keep them."""
    labels: dict[str, dict] = {}
    for variable in variables:
        pairs = {}
        for category in variable.categories.all():
            if not category.label:
                continue
            value = category.value.strip()
            if variable.var_type == VariableType.NUMERIC:
                try:
                    number = float(value)
                except ValueError:
                    continue
                pairs[int(number) if number.is_integer() else number] = category.label
            else:
                pairs[value] = category.label
        if pairs:
            labels[variable.name] = pairs
    return labels


# --- attaching ----------------------------------------------------------------------------------


FORMAT_OF_KIND = {"sav": DataFormat.SAV, "dta": DataFormat.DTA, "csv": DataFormat.CSV}


@contextmanager
def _on_disk(upload: UploadedFile) -> Iterator[str]:
    """A path to the upload's bytes: a large upload is on disk already; a small one, held in
    memory, is written out for the readers (which want a path)."""
    if hasattr(upload, "temporary_file_path"):
        yield upload.temporary_file_path()
        return
    with tempfile.NamedTemporaryFile(suffix=".master") as copy:
        upload.seek(0)
        shutil.copyfileobj(upload, copy)
        copy.flush()
        yield copy.name


def master_check(*, data_file: DataFile, upload: UploadedFile) -> MasterInfo:
    """Read an uploaded master file and compare it with the data file's codebook: what it
    holds, or ValidationError with every mismatch. Stores nothing."""
    uploads.upload_accept(upload, policy=uploads.MASTER)
    fmt = FORMAT_OF_KIND[str(getattr(upload, "detected_kind", "")) or upload.name.rsplit(".")[-1]]
    with _on_disk(upload) as path:
        try:
            info = master_inspect(path, fmt=fmt)
        except MasterUnreadable:
            raise ValidationError(
                _("The file cannot be read as %(format)s: it may be damaged or incomplete.")
                % {"format": DataFormat(fmt).label},
                code="unreadable",
            ) from None
    problems = master_mismatches(data_file=data_file, info=info)
    if problems:
        raise ValidationError(problems, code="mismatch")
    return info


def master_attach(
    *, data_file: DataFile, upload: UploadedFile, info: MasterInfo | None = None
) -> MasterInfo:
    """Keep a master file that matches its codebook privately as the data file's master,
    replacing the one before. `info` is master_check's answer when the caller has it already
    (a form checked the upload); otherwise the file is checked here first."""
    if info is None:
        info = master_check(data_file=data_file, upload=upload)
    with transaction.atomic():
        locked = DataFile.objects.select_for_update().get(pk=data_file.pk)
        previous = locked.master.name if locked.master else ""
        upload.seek(0)
        locked.master.save(upload.name or "master", upload, save=False)
        locked.master_format = info.format
        locked.master_name = (getattr(upload, "original_name", "") or upload.name or "")[:200]
        locked.master_bytes = upload.size
        locked.master_records = info.records
        locked.master_attached_at = timezone.now()
        locked.save(
            update_fields=[
                "master",
                "master_format",
                "master_name",
                "master_bytes",
                "master_records",
                "master_attached_at",
            ]
        )
        if previous and previous != locked.master.name:
            storage = locked.master.storage
            transaction.on_commit(lambda: storage.delete(previous))
    for name in ("master", "master_format", "master_name", "master_bytes", "master_records"):
        setattr(data_file, name, getattr(locked, name))
    data_file.master_attached_at = locked.master_attached_at
    return info
