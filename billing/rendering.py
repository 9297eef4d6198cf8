"""From billing rows to their PDF documents, and the receipt's one-time issue."""

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from offices.documents import letterhead_of
from offices.models import OfficeMembership
from silastik.links import absolute_url
from silastik.mail.services import email_queue
from silastik.users.roles import Role
from silastik.verification.services import verification_code_of

from .documents import (
    DocumentLine,
    InvoiceDocument,
    ReceiptDocument,
    invoice_render_pdf,
    receipt_render_pdf,
)
from .models import BillingCode, Invoice, InvoiceStatus, Payment, PaymentStatus, Receipt
from .numbers import document_number_next

# The kinds of billing documents for their public verification page (billing/verification.py).
INVOICE_KIND = "invoice"
RECEIPT_KIND = "receipt"


def _lines(invoice: Invoice) -> list[DocumentLine]:
    return [
        DocumentLine(line.description, line.quantity, line.unit_price, line.amount, line.detail)
        for line in invoice.lines.all()
    ]


def invoice_billing_code(invoice: Invoice, now=None) -> BillingCode | None:
    """The code an invoice's paper shows: its newest, unless that has lapsed while the invoice
    is still to be paid (the paper then says where a new one is issued). A paid invoice keeps
    the code it was paid with."""
    code = invoice.billing_codes.order_by("-issued_at").first()
    if code is not None and invoice.status == InvoiceStatus.ISSUED and code.is_lapsed(now):
        return None
    return code


def invoice_document(invoice: Invoice) -> InvoiceDocument:
    code = invoice_billing_code(invoice)
    customer = invoice.order.customer
    return InvoiceDocument(
        number=invoice.number,
        issued_at=invoice.issued_at,
        valid_until=invoice.valid_until,
        order_number=invoice.order.number,
        payer_name=invoice.payer_name,
        payer_institution=invoice.payer_institution,
        payer_address=invoice.payer_address,
        payer_email=invoice.payer_email,
        payer_npwp=invoice.payer_npwp,
        lines=_lines(invoice),
        total=invoice.total,
        billing_code=code.code if code else None,
        billing_code_expires_at=code.expires_at if code else None,
        billing_code_issued_at=code.issued_at if code else None,
        pay_by_transfer=invoice.pay_by_transfer,
        office=letterhead_of(invoice.order.office),
        void_of=invoice.replaces.number if invoice.replaces_id else None,
        language=customer.language,
        verification_code=verification_code_of(kind=INVOICE_KIND, object_id=invoice.pk),
    )


def invoice_store_pdf(*, invoice_id: int) -> None:
    invoice = Invoice.objects.select_related("order__customer", "replaces").get(pk=invoice_id)
    document = invoice_document(invoice)
    pdf = invoice_render_pdf(document=document)
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice_id)
        if invoice.pdf:
            invoice.pdf.delete(save=False)
        invoice.pdf.save(f"{invoice.number.replace('/', '-')}.pdf", ContentFile(pdf), save=False)
        invoice.pdf_billing_code = document.billing_code or ""
        invoice.save(update_fields=["pdf", "pdf_billing_code"])


def invoice_pdf_current(invoice: Invoice) -> bool:
    """Whether the stored PDF prints the code the invoice's paper should show now."""
    if not invoice.pdf:
        return False
    code = invoice_billing_code(invoice)
    return invoice.pdf_billing_code == (code.code if code else "")


def _signatory(payment: Payment) -> tuple[str, str]:
    """Name and NIP under the receipt: the office's receiving treasurer; where the office has
    not named one, the treasurer who confirmed the payment, or for billing-code payments the
    office's first treasurer."""
    office = payment.invoice.order.office
    if office.treasurer_name:
        return office.treasurer_name, office.treasurer_nip
    person = payment.decided_by if payment.decided_by and payment.decided_by.is_treasurer else None
    if person is None:
        members = OfficeMembership.objects.filter(office=office, user__is_active=True)
        person = (
            get_user_model()
            .objects.filter(
                groups__name=Role.TREASURER, pk__in=members.values("user_id"), is_active=True
            )
            .order_by("pk")
            .first()
        )
    return (person.full_name, person.nip) if person else ("", "")


def receipt_issue_once(*, payment_id: int) -> Receipt | None:
    """The receipt of a confirmed payment: number, PDF and e-mail in one transaction, so a
    failure leaves nothing (the task retries) and a second run finds it done."""
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update(of=("self",))
            .select_related("invoice__order__office", "decided_by")
            .get(pk=payment_id)
        )
        existing = Receipt.objects.filter(payment=payment).first()
        if payment.status != PaymentStatus.CONFIRMED or (existing is not None and existing.pdf):
            return existing
        if existing is None:
            treasurer_name, treasurer_nip = _signatory(payment)
            existing = Receipt.objects.create(
                number=document_number_next(
                    kind="receipt", prefix="KW", office=payment.invoice.order.office
                ),
                payment=payment,
                issued_at=timezone.now(),
                treasurer_name=treasurer_name,
                treasurer_nip=treasurer_nip,
            )
        receipt = Receipt.objects.select_related(
            "payment__invoice__order__customer", "payment__billing_code"
        ).get(pk=existing.pk)
        pdf = receipt_render_pdf(document=receipt_document(receipt))
        receipt.pdf.save(f"{receipt.number.replace('/', '-')}.pdf", ContentFile(pdf), save=False)
        receipt.save(update_fields=["pdf"])
        _receipt_mail(receipt)  # an outbox row: sent after commit, once
    return receipt


def receipt_document(receipt: Receipt) -> ReceiptDocument:
    payment = receipt.payment
    invoice = payment.invoice
    return ReceiptDocument(
        number=receipt.number,
        issued_at=receipt.issued_at,
        payer_name=invoice.payer_name,
        payer_institution=invoice.payer_institution,
        lines=_lines(invoice),
        total=payment.amount,
        invoice_number=invoice.number,
        order_number=invoice.order.number,
        channel=payment.channel,
        reference=payment.ntpn or payment.reference,
        ntb=payment.ntb or None,
        paid_at=payment.paid_at or receipt.issued_at,
        value_date=payment.value_date,
        billing_code=payment.billing_code.code if payment.billing_code_id else None,
        treasurer_name=receipt.treasurer_name,
        treasurer_nip=receipt.treasurer_nip,
        office=letterhead_of(invoice.order.office),
        language=invoice.order.customer.language,
        verification_code=verification_code_of(kind=RECEIPT_KIND, object_id=receipt.pk),
        bank_channel=payment.bank_channel,
    )


def _receipt_mail(receipt: Receipt) -> None:
    order = receipt.payment.invoice.order
    email_queue(
        to=order.customer.email,
        template="receipt_issued",
        context={
            "receipt": receipt,
            "order": order,
            "office": order.office,
            "link": absolute_url(order.get_absolute_url()),
        },
        language=order.customer.language,
    )
