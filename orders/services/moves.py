"""The one way an order changes state: check the actor and the move, lock, change, log, notify."""

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.selectors import works_at
from silastik.errors import ApplicationError, text_within
from silastik.users.models import User

from ..models import Order, OrderAction, OrderEvent
from ..models import OrderStatus as S
from ..notifications import order_customer_notify, order_office_notify
from ..workflow import MOVES, Actor, actor_of

# Microdata and maps: the links of a delivery stay open this long; within LINK_REQUEST_WINDOW
# of completion the customer may ask for new ones (service standard: "a request for a link is
# served up to 30 days after the transaction was completed").
DOWNLOAD_WINDOW = timedelta(days=7)
LINK_REQUEST_WINDOW = timedelta(days=30)
# What a person writes on an order (an answer, a correction asked for, a problem, a note):
# the forms say the same (orders.forms).
NOTE_MAX_LENGTH = 4000

# A move's change: sets fields on the locked order and returns their names (or raises).
Change = Callable[[Order], list[str]]


class OrderError(ApplicationError):
    """A move that is not allowed now, or not for this person; nothing was changed."""


def actor_check(*, move: OrderAction, order: Order, by: User | None) -> None:
    spec = MOVES[move]
    actor = actor_of(by)
    if actor != spec.actor or (
        actor == Actor.CUSTOMER and by is not None and order.customer_id != by.pk
    ):
        raise OrderError(_("You may not do this with this order."))
    office_check(order=order, by=by)


def office_check(*, order: Order, by: User | None) -> None:
    """Staff and treasurers act on their own office's orders only (the back office shows them no
    other; this holds for every caller)."""
    if actor_of(by) in (Actor.STAFF, Actor.TREASURER) and not works_at(by, order.office_id):
        raise OrderError(_("This order is served by another office."))


def order_transition(
    *,
    order: Order,
    move: OrderAction,
    by: User | None,
    note: str = "",
    change: Change | None = None,
    entered_by: User | None = None,
    annotate: Callable[[Order], str] | None = None,
) -> Order:
    """Lock the order, check the move against its current state, apply it, log it, and notify
    the customer once the transaction has committed. `entered_by` is who did it for `by` (staff
    at the walk-in desk): the audit row names them. `annotate` adds to the note what the change
    did, read under the same lock (the offer's new prices)."""
    actor_check(move=move, order=order, by=by)
    text_limit(note, NOTE_MAX_LENGTH)
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
        if annotate is not None:
            note = "\n".join(part for part in (note.strip(), annotate(locked)) if part)
        event = OrderEvent.objects.create(
            order=locked,
            actor=entered_by or by,
            action=OrderAction(move),
            from_status=previous,
            to_status=spec.target,
            note=note,
        )
        order_office_notify(order=locked, event=event)
        if previous != S.DRAFT:
            order_customer_notify(order=locked, note=note)
    return locked


def order_note(*, order: Order, by: User | None, action: OrderAction, note: str = "") -> OrderEvent:
    """An event that changes no state (a document received, a file prepared, a request)."""
    text_limit(note, NOTE_MAX_LENGTH)
    with transaction.atomic():
        event = OrderEvent.objects.create(
            order=order,
            actor=by,
            action=action,
            from_status=order.status,
            to_status=order.status,
            note=note,
        )
        order_office_notify(order=order, event=event)
    return event


def text_limit(text: str, limit: int) -> str:
    """The text, or OrderError when it is longer than `limit` characters."""
    return text_within(text, limit, error=OrderError)


def text_required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise OrderError(message)
    return text
