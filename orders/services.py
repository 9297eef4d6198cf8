"""Every change of an order's state: one service per move, each checked, locked and logged."""

from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from silastik.background import enqueue_on_commit
from silastik.mail.services import email_queue

from .models import Correction, Exemption, Handover, Order, OrderChannel, OrderEvent, SppdStatus
from .models import OrderStatus as S
from .selectors import order_sla_days
from .workflow import MOVES, Actor, actor_of

DOWNLOAD_WINDOW = timedelta(days=30)


class OrderError(Exception):
    """A move that is not allowed now, or not for this person; nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _check_actor(*, move: str, order: Order, by) -> None:
    spec = MOVES[move]
    actor = actor_of(by)
    if actor != spec.actor or (actor == Actor.CUSTOMER and order.customer_id != by.pk):
        raise OrderError(_("You may not do this with this order."))


def _transition(
    *,
    order: Order,
    move: str,
    by,
    note: str = "",
    change: Callable[[Order], list[str]] | None = None,
    entered_by=None,
) -> Order:
    """Lock the order, check the move against its current state, apply it, log it, and notify
    the customer once the transaction has committed. `entered_by` is who did it for `by` (staff
    at the walk-in desk): the audit row names them."""
    _check_actor(move=move, order=order, by=by)
    spec = MOVES[move]
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status not in spec.sources:
            raise OrderError(
                _("This order is “%(status)s”: “%(move)s” is not possible now.")
                % {"status": locked.get_status_display(), "move": spec.label}
            )
        previous = locked.status
        locked.status = spec.target
        locked.status_changed_at = timezone.now()
        fields = ["status", "status_changed_at", *(change(locked) if change else [])]
        locked.save(update_fields=fields)
        OrderEvent.objects.create(
            order=locked,
            actor=entered_by or by,
            action=move,
            from_status=previous,
            to_status=spec.target,
            note=note,
        )
        if previous != S.DRAFT:
            _notify(order=locked, note=note)
    return locked


def order_note(*, order: Order, by, action: str, note: str = "") -> OrderEvent:
    """An event that changes no state (a document received, a file prepared, a request)."""
    return OrderEvent.objects.create(
        order=order,
        actor=by,
        action=action,
        from_status=order.status,
        to_status=order.status,
        note=note,
    )


def _notify(*, order: Order, note: str) -> None:
    customer = order.customer
    email_queue(
        to=customer.email,
        template="order_status",
        context={
            "order": order,
            "note": note,
            "link": settings.SITE_URL.rstrip("/") + order.get_absolute_url(),
        },
        language=customer.language,
    )


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise OrderError(message)
    return text


# --- staff review -----------------------------------------------------------------------------


def order_approve(*, order: Order, by, exemption: str | None = None, note: str = "") -> Order:
    """The abstract fits the data: prepare. A requested Rp0 tariff is decided here."""
    if order.exemption == Exemption.REQUESTED and exemption not in (
        Exemption.APPROVED,
        Exemption.REFUSED,
    ):
        raise OrderError(_("Decide on the requested Rp0 tariff before approving."))

    def change(o: Order) -> list[str]:
        if o.exemption == Exemption.REQUESTED:
            o.exemption = exemption
            return ["exemption"]
        return []

    return _transition(order=order, move="approve", by=by, note=note, change=change)


def order_ask_info(*, order: Order, by, question: str) -> Order:
    question = _required(question, _("Write what the customer should add."))
    return _transition(order=order, move="ask_info", by=by, note=question)


def order_reject(*, order: Order, by, reason: str) -> Order:
    reason = _required(reason, _("Give the reason for the rejection."))
    return _transition(order=order, move="reject", by=by, note=reason)


def order_answer(*, order: Order, by, answer: str) -> Order:
    answer = _required(answer, _("Write your answer."))
    return _transition(order=order, move="answer", by=by, note=answer)


# --- the offer --------------------------------------------------------------------------------


def order_offer(*, order: Order, by, note: str = "") -> Order:
    """Send invoice, sample data and SPPD. Every line needs its prepared file (the invoice
    prices microdata from the file actually made) and microdata its sample. Checked under the
    lock, after the state: a double click or a wrong state leaves nothing behind."""
    from .files import lines_attach_catalog_files, lines_missing_files, lines_reprice

    def change(o: Order) -> list[str]:
        lines_attach_catalog_files(order=o, by=by)
        missing = lines_missing_files(order=o)
        if missing:
            raise OrderError(
                _("Prepare these lines first: %(lines)s.") % {"lines": "; ".join(missing)}
            )
        lines_reprice(order=o)
        if o.sppd_status == SppdStatus.NOT_NEEDED:
            return []
        # A new offer has a new agreement: a signature on the old one no longer counts.
        o.sppd_status, o.sppd_signed, o.sppd_received_at = SppdStatus.PENDING, "", None
        o.sppd_signed_on = None
        return ["sppd_status", "sppd_signed", "sppd_received_at", "sppd_signed_on"]

    with transaction.atomic():
        order = _transition(order=order, move="offer", by=by, note=note, change=change)
        # Billing's part of the offer: the invoice (none at the Rp0 tariff).
        from billing.services import invoice_issue

        invoice_issue(order=order, by=by)
        if order.sppd_status != SppdStatus.NOT_NEEDED:
            from .tasks import sppd_render

            enqueue_on_commit(sppd_render, order.pk)
    return order


def order_accept(*, order: Order, by) -> Order:
    """An order at the Rp0 tariff has nothing to pay: the customer accepts the offer instead,
    after checking it like anyone else (sample, agreement)."""

    def change(o: Order) -> list[str]:
        if o.total != 0:
            raise OrderError(_("This offer has to be paid."))
        o.settled_at = timezone.now()
        o.settlement_reference = "Rp0"
        return ["settled_at", "settlement_reference"]

    return _transition(order=order, move="accept", by=by, change=change)


REVISION_KINDS = ("sample", "invoice", "sppd")


def order_request_revision(*, order: Order, by, what: str, note: str) -> Order:
    """The customer asks to correct the offer; the sample data may be revised once."""
    if what not in REVISION_KINDS:
        raise OrderError(_("Choose what should be corrected."))
    note = _required(note, _("Describe what should be corrected."))
    if what == "sample" and not order.lines.filter(kind="microdata").exists():
        raise OrderError(_("This order has no sample data."))
    if what == "sample" and order.sample_revisions >= 1:
        raise OrderError(_("The sample data can be revised only once."))

    def change(o: Order) -> list[str]:
        # The corrected offer comes with a new invoice; the old one must not be paid.
        _invoices_void(o, _("The offer is being corrected."))
        if what == "sample":
            if o.sample_revisions >= 1:  # re-checked under the lock
                raise OrderError(_("The sample data can be revised only once."))
            o.sample_revisions += 1
            return ["sample_revisions"]
        return []

    labels = {"sample": _("sample data"), "invoice": _("invoice"), "sppd": _("data use agreement")}
    return _transition(
        order=order, move="request_revision", by=by, note=f"{labels[what]}: {note}", change=change
    )


def order_cancel(*, order: Order, by, reason: str = "") -> Order:
    def change(o: Order) -> list[str]:
        _invoices_void(o, _("The order was cancelled."))
        return []

    return _transition(order=order, move="cancel", by=by, note=reason, change=change)


def _invoices_void(order: Order, reason: str) -> None:
    # Billing's side: an order that will not be paid as offered has no open invoice.
    from billing.services import invoices_void

    invoices_void(order=order, reason=reason)


def order_settle(*, order: Order, reference: str, by=None) -> Order:
    """Billing's seam: the order is paid. A repeated confirmation finds it done."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.settled_at is not None:
            return locked
        return _settle(order=locked, reference=reference, by=by)


def _settle(*, order: Order, reference: str, by) -> Order:

    def change(o: Order) -> list[str]:
        o.settled_at = timezone.now()
        o.settlement_reference = reference
        return ["settled_at", "settlement_reference"]

    return _transition(order=order, move="settle", by=by, note=reference, change=change)


# --- the data use agreement ---------------------------------------------------------------------


SPPD_OPEN = (S.OFFERED, S.REVISING, S.PAYMENT_REVIEW, S.AWAITING_DELIVERY)


def _sppd_check(order: Order) -> None:
    if order.sppd_status == SppdStatus.NOT_NEEDED:
        raise OrderError(_("This order needs no data use agreement."))
    if order.status not in SPPD_OPEN:
        raise OrderError(_("The data use agreement cannot be handed in now."))


def order_sppd_upload(*, order: Order, by, signed_file) -> Order:
    if actor_of(by) != Actor.CUSTOMER or order.customer_id != by.pk:
        raise OrderError(_("You may not do this with this order."))
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        _sppd_check(order)
        order.sppd_signed = signed_file
        order.sppd_status = SppdStatus.UPLOADED
        order.sppd_received_at = timezone.now()
        order.save(update_fields=["sppd_signed", "sppd_status", "sppd_received_at"])
        order_note(order=order, by=by, action="sppd_uploaded")
    return order


def order_sppd_originals_received(
    *, order: Order, by, signed_on: date | None = None, note: str = ""
) -> Order:
    if actor_of(by) != Actor.STAFF:
        raise OrderError(_("You may not do this with this order."))
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        _sppd_check(order)
        order.sppd_status = SppdStatus.ORIGINALS_RECEIVED
        order.sppd_received_at = timezone.now()
        order.sppd_signed_on = signed_on
        order.save(update_fields=["sppd_status", "sppd_received_at", "sppd_signed_on"])
        # The same action as originals by post: the SLA clock sees the agreement arrive.
        order_note(order=order, by=by, action="sppd_originals", note=note)
    return order


def order_sppd_signed_at_desk(*, order: Order, by, signed_on: date) -> Order:
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


# --- delivery and corrections -------------------------------------------------------------------


def order_deliver(*, order: Order, by, handover: str = "") -> Order:
    """Make the products downloadable. Microdata and maps wait for the signed SPPD. At the
    walk-in desk staff also say how the visitor received them (media or the portal)."""
    from .files import lines_missing_files

    if order.channel == OrderChannel.WALK_IN and handover not in Handover.values:
        raise OrderError(_("Choose how the products were handed over."))
    if order.channel != OrderChannel.WALK_IN and handover:
        raise OrderError(_("Only desk orders are handed over at the desk."))
    note = _("Handed over: %(how)s") % {"how": Handover(handover).label} if handover else ""

    def change(o: Order) -> list[str]:
        if not o.sppd_done:
            raise OrderError(_("The signed data use agreement has not arrived yet."))
        if o.settled_at is None:
            raise OrderError(_("The order is not paid yet."))
        if o.total and not _receipt_issued(o):
            raise OrderError(_("The receipt has not been issued yet."))
        if lines_missing_files(order=o):
            raise OrderError(_("Every line needs its prepared file before delivery."))
        o.completed_at = timezone.now()
        o.downloads_until = o.completed_at + DOWNLOAD_WINDOW
        o.working_days_used = order_sla_days(order=o, now=o.completed_at)
        o.handover = handover
        return ["completed_at", "downloads_until", "working_days_used", "handover"]

    from feedback.services import rating_invite

    with transaction.atomic():
        order = _transition(order=order, move="deliver", by=by, note=note, change=change)
        rating_invite(order=order)
    return order


def _receipt_issued(order: Order) -> bool:
    from billing.models import Receipt

    return Receipt.objects.filter(payment__invoice__order=order).exists()


def order_report_problem(*, order: Order, by, line_id: int, description: str) -> Order:
    description = _required(description, _("Describe the problem."))
    line = order.lines.filter(pk=line_id).first()
    if line is None:
        raise OrderError(_("Choose the product that has the problem."))
    with transaction.atomic():
        order = _transition(order=order, move="report_problem", by=by, note=description)
        Correction.objects.create(line=line, description=description)
    return order


def order_redeliver(*, order: Order, by, note: str = "") -> Order:
    """Every reported line has a new version: the correction is delivered."""

    def change(o: Order) -> list[str]:
        open_corrections = Correction.objects.filter(line__order=o, resolved_at__isnull=True)
        for correction in open_corrections.select_related("line"):
            newer = correction.line.files.filter(
                kind="product", uploaded_at__gt=correction.reported_at
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

    return _transition(order=order, move="redeliver", by=by, note=note, change=change)


def order_link_request(*, order: Order, by) -> OrderEvent:
    """After the download window the customer asks for a new link, once; staff renew it."""
    if order.customer_id != by.pk or order.status != S.COMPLETED:
        raise OrderError(_("You may not do this with this order."))
    if order.downloads_until is None or timezone.now() <= order.downloads_until:
        raise OrderError(_("Your download links are still valid."))
    pending = order.events.filter(action="link_requested", at__gt=order.completed_at)
    renewed = order.events.filter(action="downloads_renewed").order_by("-at").first()
    if renewed:
        pending = pending.filter(at__gt=renewed.at)
    return pending.first() or order_note(order=order, by=by, action="link_requested")


def order_downloads_renew(*, order: Order, by) -> Order:
    if actor_of(by) != Actor.STAFF:
        raise OrderError(_("You may not do this with this order."))
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != S.COMPLETED:
            raise OrderError(_("You may not do this with this order."))
        order.downloads_until = timezone.now() + DOWNLOAD_WINDOW
        order.save(update_fields=["downloads_until"])
        order_note(order=order, by=by, action="downloads_renewed")
        _notify(order=order, note=_("Your download links are valid again for 30 days."))
    return order


# --- billing's moves ------------------------------------------------------------------------------


def order_payment_submitted(*, order: Order, by) -> Order:
    """A transfer proof is waiting for the treasurer."""
    return _transition(order=order, move="payment_submitted", by=by)


def order_payment_rejected(*, order: Order, by, reason: str) -> Order:
    reason = _required(reason, _("Give the reason for the rejection."))
    return _transition(order=order, move="payment_rejected", by=by, note=reason)
