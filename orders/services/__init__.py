"""Every change of an order's state, one module per stage; import them from here.

`moves` holds the one transition (check, lock, change, log, notify) that every other module
goes through; it is not for callers outside orders. The rest follow the order's life: the cart
and the request, staff review, the offer and its payment, the data use agreement, prepared
files, delivery, expiry.
"""

from .agreement import (
    SPPD_OPEN,
    SPPD_SHOWN,
    order_sppd_accept,
    order_sppd_originals_received,
    order_sppd_return,
    order_sppd_signed_at_desk,
    order_sppd_upload,
)
from .cart import (
    ABSTRACT_FIELDS,
    ABSTRACT_MAX_LENGTH,
    TERMS_VERSION,
    cart_add,
    cart_remove,
    cart_reprice,
    lines_by_office,
    order_submit,
    orders_submit,
)
from .delivery import (
    link_request_until,
    order_deliver,
    order_downloads_renew,
    order_link_request,
    order_redeliver,
    order_report_problem,
)
from .expiry import orders_expire
from .files import (
    line_file_upload,
    lines_attach_catalog_files,
    lines_missing_files,
    lines_reprice,
    lines_reprice_preview,
)
from .moves import (
    DOWNLOAD_WINDOW,
    LINK_REQUEST_WINDOW,
    NOTE_MAX_LENGTH,
    OrderError,
    order_note,
)
from .offer import (
    REVISION_KINDS,
    order_accept,
    order_cancel,
    order_offer,
    order_payment_rejected,
    order_payment_submitted,
    order_request_revision,
    order_settle,
)
from .recovery import orders_recover
from .review import order_answer, order_approve, order_ask_info, order_reject

__all__ = [
    "ABSTRACT_FIELDS",
    "ABSTRACT_MAX_LENGTH",
    "DOWNLOAD_WINDOW",
    "LINK_REQUEST_WINDOW",
    "NOTE_MAX_LENGTH",
    "REVISION_KINDS",
    "SPPD_OPEN",
    "SPPD_SHOWN",
    "TERMS_VERSION",
    "OrderError",
    "cart_add",
    "cart_remove",
    "cart_reprice",
    "line_file_upload",
    "lines_attach_catalog_files",
    "lines_by_office",
    "lines_missing_files",
    "lines_reprice",
    "lines_reprice_preview",
    "link_request_until",
    "order_accept",
    "order_answer",
    "order_approve",
    "order_ask_info",
    "order_cancel",
    "order_deliver",
    "order_downloads_renew",
    "order_link_request",
    "order_note",
    "order_offer",
    "order_payment_rejected",
    "order_payment_submitted",
    "order_redeliver",
    "order_reject",
    "order_report_problem",
    "order_request_revision",
    "order_settle",
    "order_sppd_accept",
    "order_sppd_originals_received",
    "order_sppd_return",
    "order_sppd_signed_at_desk",
    "order_sppd_upload",
    "order_submit",
    "orders_expire",
    "orders_recover",
    "orders_submit",
]
