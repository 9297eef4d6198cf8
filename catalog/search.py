"""The catalog's search page: its matches read once, counted and ordered in memory, and its
cache.

A search of one word reads the word's search terms (catalog.models.SearchTerm) from their index
alone; a search of several words reads the search document's GIN index, whose bitmaps intersect
before any row is read. Either way one statement returns the ids of every published match with
its ts_rank, as binary numbers. The total, the facet counts and the page's order come from the
published catalog's facet columns held in memory (catalog.columns), not from the database:
counting 24.000 matches per facet there costs less than a millisecond, where GROUPING SETS over
them cost 10–20 ms and over the whole catalog (a listing without words) 70–120 ms. A listing
without words reads only its page, from the index of the order asked for.

What a search found (the total, the page's product ids, the facet counts) is kept in the shared
cache for CATALOG_SEARCH_CACHE_SECONDS under the catalog's generation, which any change of a
product, a subject or an office moves on (catalog.apps), so a change shows at once and a
repeated search costs one cache read and one query for the page's products.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connections, router
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from silastik.background import enqueue

from .columns import facet_columns
from .models import Product
from .selectors import (
    CatalogQuery,
    catalog_search,
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
    read again (and expire on their own), and the facet columns a process holds are read
    again. A fresh cache starts at a random generation, never one a process may still hold
    columns of."""
    return cache.get_or_set(GENERATION_KEY, _fresh, timeout=None) or _fresh()


def _fresh() -> int:
    return secrets.randbits(52)


def catalog_changed() -> None:
    try:
        generation = cache.incr(GENERATION_KEY)
    except ValueError:  # not there (evicted, a fresh cache): any new value will do
        generation = _fresh()
        cache.set(GENERATION_KEY, generation, timeout=None)
    # The worker reads the new generation's facet columns now, not the next search; with the
    # broker away the next search reads them itself.
    from .tasks import facet_columns_read

    enqueue(facet_columns_read, generation)


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
    columns = facet_columns(catalog_generation())
    if not query.words:
        # The page comes from the index of the order asked for (a few rows read).
        ids = tuple(catalog_search(query).values_list("pk", flat=True)[offset : offset + limit])
        every, counts = columns.tally(query)
        return Found(total=int(every.sum()), ids=ids, counts=counts)
    matched, rank = columns.matched(*_words_found(query))
    every, counts = columns.tally(query, matched=matched)
    ids = columns.page(every, rank=rank, sort=query.sort, offset=offset, limit=limit)
    return Found(total=int(every.sum()), ids=ids, counts=counts)


def _words_found(query: CatalogQuery) -> tuple[np.ndarray, np.ndarray]:
    """The published products the words match, whatever the facets chosen, each with its rank
    (an id may come more than once: its ranks add up). On PostgreSQL the rank is ts_rank's:
    one word is read from its search terms' index (catalog.models.SearchTerm), several from
    the search document's GIN index, whose bitmaps intersect before any row is read. Elsewhere
    every word is a LIKE and the rank is 0 (the page is then the newest first)."""
    words_only = CatalogQuery(q=query.q, words=query.words)
    alias = router.db_for_read(Product)
    if connections[alias].vendor != "postgresql":
        found = list(matching(words_only).using(alias).values_list("pk", flat=True))
        return np.asarray(found, dtype=np.int64), np.zeros(len(found))
    with connections[alias].cursor() as cursor:
        if len(query.words) == 1:
            cursor.execute(
                "SELECT tsvector_to_array(to_tsvector(%s::regconfig, %s))",
                [settings.CATALOG_SEARCH_CONFIG, query.words[0]],
            )
            lexemes = cursor.fetchone()[0]
            if len(lexemes) == 1:  # the word as a prefix (selectors._text_query)
                cursor.execute(
                    "SELECT string_agg(int8send(product_id), ''), "
                    "string_agg(float8send(score), '') "
                    "FROM catalog_searchterm WHERE lexeme LIKE %s",
                    [LIKE_SPECIAL.sub(r"\\\g<0>", lexemes[0]) + "%"],
                )
                return _arrays(cursor.fetchone())
        inner, params = (
            matching(words_only)
            .annotate(rank=text_rank(query.words))
            .values("pk", "rank")
            .order_by()
            .query.sql_with_params()
        )
        cursor.execute(
            "SELECT string_agg(int8send(pk), ''), "  # noqa: S608
            f"string_agg(float8send(rank::float8), '') FROM ({inner}) AS m",
            params,
        )
        return _arrays(cursor.fetchone())


LIKE_SPECIAL = re.compile(r"[\\%_]")


def _arrays(row: tuple[bytes | None, bytes | None]) -> tuple[np.ndarray, np.ndarray]:
    """Ids and ranks sent as the database's binary numbers, one string each: read as arrays
    at once, not parsed from text or made into one Python object per match (25.000 of them
    for a common word)."""
    ids, ranks = row
    if not ids or not ranks:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return (
        np.frombuffer(ids, dtype=">i8").astype(np.int64),
        np.frombuffer(ranks, dtype=">f8").astype(np.float64),
    )


def products_of(ids: tuple[int, ...]) -> list[Product]:
    """The page's products with what the list shows of them, in the page's order."""
    # What the list shows (templates/catalog/_results.html) and prices (catalog.pricing's
    # list_price reads the publication, dataset or map); no sort, the ids give the order.
    found = (
        Product.objects.filter(pk__in=ids, is_published=True)
        .select_related("publication", "dataset", "digitalmap", "subject", "region")
        .defer("search_document")
        .order_by()
    )
    by_id = {p.pk: p for p in found}
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
