"""The simulated bank: pays a billing code the way the state payment system does."""

from django.utils.translation import gettext as _

from ..errors import BillingError
from ..gateway import SimulatedGateway, callback_secret, notice_sign
from ..models import BillingCode, InvoiceStatus, Payment
from .invoices import invoice_payable_check
from .payments import payment_notice_receive


def bank_payment_simulate(*, code: str, channel: str = "Bank Mandiri · Teller") -> Payment:
    """Pay `code` at the simulated bank. Like Simponi's banks it checks the code before any
    money moves: an unknown, lapsed, withdrawn or already-paid code, or an invoice that can no
    longer be paid, is refused and nothing is recorded. Money that arrives late anyway (a real
    bank's callback) is still recorded as refund due by payment_notice_receive."""
    billing_code = BillingCode.objects.select_related("invoice").filter(code=code).first()
    if billing_code is None:
        raise BillingError(_("The bank knows no such billing code."))
    invoice = billing_code.invoice
    if invoice.status == InvoiceStatus.PAID:
        raise BillingError(_("This billing code has been paid already."))
    if billing_code.is_lapsed():
        raise BillingError(
            _("This billing code has lapsed or was withdrawn: make a new one on the order page.")
        )
    invoice_payable_check(invoice)
    notice = SimulatedGateway().payment_make(
        code=billing_code.code, amount=invoice.total, channel=channel
    )
    payment, _recorded = payment_notice_receive(
        payload=notice_sign(notice=notice, secret=callback_secret())
    )
    return payment
