"""Invoices, billing codes, payments and receipts: every change of money's state."""

import calendar
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from orders import services as order_services
from orders.models import Order
from orders.models import OrderStatus as OS
from orders.workflow import Actor, actor_of
from silastik.background import enqueue_on_commit
from silastik.users.models import Domicile

from .models import (
    BillingCode,
    DocumentSequence,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentChannel,
    PaymentStatus,
)


class BillingError(Exception):
    """A money move that is refused; nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _next_number(*, kind: str, prefix: str) -> str:
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


# --- invoices -------------------------------------------------------------------------------------


def invoice_issue(*, order: Order, by) -> Invoice | None:
    """Issue the invoice of an offer (called by the offer). A correction voids the open one and
    issues a new one; issued invoices never change. Rp0 orders get none."""
    now = timezone.now()
    customer = order.customer
    with transaction.atomic():
        replaced = invoices_void(order=order, reason=_("Replaced by a corrected invoice.")) or (
            # voided already when the customer asked for the correction
            Invoice.objects.filter(order=order, status=InvoiceStatus.VOID, replaced_by__isnull=True)
            .order_by("-issued_at")
            .first()
        )
        if order.total == 0:
            return None  # at the Rp0 tariff: nothing to pay, and no old bill left open
        invoice = Invoice.objects.create(
            number=_next_number(kind="invoice", prefix="INV"),
            order=order,
            issued_at=now,
            valid_until=add_month(timezone.localtime(now)),
            total=order.total,
            payer_name=customer.full_name,
            payer_email=customer.email,
            payer_institution=customer.institution,
            payer_address=customer.address,
            payer_npwp=customer.npwp,
            pay_by_transfer=customer.domicile == Domicile.ABROAD,
            issued_by=by,
            replaces=replaced,
        )
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=invoice,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.quoted_amount // max(line.quantity, 1),
                amount=line.quoted_amount,
                position=i,
            )
            for i, line in enumerate(order.lines.all())
        )
        if not invoice.pay_by_transfer:
            billing_code_issue(invoice=invoice)
        from .tasks import invoice_render

        enqueue_on_commit(invoice_render, invoice.pk)
    return invoice


def invoices_void(*, order: Order, reason: str) -> Invoice | None:
    """Close the order's open invoice (a correction, a cancellation) and withdraw its billing
    codes, so no one is asked to pay it any more. Returns the voided invoice."""
    now = timezone.now()
    voided = None
    for open_invoice in Invoice.objects.select_for_update().filter(
        order=order, status=InvoiceStatus.ISSUED
    ):
        open_invoice.status = InvoiceStatus.VOID
        open_invoice.voided_at = now
        open_invoice.void_reason = reason
        open_invoice.save(update_fields=["status", "voided_at", "void_reason"])
        _codes_withdraw(invoice=open_invoice, now=now)
        voided = open_invoice
    return voided


def _codes_withdraw(*, invoice: Invoice, now: datetime) -> None:
    # The real gateway is told to cancel them too (adapter); money that arrives anyway is
    # recorded as refund due, never lost.
    invoice.billing_codes.filter(expires_at__gt=now).update(expires_at=now)


def billing_code_issue(*, invoice: Invoice) -> BillingCode:
    from .gateway import BillingRequest, gateway

    issued = gateway().billing_create(
        request=BillingRequest(
            invoice_number=invoice.number,
            amount=invoice.total,
            payer_name=invoice.payer_name,
            payer_email=invoice.payer_email,
            description=_("Statistical products, order %(order)s")
            % {"order": invoice.order.number},
            expires_at=invoice.valid_until,
        )
    )
    return BillingCode.objects.create(
        code=issued.code, invoice=invoice, expires_at=issued.expires_at
    )


def billing_code_reissue(*, invoice: Invoice, by) -> BillingCode:
    """A lapsed code (7 days) can be replaced while the invoice's month runs."""
    if invoice.order.customer_id != by.pk:
        raise BillingError(_("You may not do this with this invoice."))
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        _payable_check(invoice)
        if invoice.pay_by_transfer:
            raise BillingError(_("This invoice is paid by bank transfer."))
        current = invoice.billing_codes.order_by("-issued_at").first()
        if current is not None and not current.is_lapsed():
            return current
        return billing_code_issue(invoice=invoice)


def _payable_check(invoice: Invoice, *, at: datetime | None = None) -> None:
    if invoice.status == InvoiceStatus.PAID:
        raise BillingError(_("This invoice is already paid."))
    # Expired even when the nightly sweep has not marked it yet.
    if invoice.status != InvoiceStatus.ISSUED or invoice.is_expired(at):
        raise BillingError(
            _("Invoice %(number)s is no longer valid: it expired on %(date)s.")
            % {
                "number": invoice.number,
                "date": f"{timezone.localtime(invoice.valid_until):%d-%m-%Y}",
            }
        )


# --- payments -------------------------------------------------------------------------------------


def _invoice_paid(*, invoice: Invoice, payment: Payment) -> None:
    """Inside the invoice's lock: mark it paid, settle the order, queue the receipt."""
    invoice.status = InvoiceStatus.PAID
    invoice.save(update_fields=["status"])
    invoice.payments.filter(status=PaymentStatus.PENDING).exclude(pk=payment.pk).update(
        status=PaymentStatus.REJECTED,
        reject_reason=_("The invoice was paid another way."),
        decided_at=timezone.now(),
    )
    order_services.order_settle(order=invoice.order, reference=payment.ntpn or payment.reference)
    from .tasks import receipt_issue

    enqueue_on_commit(receipt_issue, payment.pk)


def payment_notice_receive(*, payload: dict) -> tuple[Payment, bool]:
    """The gateway reports a billing-code payment. Signed; a repeated notice finds its payment
    (same NTPN) and changes nothing. Returns the payment and whether this call recorded it."""
    from .gateway import CallbackRejected, callback_secret, notice_verify

    notice = notice_verify(payload=payload, secret=callback_secret())
    with transaction.atomic():
        code = BillingCode.objects.filter(code=notice.code).first()
        if code is None:
            raise CallbackRejected("unknown billing code")
        invoice = Invoice.objects.select_for_update().get(pk=code.invoice_id)
        existing = Payment.objects.filter(
            Q(ntpn=notice.ntpn) | Q(notice_id=notice.notice_id)
        ).first()
        if existing is not None:
            return existing, False
        problem = _notice_problem(invoice=invoice, code=code, notice=notice)
        if problem:
            # The bank has the money: record it for the treasurer to refund, and answer so
            # the gateway stops retrying.
            payment = Payment.objects.create(
                invoice=invoice,
                channel=PaymentChannel.BILLING_CODE,
                status=PaymentStatus.REFUND_DUE,
                amount=notice.amount,
                billing_code=code,
                ntpn=notice.ntpn,
                ntb=notice.ntb,
                notice_id=notice.notice_id,
                paid_at=notice.paid_at,
                reject_reason=problem,
            )
            return payment, True
        payment = Payment.objects.create(
            invoice=invoice,
            channel=PaymentChannel.BILLING_CODE,
            status=PaymentStatus.CONFIRMED,
            amount=notice.amount,
            billing_code=code,
            ntpn=notice.ntpn,
            ntb=notice.ntb,
            notice_id=notice.notice_id,
            paid_at=notice.paid_at,
            decided_at=timezone.now(),
        )
        _invoice_paid(invoice=invoice, payment=payment)
    return payment, True


def _notice_problem(*, invoice: Invoice, code: BillingCode, notice) -> str:
    if invoice.order.status not in (OS.OFFERED, OS.PAYMENT_REVIEW):
        return _("The order can no longer be paid.")
    if notice.amount != invoice.total:
        return _("The amount paid does not match the invoice.")
    if code.is_lapsed(notice.paid_at):
        return _("The billing code had lapsed or was withdrawn when it was paid.")
    try:
        _payable_check(invoice, at=notice.paid_at)
    except BillingError as exc:
        return exc.message
    return ""


def payment_proof_submit(*, invoice: Invoice, by, proof) -> Payment:
    """A customer abroad uploads the transfer proof; the treasurer checks it."""
    if invoice.order.customer_id != by.pk:
        raise BillingError(_("You may not do this with this invoice."))
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        _payable_check(invoice)
        if not invoice.pay_by_transfer:
            raise BillingError(_("Pay this invoice with its billing code."))
        if invoice.payments.filter(status=PaymentStatus.PENDING).exists():
            raise BillingError(_("A proof is already waiting for the treasurer."))
        payment = Payment.objects.create(
            invoice=invoice,
            channel=PaymentChannel.TRANSFER,
            amount=invoice.total,
            proof=proof,
            submitted_by=by,
        )
        order_services.order_payment_submitted(order=invoice.order, by=by)
    return payment


def _treasurer_check(by) -> None:
    if actor_of(by) != Actor.TREASURER:
        raise BillingError(_("Only the treasurer confirms payments."))


def payment_confirm(*, payment: Payment, by, reference: str) -> Payment:
    """The treasurer confirms a transfer. Twenty clicks at once confirm it once."""
    _treasurer_check(by)
    reference = (reference or "").strip()
    if not reference:
        raise BillingError(_("Enter the bank's reference of the transfer."))
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=payment.invoice_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == PaymentStatus.CONFIRMED:
            return payment
        if payment.status != PaymentStatus.PENDING:
            raise BillingError(_("This payment was rejected; the customer may send a new proof."))
        # A proof sent while the invoice was valid counts, however long the check took.
        _payable_check(invoice, at=payment.submitted_at)
        payment.status = PaymentStatus.CONFIRMED
        payment.reference = reference
        payment.paid_at = payment.decided_at = timezone.now()
        payment.decided_by = by
        payment.save(update_fields=["status", "reference", "paid_at", "decided_at", "decided_by"])
        _invoice_paid(invoice=invoice, payment=payment)
    return payment


def payment_reject(*, payment: Payment, by, reason: str) -> Payment:
    _treasurer_check(by)
    reason = (reason or "").strip()
    if not reason:
        raise BillingError(_("Give the reason, so the customer knows what to send."))
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != PaymentStatus.PENDING:
            raise BillingError(_("Only a payment waiting for the treasurer can be rejected."))
        payment.status = PaymentStatus.REJECTED
        payment.reject_reason = reason
        payment.decided_at = timezone.now()
        payment.decided_by = by
        payment.save(update_fields=["status", "reject_reason", "decided_at", "decided_by"])
        order_services.order_payment_rejected(order=payment.invoice.order, by=by, reason=reason)
    return payment


def cash_record(*, invoice: Invoice, by, reference: str = "") -> Payment:
    """A walk-in visitor pays cash to the treasurer."""
    _treasurer_check(by)
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        _payable_check(invoice)
        now = timezone.now()
        # Paid at the desk: the code must not be paid a second time at a bank.
        _codes_withdraw(invoice=invoice, now=now)
        payment = Payment.objects.create(
            invoice=invoice,
            channel=PaymentChannel.CASH,
            status=PaymentStatus.CONFIRMED,
            amount=invoice.total,
            reference=reference or _("cash"),
            paid_at=now,
            submitted_by=by,
            decided_by=by,
            decided_at=now,
        )
        _invoice_paid(invoice=invoice, payment=payment)
    return payment


# --- expiry ---------------------------------------------------------------------------------------


def invoices_expire(*, now: datetime | None = None) -> int:
    """Expire unpaid invoices past their month, and their orders, set-based: only rows this
    sweep changed are acted on (compare-and-swap), so a sweep that runs twice notifies once."""
    now = now or timezone.now()
    note = _("The invoice expired unpaid.")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            expired, order_ids = _expire_in_one_statement(now=now, note=note)
        else:
            expired, order_ids = _expire_portable(now=now, note=note)
        from .tasks import orders_expired_notify

        for start in range(0, len(order_ids), 500):
            enqueue_on_commit(orders_expired_notify, order_ids[start : start + 500])
    return expired


# One round trip: invoices, their offered orders and the orders' events, with no rows through
# Python (50.000 due among 1.000.000 invoices in a few seconds; see make bench).
EXPIRE_SQL = """
WITH due AS (
    UPDATE billing_invoice AS i SET status = 'expired'
    WHERE i.status = 'issued' AND i.valid_until < %(now)s
      AND NOT EXISTS (
          SELECT 1 FROM billing_payment AS p WHERE p.invoice_id = i.id AND p.status = 'pending'
      )
    RETURNING i.order_id
), expiring AS (
    UPDATE orders_order AS o SET status = 'expired', status_changed_at = %(now)s
    FROM due WHERE o.id = due.order_id AND o.status = 'offered'
    RETURNING o.id
), events AS (
    INSERT INTO orders_orderevent (order_id, at, action, from_status, to_status, note)
    SELECT id, %(now)s, 'expire', 'offered', 'expired', %(note)s FROM expiring
    RETURNING order_id
)
SELECT (SELECT count(*) FROM due), ARRAY(SELECT order_id FROM events)
"""


def _expire_in_one_statement(*, now: datetime, note: str) -> tuple[int, list[int]]:
    with connection.cursor() as cursor:
        cursor.execute(EXPIRE_SQL, {"now": now, "note": note})
        expired, order_ids = cursor.fetchone()
    return expired, list(order_ids)


def _expire_portable(*, now: datetime, note: str) -> tuple[int, list[int]]:
    from orders.models import OrderEvent

    due = list(
        Invoice.objects.filter(status=InvoiceStatus.ISSUED, valid_until__lt=now)
        .exclude(payments__status=PaymentStatus.PENDING)
        .order_by()
        .values_list("pk", "order_id")
    )
    if not due:
        return 0, []
    expired = Invoice.objects.filter(
        pk__in=[pk for pk, _o in due], status=InvoiceStatus.ISSUED
    ).update(status=InvoiceStatus.EXPIRED)
    expiring = list(
        Order.objects.filter(pk__in=[o for _pk, o in due], status=OS.OFFERED)
        .order_by()
        .values_list("pk", flat=True)
    )
    Order.objects.filter(pk__in=expiring, status=OS.OFFERED).update(
        status=OS.EXPIRED, status_changed_at=now
    )
    OrderEvent.objects.bulk_create(
        OrderEvent(
            order_id=pk,
            at=now,
            action="expire",
            from_status=OS.OFFERED,
            to_status=OS.EXPIRED,
            note=note,
        )
        for pk in expiring
    )
    return expired, expiring
