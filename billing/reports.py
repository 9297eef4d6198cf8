"""The PNBP revenue report: confirmed payments of a period by product kind, channel and month."""

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _

from catalog.models import ProductKind
from orders.models import OrderLine

from .models import Payment, PaymentChannel, PaymentStatus

# Lines of a kind the catalog does not know, or a payment whose order has no priced lines.
OTHER = "other"


@dataclass(frozen=True)
class KindRow:
    kind: str
    label: str
    by_channel: tuple[int, ...]  # in the report's channel order
    total: int


@dataclass(frozen=True)
class MonthRow:
    month: date  # the first day of the month
    by_kind: tuple[int, ...]  # in the report's kind order
    total: int
    count: int


@dataclass(frozen=True)
class RevenueReport:
    start: date
    end: date
    channels: tuple[tuple[str, str], ...]  # (value, label)
    rows: tuple[KindRow, ...]
    channel_totals: tuple[int, ...]
    months: tuple[MonthRow, ...]
    total: int
    count: int
    # Per office side by side (national readers only); empty for one office's report.
    offices: tuple["OfficeRow", ...] = ()
    # Whose revenue: an office ("3304 BPS Kabupaten Banjarnegara"), or empty for all offices.
    scope: str = ""
    scope_code: str = ""

    @property
    def kinds(self) -> tuple[tuple[str, str], ...]:
        return tuple((row.kind, row.label) for row in self.rows)


@dataclass(frozen=True)
class OfficeRow:
    code: str
    name: str
    total: int
    count: int


def _payments(start: date, end: date, office_ids: Sequence[int] | None) -> QuerySet[Payment]:
    # Booked by the value date: the day the money arrived, as the bank statement says, which
    # the treasurer enters (a transfer confirmed on 1 March that arrived on 28 February is
    # February's revenue).
    payments = Payment.objects.filter(
        status=PaymentStatus.CONFIRMED, value_date__gte=start, value_date__lte=end
    )
    if office_ids is not None:
        payments = payments.filter(invoice__order__office_id__in=list(office_ids))
    return payments.order_by().annotate(month=TruncMonth("value_date"))


def _lines_total() -> Subquery:
    return Subquery(
        OrderLine.objects.filter(order=OuterRef("invoice__order"))
        .order_by()
        .values("order")
        .annotate(total=Sum("quoted_amount"))
        .values("total")
    )


def _month(value: date | datetime) -> date:
    if isinstance(value, datetime):
        value = value.date()
    return value.replace(day=1)


def _kind(value: str | None) -> str:
    return value if value in ProductKind.values else OTHER


def allocate(amount: int, weights: dict[str, int]) -> dict[str, int]:
    """Split `amount` in proportion to `weights` in whole rupiah that add up to `amount`
    (largest remainder)."""
    weight_sum = sum(weights.values())
    if weight_sum <= 0:
        return {OTHER: amount}
    shares = {key: amount * weight // weight_sum for key, weight in weights.items()}
    remainders = sorted(
        weights, key=lambda key: (amount * weights[key] % weight_sum, weights[key]), reverse=True
    )
    for key in remainders[: amount - sum(shares.values())]:
        shares[key] += 1
    return shares


def _kind_amounts(
    start: date, end: date, office_ids: Sequence[int] | None
) -> dict[tuple[date, str, str], int]:
    """Revenue per (month, channel, kind).

    A payment pays its invoice, and an invoice copies its order's lines, so normally a payment
    equals its order's lines and the database sums them per kind directly. A payment that does
    not (its order's lines changed after the invoice) is split over its order's kinds in
    proportion to the lines, per payment."""
    payments = _payments(start, end, office_ids).alias(lines_total=Coalesce(_lines_total(), 0))
    amounts: dict[tuple[date, str, str], int] = defaultdict(int)
    matching = (
        payments.filter(amount=F("lines_total"))
        .values("month", "channel", kind=F("invoice__order__lines__kind"))
        .annotate(amount=Coalesce(Sum("invoice__order__lines__quoted_amount"), 0))
    )
    for row in matching:
        amounts[_month(row["month"]), row["channel"], _kind(row["kind"])] += row["amount"]
    differing = (
        payments.exclude(amount=F("lines_total"))
        .values("pk", "amount", "month", "channel", kind=F("invoice__order__lines__kind"))
        .annotate(quoted=Coalesce(Sum("invoice__order__lines__quoted_amount"), 0))
    )
    weights: dict[tuple[int, int, date, str], dict[str, int]] = defaultdict(dict)
    for row in differing:
        key = (row["pk"], row["amount"], _month(row["month"]), row["channel"])
        kind = _kind(row["kind"])
        weights[key][kind] = weights[key].get(kind, 0) + row["quoted"]
    for (_pk, amount, month, channel), by_kind in weights.items():
        for kind, share in allocate(amount, by_kind).items():
            amounts[month, channel, kind] += share
    return amounts


def _months(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def revenue_report(
    *,
    start: date,
    end: date,
    office_ids: Sequence[int] | None = None,
    by_office: bool = False,
    scope: str = "",
    scope_code: str = "",
) -> RevenueReport:
    """Confirmed payments whose local (office) payment date falls in [start, end], of the
    orders served by `office_ids` (None: every office). Three queries, whatever the number of
    payments; a fourth puts the offices side by side when `by_office`."""
    totals = (
        _payments(start, end, office_ids)
        .values("month", "channel")
        .annotate(amount=Sum("amount"), count=Count("pk"))
    )
    month_totals: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for row in totals:
        month_total = month_totals[_month(row["month"])]
        month_total[0] += row["amount"]
        month_total[1] += row["count"]
    amounts = _kind_amounts(start, end, office_ids)

    channels = tuple(PaymentChannel.choices)
    kinds = list(ProductKind.choices)
    if any(kind == OTHER and amount for (_m, _c, kind), amount in amounts.items()):
        kinds.append((OTHER, _("Other")))
    cells: dict[tuple[str, str], int] = defaultdict(int)
    by_month_kind: dict[tuple[date, str], int] = defaultdict(int)
    for (month, channel, kind), amount in amounts.items():
        cells[kind, channel] += amount
        by_month_kind[month, kind] += amount

    rows = tuple(
        KindRow(
            kind=kind,
            label=str(label),
            by_channel=tuple(cells[kind, channel] for channel, _label in channels),
            total=sum(cells[kind, channel] for channel, _label in channels),
        )
        for kind, label in kinds
    )
    months = tuple(
        MonthRow(
            month=month,
            by_kind=tuple(by_month_kind[month, kind] for kind, _label in kinds),
            total=month_totals[month][0] if month in month_totals else 0,
            count=month_totals[month][1] if month in month_totals else 0,
        )
        for month in _months(start, end)
    )
    return RevenueReport(
        start=start,
        end=end,
        channels=tuple((channel, str(label)) for channel, label in channels),
        rows=rows,
        channel_totals=tuple(sum(row.by_channel[i] for row in rows) for i in range(len(channels))),
        months=months,
        total=sum(month.total for month in months),
        count=sum(month.count for month in months),
        offices=_office_rows(start, end, office_ids) if by_office else (),
        scope=scope,
        scope_code=scope_code,
    )


def _office_rows(start: date, end: date, office_ids: Sequence[int] | None) -> tuple[OfficeRow, ...]:
    rows = (
        _payments(start, end, office_ids)
        .values(code=F("invoice__order__office__code"), name=F("invoice__order__office__name"))
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by("code")
    )
    return tuple(
        OfficeRow(row["code"] or "", row["name"] or "", row["total"], row["count"]) for row in rows
    )


def _tables(report: RevenueReport) -> list[tuple[list, bool]]:
    """The report as rows of cells, each flagged when it is a heading or a total; shared by the
    CSV and the spreadsheet."""
    channel_labels = [label for _channel, label in report.channels]
    kind_labels = [label for _kind, label in report.kinds]
    offices: list[tuple[list, bool]] = []
    if report.offices:
        offices = [
            ([_("Office"), _("Payments"), _("Total")], True),
            *(([f"{row.code} {row.name}", row.count, row.total], False) for row in report.offices),
            ([_("National total"), report.count, report.total], True),
            ([], False),
        ]
    return [
        (
            [
                _("PNBP revenue"),
                report.start.isoformat(),
                report.end.isoformat(),
                report.scope or _("All offices"),
            ],
            True,
        ),
        ([], False),
        *offices,
        ([_("Product kind"), *channel_labels, _("Total")], True),
        *(([row.label, *row.by_channel, row.total], False) for row in report.rows),
        ([_("Total"), *report.channel_totals, report.total], True),
        ([], False),
        ([_("Month"), *kind_labels, _("Total"), _("Payments")], True),
        *(
            ([f"{month.month:%Y-%m}", *month.by_kind, month.total, month.count], False)
            for month in report.months
        ),
        ([_("Total"), *(row.total for row in report.rows), report.total, report.count], True),
    ]


def revenue_csv(report: RevenueReport) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(values for values, _heading in _tables(report))
    return out.getvalue()


def revenue_xlsx(report: RevenueReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "PNBP"
    bold = Font(bold=True)
    for values, heading in _tables(report):
        sheet.append(values)
        for cell in sheet[sheet.max_row] if values else ():
            if isinstance(cell.value, int):
                cell.number_format = "#,##0"
            if heading or cell.column == 1:
                cell.font = bold
    for column in range(1, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 24 if column == 1 else 18
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
