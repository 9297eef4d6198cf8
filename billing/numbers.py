"""Document numbers (gap-free per office, kind and year) and the invoice's month."""

import calendar
from datetime import datetime, time, timedelta

from django.utils import timezone

from offices.models import Office
from offices.services import number_next


def document_number_next(*, kind: str, prefix: str, office: Office) -> str:
    """INV/3304/2026/000123: gap-free per office, kind and year (the office's own year: its
    clock says when it turns), under a row lock."""
    year = timezone.localdate(timezone=office.zone).year
    number = number_next(kind=kind, year=year, office=office)
    return f"{prefix}/{office.code}/{year}/{number:06d}"


def valid_until_of(*, issued_at: datetime, office: Office) -> datetime:
    """An invoice is valid for a month, to the end of its last day on the serving office's clock:
    "valid until 25 December 2026" holds until 23:59:59 that day in Banjarnegara (WIB) or in
    Tana Tidung (WITA), so the printed date, the sweep and the payments agree."""
    last_day = add_month(timezone.localtime(issued_at, office.zone)).date()
    next_midnight = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=office.zone)
    return next_midnight - timedelta(microseconds=1)


def add_month(moment: datetime) -> datetime:
    """The same day a month later; the month's last day when it has fewer days."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
