"""What the desk did: an office's day for its staff and head, every office's day side by side
for the national roles, and the walk-in figures of the IKM analysis. Every figure is an
aggregate computed by the database; no visit is loaded to count."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Q,
    QuerySet,
)
from django.db.models.functions import ExtractHour
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.models import Office
from silastik.spreadsheets import spreadsheet_safe
from silastik.users.models import Segment

from .models import Purpose, Visit, VisitStatus
from .services import STANDARD_SECONDS

WAITING = ExpressionWrapper(F("called_at") - F("issued_at"), output_field=DurationField())
SERVICE = ExpressionWrapper(F("finished_at") - F("serving_at"), output_field=DurationField())
OPEN = (VisitStatus.WAITING, VisitStatus.CALLED, VisitStatus.SERVING)


@dataclass(frozen=True, order=True)
class Duration:
    """A length of time shown as minutes:seconds (4:05), the way the desk counts it."""

    seconds: int

    def __str__(self) -> str:
        minutes, seconds = divmod(self.seconds, 60)
        return f"{minutes}:{seconds:02d}"

    @classmethod
    def of(cls, value: timedelta | None) -> "Duration | None":
        return None if value is None else cls(max(round(value.total_seconds()), 0))


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class VisitFigures:
    tickets: int
    served: int
    absent: int
    still_open: int  # waiting, called or being served when the figures were read
    referred: int  # data requests sent on to statistical consultation
    calls: int  # calls measured against the 10-minute standard
    within_standard: int
    waiting_median: Duration | None  # ticket to call, of every visitor called
    waiting_max: Duration | None
    service_median: Duration | None  # start to finish, of every visitor served
    service_max: Duration | None
    standard_minutes: int = STANDARD_SECONDS // 60

    @property
    def share_within(self) -> Decimal | None:
        return _share(self.within_standard, self.calls)


def visit_figures(visits: QuerySet[Visit]) -> VisitFigures:
    """Counts, medians and maxima of a set of visits: three queries, however many visits."""
    row = visits.aggregate(
        tickets=Count("pk"),
        served=Count("pk", filter=Q(status=VisitStatus.DONE)),
        absent=Count("pk", filter=Q(status=VisitStatus.ABSENT)),
        still_open=Count("pk", filter=Q(status__in=OPEN)),
        referred=Count("pk", filter=Q(redirected_to_consultation=True)),
        calls=Count("pk", filter=Q(response_seconds__isnull=False)),
        within=Count("pk", filter=Q(response_seconds__lte=STANDARD_SECONDS)),
        waited=Count("pk", filter=Q(called_at__isnull=False)),
        timed=Count("pk", filter=Q(status=VisitStatus.DONE, serving_at__isnull=False)),
        waiting_max=Max(WAITING),
        service_max=Max(SERVICE, filter=Q(status=VisitStatus.DONE)),
    )
    waited = visits.filter(called_at__isnull=False)
    timed = visits.filter(
        status=VisitStatus.DONE, serving_at__isnull=False, finished_at__isnull=False
    )
    return VisitFigures(
        tickets=row["tickets"],
        served=row["served"],
        absent=row["absent"],
        still_open=row["still_open"],
        referred=row["referred"],
        calls=row["calls"],
        within_standard=row["within"],
        waiting_median=_median(waited, WAITING, row["waited"]),
        waiting_max=Duration.of(row["waiting_max"]),
        service_median=_median(timed, SERVICE, row["timed"]),
        service_max=Duration.of(row["service_max"]),
    )


def _median(visits: QuerySet[Visit], length: ExpressionWrapper, count: int) -> Duration | None:
    # The middle one or two values read with OFFSET from the sorted expression: the same on
    # every database, and no row is loaded but those (as feedback.analysis does for days).
    if not count:
        return None
    ordered = visits.annotate(length=length).order_by("length").values_list("length", flat=True)
    middle = list(ordered[(count - 1) // 2 : count // 2 + 1])
    return Duration.of(sum(middle, timedelta()) / len(middle))


def walk_in_figures(*, start: date, end: date, office_ids: list[int] | None = None) -> VisitFigures:
    """The walk-in desk over a period (both days included), for the IKM analysis: of the given
    offices, or of every office (None)."""
    visits = Visit.objects.filter(day__gte=start, day__lte=end)
    if office_ids is not None:
        visits = visits.filter(office_id__in=office_ids)
    return visit_figures(visits)


# --- the day's report -----------------------------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class DeskRow:
    number: int
    name: str
    calls: int
    served: int
    absent: int
    within_standard: int
    waiting_average: Duration | None
    service_average: Duration | None
    service_max: Duration | None

    @property
    def share_within(self) -> Decimal | None:
        return _share(self.within_standard, self.calls)


@dataclass(frozen=True)
class HourBar:
    hour: int
    tickets: int
    served: int
    x: int
    center: int
    y: int
    height: int
    served_y: int
    served_height: int


@dataclass(frozen=True)
class HourChart:
    bars: tuple[HourBar, ...]
    ticks: tuple[tuple[int, int], ...]  # (tickets, y)
    width: int
    height: int
    left: int
    baseline: int
    bar_width: int


@dataclass(frozen=True)
class VisitRow:
    visit: Visit
    waiting: Duration | None
    service: Duration | None

    @property
    def late(self) -> bool:
        """Called more than the standard's 10 minutes after the previous visitor was done."""
        seconds = self.visit.response_seconds
        return seconds is not None and seconds > STANDARD_SECONDS


@dataclass(frozen=True)
class DayReport:
    office: Office
    day: date
    figures: VisitFigures
    purposes: tuple[CountRow, ...]
    segments: tuple[CountRow, ...]
    desks: tuple[DeskRow, ...]
    chart: HourChart
    visits: tuple[VisitRow, ...]


def _counts(
    visits: QuerySet[Visit], field: str, choices: list[tuple[str, str]]
) -> tuple[CountRow, ...]:
    counted = dict(visits.order_by().values(field).annotate(n=Count("pk")).values_list(field, "n"))
    return tuple(CountRow(key, label, counted.get(key, 0)) for key, label in choices)


def _desks(visits: QuerySet[Visit]) -> tuple[DeskRow, ...]:
    rows = (
        visits.filter(desk__isnull=False)
        .order_by()
        .values("desk__number", "desk__name")
        .annotate(
            calls=Count("pk", filter=Q(response_seconds__isnull=False)),
            served=Count("pk", filter=Q(status=VisitStatus.DONE)),
            absent=Count("pk", filter=Q(status=VisitStatus.ABSENT)),
            within=Count("pk", filter=Q(response_seconds__lte=STANDARD_SECONDS)),
            waiting_average=Avg(WAITING),
            service_average=Avg(SERVICE, filter=Q(status=VisitStatus.DONE)),
            service_max=Max(SERVICE, filter=Q(status=VisitStatus.DONE)),
        )
        .order_by("desk__number")
    )
    return tuple(
        DeskRow(
            number=row["desk__number"],
            name=row["desk__name"],
            calls=row["calls"],
            served=row["served"],
            absent=row["absent"],
            within_standard=row["within"],
            waiting_average=Duration.of(row["waiting_average"]),
            service_average=Duration.of(row["service_average"]),
            service_max=Duration.of(row["service_max"]),
        )
        for row in rows
    )


def _hours(visits: QuerySet[Visit], office: Office) -> dict[int, tuple[int, int]]:
    # The hour on the office's own clock (WIB, WITA or WIT), not in UTC nor in Jakarta.
    rows = (
        visits.order_by()
        .annotate(hour=ExtractHour("issued_at", tzinfo=office.zone))
        .values("hour")
        .annotate(tickets=Count("pk"), served=Count("pk", filter=Q(status=VisitStatus.DONE)))
    )
    return {row["hour"]: (row["tickets"], row["served"]) for row in rows}


# The hour chart: the office's hours always, more when tickets were taken outside them.
OPENS, CLOSES = 8, 15
SLOT, BAR, CHART_LEFT, CHART_TOP, PLOT, CHART_BOTTOM = 40, 26, 36, 12, 150, 24
TICKS = 4


def hour_chart(hours: dict[int, tuple[int, int]]) -> HourChart:
    first = min([OPENS, *hours])
    last = max([CLOSES, *hours])
    step = max(1, -(-max([0, *(t for t, _s in hours.values())]) // TICKS))  # ceiling
    scale = step * TICKS
    baseline = CHART_TOP + PLOT

    def height(value: int) -> int:
        return round(value * PLOT / scale)

    bars = []
    for i, hour in enumerate(range(first, last + 1)):
        tickets, served = hours.get(hour, (0, 0))
        x = CHART_LEFT + i * SLOT + (SLOT - BAR) // 2
        bars.append(
            HourBar(
                hour=hour,
                tickets=tickets,
                served=served,
                x=x,
                center=x + BAR // 2,
                y=baseline - height(tickets),
                height=height(tickets),
                served_y=baseline - height(served),
                served_height=height(served),
            )
        )
    return HourChart(
        bars=tuple(bars),
        ticks=tuple((value, baseline - height(value)) for value in range(0, scale + 1, step)),
        width=CHART_LEFT + len(bars) * SLOT + 8,
        height=baseline + CHART_BOTTOM,
        left=CHART_LEFT,
        baseline=baseline,
        bar_width=BAR,
    )


def day_report(*, office: Office, day: date) -> DayReport:
    """The office desk's day (on its clock): eight queries, however many visitors came."""
    visits = Visit.objects.filter(office=office, day=day)
    return DayReport(
        office=office,
        day=day,
        figures=visit_figures(visits),
        purposes=_counts(visits, "purpose", Purpose.choices),
        segments=_counts(visits, "segment", Segment.choices),
        desks=_desks(visits),
        chart=hour_chart(_hours(visits, office)),
        visits=tuple(
            VisitRow(visit, _seconds(visit.waiting_seconds), _seconds(visit.service_seconds))
            for visit in visits.select_related("visitor", "desk", "served_by").order_by(
                "issued_at", "pk"
            )
        ),
    )


def _seconds(value: int | None) -> Duration | None:
    return None if value is None else Duration(max(value, 0))


def _text(value: object) -> str:
    return "" if value is None else str(value)


def day_csv(report: DayReport) -> str:
    """The day's visits, one row each, for a spreadsheet; guest-book text that looks like a
    formula is made inert."""
    out = io.StringIO()
    write = csv.writer(out).writerow
    write(
        [
            _("Ticket"),
            _("Purpose"),
            _("Segment"),
            _("Institution"),
            _("Ticket taken at"),
            _("Called at"),
            _("Service started at"),
            _("Finished at"),
            _("Waiting time (min:sec)"),
            _("Service time (min:sec)"),
            _("Seconds to the call"),
            _("Desk"),
            _("Served by"),
            _("Status"),
        ]
    )
    for row in report.visits:
        visit = row.visit
        write(
            [
                visit.ticket,
                visit.get_purpose_display(),
                visit.get_segment_display(),
                spreadsheet_safe(visit.visitor.institution),
                _clock(visit.issued_at, report.office),
                _clock(visit.called_at, report.office),
                _clock(visit.serving_at, report.office),
                _clock(visit.finished_at, report.office),
                _text(row.waiting),
                _text(row.service),
                _text(visit.response_seconds),
                visit.desk.name if visit.desk else "",
                visit.served_by.full_name if visit.served_by else "",
                visit.get_status_display(),
            ]
        )
    return out.getvalue()


def _clock(moment: datetime | None, office: Office) -> str:
    return f"{timezone.localtime(moment, office.zone):%H:%M:%S}" if moment else ""


# --- every office's day, side by side (national roles) ---------------------------------------


@dataclass(frozen=True)
class OfficeDayRow:
    """One office's day, or the total of the offices shown (office None)."""

    office: Office | None
    tickets: int
    served: int
    absent: int
    still_open: int
    referred: int
    calls: int
    within_standard: int
    waiting_average: Duration | None
    service_average: Duration | None

    @property
    def share_within(self) -> Decimal | None:
        return _share(self.within_standard, self.calls)


@dataclass(frozen=True)
class OfficesDay:
    day: date
    province: str
    rows: tuple[OfficeDayRow, ...]
    total: OfficeDayRow


DAY_FIGURES = {
    "tickets": Count("pk"),
    "served": Count("pk", filter=Q(status=VisitStatus.DONE)),
    "absent": Count("pk", filter=Q(status=VisitStatus.ABSENT)),
    "still_open": Count("pk", filter=Q(status__in=OPEN)),
    "referred": Count("pk", filter=Q(redirected_to_consultation=True)),
    "calls": Count("pk", filter=Q(response_seconds__isnull=False)),
    "within": Count("pk", filter=Q(response_seconds__lte=STANDARD_SECONDS)),
    "waiting_average": Avg(WAITING),
    "service_average": Avg(SERVICE, filter=Q(status=VisitStatus.DONE)),
}


def _office_day_row(office: Office | None, row: dict) -> OfficeDayRow:
    return OfficeDayRow(
        office=office,
        tickets=row.get("tickets") or 0,
        served=row.get("served") or 0,
        absent=row.get("absent") or 0,
        still_open=row.get("still_open") or 0,
        referred=row.get("referred") or 0,
        calls=row.get("calls") or 0,
        within_standard=row.get("within") or 0,
        waiting_average=Duration.of(row.get("waiting_average")),
        service_average=Duration.of(row.get("service_average")),
    )


def offices_day(*, offices: QuerySet[Office], day: date, province: str = "") -> OfficesDay:
    """Every given office's desk on the day (each on its own clock) and their total: three
    queries, however many offices and visitors. Averages, not medians: a median per office
    would cost a query each."""
    visits = Visit.objects.filter(day=day, office__in=offices)
    per_office = {
        row["office"]: row for row in visits.order_by().values("office").annotate(**DAY_FIGURES)
    }
    rows = tuple(_office_day_row(office, per_office.get(office.pk, {})) for office in offices)
    return OfficesDay(
        day=day,
        province=province,
        rows=rows,
        total=_office_day_row(None, visits.aggregate(**DAY_FIGURES)),
    )


def offices_day_csv(report: OfficesDay) -> str:
    """One row per office and the total, for a spreadsheet."""
    out = io.StringIO()
    write = csv.writer(out).writerow
    write(
        [
            _("Office code"),
            _("Office"),
            _("Visitors (tickets taken)"),
            _("Served"),
            _("Not present"),
            _("Still in the queue"),
            _("Sent to consultation"),
            _("Calls"),
            _("Calls within 10 minutes"),
            _("Average waiting (min:sec)"),
            _("Average service (min:sec)"),
        ]
    )
    for row in (*report.rows, report.total):
        write(
            [
                row.office.code if row.office else "",
                row.office.name if row.office else _("Total"),
                row.tickets,
                row.served,
                row.absent,
                row.still_open,
                row.referred,
                row.calls,
                row.within_standard,
                _text(row.waiting_average),
                _text(row.service_average),
            ]
        )
    return out.getvalue()
