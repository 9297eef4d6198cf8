"""What the public verification page says of an invoice or a receipt: the document, its office
and sum, and what became of it — never the payer."""

from django.utils import timezone
from django.utils.translation import gettext as _

from silastik.verification.services import (
    DocumentState,
    VerifiedDocument,
    verification_resolver_register,
)

from .models import Invoice, InvoiceStatus, Receipt
from .rendering import INVOICE_KIND, RECEIPT_KIND


def invoice_verified(invoice_id: int) -> VerifiedDocument | None:
    invoice = Invoice.objects.select_related("order__office").filter(pk=invoice_id).first()
    if invoice is None:
        return None
    office = invoice.order.office
    replacement = Invoice.objects.filter(replaces=invoice).values_list("number", flat=True).first()
    state = _invoice_state(invoice, replaced=bool(replacement))
    valid_until = timezone.localtime(invoice.valid_until, office.zone)
    return VerifiedDocument(
        kind=_("Invoice"),
        number=invoice.number,
        issued_on=timezone.localtime(invoice.issued_at, office.zone).date(),
        office=office.name,
        amount=invoice.total,
        state=state,
        replaced_by=replacement or "",
        note=_("Valid until %(date)s.") % {"date": f"{valid_until:%d-%m-%Y}"}
        if state == DocumentState.VALID
        else "",
    )


def _invoice_state(invoice: Invoice, *, replaced: bool) -> str:
    if invoice.status == InvoiceStatus.PAID:
        return DocumentState.PAID
    if invoice.status == InvoiceStatus.VOID:
        return DocumentState.REPLACED if replaced else DocumentState.VOID
    # Lapsed at the end of its printed day even before the sweep marks it.
    if invoice.status == InvoiceStatus.EXPIRED or invoice.is_expired():
        return DocumentState.EXPIRED
    return DocumentState.VALID


def receipt_verified(receipt_id: int) -> VerifiedDocument | None:
    receipt = (
        Receipt.objects.select_related("payment__invoice__order__office")
        .filter(pk=receipt_id)
        .first()
    )
    if receipt is None:
        return None
    office = receipt.payment.invoice.order.office
    return VerifiedDocument(
        kind=_("Receipt (kuitansi)"),
        number=receipt.number,
        issued_on=timezone.localtime(receipt.issued_at, office.zone).date(),
        office=office.name,
        amount=receipt.payment.amount,
        # A receipt is never withdrawn: the money it acknowledges was received.
        state=DocumentState.VALID,
        note=_("For invoice %(number)s.") % {"number": receipt.payment.invoice.number},
    )


def verification_resolvers_register() -> None:
    verification_resolver_register(kind=INVOICE_KIND, resolver=invoice_verified)
    verification_resolver_register(kind=RECEIPT_KIND, resolver=receipt_verified)
