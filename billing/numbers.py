"""Document numbers (gap-free per kind and year) and the invoice's month."""

import calendar
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import DocumentSequence


def document_number_next(*, kind: str, prefix: str) -> str:
    """INV/3304/2026/000123: gap-free per kind and year, under a row lock."""
    year = timezone.localdate().year
    with transaction.atomic():
        try:
            with transaction.atomic():
                DocumentSequence.objects.get_or_create(kind=kind, year=year)
        except IntegrityError:  # made a moment ago by another request
            pass
        sequence = DocumentSequence.objects.select_for_update().get(kind=kind, year=year)
        sequence.last += 1
        sequence.save(update_fields=["last"])
    return f"{prefix}/{settings.OFFICE['code']}/{year}/{sequence.last:06d}"


def add_month(moment: datetime) -> datetime:
    """The same day a month later; the month's last day when it has fewer days."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
