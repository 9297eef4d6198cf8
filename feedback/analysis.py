"""The IKM analysis of a period: every figure is an aggregate computed by the database.

An analysis covers a set of offices (`offices`: their ids; None for the whole network): one
office for its own people, any office, a province's or all of them for national readers, who
also see the offices side by side (`offices_compare`)."""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, NullIf, TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from catalog.models import ProductKind
from desk.reports import VisitFigures, walk_in_figures
from offices.models import Office
from orders.models import Order, OrderLine
from orders.sla import SLA_STANDARD_DAYS
from silastik.spreadsheets import spreadsheet_safe
from silastik.users.models import Segment

from .ikm import CODES, ELEMENTS, SPREADSHEET_WEIGHT, Element, Grade, grade_of, ikm_with_weight
from .models import Channel, Rating
from .selectors import EMPTY, IkmResult, ikm_of, ikm_result

WEAKEST_COUNT = 3
FOLLOW_UPS_SHOWN = 100
# A label given lazily (choices, gettext_lazy): a PDF renders it in its own language.
StrOrPromise = str | Promise


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as aware datetimes in the office's time zone, end exclusive."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )

    def previous(self) -> "Period":
        """The period to compare with: whole months with as many months before; a year or a
        month so far with the same days a year or a month earlier; else as many days before."""
        months = _whole_months(self)
        if months:
            start = _add_months(self.start, -months)
            return Period(start, self.start - timedelta(days=1))
        if self.start.day == 1 and self.start.month == 1 and self.end.year == self.start.year:
            return Period(_shift(self.start, years=-1), _shift(self.end, years=-1))
        if self.start.day == 1 and (self.end.year, self.end.month) == (
            self.start.year,
            self.start.month,
        ):
            start = _add_months(self.start, -1)
            return Period(start, _clamped(start, self.end.day))
        length = self.end - self.start
        end = self.start - timedelta(days=1)
        return Period(end - length, end)


def _clamped(month_start: date, day: int) -> date:
    """That day of the month, or the month's last day if it is shorter."""
    after = _add_months(month_start, 1)
    return min(month_start.replace(day=1) + timedelta(days=day - 1), after - timedelta(days=1))


def _shift(day: date, *, years: int) -> date:
    return _clamped(date(day.year + years, day.month, 1), day.day)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _whole_months(period: Period) -> int:
    """How many calendar months the period spans exactly, or 0 when it is not whole months."""
    if period.start.day != 1 or (period.end + timedelta(days=1)).day != 1:
        return 0
    after = period.end + timedelta(days=1)
    return (after.year - period.start.year) * 12 + after.month - period.start.month


@dataclass(frozen=True)
class ElementRow:
    element: Element
    nrr: Decimal | None
    previous: Decimal | None
    converted: Decimal | None
    grade: Grade | None

    @property
    def change(self) -> Decimal | None:
        if self.nrr is None or self.previous is None:
            return None
        return self.nrr - self.previous


@dataclass(frozen=True)
class GroupRow:
    key: str
    label: str
    result: IkmResult


@dataclass(frozen=True)
class MonthRow:
    month: date
    result: IkmResult


@dataclass(frozen=True)
class ServiceFigures:
    completed: int
    within_standard: int
    median_days: Decimal | None

    @property
    def share_within(self) -> Decimal | None:
        if not self.completed:
            return None
        return (Decimal(100) * self.within_standard / self.completed).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class ProfileRow:
    key: str
    label: StrOrPromise
    respondents: int
    share: Decimal | None  # percent of the respondents, one decimal


@dataclass(frozen=True)
class RespondentProfile:
    """Who the respondents of the analysis are: per segment, channel and product kind."""

    respondents: int
    by_segment: tuple[ProfileRow, ...]
    by_channel: tuple[ProfileRow, ...]
    by_kind: tuple[ProfileRow, ...]

    @property
    def sections(self) -> tuple[tuple[str, StrOrPromise, tuple[ProfileRow, ...]], ...]:
        """(key, title, rows) of each breakdown, as the page and the PDF list them."""
        return (
            ("segment", gettext_lazy("Segment"), self.by_segment),
            ("channel", gettext_lazy("Channel"), self.by_channel),
            ("kind", gettext_lazy("Product kind"), self.by_kind),
        )


@dataclass(frozen=True)
class IkmAnalysis:
    period: Period
    previous_period: Period
    channel: str
    kind: str
    current: IkmResult
    previous: IkmResult
    # The index as a spreadsheet weighing each element 0,111 instead of 1/9 reads it.
    spreadsheet_ikm: Decimal | None
    profile: RespondentProfile
    elements: tuple[ElementRow, ...]
    weakest: tuple[ElementRow, ...]
    by_channel: tuple[GroupRow, ...]
    by_kind: tuple[GroupRow, ...]
    months: tuple[MonthRow, ...]
    follow_ups: tuple[Rating, ...]
    follow_up_count: int
    follow_up_closed: int
    service: ServiceFigures
    # The walk-in desk's queue in the period; None when only online ratings are analysed.
    walk_in: VisitFigures | None = None
    standard_days: int = SLA_STANDARD_DAYS
    spreadsheet_weight: Decimal = SPREADSHEET_WEIGHT

    @property
    def change(self) -> Decimal | None:
        if self.current.ikm is None or self.previous.ikm is None:
            return None
        return self.current.ikm - self.previous.ikm

    @property
    def channel_label(self) -> str:
        return dict(Channel.choices).get(self.channel, _("All channels"))

    @property
    def kind_label(self) -> str:
        return dict(ProductKind.choices).get(self.kind, _("All products"))


KIND_FLAGS = {kind: f"with_{kind}" for kind in ProductKind.values}


OfficeIds = Sequence[int] | None


def ratings_in(
    *, period: Period, channel: str = "", kind: str = "", offices: OfficeIds = None
) -> QuerySet[Rating]:
    start, end = period.bounds()
    ratings = Rating.objects.filter(created_at__gte=start, created_at__lt=end)
    if offices is not None:
        ratings = ratings.filter(office_id__in=offices)
    if channel:
        ratings = ratings.filter(channel=channel)
    if kind:
        ratings = ratings.filter(**{KIND_FLAGS[kind]: True})
    return ratings


@dataclass(frozen=True)
class Cell:
    """Ratings of one month, one channel and one combination of product kinds: sums, not means,
    so that any union of cells gives the exact NRR."""

    month: date
    channel: str
    kinds: frozenset[str]
    respondents: int
    follow_ups: int
    closed: int
    sums: dict[str, int]


def _cells(ratings: QuerySet[Rating]) -> list[Cell]:
    """The period in one grouped pass; every table and chart of the analysis adds up cells."""
    rows = (
        ratings.order_by()
        .annotate(month=TruncMonth("created_at"))
        .values("month", "channel", *KIND_FLAGS.values())
        .annotate(
            n=Count("pk"),
            follow_ups=Count("pk", filter=Q(needs_follow_up=True)),
            closed=Count("pk", filter=Q(needs_follow_up=True, follow_up_closed_at__isnull=False)),
            **{code: Sum(code) for code in CODES},
        )
    )
    cells = []
    for row in rows:
        month = row["month"]
        cells.append(
            Cell(
                month=month.date() if isinstance(month, datetime) else month,
                channel=row["channel"],
                kinds=frozenset(kind for kind, flag in KIND_FLAGS.items() if row[flag]),
                respondents=row["n"],
                follow_ups=row["follow_ups"],
                closed=row["closed"],
                sums={code: row[code] for code in CODES},
            )
        )
    return cells


def _sums(cells: Iterable[Cell]) -> dict[str, int]:
    cells = list(cells)
    return {code: sum(cell.sums[code] for cell in cells) for code in CODES}


def _result(cells: Iterable[Cell]) -> IkmResult:
    cells = list(cells)
    return ikm_result(sum(cell.respondents for cell in cells), _sums(cells))


NOT_STATED = "not_stated"
NO_PRODUCT = "none"


def _share(count: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(100) * count / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _segments(ratings: QuerySet[Rating]) -> dict[str, int]:
    """Respondents per segment, in one grouped query. A walk-in rating takes the segment the
    visitor gave in the guest book for that visit (a student who comes back as a researcher
    counts as each, as the desk's report does); any other the ordering customer's, which an
    account may leave blank."""
    segment = Coalesce(
        NullIf("visit__segment", Value("")), NullIf("order__customer__segment", Value(""))
    )
    rows = ratings.order_by().annotate(segment=segment).values("segment").annotate(n=Count("pk"))
    return {row["segment"] or NOT_STATED: row["n"] for row in rows}


def respondent_profile(cells: list[Cell], segments: dict[str, int]) -> RespondentProfile:
    """The profile of the analysis' own respondents: channels and product kinds from its
    cells, segments from `_segments` over the same ratings, shares of the same total."""
    total = sum(cell.respondents for cell in cells)

    def row(key: str, label: StrOrPromise, respondents: int) -> ProfileRow:
        return ProfileRow(key, label, respondents, _share(respondents, total))

    by_segment = [row(value, label, segments.get(value, 0)) for value, label in Segment.choices]
    if not_stated := sum(n for key, n in segments.items() if key not in Segment.values):
        by_segment.append(row(NOT_STATED, gettext_lazy("Not stated"), not_stated))
    by_channel = [
        row(value, label, _respondents(_matching(cells, channel=value)))
        for value, label in Channel.choices
    ]
    by_kind = [
        row(value, label, _respondents(_matching(cells, kind=value)))
        for value, label in ProductKind.choices
    ]
    # A walk-in consultation or library visit rates a service without a product.
    if no_product := _respondents(cell for cell in cells if not cell.kinds):
        label = gettext_lazy("No product (consultation, library, other)")
        by_kind.append(row(NO_PRODUCT, label, no_product))
    return RespondentProfile(total, tuple(by_segment), tuple(by_channel), tuple(by_kind))


def _respondents(cells: Iterable[Cell]) -> int:
    return sum(cell.respondents for cell in cells)


def _matching(cells: list[Cell], *, channel: str = "", kind: str = "") -> list[Cell]:
    return [
        cell
        for cell in cells
        if (not channel or cell.channel == channel) and (not kind or kind in cell.kinds)
    ]


def service_figures(*, period: Period, kind: str = "", offices: OfficeIds = None) -> ServiceFigures:
    """Orders completed in the period and how many kept the 10-working-day standard."""
    start, end = period.bounds()
    orders = Order.objects.filter(
        completed_at__gte=start, completed_at__lt=end, working_days_used__isnull=False
    )
    if offices is not None:
        orders = orders.filter(office_id__in=offices)
    if kind:
        orders = orders.filter(Exists(OrderLine.objects.filter(order_id=OuterRef("pk"), kind=kind)))
    row = orders.aggregate(
        n=Count("pk"), within=Count("pk", filter=Q(working_days_used__lte=SLA_STANDARD_DAYS))
    )
    return ServiceFigures(row["n"], row["within"], _median_days(orders, row["n"]))


def _median_days(orders: QuerySet[Order], count: int) -> Decimal | None:
    # The middle one or two values, read with OFFSET from the sorted column: the same on every
    # database, and no row is loaded but those.
    if not count:
        return None
    ordered = orders.order_by("working_days_used").values_list("working_days_used", flat=True)
    middle = list(ordered[(count - 1) // 2 : count // 2 + 1])
    return Decimal(sum(middle)) / len(middle)


def ikm_analysis(
    *, period: Period, channel: str = "", kind: str = "", offices: OfficeIds = None
) -> IkmAnalysis:
    ratings = ratings_in(period=period, channel=channel, kind=kind, offices=offices)
    previous_period = period.previous()
    cells = _cells(ratings_in(period=period, offices=offices))
    chosen = _matching(cells, channel=channel, kind=kind)
    current = _result(chosen)
    spreadsheet_ikm = (
        ikm_with_weight(_sums(chosen), current.respondents, SPREADSHEET_WEIGHT)
        if current.respondents
        else None
    )
    previous = ikm_of(
        ratings_in(period=previous_period, channel=channel, kind=kind, offices=offices)
    )
    elements = tuple(
        ElementRow(
            element,
            current.nrr.get(element.code),
            previous.nrr.get(element.code),
            current.converted.get(element.code),
            grade_of(current.converted[element.code]) if current.respondents else None,
        )
        for element in ELEMENTS
    )
    weakest = sorted((row for row in elements if row.nrr is not None), key=lambda row: row.nrr)
    months = sorted({cell.month for cell in chosen})
    return IkmAnalysis(
        period=period,
        previous_period=previous_period,
        channel=channel,
        kind=kind,
        current=current,
        previous=previous,
        spreadsheet_ikm=spreadsheet_ikm,
        profile=respondent_profile(chosen, _segments(ratings)),
        elements=elements,
        weakest=tuple(weakest[:WEAKEST_COUNT]),
        by_channel=tuple(
            GroupRow(value, label, _result(_matching(cells, channel=value, kind=kind)))
            for value, label in Channel.choices
        ),
        by_kind=tuple(
            GroupRow(value, label, _result(_matching(cells, channel=channel, kind=value)))
            for value, label in ProductKind.choices
        ),
        months=tuple(
            MonthRow(month, _result(cell for cell in chosen if cell.month == month))
            for month in months
        ),
        follow_ups=tuple(
            ratings.filter(needs_follow_up=True)
            .select_related("office", "order", "visit", "follow_up_closed_by")
            # Open ones first, newest first: in a busy year these are the ones to read.
            .order_by(F("follow_up_closed_at").asc(nulls_first=True), "-created_at")[
                :FOLLOW_UPS_SHOWN
            ]
        ),
        follow_up_count=sum(cell.follow_ups for cell in chosen),
        follow_up_closed=sum(cell.closed for cell in chosen),
        service=service_figures(period=period, kind=kind, offices=offices),
        walk_in=None
        if channel == Channel.ONLINE
        else walk_in_figures(
            start=period.start,
            end=period.end,
            office_ids=None if offices is None else list(offices),
        ),
    )


# --- offices side by side -------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeRow:
    office: Office
    result: IkmResult
    follow_ups: int
    open_follow_ups: int


@dataclass(frozen=True)
class OfficeComparison:
    rows: tuple[OfficeRow, ...]
    total: IkmResult
    follow_ups: int
    open_follow_ups: int
    national: bool  # every office of the network, not a province's

    @property
    def rated(self) -> int:
        """How many of the offices listed have any rating in the period."""
        return sum(1 for row in self.rows if row.result.respondents)


def offices_compare(
    *, period: Period, channel: str = "", kind: str = "", offices: OfficeIds = None
) -> OfficeComparison:
    """Every office in scope with its index, respondents and follow-ups: one grouped query for
    the figures and one for the offices. Active offices are listed without ratings too (an
    office that collects none shows up); the total is computed from the sums, not averaged."""
    rows = {
        row["office_id"]: row
        for row in ratings_in(period=period, channel=channel, kind=kind, offices=offices)
        .order_by()
        .values("office_id")
        .annotate(
            n=Count("pk"),
            follow_ups=Count("pk", filter=Q(needs_follow_up=True)),
            open=Count("pk", filter=Q(needs_follow_up=True, follow_up_closed_at__isnull=True)),
            **{code: Sum(code) for code in CODES},
        )
    }
    listed = Office.objects.filter(Q(is_active=True) | Q(pk__in=list(rows)))
    if offices is not None:
        listed = listed.filter(pk__in=offices)
    table = tuple(
        OfficeRow(
            office,
            ikm_result(row["n"], {code: row[code] for code in CODES}) if row else EMPTY,
            row["follow_ups"] if row else 0,
            row["open"] if row else 0,
        )
        for office in listed.order_by("code")
        for row in [rows.get(office.pk)]
    )
    found = list(rows.values())
    return OfficeComparison(
        rows=table,
        total=ikm_result(
            sum(row["n"] for row in found),
            {code: sum(row[code] for row in found) for code in CODES},
        ),
        follow_ups=sum(row["follow_ups"] for row in found),
        open_follow_ups=sum(row["open"] for row in found),
        national=offices is None,
    )


def _number(value: object) -> str:
    if value is None:
        return ""
    return str(value.quantize(Decimal("0.01")) if isinstance(value, Decimal) else value)


def _duration(value: object) -> str:
    return "" if value is None else str(value)


def analysis_csv(
    analysis: IkmAnalysis, *, scope: str = "", comparison: OfficeComparison | None = None
) -> str:
    """The analysis as one CSV sheet of labelled tables, for spreadsheets; `scope` names the
    offices it covers, `comparison` lists them side by side."""
    out = io.StringIO()
    write = csv.writer(out).writerow

    current, previous = analysis.current, analysis.previous
    write([_("IKM report"), f"{analysis.period.start:%Y-%m-%d}", f"{analysis.period.end:%Y-%m-%d}"])
    if scope:
        write([_("Offices"), spreadsheet_safe(scope)])
    write([_("Channel"), analysis.channel_label])
    write([_("Product kind"), analysis.kind_label])
    write([])
    write(["", _("This period"), _("Previous period")])
    write([_("Respondents"), current.respondents, previous.respondents])
    write([_("IKM"), _number(current.ikm), _number(previous.ikm)])
    weighted = _("IKM with a weight of %(weight)s per element") % {
        "weight": analysis.spreadsheet_weight
    }
    write([weighted, _number(analysis.spreadsheet_ikm), ""])
    write(
        [
            _("Grade"),
            current.grade.letter if current.grade else "",
            previous.grade.letter if previous.grade else "",
        ]
    )
    write([])
    write([_("Element"), _("NRR"), _("NRR previous period"), _("Change"), _("Grade")])
    for row in analysis.elements:
        grade = row.grade.letter if row.grade else ""
        write(
            [row.element.name, _number(row.nrr), _number(row.previous), _number(row.change), grade]
        )
    write([])
    write([_("Group"), _("Respondents"), _("IKM"), _("Grade")])
    for group in (*analysis.by_channel, *analysis.by_kind):
        result = group.result
        write(
            [
                group.label,
                result.respondents,
                _number(result.ikm),
                result.grade.letter if result.grade else "",
            ]
        )
    write([])
    write([_("Respondents' profile"), _("Respondents"), "{} (%)".format(_("Share"))])
    for _section, title, rows in analysis.profile.sections:
        for entry in rows:
            share = "" if entry.share is None else str(entry.share)
            write([f"{title}: {entry.label}", entry.respondents, share])
    if comparison is not None:
        write([])
        write(
            [
                _("Office code"),
                _("Office"),
                _("Respondents"),
                _("IKM"),
                _("Grade"),
                _("Follow-ups"),
                _("Still open"),
            ]
        )
        for row in comparison.rows:
            result = row.result
            write(
                [
                    row.office.code,
                    spreadsheet_safe(row.office.name),
                    result.respondents,
                    _number(result.ikm),
                    result.grade.letter if result.grade else "",
                    row.follow_ups,
                    row.open_follow_ups,
                ]
            )
        total = comparison.total
        write(
            [
                "",
                _("Total"),
                total.respondents,
                _number(total.ikm),
                total.grade.letter if total.grade else "",
                comparison.follow_ups,
                comparison.open_follow_ups,
            ]
        )
    write([])
    service = analysis.service
    write([_("Orders completed"), service.completed])
    write([_("Within the standard (%)"), _number(service.share_within)])
    write([_("Median working days"), _number(service.median_days)])
    if walk_in := analysis.walk_in:
        write([_("Walk-in visitors served"), walk_in.served])
        write(
            [_("Median waiting time, ticket to call (min:sec)"), _duration(walk_in.waiting_median)]
        )
        write([_("Median service time (min:sec)"), _duration(walk_in.service_median)])
        within = _("Called within %(minutes)s minutes after the previous visitor (%%)") % {
            "minutes": walk_in.standard_minutes
        }
        write([within, _number(walk_in.share_within)])
    write([])
    by_office = comparison is not None
    office_column = [_("Office")] if by_office else []
    write([_("Rated at"), *office_column, _("Order or ticket"), _("Comment"), _("Outcome")])
    for rating in analysis.follow_ups:
        write(
            [
                f"{timezone.localtime(rating.created_at):%Y-%m-%d}",
                *([rating.office.code] if by_office else []),
                rating.reference,
                spreadsheet_safe(rating.comment),
                spreadsheet_safe(rating.follow_up_outcome) or pgettext("follow-up", "Open"),
            ]
        )
    return out.getvalue()
