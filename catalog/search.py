"""The catalog's search page in one pass over the matches, and its cache.

On PostgreSQL one statement reads the matching products once (a materialised CTE) and returns
both the page (ranked, sorted, limited) and the counts of every facet without a choice of its
own plus the total (GROUPING SETS with the empty set): no second scan for the paginator's
count, none for the facets. A facet the customer chose needs the matches without its own
choice, one more statement each (as the customer narrows the search, those match fewer rows).

What a search found (the total, the page's product ids, the facet counts) is kept in the shared
cache for CATALOG_SEARCH_CACHE_SECONDS under the catalog's generation, which any change of a
product moves on (catalog.signals), so a change shows at once and a repeated search costs one
cache read and one query for the page's products.
"""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from .models import Product
from .selectors import (
    FACET_COLUMNS,
    FACETS,
    CatalogQuery,
    catalog_search,
    chosen_facet_counts,
    facet_values,
    matching,
    text_rank,
)

GENERATION_KEY = "catalog:generation"


@dataclass(frozen=True)
class Found:
    total: int
    # The page's products, in the page's order.
    ids: tuple[int, ...]
    # Facet -> {value: count}, every facet.
    counts: dict[str, dict]


def catalog_generation() -> int:
    """Moved on by every change of a product: cached searches of older generations are not
    read again (and expire on their own)."""
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None) or 1


def catalog_changed() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (evicted, a fresh cache): any new value will do
        cache.set(GENERATION_KEY, 2, timeout=None)


def _key(query: CatalogQuery, *, offset: int, limit: int) -> str:
    parts = [
        " ".join(query.words),
        query.sort,
        ",".join(sorted(query.kind)),
        ",".join(sorted(query.subject)),
        ",".join(str(y) for y in sorted(query.year)),
        ",".join(sorted(query.region)),
        ",".join(sorted(query.office)),
        str(offset),
        str(limit),
    ]
    digest = hashlib.blake2b("|".join(parts).encode(), digest_size=16).hexdigest()
    return f"catalog:search:{catalog_generation()}:{digest}"


def catalog_find(query: CatalogQuery, *, offset: int, limit: int) -> Found:
    """The page at `offset` of a search, its total and its facet counts: from the cache, or
    found and cached."""
    seconds = settings.CATALOG_SEARCH_CACHE_SECONDS
    key = _key(query, offset=offset, limit=limit) if seconds else ""
    if key and (found := cache.get(key)) is not None:
        return found
    found = _find(query, offset=offset, limit=limit)
    if key:
        cache.set(key, found, timeout=seconds)
    return found


def _find(query: CatalogQuery, *, offset: int, limit: int) -> Found:
    free = [f for f in FACETS if not getattr(query, f)]
    if connection.vendor != "postgresql":
        products = catalog_search(query)
        counts = chosen_facet_counts(query, facets=list(FACETS))
        ids = tuple(products.values_list("pk", flat=True)[offset : offset + limit])
        return Found(total=products.count(), ids=ids, counts=counts)
    if query.words:
        total, ids, counts = _one_pass(query, free=free, offset=offset, limit=limit)
    else:
        # No words: the page comes from the index of the order asked for (a few rows read),
        # the counts and the total from one scan of the facets' index.
        ids = tuple(catalog_search(query).values_list("pk", flat=True)[offset : offset + limit])
        total, counts = _counted(query, free=free)
    counts.update(chosen_facet_counts(query, facets=[f for f in FACETS if f not in free]))
    return Found(total=total, ids=ids, counts=counts)


ORDERS = {
    "relevance": "rank DESC, year DESC NULLS LAST, title, pk",
    "newest": "year DESC NULLS LAST, title, pk",
    "oldest": "year ASC NULLS LAST, title, pk",
    "title": "title, pk",
}


def _one_pass(
    query: CatalogQuery, *, free: list[str], offset: int, limit: int
) -> tuple[int, tuple[int, ...], dict[str, dict]]:
    columns = list(FACET_COLUMNS.values())
    products = matching(query).values("pk", "title", *columns).order_by()
    sort = query.sort if query.words or query.sort != "relevance" else "newest"
    if sort == "relevance":
        products = products.annotate(rank=text_rank(query.words))
    else:
        sort = sort if sort in ORDERS else "newest"
    inner, params = products.query.sql_with_params()
    free_columns = [FACET_COLUMNS[f] for f in free]
    sets = ", ".join([*(f"({c})" for c in free_columns), "()"])
    flags = ", ".join(f"GROUPING({c})" for c in free_columns) or "0"
    keys = ", ".join(free_columns) or "NULL"
    # Column names of the values() query: its aliases ("pk" for the primary key).
    sql = (
        f"WITH m AS MATERIALIZED ({inner}), "  # noqa: S608 - columns from the model, values bound
        f"f AS (SELECT {keys}, {flags}, COUNT(*) AS n FROM m GROUP BY GROUPING SETS ({sets})), "
        f"p AS (SELECT pk FROM m ORDER BY {ORDERS[sort]} LIMIT %s OFFSET %s) "
        f"SELECT 0, NULL, f.* FROM f UNION ALL "
        f"SELECT 1, p.pk{', NULL' * (2 * max(len(free_columns), 1) + 1)} FROM p"
    )
    ids: list[int] = []
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        for row in cursor.fetchall():
            if row[0] == 1:
                ids.append(row[1])
            else:
                rows.append(row[2:] if free_columns else (row[-1],))
    total, counts = _read_counts(rows, free=free)
    return total, tuple(ids), counts


def _counted(query: CatalogQuery, *, free: list[str]) -> tuple[int, dict[str, dict]]:
    """The total and the counts of the facets without a choice, in one GROUPING SETS pass."""
    columns = [FACET_COLUMNS[f] for f in free]
    inner, params = matching(query).values("pk", *columns).order_by().query.sql_with_params()
    sets = ", ".join([*(f"({c})" for c in columns), "()"])
    flags = ", ".join(f"GROUPING({c})" for c in columns) or "0"
    keys = ", ".join(columns) or "NULL"
    sql = (
        f"SELECT {keys}, {flags}, COUNT(*) FROM ({inner}) AS m "  # noqa: S608 - model columns
        f"GROUP BY GROUPING SETS ({sets})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _read_counts(cursor.fetchall(), free=free)


def _read_counts(rows, *, free: list[str]) -> tuple[int, dict[str, dict]]:
    """Rows of (facet values…, GROUPING flags…, count): the empty set's row is the total."""
    width = len(free)
    total, counts = 0, {f: {} for f in free}
    for row in rows:
        values, grouped, n = row[:width], row[width:-1], row[-1]
        if not width or all(grouped):
            total = n
            continue
        index = list(grouped).index(0)  # GROUPING(c) is 0 for the column grouped by
        if values[index] is not None:
            counts[free[index]][values[index]] = n
    return total, counts


def products_of(ids: tuple[int, ...]) -> list[Product]:
    """The page's products with what the list shows of them, in the page's order."""
    found = Product.objects.filter(pk__in=ids).select_related(
        "publication", "dataset", "digitalmap", "subject", "region", "office"
    )
    by_id = {p.pk: p for p in found.defer("search_document")}
    return [by_id[pk] for pk in ids if pk in by_id]


def facets_shown(query: CatalogQuery, found: Found, *, language: str) -> dict:
    """The facets with their labels in `language`, cached beside the search they belong to."""
    seconds = settings.CATALOG_SEARCH_CACHE_SECONDS
    key = f"{_key(query, offset=0, limit=0)}:facets:{language}" if seconds else ""
    if key and (shown := cache.get(key)) is not None:
        return shown
    shown = facet_values(query, found.counts, language)
    if key:
        cache.set(key, shown, timeout=seconds)
    return shown


def fragment_key(path: str, *, language: str) -> str:
    """The rendered results and facets of one address, the same for every visitor: kept under
    the catalog's generation like the search itself."""
    digest = hashlib.blake2b(path.encode(), digest_size=16).hexdigest()
    return f"{catalog_generation()}:{language}:{digest}"


# --- whole pages for visitors who are not logged in ------------------------------------------

CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_MARK = "\x00csrf\x00"


def anonymous_page_key(request: HttpRequest) -> str:
    """The cache key of a catalog page as a visitor who is not logged in sees it: the same for
    everyone asking this address in this language (no account, no messages waiting); empty
    when the page is someone's own."""
    seconds = settings.CATALOG_SEARCH_CACHE_SECONDS
    if not seconds or request.user.is_authenticated or "messages" in request.COOKIES:
        return ""
    if settings.SESSION_COOKIE_NAME in request.COOKIES and "_messages" in request.session:
        return ""  # a message kept in the session for this visitor's next page
    digest = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
    return f"catalog:page:{catalog_generation()}:{get_language()}:{digest}"


def anonymous_page_get(request: HttpRequest, key: str) -> HttpResponse | None:
    """The kept page, with this visitor's own CSRF token in its forms."""
    html = cache.get(key) if key else None
    if html is None:
        return None
    return HttpResponse(html.replace(CSRF_MARK, get_token(request)))


def anonymous_page_keep(key: str, response: HttpResponse) -> None:
    if not key or response.status_code != 200:
        return
    html = CSRF_FIELD.sub(rf"\g<1>{CSRF_MARK}\g<2>", response.content.decode())
    cache.set(key, html, timeout=settings.CATALOG_SEARCH_CACHE_SECONDS)
