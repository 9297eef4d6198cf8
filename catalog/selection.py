"""What a customer chose on a product page (variables, regions, map areas), kept in the session
until the cart takes it."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Sum

from .models import Dataset, DigitalMap, MapLevel, Region, RegionLevel, Variable

SESSION_KEY = "catalog_selection"


@dataclass(frozen=True)
class Selection:
    # Datasets: empty = the full set; otherwise the chosen variables.
    variables: frozenset[int] = field(default_factory=frozenset)
    # Datasets: limit to these regions (empty = whole coverage). Maps: the chosen areas.
    regions: tuple[str, ...] = ()
    # Datasets: the customer chose "selected variables" (possibly none yet).
    by_variable: bool = False

    @property
    def is_full_set(self) -> bool:
        return not self.by_variable

    def as_session(self) -> dict:
        return {
            "variables": sorted(self.variables),
            "regions": list(self.regions),
            "by_variable": self.by_variable,
        }

    @classmethod
    def from_session(cls, data: dict | None) -> "Selection":
        data = data or {}
        return cls(
            variables=frozenset(int(v) for v in data.get("variables", [])),
            regions=tuple(str(r) for r in data.get("regions", [])),
            by_variable=bool(data.get("by_variable")),
        )


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


def dataset_selection_size(*, dataset: Dataset, variable_ids: frozenset[int]) -> int:
    """Estimated bytes of the chosen variables (one query)."""
    per_file = (
        Variable.objects.filter(dataset=dataset, pk__in=variable_ids)
        .values("file_id", "file__records")
        .annotate(width=Sum("width"))
        .values_list("file__records", "width")
    )
    return estimate_selection_size(files=list(per_file))


def dataset_region_choices(dataset: Dataset):
    """Regions a dataset can be limited to: the areas one level below its coverage."""
    if dataset.region_id is None:
        return Region.objects.filter(level=RegionLevel.PROVINCE)
    return Region.objects.filter(parent_id=dataset.region_id)


def map_areas(digital_map: DigitalMap):
    """The areas of a regency map, one map each: its sub-districts or its villages."""
    if digital_map.level == MapLevel.SUBDISTRICT:
        return Region.objects.filter(parent_id=digital_map.region_id)
    return Region.objects.filter(parent__parent_id=digital_map.region_id)


def map_area_count(digital_map: DigitalMap) -> int:
    return 0 if digital_map.is_national else map_areas(digital_map).count()
