"""Document numbers (gap-free per office, kind and year) and the invoice's month."""

import calendar
from datetime import datetime

from django.utils import timezone

from offices.models import Office
from offices.services import number_next


def document_number_next(*, kind: str, prefix: str, office: Office) -> str:
    """INV/3304/2026/000123: gap-free per office, kind and year (the office's own year: its
    clock says when it turns), under a row lock."""
    year = timezone.localdate(timezone=office.zone).year
    number = number_next(kind=kind, year=year, office=office)
    return f"{prefix}/{office.code}/{year}/{number:06d}"


def add_month(moment: datetime) -> datetime:
    """The same day a month later; the month's last day when it has fewer days."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
