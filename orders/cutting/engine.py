"""The cut itself, on files only: the chosen variables and the chosen regions' records read from
the master files in chunks, written in the format ordered, a seeded sample beside them, and
both packed as ZIP archives in a working folder. No database here: orders.cutting.services
says what to cut, this module cuts it, and the task keeps the result.

Memory stays near one chunk of the master's chosen columns for CSV output; SPSS and Stata are
written in one go by pyreadstat, so their output is held until then and limited by
`max_output_bytes` like every output.
"""

import shutil
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from catalog.masters import master_chunks, region_mask
from catalog.models import DataFormat

PREVIEW_ROWS = 5
SAMPLE_RECORDS = 10
EXTENSIONS = {DataFormat.CSV: "csv", DataFormat.SAV: "sav", DataFormat.DTA: "dta"}
# Stata keeps value labels for whole numbers only.
STATA_LABEL_TYPES = (int, np.integer)


class CutStopped(Exception):
    """Staff cancelled the cut while it ran."""


class CutLimit(Exception):
    """The output or the run time went past its ceiling."""

    def __init__(self, what: str, limit: int):
        super().__init__(what)
        self.what, self.limit = what, limit


@dataclass(frozen=True)
class CutSource:
    """One master file and what to take from it."""

    file_id: str
    path: str
    master_format: str
    records: int
    # The master's column names to deliver, in order (join keys first, then the chosen ones).
    columns: tuple[str, ...]
    # The master's region column (None: no region limit for this file).
    region_column: str | None = None
    numeric: dict[str, bool] = field(default_factory=dict)
    column_labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict] = field(default_factory=dict)


@dataclass(frozen=True)
class CutSpec:
    sources: tuple[CutSource, ...]
    out_format: str
    # Region values to keep (None: every record).
    regions: frozenset[int] | None
    # A full set without regions: the master files as they are.
    whole: bool
    stem: str
    # The README, written once the files are made (it names their records and sizes).
    readme: "Callable[[list[CutFile]], str]"
    codebook_html: str
    max_output_bytes: int
    max_seconds: int
    sample_seed: int = 0


@dataclass
class CutFile:
    name: str
    bytes: int
    records: int
    variables: int
    preview_columns: list[str]
    preview_rows: list[list[str]]

    def as_data(self) -> dict:
        return {
            "name": self.name,
            "bytes": self.bytes,
            "records": self.records,
            "variables": self.variables,
            "preview_columns": self.preview_columns,
            "preview_rows": self.preview_rows,
        }


@dataclass
class CutOutput:
    product: Path
    sample: Path
    files: list[CutFile]

    @property
    def data_bytes(self) -> int:
        """The data delivered, as stored (the tariff's size): the data files, not the README
        or the codebook beside them."""
        return sum(f.bytes for f in self.files)

    @property
    def records(self) -> int:
        return sum(f.records for f in self.files)

    @property
    def variables(self) -> int:
        return sum(f.variables for f in self.files)


Progress = Callable[[float], None]
Stop = Callable[[], bool]


class _Clock:
    def __init__(self, spec: CutSpec, stop: Stop):
        self.deadline = time.monotonic() + spec.max_seconds
        self.max_seconds = spec.max_seconds
        self.stop = stop

    def check(self) -> None:
        if self.stop():
            raise CutStopped
        if time.monotonic() > self.deadline:
            raise CutLimit("time", self.max_seconds)


def cut_make(spec: CutSpec, workdir: Path, *, progress: Progress, stop: Stop) -> CutOutput:
    """Cut every source into `workdir`: the product ZIP and the sample ZIP. Raises CutStopped,
    CutLimit or catalog.masters.MasterUnreadable; the caller removes the folder either way."""
    clock = _Clock(spec, stop)
    data_dir, sample_dir = workdir / "data", workdir / "sample"
    data_dir.mkdir()
    sample_dir.mkdir()
    total = sum(source.records for source in spec.sources) or 1
    done = 0
    files: list[CutFile] = []
    samples: list[Path] = []
    budget = spec.max_output_bytes
    for index, source in enumerate(spec.sources):
        out_format = source.master_format if spec.whole else spec.out_format
        name = f"{spec.stem}-{source.file_id}.{EXTENSIONS[DataFormat(out_format)]}"
        writer = None if spec.whole else _writer(data_dir / name, out_format, source, budget)
        sample = _Sample(seed=(spec.sample_seed, index))
        preview: list[pd.DataFrame] = []
        kept = 0
        for chunk in master_chunks(source.path, fmt=source.master_format, columns=_read(source)):
            clock.check()
            done += len(chunk)
            if spec.regions is not None and source.region_column:
                chunk = chunk[region_mask(chunk[source.region_column], values=spec.regions)]
            chunk = chunk[list(source.columns)]
            sample.add(chunk, offset=kept)
            if kept < PREVIEW_ROWS:
                preview.append(chunk.head(PREVIEW_ROWS - kept))
            kept += len(chunk)
            if writer is not None:
                writer.add(chunk)
            progress(done / total)
        if writer is None:  # the master as it is
            shutil.copyfile(source.path, data_dir / name)
            size = (data_dir / name).stat().st_size
        else:
            size = writer.close()
        budget -= size
        if budget < 0:
            raise CutLimit("size", spec.max_output_bytes)
        files.append(
            CutFile(
                name=name,
                bytes=size,
                records=kept,
                variables=len(source.columns),
                preview_columns=list(source.columns),
                preview_rows=_preview_rows(preview),
            )
        )
        sample_path = sample_dir / f"sample-{name}"
        sample.write(sample_path, out_format, source)
        samples.append(sample_path)
    clock.check()
    readme = spec.readme(files)
    product = workdir / f"{spec.stem}.zip"
    _pack(product, [data_dir / f.name for f in files], spec, readme)
    sample_zip = workdir / f"{spec.stem}-sample.zip"
    _pack(sample_zip, samples, spec, readme)
    return CutOutput(product=product, sample=sample_zip, files=files)


def _read(source: CutSource) -> list[str]:
    """The columns read from the master: those delivered and the region column."""
    columns = list(source.columns)
    if source.region_column and source.region_column not in columns:
        columns.append(source.region_column)
    return columns


def _pack(target: Path, members: list[Path], spec: CutSpec, readme: str) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for member in members:
            archive.write(member, arcname=member.name)
        archive.writestr("README.txt", readme)
        archive.writestr("codebook.html", spec.codebook_html)


def _preview_rows(frames: list[pd.DataFrame]) -> list[list[str]]:
    if not frames:
        return []
    head = pd.concat(frames).head(PREVIEW_ROWS)
    return [[_shown(value) for value in row] for row in head.itertuples(index=False)]


def _shown(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- writers ------------------------------------------------------------------------------------


def _writer(path: Path, fmt: str, source: CutSource, budget: int):
    if fmt == DataFormat.CSV:
        return _CsvWriter(path, budget)
    return _LabelledWriter(path, fmt, source, budget)


class _CsvWriter:
    """Written as it comes: whole numbers without ".0", empty cells for missing values."""

    def __init__(self, path: Path, budget: int):
        self.handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.budget = budget
        self.header = True

    def add(self, frame: pd.DataFrame) -> None:
        frame.to_csv(self.handle, header=self.header, index=False, float_format="%.15g")
        self.header = False
        if self.handle.tell() > self.budget:
            self.handle.close()
            raise CutLimit("size", self.budget)

    def close(self) -> int:
        if self.header:  # no record: the header alone
            self.handle.write("")
        size = self.handle.tell()
        self.handle.close()
        return size


class _LabelledWriter:
    """SPSS and Stata, with variable and value labels, written once the records are in."""

    def __init__(self, path: Path, fmt: str, source: CutSource, budget: int):
        self.path, self.fmt, self.source, self.budget = path, fmt, source, budget
        self.frames: list[pd.DataFrame] = []
        self.held = 0

    def add(self, frame: pd.DataFrame) -> None:
        self.frames.append(frame)
        self.held += int(frame.memory_usage(deep=True).sum())
        if self.held > self.budget:
            raise CutLimit("size", self.budget)

    def close(self) -> int:
        empty = pd.DataFrame({c: pd.Series(dtype="object") for c in self.source.columns})
        frame = pd.concat(self.frames, ignore_index=True) if self.frames else empty
        self.frames = []
        labelled_write(frame, self.path, fmt=self.fmt, source=self.source)
        return self.path.stat().st_size


def labelled_write(frame: pd.DataFrame, path: Path, *, fmt: str, source: CutSource) -> None:
    """One SPSS or Stata file with the source's variable and value labels."""
    frame = frame.copy()
    for column in frame.columns:
        if source.numeric.get(column, pd.api.types.is_numeric_dtype(frame[column])):
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        else:
            frame[column] = frame[column].astype("object").where(frame[column].notna(), "")
            frame[column] = frame[column].astype(str)
    labels = {c: source.column_labels[c] for c in frame.columns if source.column_labels.get(c)}
    values = _value_labels(frame, source=source, fmt=fmt)
    if fmt == DataFormat.SAV:
        pyreadstat.write_sav(
            frame, str(path), column_labels=labels or None, variable_value_labels=values or None
        )
    else:
        pyreadstat.write_dta(
            frame, str(path), column_labels=labels or None, variable_value_labels=values or None
        )


def _value_labels(frame: pd.DataFrame, *, source: CutSource, fmt: str) -> dict[str, dict]:
    kept = {}
    for column in frame.columns:
        pairs = source.value_labels.get(column)
        if not pairs or not pd.api.types.is_numeric_dtype(frame[column]):
            continue  # labels of text values: SPSS and Stata label numbers
        numeric = {}
        for value, label in pairs.items():
            number = float(value) if not isinstance(value, str) else _number(value)
            if number is None:
                continue
            if fmt == DataFormat.DTA:
                if not number.is_integer():
                    continue
                numeric[int(number)] = str(label)[:32000]
            else:
                numeric[number] = str(label)[:120]
        if numeric:
            kept[column] = numeric
    return kept


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


# --- the sample ---------------------------------------------------------------------------------


class _Sample:
    """A seeded random sample of SAMPLE_RECORDS records, the same for the same seed, kept in
    the order of the data: each record gets a random key and the smallest keys stay."""

    def __init__(self, *, seed: tuple[int, int]):
        self.random = np.random.default_rng(list(seed))
        self.best: pd.DataFrame | None = None

    def add(self, frame: pd.DataFrame, *, offset: int) -> None:
        if frame.empty:
            return
        keyed = frame.assign(
            _key=self.random.random(len(frame)), _row=np.arange(offset, offset + len(frame))
        ).nsmallest(SAMPLE_RECORDS, "_key")
        both = keyed if self.best is None else pd.concat([self.best, keyed])
        self.best = both.nsmallest(SAMPLE_RECORDS, "_key")

    def write(self, path: Path, fmt: str, source: CutSource) -> None:
        if self.best is None:
            frame = pd.DataFrame({c: pd.Series(dtype="object") for c in source.columns})
        else:
            frame = self.best.sort_values("_row").drop(columns=["_key", "_row"])
        if fmt == DataFormat.CSV:
            frame.to_csv(path, index=False, float_format="%.15g")
        else:
            labelled_write(frame, path, fmt=fmt, source=source)
