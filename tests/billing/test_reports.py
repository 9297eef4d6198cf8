import csv
import io
import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from billing.models import Invoice, InvoiceLine, InvoiceStatus, Payment
from billing.report_views import revenue_chart
from billing.reports import allocate, revenue_csv, revenue_report, revenue_xlsx
from orders.models import Order, OrderLine, OrderStatus
from tests.factories import DigitalMapFactory, default_office

WIB = ZoneInfo("Asia/Jakarta")
FEB, MAR = date(2025, 2, 1), date(2025, 3, 1)
START, END = date(2025, 2, 1), date(2025, 3, 31)
CHANNELS = ("billing_code", "transfer", "cash")
KINDS = ("publication", "microdata", "map")
_numbers = itertools.count(1)


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def payment_for(customer, lines, *, channel, paid_at, status="confirmed", amount=None) -> Payment:
    """An order with `lines` [(product, quoted amount)], its paid invoice and one payment."""
    n = next(_numbers)
    order = Order.objects.create(
        customer=customer,
        office=default_office(),
        number=f"ORD-2025-{n:05d}",
        status=OrderStatus.AWAITING_DELIVERY,
    )
    for position, (product, quoted) in enumerate(lines):
        OrderLine.objects.create(
            order=order,
            product=product,
            kind=product.kind,
            description=product.title,
            quoted_amount=quoted,
            position=position,
        )
    total = sum(quoted for _product, quoted in lines)
    invoice = Invoice.objects.create(
        number=f"INV-2025-{n:05d}",
        order=order,
        status=InvoiceStatus.PAID,
        valid_until=paid_at + timedelta(days=30),
        total=total,
        payer_name=customer.full_name,
        payer_email=customer.email,
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            description=product.title,
            unit_price=quoted,
            amount=quoted,
            position=position,
        )
        for position, (product, quoted) in enumerate(lines)
    )
    return Payment.objects.create(
        invoice=invoice,
        channel=channel,
        status=status,
        amount=total if amount is None else amount,
        paid_at=paid_at,
        # As the services book it: the day the money arrived, on the office's (WIB) calendar.
        value_date=timezone.localtime(paid_at).date(),
    )


@pytest.fixture
def digital_map(db):
    return DigitalMapFactory(title="Peta Wilkerstat Banjarnegara")


@pytest.fixture
def payments(customer, publication, dataset, digital_map):
    """February and March 2025, one payment per channel, and payments that must not count."""
    pay = payment_for
    return [
        pay(
            customer, [(publication, 100_000)], channel="billing_code", paid_at=wib(2025, 2, 10, 10)
        ),
        # 00:30 WIB on 1 March is still 28 February in UTC: it belongs to March.
        pay(
            customer,
            [(dataset, 2_000_000), (publication, 50_000)],
            channel="transfer",
            paid_at=wib(2025, 3, 1, 0, 30),
        ),
        pay(customer, [(digital_map, 300_000)], channel="cash", paid_at=wib(2025, 3, 31, 23, 30)),
        # Outside the period, in WIB; inside it in UTC.
        pay(
            customer,
            [(publication, 999_000)],
            channel="billing_code",
            paid_at=wib(2025, 4, 1, 0, 10),
        ),
        pay(customer, [(publication, 888_000)], channel="cash", paid_at=wib(2025, 1, 31, 23, 50)),
        # Not (or not yet) money.
        pay(
            customer,
            [(dataset, 700_000)],
            channel="transfer",
            paid_at=wib(2025, 3, 10, 9),
            status="pending",
        ),
        pay(
            customer,
            [(dataset, 600_000)],
            channel="transfer",
            paid_at=wib(2025, 3, 11, 9),
            status="rejected",
        ),
    ]


def cells(report) -> dict[tuple[str, str], int]:
    return {
        (row.kind, channel): amount
        for row in report.rows
        for (channel, _label), amount in zip(report.channels, row.by_channel, strict=True)
    }


def test_it_totals_confirmed_revenue_per_kind_and_channel(payments):
    report = revenue_report(start=START, end=END)

    assert [kind for kind, _label in report.kinds] == list(KINDS)
    assert [channel for channel, _label in report.channels] == list(CHANNELS)
    assert cells(report) == {
        ("publication", "billing_code"): 100_000,
        ("publication", "transfer"): 50_000,
        ("publication", "cash"): 0,
        ("microdata", "billing_code"): 0,
        ("microdata", "transfer"): 2_000_000,
        ("microdata", "cash"): 0,
        ("map", "billing_code"): 0,
        ("map", "transfer"): 0,
        ("map", "cash"): 300_000,
    }
    assert [row.total for row in report.rows] == [150_000, 2_000_000, 300_000]
    assert report.channel_totals == (100_000, 2_050_000, 300_000)
    assert report.total == 2_450_000
    assert report.count == 3


def test_it_totals_revenue_per_local_month(payments):
    report = revenue_report(start=START, end=END)

    assert [(m.month, m.by_kind, m.total, m.count) for m in report.months] == [
        (FEB, (100_000, 0, 0), 100_000, 1),
        (MAR, (50_000, 2_000_000, 300_000), 2_350_000, 2),
    ]


def test_it_lists_months_without_payments_as_zero(payments):
    report = revenue_report(start=date(2025, 1, 1), end=date(2025, 4, 30))

    assert [(m.month, m.total, m.count) for m in report.months] == [
        (date(2025, 1, 1), 888_000, 1),
        (FEB, 100_000, 1),
        (MAR, 2_350_000, 2),
        (date(2025, 4, 1), 999_000, 1),
    ]


def test_it_counts_a_payment_late_on_the_last_day_but_not_just_after_midnight(
    customer, publication
):
    payment_for(customer, [(publication, 10_000)], channel="cash", paid_at=wib(2025, 3, 31, 23, 30))
    payment_for(customer, [(publication, 20_000)], channel="cash", paid_at=wib(2025, 4, 1, 0, 10))

    assert revenue_report(start=MAR, end=date(2025, 3, 31)).total == 10_000
    assert revenue_report(start=date(2025, 4, 1), end=date(2025, 4, 1)).total == 20_000


def test_it_counts_a_payment_just_after_midnight_on_the_first_day(customer, publication):
    payment_for(customer, [(publication, 10_000)], channel="cash", paid_at=wib(2025, 2, 28, 23, 59))
    payment_for(customer, [(publication, 20_000)], channel="cash", paid_at=wib(2025, 3, 1, 0, 0))

    assert revenue_report(start=MAR, end=date(2025, 3, 31)).total == 20_000


def test_it_leaves_out_pending_and_rejected_payments(customer, dataset):
    for status in ("pending", "rejected"):
        payment_for(
            customer,
            [(dataset, 500_000)],
            channel="transfer",
            paid_at=wib(2025, 3, 5, 9),
            status=status,
        )

    report = revenue_report(start=START, end=END)

    assert (report.total, report.count) == (0, 0)
    assert all(row.total == 0 for row in report.rows)


def test_it_splits_a_payment_that_differs_from_its_lines_in_proportion(
    customer, publication, dataset
):
    payment_for(
        customer,
        [(publication, 100), (dataset, 200)],
        channel="transfer",
        paid_at=wib(2025, 3, 5, 9),
        amount=1_000,
    )

    report = revenue_report(start=START, end=END)

    assert [row.total for row in report.rows] == [333, 667, 0]
    assert report.total == 1_000
    assert report.months[1].by_kind == (333, 667, 0)


def test_it_reports_revenue_without_priced_lines_as_other(customer, publication):
    payment = payment_for(
        customer, [(publication, 0)], channel="cash", paid_at=wib(2025, 3, 5), amount=5_000
    )
    OrderLine.objects.filter(order=payment.invoice.order).delete()

    report = revenue_report(start=START, end=END)

    assert [kind for kind, _label in report.kinds] == [*KINDS, "other"]
    assert report.rows[-1].total == 5_000
    assert report.channel_totals == (0, 0, 5_000)


def test_allocate_keeps_every_rupiah():
    assert allocate(100, {"a": 1, "b": 1, "c": 1}) == {"a": 34, "b": 33, "c": 33}
    assert allocate(10, {"a": 0, "b": 5}) == {"a": 0, "b": 10}
    assert allocate(7, {}) == {"other": 7}


def test_it_reads_in_a_constant_number_of_queries(customer, publication, dataset, digital_map):
    def add(count: int) -> None:
        for i in range(count):
            payment_for(
                customer,
                [(publication, 1_000 + i), (dataset, 2_000)],
                channel=CHANNELS[i % 3],
                paid_at=wib(2025, 2 + i % 2, 1 + i % 28, 12),
            )

    add(5)
    with CaptureQueriesContext(connection) as few:
        report = revenue_report(start=START, end=END)
    assert report.count == 5
    add(45)
    with CaptureQueriesContext(connection) as many:
        report = revenue_report(start=START, end=END)
    assert report.count == 50

    assert len(many) == len(few) <= 4


def test_the_csv_has_a_header_and_the_totals(payments):
    with translation.override("en"):
        rows = list(csv.reader(io.StringIO(revenue_csv(revenue_report(start=START, end=END)))))

    assert rows[0] == ["PNBP revenue", "2025-02-01", "2025-03-31", "All offices"]
    assert rows[2] == [
        "Product kind",
        "Billing code (Simponi)",
        "Bank transfer",
        "Cash at the treasurer",
        "Total",
    ]
    assert rows[3] == ["Publication", "100000", "50000", "0", "150000"]
    assert rows[6] == ["Total", "100000", "2050000", "300000", "2450000"]
    assert rows[8] == ["Month", "Publication", "Microdata", "Digital map", "Total", "Payments"]
    assert rows[9:] == [
        ["2025-02", "100000", "0", "0", "100000", "1"],
        ["2025-03", "50000", "2000000", "300000", "2350000", "2"],
        ["Total", "150000", "2000000", "300000", "2450000", "3"],
    ]


def test_the_spreadsheet_opens_and_has_the_same_totals(payments):
    report = revenue_report(start=START, end=END)
    with translation.override("en"):
        content = revenue_xlsx(report)

    sheet = load_workbook(io.BytesIO(content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    totals = [row for row in rows if row[0] == "Total"]
    assert totals[0][:5] == ["Total", 100_000, 2_050_000, 300_000, 2_450_000]
    assert totals[1][:6] == ["Total", 150_000, 2_000_000, 300_000, 2_450_000, 3]


def test_the_chart_scales_bars_to_the_best_month(payments):
    chart = revenue_chart(revenue_report(start=START, end=END).months)

    february, march = chart.bars
    assert march.height == 200
    assert february.height == round(100_000 * 200 / 2_350_000)
    assert february.y + february.height == chart.baseline == march.y + march.height


# --- the page -------------------------------------------------------------------------------------


def page(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('reports:revenue')}?{query}"


@pytest.mark.parametrize("role", ["treasurer", "head", "superuser"])
def test_the_treasurer_and_the_head_see_the_report(client, request, role, payments):
    client.force_login(request.getfixturevalue(role))

    response = client.get(page(start="2025-02-01", end="2025-03-31"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<strong id="revenue-total">Rp2.450.000</strong>' in html
    for amount in ("Rp2.050.000", "Rp2.000.000", "Rp300.000", "Rp150.000", "Rp2.350.000"):
        assert amount in html
    assert '<svg id="revenue-chart" role="img"' in html
    assert '<title id="revenue-chart-title">' in html
    assert html.count("<rect ") == 2
    assert "format=csv" in html and "format=xlsx" in html


@pytest.mark.parametrize("role", ["staff", "customer"])
def test_staff_and_customers_do_not_find_the_report(client, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(page()).status_code == 404


def test_it_sends_visitors_to_log_in(client):
    response = client.get(page())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("users:login"))


def test_it_refuses_an_unknown_format(client, treasurer):
    client.force_login(treasurer)

    response = client.get(page(format="pdf"))

    assert response.context["report"] is None
    assert "alert-danger" in response.content.decode()


def test_the_page_defaults_to_the_current_year_to_date(client, treasurer):
    client.force_login(treasurer)

    report = client.get(page()).context["report"]

    today = timezone.localdate()
    assert (report.start, report.end) == (date(today.year, 1, 1), today)


@pytest.mark.parametrize(
    ("start", "end"), [("2025-03-31", "2025-02-01"), ("2020-01-01", "2025-01-01")]
)
def test_it_refuses_a_backwards_or_too_long_period(client, treasurer, start, end):
    client.force_login(treasurer)

    response = client.get(page(start=start, end=end, format="csv"))

    assert response.status_code == 200
    assert response.context["report"] is None
    assert response.context["form"].errors["end"]
    assert "invalid-feedback" in response.content.decode()


def test_it_accepts_a_period_of_five_years(client, treasurer):
    client.force_login(treasurer)

    response = client.get(page(start="2020-01-01", end="2024-12-31"))

    assert len(response.context["report"].months) == 60


def test_it_downloads_the_csv_with_a_dated_name(client, treasurer, payments):
    client.force_login(treasurer)

    response = client.get(page(start="2025-02-01", end="2025-03-31", format="csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="pnbp-3304-2025-02-01-2025-03-31.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[6][1:] == ["100000", "2050000", "300000", "2450000"]


def test_it_downloads_the_spreadsheet_with_a_dated_name(client, head, payments):
    client.force_login(head)

    response = client.get(page(start="2025-02-01", end="2025-03-31", format="xlsx"))

    assert 'filename="pnbp-3304-2025-02-01-2025-03-31.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["E7"].value == 2_450_000


def test_the_page_reads_in_a_constant_number_of_queries(
    client, treasurer, customer, publication, django_assert_max_num_queries
):
    for day in range(1, 21):
        payment_for(customer, [(publication, 1_000)], channel="cash", paid_at=wib(2025, 3, day))
    client.force_login(treasurer)

    # The session, the user, their roles and their office, the unread notifications' badge,
    # then the report's three.
    with django_assert_max_num_queries(8):
        response = client.get(page(start="2025-02-01", end="2025-03-31"))
    assert response.context["report"].count == 20
