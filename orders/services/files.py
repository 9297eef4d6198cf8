"""Prepared files of an order's lines: staff uploads, the catalog's PDFs, pricing from them."""

from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from catalog.models import ProductKind
from catalog.pricing import Quote, microdata_lines, tariffs_in_force
from silastik.users.models import User

from ..models import FileKind, LineFile, Order, OrderAction, OrderLine
from ..models import OrderStatus as S
from ..workflow import Actor, actor_of
from .moves import OrderError, office_check, order_note

UPLOAD_STATES = {
    FileKind.PRODUCT: (S.PREPARING, S.REVISING, S.AWAITING_DELIVERY, S.CORRECTING),
    FileKind.SAMPLE: (S.PREPARING, S.REVISING),
}
UPLOAD_ACTIONS = {
    FileKind.PRODUCT: OrderAction.PRODUCT_UPLOADED,
    FileKind.SAMPLE: OrderAction.SAMPLE_UPLOADED,
}


def line_file_upload(
    *, line: OrderLine, by: User, upload: File, kind: str, note: str = ""
) -> LineFile:
    """Staff add a prepared file (a new version; earlier ones stay in the history)."""
    if actor_of(by) != Actor.STAFF:
        raise OrderError(_("You may not do this with this order."))
    office_check(order=line.order, by=by)
    if kind == FileKind.SAMPLE and line.kind != ProductKind.MICRODATA:
        raise OrderError(_("Only microdata has sample data."))
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=line.order_id)
        if order.status not in UPLOAD_STATES[FileKind(kind)]:
            raise OrderError(_("Files cannot be added to this order now."))
        latest = line.files.filter(kind=kind).aggregate(v=Max("version"))["v"] or 0
        original: str = getattr(upload, "original_name", None) or upload.name or ""
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
            order=order,
            by=by,
            action=UPLOAD_ACTIONS[FileKind(kind)],
            note=f"{line.description}: {original}",
        )
    return made


def lines_attach_catalog_files(*, order: Order, by: User) -> None:
    """A publication line uses the catalog's PDF when staff have not prepared another."""
    for line in order.lines.select_related("product__publication").prefetch_related("files"):
        publication = (
            getattr(line.product, "publication", None)
            if line.kind == ProductKind.PUBLICATION
            else None
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
        elif line.kind == ProductKind.MICRODATA and line.current_file(FileKind.SAMPLE) is None:
            missing.append(_("%(line)s (sample data)") % {"line": line.description})
    return missing


def lines_reprice(*, order: Order) -> None:
    """The invoice prices microdata from the file actually prepared (docs/domain.md)."""
    tariffs = tariffs_in_force()
    for line in order.lines.filter(kind=ProductKind.MICRODATA).prefetch_related("files"):
        current = line.current_file(FileKind.PRODUCT)
        size = current.size_bytes if current is not None else 0
        line.size_bytes = size
        line.quoted_amount = Quote(microdata_lines(size_bytes=max(size, 1), tariffs=tariffs)).total
        line.save(update_fields=["size_bytes", "quoted_amount"])
