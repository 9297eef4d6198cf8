"""The IKM report over a year of ratings for `make bench`: the analysis page (target under 1 s),
the national page with every office side by side (the same) and the PDF (target under 3 s) with
100.000 ratings, beside the CSV and the bare aggregates.

Seeds once per database: orders, one line and one rating each, spread over BENCH_YEAR with
scores drawn from a fixed seed, so that every run measures the same data."""

import random
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.test import Client

from catalog.models import Product
from feedback.analysis import Period, ikm_analysis
from feedback.ikm import CODES
from feedback.models import Channel, Rating
from feedback.reporting import report_render_pdf
from offices.models import OfficeMembership
from orders.models import Order, OrderLine, OrderStatus
from silastik.bench import table_row, timings
from silastik.users.roles import Role

JAKARTA = ZoneInfo("Asia/Jakarta")
BENCH_YEAR = 2025
ORDER_PREFIX = "BENCH-IKM-"
CUSTOMER_EMAIL = "bench-ikm-customer@example.org"
STAFF_EMAIL = "bench-ikm-staff@example.org"
NATIONAL_EMAIL = "bench-ikm-national@example.org"
BATCH = 5_000
PAGE_TARGET_MS = 1_000
PDF_TARGET_MS = 3_000
KINDS = ["publication"] * 6 + ["microdata"] * 3 + ["map"]
# Mostly 3 and 4, a 2 now and then: about a third of the ratings need a follow-up.
SCORES = (2,) + (3,) * 9 + (4,) * 10


class Command(BaseCommand):
    help = "Time the IKM analysis page and PDF for a year of ratings (seeds them once)."

    def add_arguments(self, parser):
        parser.add_argument("--ratings", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=10)

    def handle(self, *args, ratings: int, repeat: int, **options):
        if "bench" not in str(connection.settings_dict["NAME"]):
            raise CommandError("Refusing to run on a database not named *bench*.")
        if ratings < 1 or repeat < 1:
            raise CommandError("Need --ratings >= 1 and --repeat >= 1.")
        self._seed(ratings)
        year = Period(date(BENCH_YEAR, 1, 1), date(BENCH_YEAR, 12, 31))
        start, end = year.bounds()
        count = Rating.objects.filter(created_at__gte=start, created_at__lt=end).count()
        self.stdout.write(
            f"{count} ratings in {BENCH_YEAR}, database {connection.vendor}, {repeat} runs each"
        )
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(_staff(Product.objects.order_by("pk").first()))
        national = Client(HTTP_HOST="127.0.0.1")
        national.force_login(_national())
        query = {"start": f"{year.start}", "end": f"{year.end}"}

        def page(fmt: str = "html", reader: Client = client):
            response = reader.get("/laporan/ikm/", {**query, "format": fmt})
            assert response.status_code == 200, response.status_code

        aggregates = timings(lambda: ikm_analysis(period=year), repeat)
        html = timings(page, repeat)
        offices = timings(lambda: page(reader=national), repeat)
        csv = timings(lambda: page("csv"), repeat)
        pdf = timings(lambda: report_render_pdf(analysis=ikm_analysis(period=year)), repeat)
        self.stdout.write(f"{'measure':40} {'median ms':>10} {'p95 ms':>10} {'target ms':>10}")
        self.stdout.write(
            table_row("IKM aggregates for the year (queries)", aggregates, None, width=40)
        )
        self.stdout.write(table_row("analysis page, a year", html, PAGE_TARGET_MS, width=40))
        self.stdout.write(
            table_row("national page, offices side by side", offices, PAGE_TARGET_MS, width=40)
        )
        self.stdout.write(table_row("CSV export, a year", csv, None, width=40))
        self.stdout.write(
            table_row("PDF report, a year (queries + render)", pdf, PDF_TARGET_MS, width=40)
        )

    def _seed(self, ratings: int) -> None:
        have = Order.objects.filter(number__startswith=ORDER_PREFIX).count()
        if have >= ratings:
            self.stdout.write("The benchmark ratings are already there.")
            return
        product = Product.objects.order_by("pk").first()
        if product is None:
            raise CommandError("No product: run catalog_bench_seed or seed_demo first.")
        users = get_user_model().objects
        customer = users.filter(email=CUSTOMER_EMAIL).first() or users.create_user(
            CUSTOMER_EMAIL, full_name="Responden Bench"
        )
        started = time.monotonic()
        rng = random.Random(BENCH_YEAR)
        for first in range(have, ratings, BATCH):
            with transaction.atomic():
                _seed_batch(range(first, min(first + BATCH, ratings)), customer, product, rng)
        with connection.cursor() as cursor:  # fresh statistics, as autovacuum would leave them
            cursor.execute("ANALYZE")
        self.stdout.write(f"Seeded {ratings - have} ratings in {time.monotonic() - started:.1f} s.")


def _seed_batch(numbers: range, customer, product, rng: random.Random) -> None:
    year_start = datetime(BENCH_YEAR, 1, 1, 8, tzinfo=JAKARTA)
    orders = []
    for i in numbers:
        # A rating comes up to 6 days before and 5 days after this moment (below): from 8
        # January to 26 December, so every rating falls in the year, none in the one before
        # or after.
        rated_at = year_start + timedelta(days=7, minutes=(i * 7919) % (352 * 24 * 60))
        completed = rated_at - timedelta(days=rng.randint(0, 6))
        orders.append(
            Order(
                number=f"{ORDER_PREFIX}{i:07d}",
                customer=customer,
                office=product.office,
                status=OrderStatus.COMPLETED,
                created_at=completed - timedelta(days=20),
                submitted_at=completed - timedelta(days=19),
                completed_at=completed,
                working_days_used=rng.choice([2, 4, 5, 7, 8, 9, 10, 11, 14]),
            )
        )
    Order.objects.bulk_create(orders)
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product=product,
            kind=KINDS[i % len(KINDS)],
            description="Bench",
            quoted_amount=0,
        )
        for i, order in zip(numbers, orders, strict=True)
    )
    Rating.objects.bulk_create(
        Rating(
            office=product.office,
            order=order,
            customer=customer,
            created_at=order.completed_at + timedelta(hours=rng.randint(1, 120)),
            channel=Channel.WALK_IN if i % 7 == 0 else Channel.ONLINE,
            comment="Mohon dipercepat." if i % 50 == 0 else "",
            needs_follow_up=False,
            **{code: rng.choice(SCORES) for code in CODES},
        )
        for i, order in zip(numbers, orders, strict=True)
    )
    # The follow-up rule as rating_submit applies it, set-based.
    any_low = Q()
    for code in CODES:
        any_low |= Q(**{f"{code}__lte": 2})
    Rating.objects.filter(order__in=orders).filter(any_low).update(needs_follow_up=True)


def _national():
    users = get_user_model().objects
    reader = users.filter(email=NATIONAL_EMAIL).first()
    if reader is None:
        reader = users.create_user(NATIONAL_EMAIL, full_name="Administrator Nasional Bench")
        reader.groups.add(Group.objects.get(name=Role.NATIONAL_ADMIN))
    return reader


def _staff(product):
    """Staff of the office whose ratings are seeded: the page shows their own office."""
    users = get_user_model().objects
    staff = users.filter(email=STAFF_EMAIL).first()
    if staff is None:
        staff = users.create_user(STAFF_EMAIL, full_name="Petugas Bench")
        staff.groups.add(Group.objects.get(name=Role.PST_STAFF))
    OfficeMembership.objects.update_or_create(user=staff, defaults={"office": product.office})
    return staff
