"""Billing's heavy paths for `make bench`: the expiry sweep over a large invoice table
(1.000.000 invoices, 50.000 of them due; target under 5 s on PostgreSQL) and the receipt PDF
(median per PDF; target under 0,4 s) beside the cheapest WeasyPrint PDF as the baseline.

Seeds once per database: set-based SQL on PostgreSQL, a scaled-down bulk_create elsewhere. The
sweep changes data, so every run first puts the due invoices and their orders back, untimed."""

import time
from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from billing.documents import DocumentLine, ReceiptDocument, baseline_render_pdf, receipt_render_pdf
from billing.models import Invoice, InvoiceStatus, PaymentChannel
from billing.services import invoices_expire
from offices.documents import SAMPLE_LETTERHEAD
from orders.models import Order, OrderAction, OrderEvent, OrderStatus
from silastik.bench import table_row, timings

JAKARTA = ZoneInfo("Asia/Jakarta")
# The sweep's clock: fixed, so that the seeded open invoices never fall due between runs.
BENCH_NOW = datetime(2026, 3, 1, 7, 0, tzinfo=JAKARTA)
ORDER_PREFIX = "BENCH-"
ORDER_DUE_PREFIX = "BENCH-DUE-"
INVOICE_PREFIX = "BENCH/INV/"
INVOICE_DUE_PREFIX = "BENCH/DUE/"
BENCH_EMAIL = "bench-customer@example.org"
SQLITE_MAX_INVOICES = 50_000
SWEEP_TARGET_MS = 5_000
RECEIPT_TARGET_MS = 400

# Every invoice i gets a kind: "due" (issued, past valid_until: what the sweep expires), "open"
# (issued, valid for up to a month more), "paid" or "expired" (history). Due ones are spread over
# the whole table rather than packed together, as a month's invoices sit among paid ones.
ROWS_SQL = """WITH g AS (
    SELECT i, CASE
        WHEN mod(i, %(stride)s) = 0 AND i / %(stride)s <= %(due)s THEN 'due'
        WHEN mod(i * 19, 100) < 10 THEN 'open'
        WHEN mod(i * 19, 100) < 80 THEN 'paid'
        ELSE 'expired' END AS kind
    FROM generate_series(1, %(invoices)s) AS s(i)
), t AS (
    SELECT i, kind,
        CASE WHEN kind = 'due' THEN %(order_due_prefix)s ELSE %(order_prefix)s END
            || lpad(i::text, 7, '0') AS order_number,
        CASE WHEN kind = 'due' THEN %(invoice_due_prefix)s ELSE %(invoice_prefix)s END
            || lpad(i::text, 7, '0') AS invoice_number,
        CASE kind
            WHEN 'due' THEN %(now)s - make_interval(days => mod(i, 30) + 1, hours => mod(i, 24))
            WHEN 'open' THEN %(now)s + make_interval(days => mod(i, 30) + 1, hours => mod(i, 24))
            ELSE %(now)s - make_interval(days => 31 + mod(i, 1000), hours => mod(i, 24))
        END AS valid_until
    FROM g
)"""
ORDER_SQL = {
    "number": "t.order_number",
    "customer_id": "%(customer)s",
    "status": """CASE
        WHEN t.kind IN ('due', 'open') THEN 'offered'
        WHEN t.kind = 'expired' THEN 'expired'
        WHEN mod(t.i, 10) = 0 THEN 'awaiting_delivery'
        ELSE 'completed' END""",
    "status_changed_at": """CASE t.kind
        WHEN 'expired' THEN t.valid_until
        WHEN 'paid' THEN t.valid_until - interval '25 days'
        ELSE t.valid_until - interval '30 days' END""",
    "created_at": "t.valid_until - interval '32 days'",
    "submitted_at": "t.valid_until - interval '31 days'",
    "terms_version": "'2025.1'",
    "terms_agreed_at": "t.valid_until - interval '31 days'",
    "settled_at": "CASE WHEN t.kind = 'paid' THEN t.valid_until - interval '25 days' END",
    "settlement_reference": "CASE WHEN t.kind = 'paid' THEN lpad(t.i::text, 16, '0') ELSE '' END",
    "completed_at": """CASE WHEN t.kind = 'paid' AND mod(t.i, 10) <> 0
        THEN t.valid_until - interval '24 days' END""",
}
INVOICE_SQL = {
    "number": "t.invoice_number",
    "order_id": "o.id",
    "status": "CASE WHEN t.kind IN ('due', 'open') THEN 'issued' ELSE t.kind END",
    "issued_at": "t.valid_until - interval '30 days'",
    "valid_until": "t.valid_until",
    "total": "(50 + mod(t.i * 37, 4950)) * 1000",
    "payer_name": "'Pelanggan Bench'",
    "payer_email": "%(email)s",
    "payer_institution": "'Universitas Bench'",
}


class Command(BaseCommand):
    help = "Time the invoice expiry sweep and receipt PDFs (seeds its own invoices once)."

    def add_arguments(self, parser):
        parser.add_argument("--invoices", type=int, default=1_000_000)
        parser.add_argument("--due", type=int, default=50_000)
        parser.add_argument("--renders", type=int, default=20)
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, invoices: int, due: int, renders: int, force: bool, **options):
        # The sweep expires every due invoice in the database, not only the seeded ones.
        if not force and "bench" not in str(connection.settings_dict["NAME"]):
            raise CommandError("Refusing to run on a database not named *bench*; use --force.")
        if not 1 <= due <= invoices <= 9_999_999 or renders < 1:
            raise CommandError("Need 1 <= --due <= --invoices <= 9999999 and --renders >= 1.")
        if connection.vendor != "postgresql" and invoices > SQLITE_MAX_INVOICES:
            due, invoices = max(1, due * SQLITE_MAX_INVOICES // invoices), SQLITE_MAX_INVOICES
            self.stdout.write(
                f"{connection.vendor}: scaled down to {invoices} invoices, {due} due "
                "(the full size is seeded with set-based SQL on PostgreSQL only)."
            )
        self._seed(invoices=invoices, due=due)
        self._due_rearm()
        _vacuum_analyze()
        seeded = Invoice.objects.filter(number__startswith="BENCH/").count()
        due_count = Invoice.objects.filter(number__startswith=INVOICE_DUE_PREFIX).count()
        self.stdout.write(
            f"{seeded} bench invoices, {due_count} due, database {connection.vendor}, "
            f"{renders} renders each"
        )
        sweep_ms, expired_invoices, batches = _sweep_time()
        expired_orders = Order.objects.filter(
            number__startswith=ORDER_DUE_PREFIX, status=OrderStatus.EXPIRED
        ).count()
        self.stdout.write(
            f"expiry sweep: {expired_invoices} invoices and {expired_orders} orders expired; "
            f"{batches} notification batches not sent (orders_expired_notify.delay patched out: "
            "asynchronous work in production)"
        )
        receipt = timings(lambda: receipt_render_pdf(document=_receipt_document()), renders)
        baseline = timings(baseline_render_pdf, renders)
        self.stdout.write(f"{'measure':36} {'median ms':>10} {'p95 ms':>10} {'target ms':>10}")
        self.stdout.write(table_row("expiry sweep (one run)", [sweep_ms], SWEEP_TARGET_MS))
        self.stdout.write(table_row("baseline: one-line WeasyPrint PDF", baseline, None))
        self.stdout.write(table_row("receipt PDF, 3 lines", receipt, RECEIPT_TARGET_MS))

    def _seed(self, *, invoices: int, due: int) -> None:
        if Order.objects.filter(number__startswith=ORDER_PREFIX).exists():
            self.stdout.write("The benchmark invoices are already there.")
            return
        started = time.monotonic()
        with transaction.atomic():
            users = get_user_model().objects
            customer = users.filter(email=BENCH_EMAIL).first() or users.create_user(
                BENCH_EMAIL, full_name="Pelanggan Bench"
            )
            if connection.vendor == "postgresql":
                _seed_sql(invoices=invoices, due=due, customer_id=customer.pk)
            else:
                _seed_bulk(invoices=invoices, due=due, customer_id=customer.pk)
        self.stdout.write(
            f"Seeded {invoices} invoices ({due} due) in {time.monotonic() - started:.1f} s."
        )

    def _due_rearm(self) -> None:
        """Undo the previous run's sweep on the seeded due rows (a no-op on the first run)."""
        with transaction.atomic():
            due_orders = Order.objects.filter(number__startswith=ORDER_DUE_PREFIX)
            OrderEvent.objects.filter(order__in=due_orders, action=OrderAction.EXPIRE).delete()
            due_orders.exclude(status=OrderStatus.OFFERED).update(status=OrderStatus.OFFERED)
            Invoice.objects.filter(number__startswith=INVOICE_DUE_PREFIX).exclude(
                status=InvoiceStatus.ISSUED
            ).update(status=InvoiceStatus.ISSUED)


def _sweep_time() -> tuple[float, int, int]:
    with mock.patch("orders.tasks.orders_expired_notify.delay") as notify:
        start = time.perf_counter()
        expired = invoices_expire(now=BENCH_NOW)
        elapsed = (time.perf_counter() - start) * 1000
    return elapsed, expired, notify.call_count


def _vacuum_analyze() -> None:
    """What autovacuum does some time after a bulk load: statistics and the visibility map."""
    if connection.vendor != "postgresql":
        return
    tables = [Order._meta.db_table, OrderEvent._meta.db_table, Invoice._meta.db_table]
    # VACUUM cannot run inside a transaction (the tests wrap each test in one).
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} {', '.join(tables)}")


def _seed_sql(*, invoices: int, due: int, customer_id: int) -> None:
    params = {
        "invoices": invoices,
        "due": due,
        "stride": invoices // due,
        "now": BENCH_NOW,
        "customer": customer_id,
        "email": BENCH_EMAIL,
        "order_prefix": ORDER_PREFIX,
        "order_due_prefix": ORDER_DUE_PREFIX,
        "invoice_prefix": INVOICE_PREFIX,
        "invoice_due_prefix": INVOICE_DUE_PREFIX,
    }
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(Order, ORDER_SQL, "FROM t", params), params)
        source = "FROM t JOIN orders_order o ON o.number = t.order_number"
        cursor.execute(_insert_sql(Invoice, INVOICE_SQL, source, params), params)


def _insert_sql(model, values: dict[str, str], source: str, params: dict) -> str:
    """INSERT … SELECT filling every column: the given expressions, else NULL or the field's
    default, so a new NOT NULL column without a default stops the seeding instead of failing
    later."""
    columns, expressions = [], []
    for field in model._meta.local_concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.attname in values:
            expressions.append(values[field.attname])
        elif field.null:
            expressions.append("NULL")
        elif field.has_default() or field.empty_strings_allowed:
            key = f"default_{field.attname}"
            params[key] = field.get_db_prep_save(field.get_default(), connection)
            expressions.append(f"%({key})s")
        else:
            raise CommandError(f"No bench value for {model._meta.db_table}.{field.column}.")
    return (
        f"{ROWS_SQL} INSERT INTO {connection.ops.quote_name(model._meta.db_table)} "
        f"({', '.join(columns)}) SELECT {', '.join(expressions)} {source}"
    )


def _kind(i: int, *, stride: int, due: int) -> str:
    """The kind of ROWS_SQL in Python, for the bulk_create fallback."""
    if i % stride == 0 and i // stride <= due:
        return "due"
    bucket = i * 19 % 100
    return "open" if bucket < 10 else "paid" if bucket < 80 else "expired"


def _seed_bulk(*, invoices: int, due: int, customer_id: int) -> None:
    """The same rows as _seed_sql, built in Python for databases without generate_series."""
    kinds = {i: _kind(i, stride=invoices // due, due=due) for i in range(1, invoices + 1)}
    orders, valid = [], {}
    for i, kind in kinds.items():
        hours = timedelta(hours=i % 24)
        if kind == "due":
            valid[i] = BENCH_NOW - timedelta(days=i % 30 + 1) - hours
        elif kind == "open":
            valid[i] = BENCH_NOW + timedelta(days=i % 30 + 1) + hours
        else:
            valid[i] = BENCH_NOW - timedelta(days=31 + i % 1000) - hours
        orders.append(_order(i, kind, valid[i], customer_id))
    Order.objects.bulk_create(orders, batch_size=2_000)
    order_ids = dict(
        Order.objects.filter(number__startswith=ORDER_PREFIX).values_list("number", "pk")
    )
    Invoice.objects.bulk_create(
        [
            Invoice(
                number=f"{INVOICE_DUE_PREFIX if kind == 'due' else INVOICE_PREFIX}{i:07d}",
                order_id=order_ids[_order_number(i, kind)],
                status=InvoiceStatus.ISSUED if kind in ("due", "open") else kind,
                issued_at=valid[i] - timedelta(days=30),
                valid_until=valid[i],
                total=(50 + i * 37 % 4950) * 1000,
                payer_name="Pelanggan Bench",
                payer_email=BENCH_EMAIL,
                payer_institution="Universitas Bench",
            )
            for i, kind in kinds.items()
        ],
        batch_size=2_000,
    )


def _order_number(i: int, kind: str) -> str:
    return f"{ORDER_DUE_PREFIX if kind == 'due' else ORDER_PREFIX}{i:07d}"


def _order(i: int, kind: str, valid_until: datetime, customer_id: int) -> Order:
    paid, completed = kind == "paid", kind == "paid" and i % 10 != 0
    if kind in ("due", "open"):
        status, changed = OrderStatus.OFFERED, valid_until - timedelta(days=30)
    elif kind == "expired":
        status, changed = OrderStatus.EXPIRED, valid_until
    else:
        status = OrderStatus.COMPLETED if completed else OrderStatus.AWAITING_DELIVERY
        changed = valid_until - timedelta(days=25)
    return Order(
        number=_order_number(i, kind),
        customer_id=customer_id,
        status=status,
        status_changed_at=changed,
        created_at=valid_until - timedelta(days=32),
        submitted_at=valid_until - timedelta(days=31),
        terms_version="2025.1",
        terms_agreed_at=valid_until - timedelta(days=31),
        settled_at=valid_until - timedelta(days=25) if paid else None,
        settlement_reference=f"{i:016d}" if paid else "",
        completed_at=valid_until - timedelta(days=24) if completed else None,
    )


def _receipt_document() -> ReceiptDocument:
    lines = [
        DocumentLine(
            "Mikrodata Sakernas Agustus 2024, Kabupaten Banjarnegara", 1, 24_077_601, 24_077_601
        ),
        DocumentLine("Publikasi Kabupaten Banjarnegara Dalam Angka 2025", 2, 150_000, 300_000),
        DocumentLine(
            "Tabel khusus: Indeks Pembangunan Manusia per kecamatan 2020–2024",
            1,
            1_250_000,
            1_250_000,
        ),
    ]
    return ReceiptDocument(
        number="KW/3304/2026/000045",
        issued_at=datetime(2026, 3, 3, 10, 0, tzinfo=JAKARTA),
        payer_name="Rina Kusumawati",
        payer_institution="Universitas Jenderal Soedirman",
        lines=lines,
        total=sum(line.amount for line in lines),
        invoice_number="INV/3304/2026/000123",
        order_number="PST-2026-000001",
        channel=PaymentChannel.BILLING_CODE,
        reference="A1B2C3D4E5F6G7H8",
        ntb="000123456789",
        paid_at=datetime(2026, 3, 3, 9, 42, tzinfo=JAKARTA),
        value_date=date(2026, 3, 3),
        billing_code="820260302000123",
        treasurer_name="Siti Rahmawati",
        treasurer_nip="198503122009022001",
        office=SAMPLE_LETTERHEAD,
        language="id",
    )
