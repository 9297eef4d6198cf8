"""Prepared files of an order's lines: staff uploads, the catalog's PDFs, pricing from them."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from catalog.models import ProductKind
from catalog.pricing import (
    SizeBreakdown,
    TariffMissing,
    Tariffs,
    microdata_breakdown,
    tariffs_in_force,
)
from silastik import uploads
from silastik.money import rupiah
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
            data_bytes=_priced_bytes(line=line, kind=kind, upload=upload),
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


def _priced_bytes(*, line: OrderLine, kind: str, upload: File) -> int | None:
    """A microdata product's data, as it will be priced; measured by the form already when it
    came through one."""
    if kind != FileKind.PRODUCT or line.kind != ProductKind.MICRODATA:
        return None
    measured = getattr(upload, "data_bytes", None)
    if measured is not None:
        return measured
    try:
        return uploads.data_bytes(upload)
    except ValidationError as exc:
        raise OrderError(" ".join(exc.messages)) from None


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
        if line.printed:
            continue  # printed copies come from the office's stock, not from a file
        if line.current_file(FileKind.PRODUCT) is None:
            missing.append(line.description)
        elif line.kind == ProductKind.MICRODATA and line.current_file(FileKind.SAMPLE) is None:
            missing.append(_("%(line)s (sample data)") % {"line": line.description})
    return missing


@dataclass(frozen=True)
class Reprice:
    """A microdata line as the offer would price it from its prepared file, beside the quote the
    customer was given."""

    line: OrderLine
    estimate: int
    estimated_bytes: int | None
    breakdown: SizeBreakdown

    @property
    def amount(self) -> int:
        return self.breakdown.amount

    @property
    def difference_percent(self) -> int:
        if not self.estimate:
            return 0 if not self.amount else 100
        return round(abs(self.amount - self.estimate) * 100 / self.estimate)

    @property
    def needs_confirmation(self) -> bool:
        """Further from the quote than the tolerance (exactly, not the rounded percentage):
        staff confirm it with a reason."""
        tolerance = settings.REPRICE_TOLERANCE_PERCENT
        return abs(self.amount - self.estimate) * 100 > tolerance * self.estimate


def lines_reprice_preview(*, order: Order, tariffs: Tariffs | None = None) -> list[Reprice]:
    """Every microdata line with a prepared file, priced from the data it holds (the tariff's
    "as stored" size: an archive unpacked), beside the customer's quote. Changes no price."""
    tariffs = tariffs if tariffs is not None else tariffs_in_force()
    previews = []
    for line in order.lines.filter(kind=ProductKind.MICRODATA).prefetch_related("files"):
        current = line.current_file(FileKind.PRODUCT)
        if current is None:
            continue
        estimate = (
            line.estimated_amount if line.estimated_amount is not None else line.quoted_amount
        )
        estimated_bytes = (
            line.estimated_bytes if line.estimated_amount is not None else line.size_bytes
        )
        try:
            breakdown = microdata_breakdown(
                size_bytes=max(file_data_bytes(current), 1), tariffs=tariffs
            )
        except TariffMissing as exc:
            raise OrderError(str(exc)) from None
        previews.append(Reprice(line, estimate, estimated_bytes, breakdown))
    return previews


def file_data_bytes(line_file: LineFile) -> int:
    """The data a prepared file holds; measured once for files stored before it was recorded."""
    if line_file.data_bytes is None:
        try:
            with line_file.file.open("rb") as stored:
                line_file.data_bytes = uploads.data_bytes(stored)
        except OSError:
            raise OrderError(
                _("The prepared file %(name)s cannot be read: upload it again.")
                % {"name": line_file.original_name}
            ) from None
        except ValidationError as exc:
            raise OrderError(" ".join(exc.messages)) from None
        LineFile.objects.filter(pk=line_file.pk).update(data_bytes=line_file.data_bytes)
    return line_file.data_bytes


def lines_reprice(*, order: Order, reason: str = "") -> list[Reprice]:
    """The invoice prices microdata from the data actually prepared (docs/domain.md). A price
    further from the quote than the tolerance needs staff's reason; nothing changes without it.
    Returns the lines as priced, for the offer's note."""
    previews = lines_reprice_preview(order=order)
    unconfirmed = [p for p in previews if p.needs_confirmation]
    if unconfirmed and not reason.strip():
        raise OrderError(
            _(
                "The price from the prepared data differs from the customer's quote by more "
                "than %(tolerance)s%% (%(lines)s): check the files, and give the reason for "
                "the new price to send the offer."
            )
            % {"tolerance": settings.REPRICE_TOLERANCE_PERCENT, "lines": _changes(unconfirmed)}
        )
    for preview in previews:
        line = preview.line
        if line.estimated_amount is None:
            line.estimated_amount, line.estimated_bytes = line.quoted_amount, line.size_bytes
        line.size_bytes = preview.breakdown.size_bytes
        line.quoted_amount = preview.amount
        line.price_breakdown = preview.breakdown.as_data()
        line.save(
            update_fields=[
                "size_bytes",
                "quoted_amount",
                "price_breakdown",
                "estimated_amount",
                "estimated_bytes",
            ]
        )
    return previews


def lines_reprice_note(*, previews: list[Reprice], reason: str = "") -> str:
    """What the offer's audit row and the customer's message say of prices that moved from
    the quote, with staff's reason when one was needed."""
    changed = [p for p in previews if p.amount != p.estimate]
    if not changed:
        return ""
    summary = _("Priced from the prepared data: %(lines)s.") % {"lines": _changes(changed)}
    return f"{summary} {reason.strip()}".strip()


def _changes(previews: list[Reprice]) -> str:
    return "; ".join(
        f"{p.line.description}: {rupiah(p.estimate)} → {rupiah(p.amount)}" for p in previews
    )
