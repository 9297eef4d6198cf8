"""Server time of the catalog at national scale, each page beside its floor in the same run: the
bare SQL that gives the same answer (or, for the warm cache, a trivial page of the same stack).
Medians and p95 over repeated in-process requests; every target of issue 17 with its verdict.
Run catalog_bench_seed first; `make bench` does. The HTTP phase is catalog_http_bench."""

import statistics

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Dataset, Product, Variable
from catalog.selection import Selection, selection_store
from offices.models import Office
from silastik.bench import timings

SEARCH = "/catalog/?q=penduduk"
SEARCH_FACET = "/catalog/?q=statistik+pertanian&kind=publication"


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
        """The bare SQL of the page's search: the statements that find the page, the count and
        the facets, run again straight on the connection."""
        with CaptureQueriesContext(connection) as queries:
            self.client.get(url)
        searches = [
            q["sql"]
            for q in queries.captured_queries
            if ("catalog_product" in q["sql"] and "GROUP" in q["sql"].upper())
            or ("ORDER BY" in q["sql"] and '"pk" FROM "catalog_product"' in q["sql"])
        ]

        def run():
            with connection.cursor() as cursor:
                for sql in searches:
                    cursor.execute(sql)
                    cursor.fetchall()

        return timings(run, self.repeat)

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
