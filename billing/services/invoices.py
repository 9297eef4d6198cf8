"""Invoices and their billing codes: issued with the offer, voided by a correction or a
cancellation, never changed after issue."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from orders.models import Order, OrderChannel, OrderLine
from silastik.background import enqueue_on_commit
from silastik.users.models import Domicile, User

from ..errors import BillingError
from ..gateway import BillingRequest, gateway
from ..models import BillingCode, Invoice, InvoiceLine, InvoiceStatus
from ..notifications import treasurer_notify_walk_in_invoice
from ..numbers import document_number_next, valid_until_of
from ..tasks import invoice_render


def invoice_issue(*, order: Order, by: User) -> Invoice | None:
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
        if order.office is None:
            raise BillingError(_("This order has no serving office, so no invoice can be issued."))
        invoice = Invoice.objects.create(
            number=document_number_next(kind="invoice", prefix="INV", office=order.office),
            order=order,
            issued_at=now,
            valid_until=valid_until_of(issued_at=now, office=order.office),
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
                detail=_line_detail(line, language=customer.language),
                position=i,
            )
            for i, line in enumerate(order.lines.all())
        )
        if not invoice.pay_by_transfer:
            billing_code_issue(invoice=invoice)
        if order.channel == OrderChannel.WALK_IN:
            treasurer_notify_walk_in_invoice(invoice=invoice)
        enqueue_on_commit(invoice_render, invoice.pk)
    return invoice


def _line_detail(line: OrderLine, *, language: str) -> str:
    """How a microdata line's amount follows from the prepared data, in the payer's words;
    fixed with the invoice like its description."""
    breakdown = line.breakdown
    if breakdown is None:
        return ""
    with translation.override(language):
        return breakdown.describe()[: InvoiceLine._meta.get_field("detail").max_length]


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
        billing_codes_withdraw(invoice=open_invoice, now=now)
        voided = open_invoice
    return voided


def billing_codes_withdraw(*, invoice: Invoice, now: datetime) -> None:
    # The real gateway is told to cancel them too (adapter); money that arrives anyway is
    # recorded as refund due, never lost.
    invoice.billing_codes.filter(expires_at__gt=now).update(expires_at=now)


def billing_code_issue(*, invoice: Invoice) -> BillingCode:
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


def billing_code_reissue(*, invoice: Invoice, by: User) -> BillingCode:
    """A lapsed code (7 days) can be replaced while the invoice's month runs."""
    if invoice.order.customer_id != by.pk:
        raise BillingError(_("You may not do this with this invoice."))
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        invoice_payable_check(invoice)
        if invoice.pay_by_transfer:
            raise BillingError(_("This invoice is paid by bank transfer."))
        current = invoice.billing_codes.order_by("-issued_at").first()
        if current is not None and not current.is_lapsed():
            return current
        issued = billing_code_issue(invoice=invoice)
        # The invoice's paper shows how to pay it: the current code and its deadline, never a
        # lapsed one. Its lines and total are not touched.
        enqueue_on_commit(invoice_render, invoice.pk)
        return issued


def invoice_payable_check(invoice: Invoice, *, at: datetime | None = None) -> None:
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
