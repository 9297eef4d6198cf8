"""Server time of catalog pages: median and p95 over repeated in-process requests, with a
trivial page of the same stack (the home page) as the baseline. See `make bench`."""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client

from catalog.models import Dataset, Product


class Command(BaseCommand):
    help = "Time catalog pages (run catalog_bench_seed first)."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=60)

    def handle(self, *args, repeat: int, **options):
        dataset = Dataset.objects.filter(variables__isnull=False).order_by("pk").first()
        pages = {
            "baseline: home page": "/",
            "catalog list": "/catalog/",
            "catalog search ?q=penduduk": "/catalog/?q=penduduk",
            "catalog search, 2 words + facet": "/catalog/?q=statistik+pertanian&kind=publication",
            "dataset codebook page": dataset.get_absolute_url() if dataset else None,
            "codebook variable search": (
                f"/catalog/{dataset.slug}/variabel/?vq=penduduk" if dataset else None
            ),
        }
        client = Client(HTTP_HOST="127.0.0.1")
        self.stdout.write(
            f"{Product.objects.count()} products, database {connection.vendor}, "
            f"{repeat} requests each"
        )
        self.stdout.write(f"{'page':36} {'median ms':>10} {'p95 ms':>10}")
        for name, url in pages.items():
            if url is None:
                continue
            for _ in range(5):  # warm caches and connections
                client.get(url)
            timings = []
            for _ in range(repeat):
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            p95 = statistics.quantiles(timings, n=20)[-1]
            self.stdout.write(f"{name:36} {statistics.median(timings):10.1f} {p95:10.1f}")
