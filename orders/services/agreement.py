"""The data use agreement (SPPD): uploaded signed, received by post, or signed at the desk."""

import logging
from datetime import date

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from silastik.users.models import User

from ..documents import sppd_countersigned_pdf
from ..models import Order, OrderAction, OrderChannel, SppdStatus
from ..models import OrderStatus as S
from ..notifications import order_customer_notify
from ..workflow import Actor, actor_of
from .moves import OrderError, office_check, order_note, text_required

log = logging.getLogger(__name__)

SPPD_OPEN = (S.OFFERED, S.REVISING, S.PAYMENT_REVIEW, S.AWAITING_DELIVERY)
# An offered agreement exists to download (not while the offer is being corrected).
SPPD_SHOWN = (S.OFFERED, S.PAYMENT_REVIEW, S.AWAITING_DELIVERY)


def sppd_check(order: Order) -> None:
    if order.sppd_status == SppdStatus.NOT_NEEDED:
        raise OrderError(_("This order needs no data use agreement."))
    if order.status not in SPPD_OPEN:
        raise OrderError(_("The data use agreement cannot be handed in now."))


def signed_agreement_discard(field_file: FieldFile) -> None:
    """Remove a signed agreement that another one (or a new offer) supersedes, once that change
    has committed; a rollback leaves it, as the row still names it.

    One file per order on purpose, not versions: each upload stays on record as an event (who,
    when), the page offers only the current file, and a superseded copy would keep the
    customer's signature, identity number and abstract with no use left for them (UU PDP)."""
    name, storage = field_file.name, field_file.storage
    if not name:
        return

    def delete() -> None:
        try:
            storage.delete(name)
        except Exception:  # storage away for a moment: an orphan file, not a failed upload
            log.exception("Could not delete the superseded agreement %s", name)

    transaction.on_commit(delete)


def order_sppd_upload(*, order: Order, by: User, signed_file: File) -> Order:
    if actor_of(by) != Actor.CUSTOMER or order.customer_id != by.pk:
        raise OrderError(_("You may not do this with this order."))
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        sppd_check(order)
        signed_agreement_discard(order.sppd_signed)
        order.sppd_signed = signed_file
        order.sppd_status = SppdStatus.UPLOADED
        order.sppd_received_at = timezone.now()
        order.save(update_fields=["sppd_signed", "sppd_status", "sppd_received_at"])
        order_note(order=order, by=by, action=OrderAction.SPPD_UPLOADED)
    return order


def order_sppd_originals_received(
    *, order: Order, by: User, signed_on: date | None = None, note: str = ""
) -> Order:
    if actor_of(by) != Actor.STAFF:
        raise OrderError(_("You may not do this with this order."))
    office_check(order=order, by=by)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        sppd_check(order)
        order.sppd_status = SppdStatus.ORIGINALS_RECEIVED
        order.sppd_received_at = timezone.now()
        order.sppd_signed_on = signed_on
        order.save(update_fields=["sppd_status", "sppd_received_at", "sppd_signed_on"])
        # The same action as originals by post: the SLA clock sees the agreement arrive.
        order_note(order=order, by=by, action=OrderAction.SPPD_ORIGINALS, note=note)
    return order


def order_sppd_signed_at_desk(*, order: Order, by: User, signed_on: date) -> Order:
    """A walk-in visitor signed the printed agreement (two originals, Rp10.000 meterai) at the
    desk; staff tick it with the day of signing."""
    if order.channel != OrderChannel.WALK_IN:
        raise OrderError(_("Only an order made at the walk-in desk is signed at the desk."))
    if signed_on > timezone.localdate():
        raise OrderError(_("The day of signing cannot be in the future."))
    if order.submitted_at and signed_on < timezone.localdate(order.submitted_at):
        raise OrderError(_("The day of signing cannot be before the request."))
    note = _("Signed at the desk on %(day)s.") % {"day": date_format(signed_on)}
    return order_sppd_originals_received(order=order, by=by, signed_on=signed_on, note=note)


def order_sppd_accept(*, order: Order, by: User) -> Order:
    """Staff checked the uploaded signed agreement: the office countersigns it (its head's
    page after the customer's), and delivery may follow."""
    if actor_of(by) != Actor.STAFF:
        raise OrderError(_("You may not do this with this order."))
    office_check(order=order, by=by)
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("customer", "office")
            .get(pk=order.pk)
        )
        if order.sppd_status != SppdStatus.UPLOADED:
            raise OrderError(_("There is no uploaded agreement to check."))
        try:
            with order.sppd_signed.open("rb") as signed:
                pdf = sppd_countersigned_pdf(
                    order=order, signed=signed.read(), accepted=timezone.localdate()
                )
        except (OSError, ValueError):
            raise OrderError(
                _("The signed agreement cannot be read as a PDF: send it back with a reason.")
            ) from None
        signed_agreement_discard(order.sppd_countersigned)
        order.sppd_countersigned.save(
            f"sppd-{(order.number or '').replace('/', '-')}-countersigned.pdf",
            ContentFile(pdf),
            save=False,
        )
        order.sppd_status = SppdStatus.ACCEPTED
        order.save(update_fields=["sppd_countersigned", "sppd_status"])
        order_note(order=order, by=by, action=OrderAction.SPPD_ACCEPTED)
        order_customer_notify(
            order=order,
            note=_(
                "Your signed data use agreement was accepted. The copy countersigned by the "
                "office is on your order page."
            ),
        )
    return order


def order_sppd_return(*, order: Order, by: User, reason: str) -> Order:
    """Staff send an uploaded agreement back with the reason; the customer uploads again."""
    if actor_of(by) != Actor.STAFF:
        raise OrderError(_("You may not do this with this order."))
    office_check(order=order, by=by)
    reason = text_required(reason, _("Say what is wrong with the signed agreement."))
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("customer")
            .get(pk=order.pk)
        )
        if order.sppd_status != SppdStatus.UPLOADED:
            raise OrderError(_("There is no uploaded agreement to check."))
        signed_agreement_discard(order.sppd_signed)
        order.sppd_signed = ""
        order.sppd_status = SppdStatus.PENDING
        order.sppd_received_at = None
        order.save(update_fields=["sppd_signed", "sppd_status", "sppd_received_at"])
        order_note(order=order, by=by, action=OrderAction.SPPD_RETURNED, note=reason)
        order_customer_notify(
            order=order,
            note=_(
                "Your signed data use agreement was sent back: %(reason)s Please upload it again."
            )
            % {"reason": reason},
        )
    return order
