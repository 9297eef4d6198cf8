"""Every change of money's state, one module per stage; import them from here."""

from ..errors import BillingError
from ..numbers import add_month, document_number_next
from .expiry import invoices_expire
from .invoices import (
    billing_code_issue,
    billing_code_reissue,
    billing_codes_withdraw,
    invoice_issue,
    invoice_payable_check,
    invoices_void,
)
from .payments import (
    cash_record,
    invoice_paid,
    payment_confirm,
    payment_notice_receive,
    payment_proof_submit,
    payment_reject,
    treasurer_check,
)

__all__ = [
    "BillingError",
    "add_month",
    "billing_code_issue",
    "billing_code_reissue",
    "billing_codes_withdraw",
    "cash_record",
    "document_number_next",
    "invoice_issue",
    "invoice_paid",
    "invoice_payable_check",
    "invoices_expire",
    "invoices_void",
    "payment_confirm",
    "payment_notice_receive",
    "payment_proof_submit",
    "payment_reject",
    "treasurer_check",
]
