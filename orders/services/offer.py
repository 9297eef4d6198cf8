"""The offer and what follows it until the money is in: accept (Rp0), correction, cancel, the
payment proof, settlement. Billing issues and voids invoices through orders.signals."""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.models import ProductKind
from silastik.background import enqueue_on_commit
from silastik.users.models import User

from ..cutting.services import cuts_running, order_cuts_rerun
from ..models import Order, OrderAction, SppdStatus
from ..signals import order_offer_withdrawn, order_offered
from ..tasks import sppd_render
from .agreement import signed_agreement_discard
from .files import (
    Reprice,
    lines_attach_catalog_files,
    lines_missing_files,
    lines_reprice,
    lines_reprice_note,
)
from .moves import OrderError, order_transition, text_required


def order_offer(*, order: Order, by: User, note: str = "", price_reason: str = "") -> Order:
    """Send invoice, sample data and SPPD. Every line needs its prepared file (the invoice
    prices microdata from the data actually prepared, and a price far from the customer's quote
    needs `price_reason`) and microdata its sample. Checked under the lock, after the state: a
    double click or a wrong state leaves nothing behind."""
    priced: list[Reprice] = []

    def change(o: Order) -> list[str]:
        running = cuts_running(order=o)
        if running:
            raise OrderError(
                _("A cut is still running for %(lines)s: wait for it, or cancel it.")
                % {"lines": "; ".join(run.line.description for run in running)}
            )
        lines_attach_catalog_files(order=o, by=by)
        missing = lines_missing_files(order=o)
        if missing:
            raise OrderError(
                _("Prepare these lines first: %(lines)s.") % {"lines": "; ".join(missing)}
            )
        priced.extend(lines_reprice(order=o, reason=price_reason))
        if o.sppd_status == SppdStatus.NOT_NEEDED:
            return []
        # A new offer has a new agreement: a signature on the old one no longer counts.
        signed_agreement_discard(o.sppd_signed)
        o.sppd_status, o.sppd_signed, o.sppd_received_at = SppdStatus.PENDING, "", None
        o.sppd_signed_on = None
        return ["sppd_status", "sppd_signed", "sppd_received_at", "sppd_signed_on"]

    with transaction.atomic():
        order = order_transition(
            order=order,
            move=OrderAction.OFFER,
            by=by,
            note=note,
            change=change,
            # What the customer reads of prices that moved, from the prices set under the lock.
            annotate=lambda o: _price_note(o, priced=priced, reason=price_reason),
        )
        # Billing's part of the offer: the invoice, in this transaction.
        order_offered.send(Order, order=order, by=by)
        if order.sppd_status != SppdStatus.NOT_NEEDED:
            enqueue_on_commit(sppd_render, order.pk)
    return order


def _price_note(order: Order, *, priced: list[Reprice], reason: str) -> str:
    with translation.override(order.customer.language):
        return lines_reprice_note(previews=priced, reason=reason)


def order_accept(*, order: Order, by: User) -> Order:
    """An order at the Rp0 tariff has nothing to pay: the customer accepts the offer instead,
    after checking it like anyone else (sample, agreement)."""

    def change(o: Order) -> list[str]:
        if o.total != 0:
            raise OrderError(_("This offer has to be paid."))
        o.settled_at = timezone.now()
        o.settlement_reference = "Rp0"
        return ["settled_at", "settlement_reference"]

    return order_transition(order=order, move=OrderAction.ACCEPT, by=by, change=change)


REVISION_KINDS = ("sample", "invoice", "sppd")


def order_request_revision(*, order: Order, by: User, what: str, note: str) -> Order:
    """The customer asks to correct the offer; the sample data may be revised once."""
    if what not in REVISION_KINDS:
        raise OrderError(_("Choose what should be corrected."))
    note = text_required(note, _("Describe what should be corrected."))
    if what == "sample" and not order.lines.filter(kind=ProductKind.MICRODATA).exists():
        raise OrderError(_("This order has no sample data."))
    if what == "sample" and order.sample_revisions >= 1:
        raise OrderError(_("The sample data can be revised only once."))

    def change(o: Order) -> list[str]:
        # The corrected offer comes with a new invoice; the old one must not be paid.
        order_offer_withdrawn.send(Order, order=o, reason=_("The offer is being corrected."))
        if what == "sample":
            if o.sample_revisions >= 1:  # re-checked under the lock
                raise OrderError(_("The sample data can be revised only once."))
            o.sample_revisions += 1
            return ["sample_revisions"]
        return []

    labels = {"sample": _("sample data"), "invoice": _("invoice"), "sppd": _("data use agreement")}
    order = order_transition(
        order=order,
        move=OrderAction.REQUEST_REVISION,
        by=by,
        note=f"{labels[what]}: {note}",
        change=change,
    )
    if what == "sample":
        # The portal cuts the sample again from the master data, drawing other records.
        order_cuts_rerun(order=order)
    return order


def order_cancel(*, order: Order, by: User, reason: str = "") -> Order:
    def change(o: Order) -> list[str]:
        order_offer_withdrawn.send(Order, order=o, reason=_("The order was cancelled."))
        return []

    return order_transition(order=order, move=OrderAction.CANCEL, by=by, note=reason, change=change)


def order_settle(*, order: Order, reference: str, by: User | None = None) -> Order:
    """Billing's seam: the order is paid. A repeated confirmation finds it done."""

    def change(o: Order) -> list[str]:
        o.settled_at = timezone.now()
        o.settlement_reference = reference
        return ["settled_at", "settlement_reference"]

    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.settled_at is not None:
            return locked
        return order_transition(
            order=locked, move=OrderAction.SETTLE, by=by, note=reference, change=change
        )


def order_payment_submitted(*, order: Order, by: User) -> Order:
    """A transfer proof is waiting for the treasurer."""
    return order_transition(order=order, move=OrderAction.PAYMENT_SUBMITTED, by=by)


def order_payment_rejected(*, order: Order, by: User, reason: str) -> Order:
    reason = text_required(reason, _("Give the reason for the rejection."))
    return order_transition(order=order, move=OrderAction.PAYMENT_REJECTED, by=by, note=reason)
