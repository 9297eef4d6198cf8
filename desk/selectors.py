"""What the queue display and the staff desk show: a few aggregate queries each."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from offices.models import Office
from offices.selectors import offices_active

from .models import SERVICE_LETTERS, Desk, Purpose, Visit, VisitStatus
from .services import (
    ABSENT_UNDO_SECONDS,
    BUSY,
    STANDARD_SECONDS,
    absent_undoable,
    office_today,
)

# A recall makes the display flash the number for this long.
FLASH = timedelta(seconds=15)
RECENT = 6


@dataclass(frozen=True)
class DeskSlot:
    desk: Desk
    visit: Visit | None
    flash: bool


@dataclass(frozen=True)
class ServiceLine:
    letter: str
    label: str
    waiting: int


@dataclass(frozen=True)
class Board:
    slots: tuple[DeskSlot, ...]
    lines: tuple[ServiceLine, ...]
    recent: tuple[Visit, ...]


def walk_in_offices() -> QuerySet[Office]:
    """The offices whose kiosk and queue display answer: the active ones. Any other code in an
    address is not found."""
    return offices_active().order_by("code")


def _lines(office: Office, day: date) -> tuple[ServiceLine, ...]:
    counts = dict(
        Visit.objects.filter(office=office, day=day, status=VisitStatus.WAITING)
        .values_list("line")
        .annotate(n=Count("pk"))
        .order_by()
    )
    labels = dict(Purpose.choices)
    return tuple(
        ServiceLine(letter, str(labels[purpose]), counts.get(letter, 0))
        for purpose, letter in SERVICE_LETTERS.items()
    )


def queue_board(*, office: Office, now: datetime | None = None) -> Board:
    """Per open desk of the office the ticket it serves, the waiting lines, the last tickets
    called: the office's day only."""
    now = now or timezone.now()
    day = office_today(office, now)
    visits = Visit.objects.filter(office=office, day=day)
    current = {
        visit.desk_id: visit for visit in visits.filter(status__in=BUSY).order_by("called_at")
    }
    slots = tuple(
        DeskSlot(desk, current.get(desk.pk), _flashing(current.get(desk.pk), now))
        for desk in Desk.objects.filter(office=office, active=True)
    )
    recent = tuple(
        visits.filter(called_at__isnull=False)
        .select_related("desk")
        .order_by("-called_at")[:RECENT]
    )
    return Board(slots, _lines(office, day), recent)


def _flashing(visit: Visit | None, now: datetime) -> bool:
    return bool(visit and visit.last_called_at and now - visit.last_called_at < FLASH)


@dataclass(frozen=True)
class DeskDay:
    served: int
    absent: int
    within: int
    calls: int
    last_done: datetime | None
    referred: int = 0

    @property
    def share_within(self) -> int | None:
        return round(100 * self.within / self.calls) if self.calls else None


def desk_day(*, desk: Desk, now: datetime | None = None) -> DeskDay:
    """The desk's day so far: served, not present, sent on to consultation, calls within the
    10-minute standard, and when it last finished with a visitor (one query)."""
    day = office_today(desk.office, now)
    here = Q(desk=desk)
    row = Visit.objects.filter(here | Q(referred_from=desk), day=day).aggregate(
        served=Count("pk", filter=here & Q(status=VisitStatus.DONE)),
        absent=Count("pk", filter=here & Q(status=VisitStatus.ABSENT)),
        calls=Count("pk", filter=here & Q(response_seconds__isnull=False)),
        within=Count("pk", filter=here & Q(response_seconds__lte=STANDARD_SECONDS)),
        referred=Count("pk", filter=Q(referred_from=desk)),
        last_done=Max("finished_at", filter=here),
        last_referred=Max("referred_at", filter=Q(referred_from=desk)),
    )
    finished = [m for m in (row["last_done"], row["last_referred"]) if m is not None]
    return DeskDay(
        served=row["served"],
        absent=row["absent"],
        within=row["within"],
        calls=row["calls"],
        last_done=max(finished, default=None),
        referred=row["referred"],
    )


def oldest_waiting(*, office: Office, now: datetime | None = None) -> datetime | None:
    """When the longest-waiting ticket of the office's day was taken, if anyone waits whose
    call the 10-minute standard measures (a visit sent on to consultation was served)."""
    return (
        Visit.objects.filter(
            office=office,
            day=office_today(office, now),
            status=VisitStatus.WAITING,
            called_at__isnull=True,
        )
        .order_by("issued_at")
        .values_list("issued_at", flat=True)
        .first()
    )


def standard_clock_since(
    *, last_done: datetime | None, oldest: datetime | None
) -> tuple[datetime | None, bool]:
    """Where the desk's live 10-minute clock runs from, as the call will record it: the later
    of its last visitor done and the longest-waiting ticket; the ticket itself before the
    desk's first visitor of the day. Also whether that is the ticket. None while nobody waits."""
    if oldest is None:
        return None, False
    if last_done is None or oldest >= last_done:
        return oldest, True
    return last_done, False


def desk_absent_undoable(*, desk: Desk, now: datetime | None = None) -> Visit | None:
    """The visitor this desk marked not present in the last minute, while it can still take
    it back (nobody called since)."""
    now = now or timezone.now()
    visit = (
        Visit.objects.filter(
            desk=desk,
            day=office_today(desk.office, now),
            status=VisitStatus.ABSENT,
            finished_at__gte=now - timedelta(seconds=ABSENT_UNDO_SECONDS),
            finished_at__lte=now,
        )
        .order_by("-finished_at")
        .first()
    )
    if visit is None or not absent_undoable(visit, desk=desk, now=now):
        return None
    return visit
