"""Service-standard clock: working days, due dates and SLA time used by an order.

The standard (docs/domain.md, "Service standards") counts working days: weekends, national
holidays and joint leave days (cuti bersama) do not count. Time runs only while staff or
the treasurer own the order; the caller decides ownership and passes a predicate.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

import holidays
from django.utils import timezone

SLA_STANDARD_DAYS = 10
CORRECTION_STANDARD_DAYS = 5
# Staff are reminded two days before the standard runs out, so there is time to act.
SLA_WARNING_DAYS = 8

SlaState = Literal["ok", "near", "late"]

_SATURDAY = 5


@lru_cache(maxsize=32)
def _holidays(year: int) -> frozenset[date]:
    # "government" adds the joint leave days decreed each year; "public" alone misses them
    # and would count e.g. the days around Eid al-Fitr as working days.
    calendar = holidays.country_holidays("ID", years=year, categories=("public", "government"))
    return frozenset(calendar)


def is_working_day(day: date) -> bool:
    return day.weekday() < _SATURDAY and day not in _holidays(day.year)


def _local_date(moment: datetime) -> date:
    # The office works on Jakarta dates: 23:30 WIB is still "today" although UTC says 16:30.
    return timezone.localtime(moment).date()


def working_days_between(*, start: datetime, end: datetime) -> int:
    """Working days d with start's local date < d <= end's local date; never negative."""
    first, last = _local_date(start), _local_date(end)
    span = (last - first).days
    return sum(is_working_day(first + timedelta(days=n)) for n in range(1, span + 1))


def add_working_days(*, start: datetime, days: int) -> date:
    """The local date `days` working days after start's local date (a due date)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = _local_date(start)
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


@dataclass(frozen=True)
class SlaInterval:
    start: datetime
    end: datetime | None  # None: the order is still with staff


def sla_days_used(*, intervals: Iterable[SlaInterval], now: datetime) -> int:
    """Working days used over staff-owned intervals; open or future ends count up to `now`."""
    return sum(
        working_days_between(start=interval.start, end=min(interval.end or now, now))
        for interval in intervals
    )


def intervals_owned(
    *,
    changes: Sequence[tuple[datetime, str]],
    owned: Callable[[str], bool],
    now: datetime,
) -> list[SlaInterval]:
    """Intervals in which `owned(status)` holds, from chronological (moment, new status) changes.

    Changes after `now` are ignored so that figures can be computed as of a past moment
    (e.g. a monthly report). Consecutive owned statuses (submitted -> preparing) form one
    interval, since the clock does not stop between them.
    """
    intervals: list[SlaInterval] = []
    opened: datetime | None = None
    for moment, status in changes:
        if moment > now:
            break
        if owned(status) and opened is None:
            opened = moment
        elif not owned(status) and opened is not None:
            intervals.append(SlaInterval(start=opened, end=moment))
            opened = None
    if opened is not None:
        intervals.append(SlaInterval(start=opened, end=None))
    return intervals


def sla_state(*, used: int, standard: int = SLA_STANDARD_DAYS) -> SlaState:
    if used > standard:
        return "late"
    # Two days of warning, as SLA_WARNING_DAYS is for the 10-day standard.
    if used >= standard - 2:
        return "near"
    return "ok"
