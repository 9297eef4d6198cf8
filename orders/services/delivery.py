"""Delivery, corrections of what was delivered, and renewed download links."""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from catalog.models import Publication
from silastik.users.models import User

from ..models import (
    Correction,
    FileKind,
    Handover,
    Order,
    OrderAction,
    OrderChannel,
    OrderEvent,
    SppdStatus,
)
from ..models import OrderStatus as S
from ..notifications import order_customer_notify
from ..selectors import order_sla_days
from ..signals import delivery_blockers, order_delivered
from ..workflow import Actor, actor_of
from .files import lines_missing_files
from .moves import (
    DOWNLOAD_WINDOW,
    LINK_REQUEST_WINDOW,
    OrderError,
    office_check,
    order_note,
    order_transition,
    text_limit,
    text_required,
)


def order_deliver(
    *, order: Order, by: User, handover: str = "", tracking_number: str = ""
) -> Order:
    """Make the products downloadable. Microdata and maps wait for the signed SPPD. At the
    walk-in desk staff also say how the visitor received them (media or the portal); printed
    copies are picked up or sent by courier (with its tracking number), and leave the office's
    stock."""
    printed = order.lines.filter(printed=True).exists()
    tracking_number = text_limit((tracking_number or "").strip(), TRACKING_MAX)
    _handover_check(order=order, printed=printed, handover=handover, tracking=tracking_number)
    note = _("Handed over: %(how)s") % {"how": Handover(handover).label} if handover else ""
    if tracking_number:
        note += f" ({tracking_number})"

    def change(o: Order) -> list[str]:
        if o.sppd_status == SppdStatus.UPLOADED:
            raise OrderError(
                _("Check the uploaded signed agreement first: accept it or send it back.")
            )
        if not o.sppd_done:
            raise OrderError(_("The signed data use agreement has not arrived yet."))
        if o.settled_at is None:
            raise OrderError(_("The order is not paid yet."))
        if lines_missing_files(order=o):
            raise OrderError(_("Every line needs its prepared file before delivery."))
        # Last: an answer may do work of its own (billing issues a receipt its lost task left
        # undone), which no refusal above should roll back.
        blockers = delivery_blockers(order=o)
        if blockers:
            raise OrderError(blockers[0])
        o.completed_at = timezone.now()
        o.downloads_until = o.completed_at + DOWNLOAD_WINDOW
        o.working_days_used = order_sla_days(order=o, now=o.completed_at)
        o.handover = handover
        o.tracking_number = tracking_number
        if printed:
            printed_stock_take(order=o)
        return [
            "completed_at",
            "downloads_until",
            "working_days_used",
            "handover",
            "tracking_number",
        ]

    with transaction.atomic():
        order = order_transition(
            order=order, move=OrderAction.DELIVER, by=by, note=note, change=change
        )
        order_delivered.send(Order, order=order)
    return order


TRACKING_MAX = 100
PRINTED_HANDOVERS = (Handover.PICKUP, Handover.COURIER)


def _handover_check(*, order: Order, printed: bool, handover: str, tracking: str) -> None:
    if printed:
        if handover not in PRINTED_HANDOVERS:
            raise OrderError(
                _("Say how the printed copies were handed over: picked up, or sent by courier.")
            )
        if handover == Handover.COURIER and not tracking:
            raise OrderError(_("Enter the courier and its tracking number."))
        return
    if order.channel == OrderChannel.WALK_IN and handover not in Handover.values:
        raise OrderError(_("Choose how the products were handed over."))
    if order.channel != OrderChannel.WALK_IN and handover:
        raise OrderError(_("Only desk orders are handed over at the desk."))


def printed_stock_take(*, order: Order) -> None:
    """The printed copies leave the office's stock, under lock: two deliveries at once never
    hand over the same last copy; without enough copies nothing is delivered."""
    wanted: dict[int, int] = {}
    for line in order.lines.filter(printed=True):
        wanted[line.product_id] = wanted.get(line.product_id, 0) + line.quantity
    stock = Publication.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    for publication in stock:
        if publication.printed_copies < wanted[publication.pk]:
            raise OrderError(
                _("Not enough printed copies of “%(title)s” in stock: %(have)d, %(want)d needed.")
                % {
                    "title": publication.title,
                    "have": publication.printed_copies,
                    "want": wanted[publication.pk],
                }
            )
    for product_id, copies in wanted.items():
        Publication.objects.filter(pk=product_id).update(
            printed_copies=F("printed_copies") - copies
        )


def order_report_problem(*, order: Order, by: User, line_id: int, description: str) -> Order:
    description = text_required(description, _("Describe the problem."))
    line = order.lines.filter(pk=line_id).first()
    if line is None:
        raise OrderError(_("Choose the product that has the problem."))
    with transaction.atomic():
        order = order_transition(
            order=order, move=OrderAction.REPORT_PROBLEM, by=by, note=description
        )
        Correction.objects.create(line=line, description=description)
    return order


def order_redeliver(*, order: Order, by: User, note: str = "") -> Order:
    """Every reported line has a new version: the correction is delivered."""

    def change(o: Order) -> list[str]:
        open_corrections = Correction.objects.filter(line__order=o, resolved_at__isnull=True)
        for correction in open_corrections.select_related("line"):
            newer = correction.line.files.filter(
                kind=FileKind.PRODUCT, uploaded_at__gt=correction.reported_at
            )
            if not newer.exists():
                raise OrderError(
                    _("Upload a corrected file for “%(line)s” first.")
                    % {"line": correction.line.description}
                )
        now = timezone.now()
        open_corrections.update(resolved_at=now)
        o.downloads_until = max(o.downloads_until or now, now + DOWNLOAD_WINDOW)
        return ["downloads_until"]

    return order_transition(
        order=order, move=OrderAction.REDELIVER, by=by, note=note, change=change
    )


def link_request_until(order: Order) -> datetime | None:
    """The last moment a new download link may be asked for: 30 days after completion."""
    return order.completed_at + LINK_REQUEST_WINDOW if order.completed_at else None


def order_link_request(*, order: Order, by: User) -> OrderEvent:
    """After the download window the customer asks for new links, up to 30 days after the
    order was completed; the request waits in the staff's queue until they renew the links.
    Asked twice, the first request stands."""
    if order.customer_id != by.pk or order.status != S.COMPLETED:
        raise OrderError(_("You may not do this with this order."))
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        now = timezone.now()
        if order.downloads_until is None or now <= order.downloads_until:
            raise OrderError(_("Your download links are still valid."))
        until = link_request_until(order)
        if until is None or now > until:
            raise OrderError(
                _(
                    "New links are given up to 30 days after an order is completed; this one "
                    "was completed on %(date)s. Order the data again."
                )
                % {"date": formats.date_format(timezone.localtime(order.completed_at), "j F Y")}
            )
        if order.link_requested_at is not None:
            pending = order.events.filter(action=OrderAction.LINK_REQUESTED).order_by("-at")
            return pending.first() or order_note(
                order=order, by=by, action=OrderAction.LINK_REQUESTED
            )
        order.link_requested_at = now
        order.save(update_fields=["link_requested_at"])
        return order_note(order=order, by=by, action=OrderAction.LINK_REQUESTED)


def order_downloads_renew(*, order: Order, by: User) -> Order:
    if actor_of(by) != Actor.STAFF:
        raise OrderError(_("You may not do this with this order."))
    office_check(order=order, by=by)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != S.COMPLETED:
            raise OrderError(_("You may not do this with this order."))
        order.downloads_until = timezone.now() + DOWNLOAD_WINDOW
        order.link_requested_at = None
        order.save(update_fields=["downloads_until", "link_requested_at"])
        order_note(order=order, by=by, action=OrderAction.DOWNLOADS_RENEWED)
        order_customer_notify(
            order=order,
            note=_("Your download links are open again until %(date)s.")
            % {"date": formats.date_format(timezone.localtime(order.downloads_until), "j F Y")},
        )
    return order
