from dataclasses import dataclass

from django.conf import settings

from orders.models import Order

from .models import BillingCode, Invoice, InvoiceStatus, Payment, PaymentStatus, Receipt


@dataclass(frozen=True)
class OrderBilling:
    invoice: Invoice | None
    code: BillingCode | None
    code_lapsed: bool
    pending: Payment | None
    rejected: Payment | None
    receipt: Receipt | None
    simulated_bank: bool


def order_billing(*, order: Order) -> OrderBilling:
    """What the order page shows of money: the current invoice, how to pay it, the receipt."""
    invoice = (
        Invoice.objects.filter(order=order)
        .exclude(status=InvoiceStatus.VOID)
        .order_by("-issued_at")
        .first()
    )
    if invoice is None:
        return OrderBilling(None, None, False, None, None, None, False)
    code = invoice.billing_codes.order_by("-issued_at").first()
    payments = list(invoice.payments.order_by("-submitted_at"))
    pending = next((p for p in payments if p.status == PaymentStatus.PENDING), None)
    rejected = payments[0] if payments and payments[0].status == PaymentStatus.REJECTED else None
    receipt = Receipt.objects.filter(payment__invoice=invoice).first()
    return OrderBilling(
        invoice=invoice,
        code=code,
        code_lapsed=bool(code and code.is_lapsed()),
        pending=pending,
        rejected=rejected,
        receipt=receipt,
        simulated_bank=settings.BILLING_SIMULATION_ENABLED,
    )
