"""Reading the catalog for pages: search, facets, codebooks."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from offices.models import Office
from silastik.text import place_name

from .models import Product, ProductKind, Region, RegionLevel, Subject, Variable

SORTS = ("relevance", "newest", "oldest", "title")
FACETS = ("kind", "subject", "year", "region", "office")
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class CatalogQuery:
    q: str = ""
    kind: tuple[str, ...] = ()
    subject: tuple[str, ...] = ()
    year: tuple[int, ...] = ()
    region: tuple[str, ...] = ()
    office: tuple[str, ...] = ()
    sort: str = "relevance"
    words: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_querydict(cls, params: QueryDict) -> "CatalogQuery":
        q = params.get("q", "").strip()[:200]
        sort = params.get("sort", "")
        # Each value once (a value sent twice is one choice), and only what could name one:
        # anything else (a NUL byte, which PostgreSQL refuses) is dropped, as an unknown kind is.
        return cls(
            q=q,
            kind=_once(k for k in params.getlist("kind") if k in ProductKind.values),
            subject=_once(s for s in params.getlist("subject") if SLUG.fullmatch(s)),
            year=_once(int(y) for y in params.getlist("year") if YEAR.fullmatch(y)),
            region=_once(r for r in params.getlist("region") if r.isascii() and r.isdigit()),
            office=_once(o for o in params.getlist("office") if OFFICE_CODE.fullmatch(o)),
            sort=sort if sort in SORTS else ("relevance" if q else "newest"),
            words=tuple(w.lower() for w in WORD.findall(q))[:10],
        )

    def without(self, facet: str) -> "CatalogQuery":
        return CatalogQuery(**{**self.__dict__, facet: ()})

    @property
    def chosen(self) -> int:
        """How many facet values are chosen: the phone's Filters button says so."""
        return sum(len(getattr(self, facet)) for facet in FACETS)


SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")
YEAR = re.compile(r"[1-9][0-9]{3}")
OFFICE_CODE = re.compile(r"[0-9]{4}")
# Values of one facet an address may choose.
CHOSEN_MAX = 20


def _once(values: Iterable) -> tuple:
    return tuple(dict.fromkeys(values))[:CHOSEN_MAX]


def _filters(query: CatalogQuery) -> Q:
    condition = Q(is_published=True)
    if query.kind:
        condition &= Q(kind__in=query.kind)
    if query.subject:
        condition &= Q(subject__slug__in=query.subject)
    if query.year:
        condition &= Q(year__in=query.year)
    if query.region:
        condition &= Q(region__code__in=query.region)
    if query.office:
        condition &= Q(office__code__in=query.office)
    return condition


def _text_query(words: tuple[str, ...]) -> SearchQuery:
    # Every word must match; the last one as a prefix, so results follow the typing.
    terms = [*words[:-1], f"{words[-1]}:*"]
    return SearchQuery(" & ".join(terms), search_type="raw", config=settings.CATALOG_SEARCH_CONFIG)


def matching(query: CatalogQuery) -> QuerySet[Product]:
    products = Product.objects.filter(_filters(query))
    if not query.words:
        return products
    if connection.vendor == "postgresql":
        return products.filter(search_document=_text_query(query.words))
    for word in query.words:  # SQLite: no full-text index, a plain LIKE per word
        products = products.filter(
            Q(title__icontains=word) | Q(keywords__icontains=word) | Q(description__icontains=word)
        )
    return products


def text_rank(words: tuple[str, ...]) -> SearchRank:
    return SearchRank(F("search_document"), _text_query(words))


def catalog_search(query: CatalogQuery) -> QuerySet[Product]:
    products = (
        matching(query)
        .select_related("publication", "dataset", "digitalmap", "subject", "region", "office")
        # The tsvector is large and only the database needs it.
        .defer("search_document")
    )
    if query.sort == "relevance" and query.words and connection.vendor == "postgresql":
        return products.annotate(rank=text_rank(query.words)).order_by(
            "-rank", F("year").desc(nulls_last=True), "title", "pk"
        )
    if query.sort == "oldest":
        return products.order_by(F("year").asc(nulls_last=True), "title", "pk")
    if query.sort == "title":
        return products.order_by("title", "pk")
    return products.order_by(F("year").desc(nulls_last=True), "title", "pk")


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


FACET_COLUMNS = {
    "kind": "kind",
    "subject": "subject_id",
    "year": "year",
    "region": "region_id",
    "office": "office_id",
}


# Values a facet shows (templates/catalog/_facet.html), beside those chosen: with 550 offices
# and hundreds of regions, only the largest are labelled.
FACET_SHOWN = 15


def _largest(counts: dict, chosen: set) -> dict:
    """The FACET_SHOWN largest values and every chosen one. Values tied at the edge are all
    kept, so the order by count, then label, is the same as over every value."""
    if len(counts) <= FACET_SHOWN:
        return counts
    edge = sorted(counts.values(), reverse=True)[FACET_SHOWN - 1]
    return {v: n for v, n in counts.items() if n >= edge or v in chosen}


def facet_values(query: CatalogQuery, counts: dict[str, dict], language: str) -> dict:
    """Each facet's values to show with their counts, largest first (years newest first): at
    most FACET_SHOWN of them, and every chosen one besides, even one the search finds nothing
    of or no longer in the catalog (counted 0), so a choice can always be taken back."""
    # Subjects are a short national list; regions and offices run into hundreds: only the
    # largest and the chosen ones are labelled (offices are chosen by code, counted by id).
    region_counts = _largest(counts["region"], set(query.region))
    largest_offices = _largest(counts["office"], set())
    kinds = dict(ProductKind.choices)
    subjects = {
        s.pk: s
        for s in Subject.objects.filter(Q(pk__in=counts["subject"]) | Q(slug__in=query.subject))
    }
    levels = dict(RegionLevel.choices)
    # Sub-districts often share their regency's name: the level tells them apart.
    offices = {
        pk: (code, name)
        for pk, code, name in Office.objects.filter(
            Q(pk__in=largest_offices) | Q(code__in=query.office)
        ).values_list("pk", "code", "name")
    }
    regions = {
        code: f"{place_name(name)} · {levels[level]}"
        for code, name, level in Region.objects.filter(
            pk__in=[*region_counts, *query.region]
        ).values_list("code", "name", "level")
    }
    subject_values = [
        FacetValue(s.slug, s.display_name(language), counts["subject"].get(pk, 0), chosen)
        for pk, s in subjects.items()
        if (chosen := s.slug in query.subject) or pk in counts["subject"]
    ]
    office_values = [
        FacetValue(code, name, counts["office"].get(pk, 0), chosen)
        for pk, (code, name) in offices.items()
        if (chosen := code in query.office) or pk in counts["office"]
    ]
    years = {**dict.fromkeys(query.year, 0), **counts["year"]}
    return {
        "kind": _shown(
            FacetValue(k, str(kinds[k]), n, k in query.kind)
            for k, n in sorted({**dict.fromkeys(query.kind, 0), **counts["kind"]}.items())
        ),
        "subject": _shown(_ranked(subject_values), chosen_unknown=query.subject),
        "year": _shown(
            FacetValue(str(y), str(y), n, y in query.year)
            for y, n in sorted(years.items(), reverse=True)
        ),
        "region": _shown(
            _ranked(
                FacetValue(code, regions[code], n, code in query.region)
                for code, n in {**dict.fromkeys(query.region, 0), **region_counts}.items()
                if code in regions
            ),
            chosen_unknown=query.region,
        ),
        "office": _shown(_ranked(office_values), chosen_unknown=query.office),
    }


def _ranked(values: Iterable[FacetValue]) -> list[FacetValue]:
    return sorted(values, key=lambda v: (-v.count, v.label))


def _shown(values: Iterable[FacetValue], *, chosen_unknown: Iterable[str] = ()) -> list[FacetValue]:
    """The first FACET_SHOWN values, then every chosen one below them; then chosen values the
    catalog does not know (a renamed subject, an office's code mistyped in an address), by
    their value, so they can be unchecked too."""
    values = list(values)
    known = {v.value for v in values}
    return (
        values[:FACET_SHOWN]
        + [v for v in values[FACET_SHOWN:] if v.selected]
        + [
            FacetValue(value, _("%(value)s (not in the catalog)") % {"value": value}, 0, True)
            for value in chosen_unknown
            if value not in known
        ]
    )


def codebook_variables(
    *, dataset_id: int, q: str = "", file_id: int | None = None
) -> QuerySet[Variable]:
    """Variables of a dataset for its codebook page; categories are loaded on demand."""
    variables = Variable.objects.filter(dataset_id=dataset_id).select_related("file")
    if file_id:
        variables = variables.filter(file_id=file_id)
    for word in WORD.findall(q)[:5]:
        variables = variables.filter(
            Q(name__icontains=word) | Q(label__icontains=word) | Q(question__icontains=word)
        )
    return variables.order_by("file__position", "position", "pk")
