"""`billing_bench` with tiny sizes on the test database: PostgreSQL's set-based seeding when the
tests run there, the bulk_create fallback on SQLite."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from billing.management.commands.billing_bench import BENCH_NOW
from billing.models import Invoice, InvoiceStatus
from orders.models import Order, OrderEvent, OrderStatus

pytestmark = pytest.mark.django_db

TINY = ["--force", "--invoices", "200", "--due", "20"]


def run_bench(*args: str) -> str:
    out = io.StringIO()
    call_command("billing_bench", *args, stdout=out)
    return out.getvalue()


def test_it_seeds_times_and_expires_the_due_invoices():
    output = run_bench(*TINY, "--renders", "2")

    assert "Seeded 200 invoices (20 due)" in output
    assert f"200 bench invoices, 20 due, database {connection.vendor}" in output
    assert "20 orders expired" in output
    for row in ("expiry sweep (one run)", "baseline: one-line WeasyPrint PDF", "receipt PDF"):
        assert row in output
    due = Invoice.objects.filter(number__startswith="BENCH/DUE/")
    assert due.count() == 20
    assert set(due.values_list("status", flat=True)) == {InvoiceStatus.EXPIRED}
    bench = Invoice.objects.filter(number__startswith="BENCH/")
    assert not bench.filter(status=InvoiceStatus.ISSUED, valid_until__lt=BENCH_NOW).exists()
    assert bench.filter(status=InvoiceStatus.ISSUED).exists()  # the open ones stay
    due_orders = Order.objects.filter(number__startswith="BENCH-DUE-")
    assert set(due_orders.values_list("status", flat=True)) == {OrderStatus.EXPIRED}
    assert OrderEvent.objects.filter(order__in=due_orders, action="expire").count() == 20


def test_it_seeds_once_and_puts_the_due_invoices_back_before_each_run():
    run_bench(*TINY, "--renders", "1")
    output = run_bench(*TINY, "--renders", "1")

    assert "already there" in output
    assert "20 orders expired" in output
    assert Invoice.objects.filter(number__startswith="BENCH/").count() == 200
    events = OrderEvent.objects.filter(order__number__startswith="BENCH-DUE-", action="expire")
    assert events.count() == 20


def test_it_refuses_a_database_not_named_bench(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "silastik")

    with pytest.raises(CommandError, match="bench"):
        run_bench("--invoices", "10", "--due", "1")
    assert not Invoice.objects.filter(number__startswith="BENCH/").exists()
