"""Work a lost task left undone, handed out again: like the outbox, every background job that
matters is recorded in the database first (a confirmed payment, an issued invoice), so a broker
that was down when it was queued delays it but loses nothing."""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from silastik.background import SWEEP_BATCH, SWEEP_GRACE, enqueue_once

from ..models import Invoice, InvoiceStatus, Payment, PaymentStatus
from ..tasks import invoice_render, receipt_issue


def billing_recover(*, now: datetime | None = None) -> int:
    """Queue again the receipts of confirmed payments that have none (or no PDF) and the PDFs
    of invoices that have none. A receipt is issued once however often it is queued, and an
    invoice queued here is rendered only if it still has no PDF. Returns how many tasks were
    handed to the broker."""
    before = (now or timezone.now()) - SWEEP_GRACE
    payments = (
        Payment.objects.filter(status=PaymentStatus.CONFIRMED, decided_at__lt=before)
        .filter(Q(receipt__isnull=True) | Q(receipt__pdf=""))
        .order_by("decided_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    invoices = (
        Invoice.objects.filter(
            status__in=[InvoiceStatus.ISSUED, InvoiceStatus.PAID], pdf="", issued_at__lt=before
        )
        .order_by("issued_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    queued = sum(enqueue_once(receipt_issue, pk) for pk in payments)
    return queued + sum(enqueue_once(invoice_render, pk, True) for pk in invoices)
