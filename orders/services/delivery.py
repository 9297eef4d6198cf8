"""Delivery, corrections of what was delivered, and renewed download links."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
    OrderError,
    office_check,
    order_note,
    order_transition,
    text_required,
)


def order_deliver(*, order: Order, by: User, handover: str = "") -> Order:
    """Make the products downloadable. Microdata and maps wait for the signed SPPD. At the
    walk-in desk staff also say how the visitor received them (media or the portal)."""
    if order.channel == OrderChannel.WALK_IN and handover not in Handover.values:
        raise OrderError(_("Choose how the products were handed over."))
    if order.channel != OrderChannel.WALK_IN and handover:
        raise OrderError(_("Only desk orders are handed over at the desk."))
    note = _("Handed over: %(how)s") % {"how": Handover(handover).label} if handover else ""

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
        return ["completed_at", "downloads_until", "working_days_used", "handover"]

    with transaction.atomic():
        order = order_transition(
            order=order, move=OrderAction.DELIVER, by=by, note=note, change=change
        )
        order_delivered.send(Order, order=order)
    return order


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


def order_link_request(*, order: Order, by: User) -> OrderEvent:
    """After the download window the customer asks for a new link, once; staff renew it."""
    if order.customer_id != by.pk or order.status != S.COMPLETED:
        raise OrderError(_("You may not do this with this order."))
    if order.downloads_until is None or timezone.now() <= order.downloads_until:
        raise OrderError(_("Your download links are still valid."))
    pending = order.events.filter(action=OrderAction.LINK_REQUESTED, at__gt=order.completed_at)
    renewed = order.events.filter(action=OrderAction.DOWNLOADS_RENEWED).order_by("-at").first()
    if renewed:
        pending = pending.filter(at__gt=renewed.at)
    return pending.first() or order_note(order=order, by=by, action=OrderAction.LINK_REQUESTED)


def order_downloads_renew(*, order: Order, by: User) -> Order:
    if actor_of(by) != Actor.STAFF:
        raise OrderError(_("You may not do this with this order."))
    office_check(order=order, by=by)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != S.COMPLETED:
            raise OrderError(_("You may not do this with this order."))
        order.downloads_until = timezone.now() + DOWNLOAD_WINDOW
        order.save(update_fields=["downloads_until"])
        order_note(order=order, by=by, action=OrderAction.DOWNLOADS_RENEWED)
        order_customer_notify(
            order=order, note=_("Your download links are valid again for 30 days.")
        )
    return order
