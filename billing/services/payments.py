"""Payments: billing-code notices from the gateway, transfer proofs checked by the treasurer,
cash at the desk. Every one takes the invoice's lock; each settles the order once."""

from datetime import date, tzinfo

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.selectors import works_at
from orders import services as order_services
from orders.models import OrderStatus as OS
from orders.workflow import Actor, actor_of
from silastik.background import enqueue_on_commit
from silastik.users.models import User

from ..errors import BillingError
from ..gateway import CallbackRejected, PaymentNotice, callback_secret, notice_verify
from ..models import BillingCode, Invoice, InvoiceStatus, Payment, PaymentChannel, PaymentStatus
from ..notifications import treasurer_notify_proof
from ..tasks import receipt_issue
from .invoices import billing_codes_withdraw, invoice_payable_check


def invoice_paid(*, invoice: Invoice, payment: Payment) -> None:
    """Inside the invoice's lock: mark it paid, settle the order, queue the receipt."""
    invoice.status = InvoiceStatus.PAID
    invoice.save(update_fields=["status"])
    invoice.payments.filter(status=PaymentStatus.PENDING).exclude(pk=payment.pk).update(
        status=PaymentStatus.REJECTED,
        reject_reason=_("The invoice was paid another way."),
        decided_at=timezone.now(),
    )
    order_services.order_settle(order=invoice.order, reference=payment.ntpn or payment.reference)
    enqueue_on_commit(receipt_issue, payment.pk)


def payment_notice_receive(*, payload: dict) -> tuple[Payment, bool]:
    """The gateway reports a billing-code payment. Signed; a repeated notice finds its payment
    (same NTPN) and changes nothing. Returns the payment and whether this call recorded it."""
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
        received = {
            "invoice": invoice,
            "channel": PaymentChannel.BILLING_CODE,
            "amount": notice.amount,
            "billing_code": code,
            "ntpn": notice.ntpn,
            "ntb": notice.ntb,
            "bank_channel": notice.channel,
            "notice_id": notice.notice_id,
            "paid_at": notice.paid_at,
            # The state payment system's date: the day the bank took the money, office's calendar.
            "value_date": timezone.localtime(notice.paid_at, invoice_zone(invoice)).date(),
        }
        problem = _notice_problem(invoice=invoice, code=code, notice=notice)
        if problem:
            # The bank has the money: record it for the treasurer to refund, and answer so
            # the gateway stops retrying.
            payment = Payment.objects.create(
                status=PaymentStatus.REFUND_DUE, reject_reason=problem, **received
            )
            return payment, True
        payment = Payment.objects.create(
            status=PaymentStatus.CONFIRMED, decided_at=timezone.now(), **received
        )
        invoice_paid(invoice=invoice, payment=payment)
    return payment, True


def _notice_problem(*, invoice: Invoice, code: BillingCode, notice: PaymentNotice) -> str:
    if invoice.order.status not in (OS.OFFERED, OS.PAYMENT_REVIEW):
        return _("The order can no longer be paid.")
    if notice.amount != invoice.total:
        return _("The amount paid does not match the invoice.")
    if code.is_lapsed(notice.paid_at):
        return _("The billing code had lapsed or was withdrawn when it was paid.")
    try:
        invoice_payable_check(invoice, at=notice.paid_at)
    except BillingError as exc:
        return exc.message
    return ""


def payment_proof_submit(*, invoice: Invoice, by: User, proof: File) -> Payment:
    """A customer abroad uploads the transfer proof; the treasurer checks it."""
    if invoice.order.customer_id != by.pk:
        raise BillingError(_("You may not do this with this invoice."))
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        invoice_payable_check(invoice)
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
        treasurer_notify_proof(payment=payment)
    return payment


def text_fits(text: str, *, field: str) -> str:
    """Text the treasurer typed, refused with a message when the record cannot hold it."""
    limit = getattr(Payment._meta.get_field(field), "max_length", None) or 0
    if len(text) > limit:
        raise BillingError(
            _("Write at most %(limit)d characters (%(count)d given).")
            % {"limit": limit, "count": len(text)}
        )
    return text


def invoice_zone(invoice: Invoice) -> tzinfo:
    """The serving office's clock (every invoiced order has an office; WIB otherwise)."""
    office = invoice.order.office
    return office.zone if office is not None else timezone.get_default_timezone()


def value_date_check(value_date: date | None, *, invoice: Invoice) -> date:
    """The day the money arrived, as the bank statement says: today if not given; never in the
    future, never before the invoice was issued (on the serving office's calendar)."""
    zone = invoice_zone(invoice)
    today = timezone.localdate(timezone=zone)
    value_date = value_date or today
    if value_date > today:
        raise BillingError(_("The money cannot have arrived after today."))
    if value_date < timezone.localtime(invoice.issued_at, zone).date():
        raise BillingError(_("The money cannot have arrived before the invoice was issued."))
    return value_date


def treasurer_check(by: User, invoice: Invoice) -> None:
    if actor_of(by) != Actor.TREASURER:
        raise BillingError(_("Only the treasurer confirms payments."))
    if not works_at(by, invoice.order.office_id):
        raise BillingError(_("This invoice is another office's."))


def payment_confirm(
    *, payment: Payment, by: User, reference: str, value_date: date | None = None
) -> Payment:
    """The treasurer confirms a transfer. Twenty clicks at once confirm it once."""
    treasurer_check(by, payment.invoice)
    reference = text_fits((reference or "").strip(), field="reference")
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
        invoice_payable_check(invoice, at=payment.submitted_at)
        payment.status = PaymentStatus.CONFIRMED
        payment.reference = reference
        payment.paid_at = payment.decided_at = timezone.now()
        payment.value_date = value_date_check(value_date, invoice=invoice)
        payment.decided_by = by
        payment.save(
            update_fields=[
                "status",
                "reference",
                "paid_at",
                "value_date",
                "decided_at",
                "decided_by",
            ]
        )
        invoice_paid(invoice=invoice, payment=payment)
    return payment


def payment_reject(*, payment: Payment, by: User, reason: str) -> Payment:
    treasurer_check(by, payment.invoice)
    reason = text_fits((reason or "").strip(), field="reject_reason")
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


def cash_record(
    *, invoice: Invoice, by: User, reference: str = "", value_date: date | None = None
) -> Payment:
    """A walk-in visitor pays cash to the treasurer."""
    treasurer_check(by, invoice)
    reference = text_fits((reference or "").strip(), field="reference")
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        invoice_payable_check(invoice)
        now = timezone.now()
        # Paid at the desk: the code must not be paid a second time at a bank.
        billing_codes_withdraw(invoice=invoice, now=now)
        payment = Payment.objects.create(
            invoice=invoice,
            channel=PaymentChannel.CASH,
            status=PaymentStatus.CONFIRMED,
            amount=invoice.total,
            reference=reference or _("cash"),
            paid_at=now,
            value_date=value_date_check(value_date, invoice=invoice),
            submitted_by=by,
            decided_by=by,
            decided_at=now,
        )
        invoice_paid(invoice=invoice, payment=payment)
    return payment
