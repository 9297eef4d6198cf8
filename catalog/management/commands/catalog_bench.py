"""Server time of the catalog at national scale, each page beside its floor in the same run: the
bare SQL that gives the same answer, the database alone finding the page, the total and the
facet counts (or, for the warm cache, a trivial page of the same stack).
Medians and p95 over repeated in-process requests; every target of issue 17 with its verdict.
Run catalog_bench_seed first; `make bench` does. The HTTP phase is catalog_http_bench."""

import statistics

from django.core.management.base import BaseCommand
from django.db import connection
from django.db.models import Count
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import reverse

from catalog import columns
from catalog.models import Dataset, Product, Variable
from catalog.selection import Selection, selection_store
from catalog.selectors import (
    FACET_COLUMNS,
    FACETS,
    CatalogQuery,
    catalog_search,
    matching,
    text_rank,
)
from offices.models import Office
from silastik.bench import timings

SEARCH = "/catalog/?q=penduduk"
SEARCH_FACET = "/catalog/?q=statistik+pertanian&kind=publication"


def floor_statements(query: CatalogQuery) -> list[tuple[str, tuple]]:
    """SQL alone for a catalog page: its page of ids, its total and its facet counts. On
    PostgreSQL the total and the counts of the facets without a choice come from one GROUPING
    SETS pass (with words, over the same materialised matches as the ranked page); elsewhere a
    COUNT and a GROUP BY per facet. A chosen facet is counted over the other choices' matches."""
    free = [f for f in FACETS if not getattr(query, f)]
    if connection.vendor != "postgresql":
        free = []
    columns = [FACET_COLUMNS[f] for f in free]
    sets = ", ".join([*(f"({c})" for c in columns), "()"])
    flags = ", ".join(f"GROUPING({c})" for c in columns) or "0"
    keys = ", ".join(columns) or "NULL"
    statements = []
    if connection.vendor != "postgresql":
        statements.append(catalog_search(query).values("pk")[:20].query.sql_with_params())
        inner, params = matching(query).values("pk").order_by().query.sql_with_params()
        statements.append((f"SELECT COUNT(*) FROM ({inner}) AS m", params))  # noqa: S608
    elif query.words:  # the matches read once for the ranked page and the counts
        full, full_params = (
            matching(query)
            .annotate(rank=text_rank(query.words))
            .values("pk", "title", "year", "rank", *columns)
            .order_by()
            .query.sql_with_params()
        )
        statements.append(
            (
                f"WITH m AS MATERIALIZED ({full}) "  # noqa: S608 - model columns
                f"SELECT NULL, {keys}, {flags}, COUNT(*) FROM m "
                f"GROUP BY GROUPING SETS ({sets}) UNION ALL "
                f"(SELECT pk{', NULL' * (2 * max(len(columns), 1) + 1)} FROM m "
                "ORDER BY rank DESC, year DESC NULLS LAST, title, pk LIMIT 20)",
                full_params,
            )
        )
    else:  # the page from the order's index, the counts from one scan
        statements.append(catalog_search(query).values("pk")[:20].query.sql_with_params())
        inner, params = matching(query).values("pk", *columns).order_by().query.sql_with_params()
        statements.append(
            (
                f"SELECT {keys}, {flags}, COUNT(*) FROM ({inner}) AS m "  # noqa: S608
                f"GROUP BY GROUPING SETS ({sets})",
                params,
            )
        )
    for facet in FACETS:
        if facet not in free:
            column = FACET_COLUMNS[facet]
            statements.append(
                matching(query.without(facet))
                .exclude(**{f"{column}__isnull": True})
                .values_list(column)
                .annotate(n=Count("pk"))
                .order_by()
                .query.sql_with_params()
            )
    return statements


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


class Command(BaseCommand):
    help = "Time catalog pages against their floors (run catalog_bench_seed first)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=40)

    def handle(self, *args, repeat: int, **options):
        self.repeat = repeat
        self.client = Client(HTTP_HOST="127.0.0.1")
        self.verdicts: list[bool] = []
        publications = Product.objects.filter(kind="publication").count()
        self.stdout.write(
            f"{publications:,} publications, {Product.objects.count():,} products, "
            f"{Office.objects.count()} offices, database {connection.vendor}, "
            f"{repeat} requests each"
        )
        self.stdout.write(f"{'':44} {'median ms':>10} {'p95 ms':>8} {'floor ms':>9}  target")
        self.page("baseline: home page", "/")
        for name, url in (
            ("catalog list", "/catalog/"),
            ("search ?q=penduduk", SEARCH),
            ("search, 2 words + a facet", SEARCH_FACET),
        ):
            with override_settings(CATALOG_SEARCH_CACHE_SECONDS=0):
                floor = self.floor_of(url)
                cold = self.page(f"{name}, cold", url, floor=floor, ratio=2.0, limit=50.0)
            with override_settings(CATALOG_SEARCH_CACHE_SECONDS=300):
                self.page(f"{name}, warm", url, limit=10.0)
            del cold
        self.after_a_change()
        # The bench's own dataset of 2.500 variables, not a demo one seed_demo may have added.
        dataset = (
            Dataset.objects.filter(slug__startswith="bench-", variables__isnull=False)
            .order_by("pk")
            .first()
        )
        if dataset is not None:
            self.codebook(dataset)
            for chosen in (10, 1_250, 2_500):
                self.estimate(dataset, chosen)
        met = sum(self.verdicts)
        self.stdout.write(f"targets met: {met} of {len(self.verdicts)}")

    # --- pages -------------------------------------------------------------------------------

    def row(self, name, measured, *, floor=None, ratio=None, limit=None) -> None:
        m = median(measured)
        floor_m = median(floor) if floor else None
        goals, ok = [], True
        if limit is not None:
            goals.append(f"≤ {limit:g} ms")
            ok &= m <= limit
        if ratio is not None and floor_m:
            goals.append(f"≤ {ratio:g} × floor ({m / floor_m:.2f} ×)")
            ok &= m <= ratio * floor_m
        verdict = ""
        if goals:
            self.verdicts.append(ok)
            verdict = ("met: " if ok else "MISSED: ") + ", ".join(goals)
        floor_text = f"{floor_m:9.1f}" if floor_m is not None else f"{'-':>9}"
        self.stdout.write(f"{name:44} {m:10.1f} {p95(measured):8.1f} {floor_text}  {verdict}")

    def page(self, name, url, *, floor=None, ratio=None, limit=None) -> list[float]:
        def get():
            response = self.client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        measured = timings(get, self.repeat)
        self.row(name, measured, floor=floor, ratio=ratio, limit=limit)
        return measured

    def floor_of(self, url: str) -> list[float]:
        """The bare SQL that returns the same page, total and facet counts: the database doing
        all of it (the page in the order asked for, the total and every facet's counts with
        GROUPING SETS, one statement more per chosen facet), run straight on the connection."""
        query = CatalogQuery.from_querydict(QueryDict(url.partition("?")[2]))
        statements = floor_statements(query)

        def run():
            with connection.cursor() as cursor:
                for sql, params in statements:
                    cursor.execute(sql, params)
                    cursor.fetchall()

        return timings(run, self.repeat)

    def after_a_change(self) -> None:
        """What the first search after a change of a product pays once, for every process of
        the site (the others take it from the shared cache): the facet columns read again."""
        self.row(
            "facet columns read again after a change",
            timings(lambda: columns._read(0), max(3, self.repeat // 8)),
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT COUNT(*), pg_size_pretty(pg_total_relation_size('catalog_searchterm')) "
                    "FROM catalog_searchterm"
                )
                terms, size = cursor.fetchone()
            self.stdout.write(f"{'search terms':44} {terms:,} rows, {size} with their indexes")

    # --- the codebook and the estimate ---------------------------------------------------------

    def codebook(self, dataset: Dataset) -> None:
        variables = Variable.objects.filter(dataset=dataset).count()
        url = dataset.get_absolute_url()

        def floor_sql():
            rows = list(
                Variable.objects.filter(dataset=dataset)
                .select_related("file")
                .order_by("file__position", "position", "pk")[:50]
            )
            assert rows

        self.page(
            f"codebook page ({variables:,} variables)",
            url,
            floor=timings(floor_sql, self.repeat),
            limit=30.0,
        )

    def estimate(self, dataset: Dataset, chosen: int) -> None:
        """The picker's answer to one more variable chosen (the estimate and the price), with
        `chosen` variables in the session."""
        ids = list(
            Variable.objects.filter(dataset=dataset)
            .order_by("position")
            .values_list("pk", flat=True)[: chosen + 1]
        )
        session = self.client.session
        selection_store(
            session=session,
            product_id=dataset.pk,
            selection=Selection(variables=frozenset(ids[:chosen]), by_variable=True),
        )
        session.save()
        url = reverse("catalog:selection", args=[dataset.slug])
        state = {"checked": True}

        def toggle():
            data = {"action": "toggle", "variable": ids[-1]}
            if state["checked"]:
                data["checked"] = "1"
            state["checked"] = not state["checked"]
            response = self.client.post(url, data, HTTP_HX_REQUEST="true")
            assert response.status_code == 200, response.status_code

        def floor_sql():
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute(
                        "SELECT file_id, SUM(width) FROM catalog_variable "
                        "WHERE id = ANY(%s) GROUP BY file_id",
                        [ids[:chosen]],
                    )
                else:
                    marks = ",".join(["%s"] * len(ids[:chosen]))
                    cursor.execute(
                        "SELECT file_id, SUM(width) FROM catalog_variable "  # noqa: S608
                        f"WHERE id IN ({marks}) GROUP BY file_id",
                        ids[:chosen],
                    )
                cursor.fetchall()

        limit = 15.0 if chosen >= 2_500 else None
        self.row(
            f"estimate, {chosen:,} variables chosen",
            timings(toggle, self.repeat),
            floor=timings(floor_sql, self.repeat),
            limit=limit,
        )
