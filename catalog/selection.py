"""What a customer chose on a product page (variables, regions, map areas), kept in the session
until the cart takes it."""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from django.db.models import BigIntegerField, ExpressionWrapper, F, OuterRef, Subquery, Sum

import silastik.lookups  # noqa: F401 (the `any` lookup: chosen ids as one array parameter)

from .models import DataFile, Dataset, DigitalMap, MapLevel, Region, RegionRecords, Variable

SESSION_KEY = "catalog_selection"


@dataclass(frozen=True)
class Selection:
    # Datasets: empty = the full set; otherwise the chosen variables.
    variables: frozenset[int] = field(default_factory=frozenset)
    # Datasets: limit to these regions (empty = whole coverage). Maps: the chosen areas.
    regions: tuple[str, ...] = ()
    # Datasets: the customer chose "selected variables" (possibly none yet).
    by_variable: bool = False
    # Publications: printed copies wanted (0: the PDF).
    copies: int = 0
    # Datasets: the file format wanted (catalog.models.DataFormat; empty: CSV).
    data_format: str = ""

    @property
    def is_full_set(self) -> bool:
        return not self.by_variable

    def as_session(self) -> dict:
        return {
            "variables": sorted(self.variables),
            "regions": list(self.regions),
            "by_variable": self.by_variable,
            "data_format": self.data_format,
        }

    @classmethod
    def from_session(cls, data: dict | None) -> "Selection":
        data = data or {}
        return cls(
            variables=frozenset(int(v) for v in data.get("variables", [])),
            # Each region once: a repeated code would be counted, and sold, twice.
            regions=tuple(sorted({str(r) for r in data.get("regions", [])})),
            by_variable=bool(data.get("by_variable")),
            data_format=str(data.get("data_format") or ""),
        )

    def with_format(self, posted: str | None) -> "Selection":
        """The choice with the file format a form posted (the service refuses an unknown one);
        unchanged when none was posted."""
        if posted is None:
            return self
        return replace(self, data_format=posted.strip()[:10] or "-")


def selection_get(*, session, product_id: int) -> Selection:
    return Selection.from_session(session.get(SESSION_KEY, {}).get(str(product_id)))


def selection_store(*, session, product_id: int, selection: Selection) -> None:
    stored = session.get(SESSION_KEY, {})
    stored[str(product_id)] = selection.as_session()
    session[SESSION_KEY] = stored


def estimate_selection_size(*, files: Sequence[tuple[int, int]]) -> int:
    """Size of chosen variables before the file is made: per data file, its records times the
    summed widths of the variables chosen from it (fixed-width records, as DDI describes them)."""
    return sum(records * width for records, width in files)


@dataclass(frozen=True)
class SizeEstimate:
    """The estimated size of a dataset as chosen, and which data files it could limit to the
    chosen regions."""

    size_bytes: int
    # Limited to regions (a selection without regions is the whole coverage by choice).
    regional: bool = False
    # Limited to regions: the files estimated for the chosen regions, and those estimated
    # whole because a chosen region has no record count in them.
    counted_files: tuple[str, ...] = ()
    uncounted_files: tuple[str, ...] = ()

    @property
    def covers_whole_dataset(self) -> bool:
        """Regions were chosen, but nothing could be limited to them (and there is something:
        chosen variables, or the full set)."""
        return self.regional and not self.counted_files and bool(self.size_bytes)

    @property
    def covers_some_files_whole(self) -> bool:
        return self.regional and bool(self.counted_files) and bool(self.uncounted_files)

    @property
    def no_records_in_regions(self) -> bool:
        """The chosen regions are counted, with no records: there is nothing to sell."""
        return self.regional and bool(self.counted_files) and not self.size_bytes


@dataclass(frozen=True)
class _File:
    pk: int
    name: str
    records: int
    length: int  # bytes per record: the codebook's record length, else the summed widths


def dataset_size_estimate(*, dataset: Dataset, selection: Selection) -> SizeEstimate:
    return selection_estimates(items=[(dataset, selection)])[0]


def selection_estimates(*, items: Sequence[tuple[Dataset, Selection]]) -> list[SizeEstimate]:
    """The estimated size of each (dataset, selection), in at most three queries however many
    items, variables and regions there are (none for full sets without regions).

    Without regions: the full set is its stored size; chosen variables are, per data file,
    its records × the summed widths of the variables chosen from it.

    Limited to regions, a file's records are the sum of the chosen regions' records in it
    (RegionRecords). Chosen variables: per file, those records × the summed widths. The full
    set: its stored size × the share of the file bytes that lie in the chosen regions, where a
    file's bytes are records × record length (the codebook's record length, else the summed
    widths of its variables): stored size × Σ regional records × length / Σ records × length,
    rounded up to a whole byte; when every region's counts add up to its file's records,
    choosing every region gives the stored size again. A file without a count for one of the
    chosen regions is counted whole (and named, so pages can say the estimate covers it whole).
    """
    regional = [dataset.pk for dataset, selection in items if selection.regions]
    files = _files_of(
        dataset_ids=[
            dataset.pk
            for dataset, selection in items
            if selection.regions and not selection.by_variable
        ]
    )
    counts = _region_counts(
        dataset_ids=regional,
        codes={code for _dataset, selection in items for code in selection.regions},
    )
    by_variable = [(d, s) for d, s in items if s.by_variable]
    if len({d.pk for d, _s in by_variable}) == len(by_variable):
        # One choice per dataset (the picker, a cart): the widths summed per file in SQL.
        chosen = _chosen_sums(
            dataset_ids={d.pk for d, _s in by_variable},
            variable_ids={pk for _d, s in by_variable for pk in s.variables},
        )
    else:  # the same dataset chosen twice, differently: each variable's own width
        chosen = _chosen_widths(variable_ids={pk for _d, s in by_variable for pk in s.variables})
    return [
        _estimate(dataset=dataset, selection=selection, files=files, counts=counts, chosen=chosen)
        for dataset, selection in items
    ]


def _files_of(*, dataset_ids: list[int]) -> dict[int, list[_File]]:
    if not dataset_ids:
        return {}
    rows = (
        DataFile.objects.filter(dataset_id__in=dataset_ids)
        .annotate(width=Sum("variables__width"))
        .order_by("dataset_id", "position", "pk")
        .values_list("dataset_id", "pk", "name", "records", "record_length", "width")
    )
    files: dict[int, list[_File]] = {}
    for dataset_id, pk, name, records, record_length, width in rows:
        files.setdefault(dataset_id, []).append(
            _File(pk=pk, name=name, records=records, length=record_length or width or 0)
        )
    return files


def _region_counts(*, dataset_ids: list[int], codes: set[str]) -> dict[int, dict[str, int]]:
    """Records per region code of each file."""
    if not dataset_ids:
        return {}
    rows = RegionRecords.objects.filter(
        file__dataset_id__in=dataset_ids, region_id__in=sorted(codes)
    ).values_list("file_id", "region_id", "records")
    counts: dict[int, dict[str, int]] = {}
    for file_id, code, records in rows:
        counts.setdefault(file_id, {})[code] = records
    return counts


@dataclass(frozen=True)
class _Chosen:
    dataset_id: int
    file: _File  # its length is the chosen variable's width
    file_position: int


def _chosen_widths(*, variable_ids: set[int]) -> dict[int, _Chosen]:
    """Each chosen variable with its dataset, its data file and its width."""
    if not variable_ids:
        return {}
    rows = Variable.objects.filter(pk__in=sorted(variable_ids)).values_list(
        "pk", "dataset_id", "file_id", "file__name", "file__records", "file__position", "width"
    )
    return {
        pk: _Chosen(
            dataset_id=dataset_id,
            file=_File(pk=file_id, name=name, records=records, length=width),
            file_position=position,
        )
        for pk, dataset_id, file_id, name, records, position, width in rows
    }


@dataclass(frozen=True)
class _ChosenFiles:
    """Per dataset, the files its chosen variables lie in, each with their summed widths as
    its length, in the files' order."""

    files: dict[int, list[_File]]


def _chosen_sums(*, dataset_ids: set[int], variable_ids: set[int]) -> _ChosenFiles:
    """One row per data file of the chosen variables (not one per variable), the ids sent as
    one array parameter: the answer does not grow with the choice, and the statement is the
    same whatever its length.

    Each file of the datasets sums the widths of its variables among the ids: its variables are
    read through the file's index and tested against the ids, which PostgreSQL hashes once (a
    long `= ANY`). 2.500 lookups of the primary key and a sort of the joined rows cost three
    times as much; `id + 0` keeps the planner off the primary key's index."""
    if not variable_ids:
        return _ChosenFiles(files={})
    widths = (
        Variable.objects.filter(file_id=OuterRef("pk"))
        .alias(chosen=ExpressionWrapper(F("pk") + 0, output_field=BigIntegerField()))
        .filter(chosen__any=frozenset(variable_ids))
        .order_by()
        .values("file_id")
        .annotate(width=Sum("width"))
        .values("width")
    )
    rows = (
        DataFile.objects.filter(dataset_id__in=sorted(dataset_ids))
        .annotate(width=Subquery(widths))
        .order_by("dataset_id", "position", "pk")
        .values_list("dataset_id", "pk", "name", "records", "width")
    )
    files: dict[int, list[_File]] = {}
    for dataset_id, pk, name, records, width in rows:
        if width is not None:  # a file none of the ids lies in
            files.setdefault(dataset_id, []).append(
                _File(pk=pk, name=name, records=records, length=width)
            )
    return _ChosenFiles(files=files)


def _chosen_files(
    *, dataset: Dataset, selection: Selection, chosen: "dict[int, _Chosen] | _ChosenFiles"
) -> list[_File]:
    """The files of the chosen variables, each with the summed widths as its length."""
    if isinstance(chosen, _ChosenFiles):
        return chosen.files.get(dataset.pk, [])
    widths: dict[int, int] = {}
    first: dict[int, _Chosen] = {}
    for pk in selection.variables:
        variable = chosen.get(pk)
        if variable is None or variable.dataset_id != dataset.pk:
            continue  # a stale id, or one of another dataset: not part of the choice
        widths[variable.file.pk] = widths.get(variable.file.pk, 0) + variable.file.length
        first.setdefault(variable.file.pk, variable)
    ordered = sorted(first.values(), key=lambda v: (v.file_position, v.file.pk))
    return [replace(v.file, length=widths[v.file.pk]) for v in ordered]


def _estimate(
    *,
    dataset: Dataset,
    selection: Selection,
    files: dict[int, list[_File]],
    counts: dict[int, dict[str, int]],
    chosen: "dict[int, _Chosen] | _ChosenFiles",
) -> SizeEstimate:
    in_files = (
        _chosen_files(dataset=dataset, selection=selection, chosen=chosen)
        if selection.by_variable
        else files.get(dataset.pk, [])
    )
    if not selection.regions:
        if selection.by_variable:
            return SizeEstimate(size_bytes=sum(f.records * f.length for f in in_files))
        return SizeEstimate(size_bytes=dataset.full_size_bytes)
    counted, uncounted, regional_bytes, all_bytes = [], [], 0, 0
    for data_file in in_files:
        if not data_file.records or not data_file.length:
            continue  # nothing of it is in the estimate either way
        in_regions = _regional_records(data_file, counts.get(data_file.pk, {}), selection)
        if in_regions is None:
            uncounted.append(data_file.name)
            in_regions = data_file.records
        else:
            counted.append(data_file.name)
        regional_bytes += in_regions * data_file.length
        all_bytes += data_file.records * data_file.length
    if selection.by_variable:
        size = regional_bytes
    elif all_bytes:  # the stored size × the regions' share, rounded up to a whole byte
        size = -(-dataset.full_size_bytes * regional_bytes // all_bytes)
    else:  # no file sizes to share the stored size by: the whole set
        size = dataset.full_size_bytes
    return SizeEstimate(
        size_bytes=size,
        regional=True,
        counted_files=tuple(counted),
        uncounted_files=tuple(uncounted),
    )


def _regional_records(data_file: _File, counts: dict[str, int], selection: Selection) -> int | None:
    """The file's records in the chosen regions; None when a chosen region has no count."""
    if any(code not in counts for code in selection.regions):
        return None
    # Counts above the file's records (a file re-imported smaller) cannot make it bigger.
    return min(sum(counts[code] for code in selection.regions), data_file.records)


def dataset_region_choices(dataset: Dataset):
    """Regions a dataset can be limited to: the areas one level below its coverage."""
    return dataset.region_choices()


def map_areas(digital_map: DigitalMap):
    """The areas of a regency map, one map each: its sub-districts or its villages."""
    if digital_map.level == MapLevel.SUBDISTRICT:
        return Region.objects.filter(parent_id=digital_map.region_id)
    return Region.objects.filter(parent__parent_id=digital_map.region_id)


def map_area_count(digital_map: DigitalMap) -> int:
    return 0 if digital_map.is_national else map_areas(digital_map).count()
