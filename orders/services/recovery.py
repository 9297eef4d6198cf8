"""Agreements a lost task left unrendered, handed out again (see billing.services.recovery)."""

from datetime import datetime, timedelta

from django.utils import timezone

from silastik.background import enqueue

from ..models import Order, SppdStatus
from ..tasks import sppd_render
from .agreement import SPPD_SHOWN

RECOVERY_GRACE = timedelta(minutes=2)
RECOVERY_BATCH = 500


def orders_recover(*, now: datetime | None = None) -> int:
    """Queue again the agreement (SPPD) of offers that have none. Rendering twice leaves one
    file. Returns how many tasks were handed to the broker."""
    before = (now or timezone.now()) - RECOVERY_GRACE
    missing = (
        Order.objects.filter(status__in=SPPD_SHOWN, status_changed_at__lt=before, sppd_document="")
        .exclude(sppd_status=SppdStatus.NOT_NEEDED)
        .order_by("status_changed_at")
        .values_list("pk", flat=True)[:RECOVERY_BATCH]
    )
    return sum(enqueue(sppd_render, pk) for pk in missing)
