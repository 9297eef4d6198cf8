"""Downloads of an order's files through signed links that expire, are checked and logged."""

from datetime import timedelta
from pathlib import PurePosixPath

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.selectors import works_at
from silastik.files import private_file_response
from silastik.users.auth import client_ip
from silastik.users.models import User

from .models import DownloadLog, FileKind, LineFile, Order, SppdStatus
from .models import OrderStatus as S
from .services import SPPD_SHOWN, OrderError
from .tasks import sppd_render
from .workflow import Actor, actor_of

LINK_SALT = "orders.download"
LINK_MAX_AGE = timedelta(hours=24)
SAMPLE_VISIBLE = (
    S.OFFERED,
    S.REVISING,
    S.PAYMENT_REVIEW,
    S.AWAITING_DELIVERY,
    S.COMPLETED,
    S.CORRECTING,
)
PRODUCT_VISIBLE = (S.COMPLETED, S.CORRECTING)


def download_token(*, user, order: Order, document: str, file_id: int | None = None) -> str:
    """A link for one person and one file; it stops working after LINK_MAX_AGE."""
    return signing.dumps([user.pk, order.pk, document, file_id], salt=LINK_SALT, compress=True)


def download_resolve(*, token: str, user) -> tuple[Order, str, LineFile | None]:
    try:
        user_id, order_id, document, file_id = signing.loads(
            token, salt=LINK_SALT, max_age=LINK_MAX_AGE
        )
    except signing.SignatureExpired:
        raise OrderError(
            _("This download link has expired. Open the order again for a new one.")
        ) from None
    except (signing.BadSignature, ValueError):
        raise OrderError(_("This download link is not valid.")) from None
    if user_id != user.pk:
        raise OrderError(_("This download link was made for another account."))
    order = Order.objects.select_related("customer").get(pk=order_id)
    line_file = (
        LineFile.objects.select_related("line").get(pk=file_id, line__order=order)
        if file_id
        else None
    )
    if not download_allowed(order=order, user=user, document=document, line_file=line_file):
        raise OrderError(_("This file is not available to you now."))
    return order, document, line_file


def download_allowed(*, order: Order, user, document: str, line_file: LineFile | None) -> bool:
    actor = actor_of(user)
    if actor == Actor.STAFF:
        # Staff of the office that serves the order; another office's staff get nothing.
        return works_at(user, order.office_id)
    if actor != Actor.CUSTOMER or order.customer_id != user.pk:
        return False
    if document in ("abstract", "letter", "sppd_signed", "sppd_countersigned"):
        return True
    if document == "sppd":
        return order.status in SAMPLE_VISIBLE and (
            bool(order.sppd_document) or sppd_renderable(order=order)
        )
    if line_file is None:
        return False
    current = line_file.line.current_file(line_file.kind)
    if current is None or current.pk != line_file.pk:
        return False  # customers get the current version; staff see the history
    if line_file.kind == FileKind.SAMPLE:
        return order.status in SAMPLE_VISIBLE
    if order.status not in PRODUCT_VISIBLE:
        return False
    # Microdata and maps: links for 30 days after completion, then a new one on request.
    return not line_file.line.needs_agreement or (
        order.downloads_until is not None and timezone.now() <= order.downloads_until
    )


DOCUMENT_FIELDS = {
    "abstract": "abstract_file",
    "letter": "exemption_letter",
    "sppd": "sppd_document",
    "sppd_signed": "sppd_signed",
    "sppd_countersigned": "sppd_countersigned",
}


def download_response(
    *, request: HttpRequest, order: Order, document: str, line_file
) -> HttpResponse:
    if line_file is not None:
        name, filename = line_file.file.name, line_file.original_name
    else:
        field = getattr(order, DOCUMENT_FIELDS[document])
        if not field and document == "sppd" and sppd_renderable(order=order):
            # Its task was lost (the broker was down at the offer): render it now.
            sppd_render(order.pk)
            order.refresh_from_db(fields=["sppd_document"])
            field = order.sppd_document
        if not field:
            raise OrderError(_("This document is not there yet."))
        # The stored name's extension is the detected type's (uploads.safe_name).
        extension = PurePosixPath(field.name).suffix or ".pdf"
        filename = f"{document}-{(order.number or '').replace('/', '-')}{extension}"
        name = field.name
    download_log(
        order=order, document=document, user=request.user, request=request, line_file=line_file
    )
    return private_file_response(name=name, filename=filename)


def sppd_renderable(*, order: Order) -> bool:
    """The order has an agreement to sign now (from the offer until delivery)."""
    return order.sppd_status != SppdStatus.NOT_NEEDED and order.status in SPPD_SHOWN


def download_log(
    *,
    order: Order,
    document: str,
    user: User,
    request: HttpRequest,
    line_file: LineFile | None = None,
) -> DownloadLog:
    """Who took which document of an order, when and from where (orders' and billing's)."""
    return DownloadLog.objects.create(
        order=order, document=document, line_file=line_file, user=user, ip=client_ip(request)
    )
