"""Agreements a lost task left unrendered, handed out again (see billing.services.recovery)."""

from datetime import datetime

from django.utils import timezone

from silastik.background import SWEEP_BATCH, SWEEP_GRACE, enqueue_once

from ..models import Order, SppdStatus
from ..tasks import sppd_render
from .agreement import SPPD_SHOWN


def orders_recover(*, now: datetime | None = None) -> int:
    """Queue again the agreement (SPPD) of offers that have none; the task renders it only if
    the order still has none and still shows one. Returns how many tasks were queued."""
    before = (now or timezone.now()) - SWEEP_GRACE
    missing = (
        Order.objects.filter(status__in=SPPD_SHOWN, status_changed_at__lt=before, sppd_document="")
        .exclude(sppd_status=SppdStatus.NOT_NEEDED)
        .order_by("status_changed_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return sum(enqueue_once(sppd_render, pk, True) for pk in missing)
