"""Every change of money's state, one module per stage; import them from here.

The helpers the stages share (the invoice's payability check, withdrawing codes, marking an
invoice paid inside its lock) stay in their modules: they are not for callers outside billing.
"""

from ..errors import BillingError
from .expiry import invoices_expire
from .invoices import billing_code_issue, billing_code_reissue, invoice_issue, invoices_void
from .payments import (
    cash_record,
    payment_confirm,
    payment_notice_receive,
    payment_proof_submit,
    payment_reject,
)
from .recovery import billing_recover
from .simulation import bank_payment_simulate

__all__ = [
    "BillingError",
    "bank_payment_simulate",
    "billing_code_issue",
    "billing_code_reissue",
    "billing_recover",
    "cash_record",
    "invoice_issue",
    "invoices_expire",
    "invoices_void",
    "payment_confirm",
    "payment_notice_receive",
    "payment_proof_submit",
    "payment_reject",
]
