"""The published catalog's facet columns, held in memory to count a search's matches per value.

PostgreSQL counts a facet by passing every matching row through its executor: over 200.000
published products the catalog's counts cost 70–120 ms however the grouping is written. Held
as arrays, one small integer per product and facet (about 5 MB at 200.000 products), the same
counts are a numpy bincount each, well under a millisecond.

The arrays are read once per process and catalog generation (catalog.search moves it on after
the commit of any change of a product), like the cached searches: a change shows at the next
search. Reading them costs one query of the published products' facet columns.
"""

import threading
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db import connections, router

from .models import Product
from .selectors import FACETS, CatalogQuery

NONE = -1  # a product without a value in a facet (no subject, no year, nationwide)


@dataclass(frozen=True)
class FacetColumns:
    generation: int
    # The published products' ids, ascending.
    ids: np.ndarray
    # Facet -> per product, the index of its value in `values[facet]` (NONE: no value).
    codes: dict[str, np.ndarray]
    # Facet -> its distinct values as the counts name them (catalog.search.Found): the kind,
    # the subject's id, the year, the region's code, the office's id.
    values: dict[str, list]
    # Customers choose subjects by slug and offices by code: what those are counted by.
    subject_ids: dict[str, int]
    office_ids: dict[str, int]
    # For the order of a page of words: the year (NONE: none) and the place in the order by
    # title, then id (the database's collation, as catalog.selectors orders).
    years: np.ndarray
    title_order: np.ndarray

    def matched(self, ids: np.ndarray, ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The mask of the products found by words, and each product's rank (the ranks of an id
        found more than once add up). An id not held here (a product unpublished, or
        published after these columns were read) is left out."""
        size = len(self.ids)
        if not len(ids) or not size:
            return np.zeros(size, dtype=bool), np.zeros(size)
        at = np.searchsorted(self.ids, ids).clip(max=size - 1)
        held = self.ids[at] == ids
        # Added up, then rounded to single precision, as ts_rank adds a prefix's lexemes.
        rank = np.bincount(at[held], weights=ranks[held], minlength=size).astype(np.float32)
        mask = np.bincount(at[held], minlength=size) > 0
        return mask, rank

    def page(
        self, mask: np.ndarray, *, rank: np.ndarray, sort: str, offset: int, limit: int
    ) -> tuple[int, ...]:
        """The ids of a page of the masked products in the order of `sort`, as
        catalog.selectors.catalog_search orders: relevance is the rank, then the newest, then
        the title; a product without a year comes last either way."""
        at = np.flatnonzero(mask)
        keys = self._keys(at, rank=rank, sort=sort)
        if len(at) > offset + limit > 0:  # only what can reach the page: its edge and ties
            edge = np.partition(keys[-1], offset + limit - 1)[offset + limit - 1]
            reach = keys[-1] <= edge
            at, keys = at[reach], [key[reach] for key in keys]
        order = np.lexsort(keys)[offset : offset + limit]
        return tuple(int(pk) for pk in self.ids[at[order]])

    def _keys(self, at: np.ndarray, *, rank: np.ndarray, sort: str) -> list[np.ndarray]:
        """The sort keys of the products at `at`, ascending, the first last (np.lexsort)."""
        years = self.years[at]
        late = np.iinfo(np.int32).max  # no year: after every year, newest or oldest first
        keys = [self.title_order[at]]
        if sort in ("relevance", "newest"):
            keys.append(np.where(years == NONE, late, -years))
        elif sort == "oldest":
            keys.append(np.where(years == NONE, late, years))
        if sort == "relevance":
            keys.append(-rank[at])
        return keys

    def _chosen(self, query: CatalogQuery, facet: str) -> list:
        """The values chosen in a facet, as the columns hold them (unknown ones dropped)."""
        picked = getattr(query, facet)
        if facet == "subject":
            return [self.subject_ids[s] for s in picked if s in self.subject_ids]
        if facet == "office":
            return [self.office_ids[o] for o in picked if o in self.office_ids]
        return list(picked)

    def _within(self, query: CatalogQuery, facet: str) -> np.ndarray:
        index = {value: i for i, value in enumerate(self.values[facet])}
        wanted = [index[v] for v in self._chosen(query, facet) if v in index]
        return np.isin(self.codes[facet], np.asarray(wanted, dtype=np.int32))

    def tally(
        self, query: CatalogQuery, *, matched: np.ndarray | None = None
    ) -> tuple[np.ndarray, dict[str, dict]]:
        """The mask of the query's matches and every facet's counts: a chosen facet is counted
        over the matches of the other facets' choices, so its other values stay in view.
        `matched`: the products the words found (None: no words, every published product)."""
        base = np.ones(len(self.ids), dtype=bool) if matched is None else matched
        within = {f: self._within(query, f) for f in FACETS if getattr(query, f)}
        every = base.copy()
        for mask in within.values():
            every &= mask
        counts = {}
        every_at = np.flatnonzero(every)
        for facet in FACETS:
            at = every_at
            if facet in within:  # the matches of every other choice
                mask = base.copy()
                for other, other_mask in within.items():
                    if other != facet:
                        mask &= other_mask
                at = np.flatnonzero(mask)
            counts[facet] = self._count(facet, at)
        return every, counts

    def _count(self, facet: str, at: np.ndarray) -> dict:
        values = self.values[facet]
        per_value = np.bincount(self.codes[facet][at] + 1, minlength=len(values) + 1)[1:]
        return {values[i]: int(per_value[i]) for i in np.flatnonzero(per_value)}


_held: FacetColumns | None = None
_lock = threading.Lock()
# Kept in the shared cache too, under one key whatever the generation (so one copy at most):
# one process reads them per generation, the others fetch and unpickle them (7 MB at 200.000
# products, tens of milliseconds) instead of reading the table again.
CACHE_KEY = "catalog:columns"
CACHE_SECONDS = 3600


def facet_columns(generation: int) -> FacetColumns:
    """The columns of this catalog generation: those held by the process, those another
    process read, or read again."""
    global _held
    held = _held
    if held is not None and held.generation == generation:
        return held
    with _lock:
        if _held is None or _held.generation != generation:
            shared = cache.get(CACHE_KEY)
            if shared is None or shared.generation != generation:
                shared = columns_share(generation)
            _held = shared
        return _held


def columns_share(generation: int) -> FacetColumns:
    """Read the columns and keep them in the shared cache for every process; the worker does
    it after each change (catalog.tasks), so that searches seldom wait for it."""
    columns = _read(generation)
    cache.set(CACHE_KEY, columns, timeout=CACHE_SECONDS)
    return columns


# Each facet's column with a stand-in for "no value", so every column reads as numbers or text.
READ = {
    "kind": "kind",
    "subject": "COALESCE(subject_id, -1)",
    "year": "COALESCE(year, -1)",
    "region": "COALESCE(region_id, '')",
    "office": "office_id",
}
MISSING = {"subject": -1, "year": -1, "region": ""}


def _read(generation: int) -> FacetColumns:
    from offices.models import Office

    from .models import Subject

    # From the primary, even with a read replica: columns read from a replica a moment behind
    # would be kept as this generation's until the next change.
    alias = router.db_for_write(Product)
    table = Product._meta.db_table
    with connections[alias].cursor() as cursor:
        # One statement, so one snapshot; in the database's order by title (its collation),
        # which the catalog's order by title follows.
        cursor.execute(
            f"SELECT id, {', '.join(READ[f] for f in FACETS)} FROM {table} "  # noqa: S608
            "WHERE is_published ORDER BY title, id"  # the model's own names, nothing sent
        )
        rows = cursor.fetchall()
    read = list(zip(*rows, strict=True)) if rows else [()] * (1 + len(FACETS))
    by_title = np.array(read[0], dtype=np.int64)
    by_id = np.argsort(by_title, kind="stable")  # each product's place in the order by title
    ids = by_title[by_id]
    title_order = by_id.astype(np.int32)
    codes, values = {}, {}
    for facet, column in zip(FACETS, read[1:], strict=True):
        distinct, code = np.unique(np.array(column), return_inverse=True)
        distinct = distinct.tolist()
        code = code.astype(np.int32).reshape(-1)[by_id]
        if facet in MISSING and MISSING[facet] in distinct:
            missing = distinct.index(MISSING[facet])
            code = np.where(code == missing, NONE, code - (code > missing))
            del distinct[missing]
        codes[facet], values[facet] = code, distinct
    year = codes["year"]
    return FacetColumns(
        generation=generation,
        ids=ids,
        codes=codes,
        values=values,
        subject_ids=dict(Subject.objects.using(alias).values_list("slug", "pk")),
        office_ids=dict(Office.objects.using(alias).values_list("code", "pk")),
        years=np.where(year == NONE, NONE, np.asarray(values["year"] or [0], np.int32)[year]),
        title_order=title_order,
    )
