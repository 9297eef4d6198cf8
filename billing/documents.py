"""The invoice and the receipt (kuitansi) as PDFs, rendered from plain data.

One renderer per document: a template, rendered in the payer's language, turned into PDF bytes
by WeasyPrint. The documents take dataclasses rather than rows so that what a PDF shows is fixed
by what the caller hands over (invoices and receipts never change after issue); mapping the
billing rows onto them, and storing the bytes, is billing/rendering.py's business.
"""

from dataclasses import dataclass
from datetime import date, datetime

from offices.documents import Letterhead
from silastik.documents import pdf_render, pdf_render_baseline
from silastik.money import dotted, rupiah
from silastik.verification.services import verification_mark

from .words import amount_in_words


@dataclass(frozen=True)
class DocumentLine:
    description: str
    quantity: int
    unit_price: int
    amount: int
    # How the amount was reached, printed under the line (microdata: the size and its blocks).
    detail: str = ""


@dataclass(frozen=True)
class InvoiceDocument:
    number: str
    issued_at: datetime
    valid_until: datetime
    order_number: str
    payer_name: str
    payer_institution: str
    payer_address: str
    payer_email: str
    payer_npwp: str
    lines: list[DocumentLine]
    total: int
    billing_code: str | None
    billing_code_expires_at: datetime | None
    pay_by_transfer: bool
    office: Letterhead
    void_of: str | None
    language: str
    verification_code: str = ""
    billing_code_issued_at: datetime | None = None


@dataclass(frozen=True)
class ReceiptDocument:
    number: str
    issued_at: datetime
    payer_name: str
    payer_institution: str
    lines: list[DocumentLine]
    total: int
    invoice_number: str
    order_number: str
    channel: str  # "billing_code", "transfer" or "cash"
    reference: str  # the NTPN for a billing-code payment, else the transfer's reference
    ntb: str | None
    paid_at: datetime
    value_date: date | None  # the day the money arrived (bank statement), as booked
    billing_code: str | None
    treasurer_name: str
    treasurer_nip: str
    office: Letterhead
    language: str
    verification_code: str = ""
    bank_channel: str = ""  # the bank and its channel that took a billing-code payment


def invoice_render_pdf(*, document: InvoiceDocument) -> bytes:
    return _render_pdf("documents/invoice.html", invoice_context(document=document))


def billing_slip_render_pdf(*, document: InvoiceDocument) -> bytes:
    """The billing slip: the invoice's current code, its deadline and how to pay it."""
    return _render_pdf("documents/billing_slip.html", invoice_context(document=document))


def receipt_render_pdf(*, document: ReceiptDocument) -> bytes:
    return _render_pdf("documents/receipt.html", receipt_context(document=document))


baseline_render_pdf = pdf_render_baseline


def invoice_context(*, document: InvoiceDocument) -> dict:
    return {
        **_common_context(document),
        "billing_code_grouped": _grouped(document.billing_code),
    }


def receipt_context(*, document: ReceiptDocument) -> dict:
    return _common_context(document)


def _render_pdf(template: str, context: dict) -> bytes:
    document = context["document"]
    return pdf_render(
        template=template,
        context=context,
        language=document.language,
        time_zone=document.office.time_zone,
    )


def _common_context(document: InvoiceDocument | ReceiptDocument) -> dict:
    return {
        "document": document,
        "office": document.office,
        "rows": [_row(line) for line in document.lines],
        "total": rupiah(document.total),
        # Terbilang stays Indonesian in every language: it is the legal statement of the sum.
        "total_in_words": amount_in_words(document.total),
        "verification": verification_mark(document.verification_code),
    }


def _row(line: DocumentLine) -> dict:
    return {
        "description": line.description,
        "detail": line.detail,
        "quantity": dotted(line.quantity),
        "unit_price": rupiah(line.unit_price),
        "amount": rupiah(line.amount),
    }


def _grouped(code: str | None) -> str:
    """A 15-digit billing code in blocks of three, so a payer can read it out or type it in."""
    if not code:
        return ""
    return " ".join(code[i : i + 3] for i in range(0, len(code), 3))
