"""What waits for an office's treasurer, and the month's revenue for the head's home page
(silastik.work): counts and oldest items in two queries, the revenue from the PNBP report."""

from datetime import date

from django.db.models import Count, Min, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from offices.selectors import office_of
from orders.models import OrderChannel
from silastik.money import rupiah
from silastik.users.models import User
from silastik.work import (
    FiguresPanel,
    WorkItem,
    WorkSource,
    figures_panel_register,
    work_source_register,
)
from silastik.work.charts import Bar, bars_scaled

from .models import Invoice, InvoiceStatus, Payment, PaymentChannel, PaymentStatus
from .reports import revenue_report

REVENUE_MONTHS = 6

PAYMENT_QUEUES = {
    "proofs": Q(status=PaymentStatus.PENDING, channel=PaymentChannel.TRANSFER),
    "refunds": Q(status=PaymentStatus.REFUND_DUE),
}


def treasurer_work(user: User) -> list[WorkItem]:
    office = office_of(user)
    if office is None:
        return []
    payments = Payment.objects.filter(invoice__order__office=office)
    counts = payments.aggregate(
        proofs=Count("pk", filter=PAYMENT_QUEUES["proofs"]),
        proofs_oldest=Min("submitted_at", filter=PAYMENT_QUEUES["proofs"]),
        refunds=Count("pk", filter=PAYMENT_QUEUES["refunds"]),
        refunds_oldest=Min("submitted_at", filter=PAYMENT_QUEUES["refunds"]),
        reconcile=Count(
            "pk",
            filter=Q(
                channel=PaymentChannel.BILLING_CODE,
                status=PaymentStatus.CONFIRMED,
                value_date__gte=timezone.localdate(timezone=office.zone).replace(day=1),
            ),
        ),
    )
    cash = Invoice.objects.filter(
        order__office=office,
        order__channel=OrderChannel.WALK_IN,
        status=InvoiceStatus.ISSUED,
        pay_by_transfer=False,
    ).aggregate(n=Count("pk"), oldest=Min("issued_at"))
    payment_list = reverse("admin:billing_payment_changelist")
    invoice_list = reverse("admin:billing_invoice_changelist")
    return [
        WorkItem(
            label=_("Transfer proofs to verify"),
            count=counts["proofs"],
            url=f"{payment_list}?status__exact=pending&channel__exact=transfer",
            oldest=counts["proofs_oldest"],
            position=0,
        ),
        WorkItem(
            label=_("Walk-in invoices to take in cash"),
            count=cash["n"],
            url=f"{invoice_list}?desk=cash",
            oldest=cash["oldest"],
            position=1,
        ),
        WorkItem(
            label=_("Billing-code payments this month, to reconcile"),
            count=counts["reconcile"],
            url=f"{payment_list}?desk=reconcile_month",
            position=2,
        ),
        WorkItem(
            label=_("Refunds due"),
            count=counts["refunds"],
            url=f"{payment_list}?status__exact=refund_due",
            oldest=counts["refunds_oldest"],
            position=3,
        ),
    ]


def _months_back(today: date, count: int) -> date:
    month, year = today.month - (count - 1), today.year
    while month < 1:
        month, year = month + 12, year - 1
    return date(year, month, 1)


def revenue_figures(request: HttpRequest) -> dict:
    """The office's PNBP revenue of this month and the months before it, as bars."""
    office = office_of(request.user)
    if office is None:
        return {}
    today = timezone.localdate()
    report = revenue_report(
        start=_months_back(today, REVENUE_MONTHS), end=today, office_ids=[office.pk]
    )
    bars = [
        Bar(formats.date_format(month.month, "M Y"), month.total, rupiah(month.total))
        for month in report.months
    ]
    this_month = report.months[-1] if report.months else None
    return {
        "revenue": {
            "month_total": rupiah(this_month.total if this_month else 0),
            "month_count": this_month.count if this_month else 0,
            "bars": bars_scaled(bars),
            "url": reverse("reports:revenue"),
        }
    }


def work_sources_register() -> None:
    work_source_register(
        WorkSource(roles=frozenset({"treasurer"}), section="treasurer", items=treasurer_work)
    )
    for role in ("head", "treasurer"):
        figures_panel_register(
            FiguresPanel(
                roles=frozenset({role}),
                section=role,
                template="work/_revenue.html",
                context=revenue_figures,
                position=2,
            )
        )
