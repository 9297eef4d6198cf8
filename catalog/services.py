"""Everything that changes the catalog."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models.expressions import CombinedExpression

from .models import Category, Dataset, Product, RegionRecords, Tariff, Variable


def search_vector() -> CombinedExpression:
    config = settings.CATALOG_SEARCH_CONFIG
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("keywords", weight="B", config=config)
        + SearchVector("description", weight="C", config=config)
    )


def products_reindex(*, ids: Iterable[int] | None = None) -> int:
    """Refresh the full-text document of the given products (all when None) and their search
    terms (catalog.models.SearchTerm), in one UPDATE, one DELETE and one INSERT. On databases
    without full-text search the catalog searches with LIKE and this does nothing. Either way,
    cached searches are stale after it (catalog.search)."""
    from .search import catalog_changed  # the search module reads the selectors, not this

    transaction.on_commit(catalog_changed)
    if connection.vendor != "postgresql":
        return 0
    ids = None if ids is None else list(ids)
    products = Product.objects.all() if ids is None else Product.objects.filter(pk__in=ids)
    with transaction.atomic(savepoint=False):  # the document and its terms, or neither
        count = products.update(search_document=search_vector())
        terms_refresh(ids=ids)
    return count


def terms_refresh(*, ids: Iterable[int] | None = None) -> None:
    """The search terms of the given products (all when None) from their search documents:
    each lexeme with ts_rank's rank of the product for that lexeme alone
    (catalog_term_score, made by migration 0011)."""
    chosen, params = "", []
    if ids is not None:
        chosen, params = "WHERE p.id = ANY(%s::bigint[])", [list(ids)]
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute("DELETE FROM catalog_searchterm")
        else:
            cursor.execute(
                "DELETE FROM catalog_searchterm WHERE product_id = ANY(%s::bigint[])", params
            )
        cursor.execute(
            "INSERT INTO catalog_searchterm (product_id, lexeme, score) "  # noqa: S608 - no input
            "SELECT p.id, t.lexeme, catalog_term_score(t.weights) "
            f"FROM catalog_product p CROSS JOIN LATERAL unnest(p.search_document) AS t {chosen}",
            params,
        )


# PP 13/2024, read from a regional PST's public price list (docs/domain.md); not yet checked against
# the regulation's annex. Staff edit them in the back office.
DEFAULT_TARIFFS = {
    "publication_first": 50_000,
    "publication_next": 15_000,
    "microdata_first": 20_000,
    "microdata_next": 20,
    "processed_first": 22_000,
    "processed_next": 22,
    "map_regency_subdistrict": 30_000,
    "map_regency_village": 70_000,
    "map_national_subdistrict": 12_000_000,
    "map_national_village": 36_000_000,
}
DEFAULT_TARIFFS_FROM = date(2024, 1, 1)


def tariffs_seed_if_empty(**kwargs: object) -> int:
    """Seed the tariff table when it has no rows at all; never touches rows staff edited."""
    if Tariff.objects.exists():
        return 0
    Tariff.objects.bulk_create(
        Tariff(item=item, amount=amount, valid_from=DEFAULT_TARIFFS_FROM, regulation="PP 13/2024")
        for item, amount in DEFAULT_TARIFFS.items()
    )
    return len(DEFAULT_TARIFFS)


# --- Records per region -------------------------------------------------------------------------

# A region variable may carry a few value labels that are no region (missing, "outside").
REGION_VARIABLE_EXTRA_LABELS = 10
# At least this many regions (or all offered, when fewer) for a variable to be taken for one.
REGION_VARIABLE_MIN_REGIONS = 3


@dataclass(frozen=True)
class RegionRecordsImport:
    files: int  # data files whose counts were set from a region variable
    counts: int  # records-per-region rows written


@dataclass(frozen=True)
class _RegionVariable:
    file_id: int
    file_records: int
    counts: dict[str, int]
    variable_id: int = 0


def dataset_region_records_import(*, dataset: Dataset) -> RegionRecordsImport:
    """Set each data file's records per region from the frequencies of its region variable's
    value labels (as imported from the codebook).

    The region variable is the one staff named on the dataset (`region_variable`); otherwise,
    per file, the first variable whose every numeric value is a region the dataset can be
    limited to: the code in full (33, 3304060) or its part below the dataset's region (04 in a
    dataset of province 33, 060 in a dataset of regency 3304), as BPS files write R102 and
    R103. Values that are not numbers (missing values) are left out. A file's counts are
    replaced where its codebook gives some; the counts of other files stay as staff entered
    them. Counts for regions the dataset can no longer be limited to (its region changed) go.
    """
    offered = set(dataset.region_choices().values_list("code", flat=True))
    # Part of the caller's transaction (the codebook import) where there is one.
    with transaction.atomic(savepoint=False):
        RegionRecords.objects.filter(file__dataset=dataset).exclude(
            region_id__in=sorted(offered)
        ).delete()
        found = _region_variables(dataset=dataset, offered=offered)
        if not found:
            return RegionRecordsImport(files=0, counts=0)
        RegionRecords.objects.filter(file_id__in=[v.file_id for v in found]).delete()
        rows = [
            RegionRecords(file_id=variable.file_id, region_id=code, records=records)
            for variable in found
            for code, records in sorted(variable.counts.items())
            # A frequency above the file's records is a codebook at odds with itself.
            if records <= variable.file_records
        ]
        RegionRecords.objects.bulk_create(rows, batch_size=1000)
    return RegionRecordsImport(files=len(found), counts=len(rows))


def dataset_region_variables(*, dataset: Dataset) -> dict[int, str]:
    """Each data file's region variable, by file id: the one staff named on the dataset where
    the file has it, otherwise the one the codebook import recognises by its values (as for
    the records per region). A file without one cannot be limited to regions."""
    variables = Variable.objects.filter(dataset=dataset)
    if dataset.region_variable:
        named = variables.filter(name__iexact=dataset.region_variable.strip())
        return dict(named.values_list("file_id", "name"))
    offered = set(dataset.region_choices().values_list("code", flat=True))
    found = {v.variable_id: v.file_id for v in _region_variables(dataset=dataset, offered=offered)}
    names = variables.filter(pk__in=sorted(found)).values_list("pk", "name")
    return {found[pk]: name for pk, name in names}


def _region_variables(*, dataset: Dataset, offered: set[str]) -> list[_RegionVariable]:
    """The region variable of each data file that has one, with its frequencies by region."""
    if not offered:
        return []
    categories = Category.objects.filter(variable__dataset=dataset)
    named = bool(dataset.region_variable)
    if named:
        categories = categories.filter(variable__name__iexact=dataset.region_variable.strip())
    else:
        categories = categories.filter(
            variable__category_count__range=(1, len(offered) + REGION_VARIABLE_EXTRA_LABELS)
        )
    rows = categories.order_by("variable__position", "variable_id", "position").values_list(
        "variable_id", "variable__file__pk", "variable__file__records", "value", "frequency"
    )
    by_variable: dict[int, list[tuple[int, int, str, int | None]]] = {}
    for variable_id, file_id, file_records, value, frequency in rows:
        by_variable.setdefault(variable_id, []).append((file_id, file_records, value, frequency))
    found: dict[int, _RegionVariable] = {}
    for variable_id, values in by_variable.items():
        file_id, file_records = values[0][0], values[0][1]
        if file_id in found:
            continue  # the file's first region variable counts
        counts = _region_frequencies(
            values=[(value, frequency) for _f, _r, value, frequency in values],
            offered=offered,
            parent=dataset.region_id,
            named=named,
        )
        if counts and (named or _covers_regions(counts, offered=offered)):
            found[file_id] = _RegionVariable(file_id, file_records, counts, variable_id)
    return list(found.values())


def _covers_regions(counts: dict[str, int], *, offered: set[str]) -> bool:
    """Recognised without a name, a region variable must name several of the offered regions
    and at least a third of them: a small question (urban/rural 1-2, relation to the head 1-9)
    would otherwise read as the first regencies of a province (3301, 3302 …)."""
    return len(counts) >= min(REGION_VARIABLE_MIN_REGIONS, len(offered)) and (
        3 * len(counts) >= len(offered)
    )


def _region_frequencies(
    *, values: list[tuple[str, int | None]], offered: set[str], parent: str | None, named: bool
) -> dict[str, int] | None:
    """Records by region code, or None when this is no region variable: a numeric value that
    is no region offered (unless staff named the variable: then that value is left out)."""
    counts: dict[str, int] = {}
    for raw, frequency in values:
        value = raw.strip()
        if not value.isdigit():
            continue
        code = _region_code(value, offered=offered, parent=parent)
        if code is None:
            if named:
                continue
            return None
        if frequency is not None:
            counts[code] = counts.get(code, 0) + frequency
    return counts or None


def _region_code(value: str, *, offered: set[str], parent: str | None) -> str | None:
    if value in offered:
        return value
    if parent is None:
        return None
    local = len(next(iter(offered))) - len(parent)
    code = parent + value.zfill(local) if len(value) <= local else ""
    return code if code in offered else None
