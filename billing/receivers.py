"""Billing's answers to what orders announce (orders.signals), and its panel on the order page."""

from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from orders.models import Order
from orders.panels import OrderPanel, order_panel_register
from orders.signals import (
    order_delivery_check,
    order_offer_withdrawn,
    order_offered,
    order_summary,
)
from silastik.money import rupiah
from silastik.users.models import User

from .forms import ProofForm
from .models import InvoiceStatus, Payment, PaymentStatus, Receipt
from .rendering import receipt_issue_once
from .selectors import order_billing
from .services import invoice_issue, invoices_void


def on_order_offered(*, order: Order, by: User, **kwargs: object) -> None:
    invoice_issue(order=order, by=by)


def on_order_offer_withdrawn(*, order: Order, reason: str, **kwargs: object) -> None:
    # An order that will not be paid as offered has no open invoice.
    invoices_void(order=order, reason=reason)


def on_order_delivery_check(*, order: Order, **kwargs: object) -> str:
    """Delivery waits for the receipt of the payment (none is due at the Rp0 tariff). A
    confirmed payment whose receipt task was lost (the broker was down) gets it now."""
    if not order.total or Receipt.objects.filter(payment__invoice__order=order).exists():
        return ""
    confirmed = Payment.objects.filter(invoice__order=order, status=PaymentStatus.CONFIRMED).first()
    if confirmed is not None and receipt_issue_once(payment_id=confirmed.pk) is not None:
        return ""
    return _("The receipt has not been issued yet.")


def payment_panel_context(request: HttpRequest, order: Order) -> dict:
    return {"billing": order_billing(order=order), "proof_form": ProofForm()}


def back_office_panel_context(request: HttpRequest, order: Order) -> dict:
    return {"back_office_billing": order_billing(order=order)}


def on_order_summary(*, order: Order, **kwargs: object) -> str:
    """The invoice the customer now has, and how to pay it, for the staff's message."""
    billing = order_billing(order=order)
    invoice = billing.invoice
    if invoice is None or invoice.status != InvoiceStatus.ISSUED:
        return ""
    valid = formats.date_format(timezone.localtime(invoice.valid_until), "j F Y")
    if billing.code is not None:
        return _("invoice %(number)s of %(total)s, billing code %(code)s valid until %(date)s") % {
            "number": invoice.number,
            "total": rupiah(invoice.total),
            "code": billing.code.code,
            "date": formats.date_format(timezone.localtime(billing.code.expires_at), "j F Y H:i"),
        }
    return _("invoice %(number)s of %(total)s, to pay by transfer until %(date)s") % {
        "number": invoice.number,
        "total": rupiah(invoice.total),
        "date": valid,
    }


def receivers_connect() -> None:
    order_offered.connect(on_order_offered, dispatch_uid="billing.invoice_issue")
    order_offer_withdrawn.connect(on_order_offer_withdrawn, dispatch_uid="billing.invoices_void")
    order_delivery_check.connect(on_order_delivery_check, dispatch_uid="billing.receipt_issued")
    order_summary.connect(on_order_summary, dispatch_uid="billing.order_summary")
    order_panel_register(
        OrderPanel(
            slot="back_office",
            template="billing/_admin_order_billing.html",
            context=back_office_panel_context,
        )
    )
    order_panel_register(
        OrderPanel(
            slot="payment", template="billing/_order_payment.html", context=payment_panel_context
        )
    )
