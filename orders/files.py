"""Prepared files, and downloads through signed links that expire, are checked and logged."""

import mimetypes
from datetime import timedelta
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Max
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from catalog.pricing import Quote, microdata_lines, tariffs_in_force
from silastik.storage import private_storage
from silastik.users.auth import client_ip

from .models import DownloadLog, FileKind, LineFile, Order, OrderLine
from .models import OrderStatus as S
from .services import OrderError, order_note
from .workflow import Actor, actor_of

LINK_SALT = "orders.download"
LINK_MAX_AGE = timedelta(hours=24)
UPLOAD_STATES = {
    FileKind.PRODUCT: (S.PREPARING, S.REVISING, S.AWAITING_DELIVERY, S.CORRECTING),
    FileKind.SAMPLE: (S.PREPARING, S.REVISING),
}
SAMPLE_VISIBLE = (
    S.OFFERED,
    S.REVISING,
    S.PAYMENT_REVIEW,
    S.AWAITING_DELIVERY,
    S.COMPLETED,
    S.CORRECTING,
)
PRODUCT_VISIBLE = (S.COMPLETED, S.CORRECTING)


def line_file_upload(*, line: OrderLine, by, upload, kind: str, note: str = "") -> LineFile:
    """Staff add a prepared file (a new version; earlier ones stay in the history)."""
    if actor_of(by) != Actor.STAFF:
        raise OrderError(_("You may not do this with this order."))
    if kind == FileKind.SAMPLE and line.kind != "microdata":
        raise OrderError(_("Only microdata has sample data."))
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=line.order_id)
        if order.status not in UPLOAD_STATES[kind]:
            raise OrderError(_("Files cannot be added to this order now."))
        latest = line.files.filter(kind=kind).aggregate(v=Max("version"))["v"] or 0
        original = getattr(upload, "original_name", upload.name)
        made = LineFile.objects.create(
            line=line,
            kind=kind,
            version=latest + 1,
            file=upload,
            original_name=original[:200],
            size_bytes=upload.size,
            uploaded_by=by,
            note=note,
        )
        order_note(
            order=order, by=by, action=f"{kind}_uploaded", note=f"{line.description}: {original}"
        )
    return made


def lines_attach_catalog_files(*, order: Order, by) -> None:
    """A publication line uses the catalog's PDF when staff have not prepared another."""
    for line in order.lines.select_related("product__publication").prefetch_related("files"):
        publication = (
            getattr(line.product, "publication", None) if line.kind == "publication" else None
        )
        if publication and publication.file and line.current_file() is None:
            LineFile.objects.create(
                line=line,
                kind=FileKind.PRODUCT,
                file=publication.file.name,
                original_name=f"{publication.slug}.pdf",
                size_bytes=publication.file.size,
                uploaded_by=by,
            )


def lines_missing_files(*, order: Order) -> list[str]:
    missing = []
    for line in order.lines.prefetch_related("files"):
        if line.current_file(FileKind.PRODUCT) is None:
            missing.append(line.description)
        elif line.kind == "microdata" and line.current_file(FileKind.SAMPLE) is None:
            missing.append(_("%(line)s (sample data)") % {"line": line.description})
    return missing


def lines_reprice(*, order: Order) -> list[str]:
    """The invoice prices microdata from the file actually prepared (domain.md)."""
    tariffs = tariffs_in_force()
    for line in order.lines.filter(kind="microdata").prefetch_related("files"):
        size = line.current_file(FileKind.PRODUCT).size_bytes
        line.size_bytes = size
        line.quoted_amount = Quote(microdata_lines(size_bytes=max(size, 1), tariffs=tariffs)).total
        line.save(update_fields=["size_bytes", "quoted_amount"])
    return []


# --- downloads ------------------------------------------------------------------------------------


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
        return True
    if actor != Actor.CUSTOMER or order.customer_id != user.pk:
        return False
    if document in ("abstract", "letter", "sppd_signed"):
        return True
    if document == "sppd":
        return bool(order.sppd_document) and order.status in SAMPLE_VISIBLE
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
}


def download_response(
    *, request: HttpRequest, order: Order, document: str, line_file
) -> HttpResponse:
    if line_file is not None:
        name, filename = line_file.file.name, line_file.original_name
    else:
        field = getattr(order, DOCUMENT_FIELDS[document])
        if not field:
            raise OrderError(_("This document is not there yet."))
        # The stored name's extension is the detected type's (uploads.safe_name).
        extension = PurePosixPath(field.name).suffix or ".pdf"
        filename = f"{document}-{(order.number or '').replace('/', '-')}{extension}"
        name = field.name
    DownloadLog.objects.create(
        order=order,
        document=document,
        line_file=line_file,
        user=request.user,
        ip=client_ip(request),
    )
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    prefix = getattr(settings, "PRIVATE_FILES_X_ACCEL_PREFIX", "")
    if prefix:
        # The web server sends the file; Python only decided who may have it.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    return FileResponse(
        private_storage().open(name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type=content_type,
    )
