"""Work a lost task left undone, handed out again: like the outbox, every background job that
matters is recorded in the database first (a confirmed payment, an issued invoice), so a broker
that was down when it was queued delays it but loses nothing."""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from silastik.background import enqueue

from ..models import Invoice, InvoiceStatus, Payment, PaymentStatus
from ..tasks import invoice_render, receipt_issue

# A task queued the normal way has had its chance by then; a sweep never races it.
RECOVERY_GRACE = timedelta(minutes=2)
# Per sweep; the next sweep takes the rest (a long outage leaves many).
RECOVERY_BATCH = 500


def billing_recover(*, now: datetime | None = None) -> int:
    """Queue again the receipts of confirmed payments that have none (or no PDF) and the PDFs
    of invoices that have none. The tasks are idempotent: a receipt is issued once however
    often it is queued. Returns how many tasks were handed to the broker."""
    before = (now or timezone.now()) - RECOVERY_GRACE
    payments = (
        Payment.objects.filter(status=PaymentStatus.CONFIRMED, decided_at__lt=before)
        .filter(Q(receipt__isnull=True) | Q(receipt__pdf=""))
        .order_by("decided_at")
        .values_list("pk", flat=True)[:RECOVERY_BATCH]
    )
    invoices = (
        Invoice.objects.filter(
            status__in=[InvoiceStatus.ISSUED, InvoiceStatus.PAID], pdf="", issued_at__lt=before
        )
        .order_by("issued_at")
        .values_list("pk", flat=True)[:RECOVERY_BATCH]
    )
    queued = sum(enqueue(receipt_issue, pk) for pk in payments)
    return queued + sum(enqueue(invoice_render, pk) for pk in invoices)
