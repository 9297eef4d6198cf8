"""The order's states, who owns each, and the one table of allowed moves (docs/domain.md)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from silastik.users.models import User

from .models import OrderAction
from .models import OrderStatus as S


class Actor:
    CUSTOMER = "customer"
    STAFF = "staff"
    TREASURER = "treasurer"
    SYSTEM = "system"  # billing's confirmations, the expiry sweep


# Whose move it is. SLA time runs only while staff or the treasurer own the order.
OWNERS: dict[str, str | None] = {
    S.DRAFT: Actor.CUSTOMER,
    S.SUBMITTED: Actor.STAFF,
    S.NEEDS_INFO: Actor.CUSTOMER,
    S.PREPARING: Actor.STAFF,
    S.OFFERED: Actor.CUSTOMER,
    S.REVISING: Actor.STAFF,
    S.PAYMENT_REVIEW: Actor.TREASURER,
    S.AWAITING_DELIVERY: Actor.STAFF,  # the customer's while the signed SPPD is missing
    S.COMPLETED: None,
    S.CORRECTING: Actor.STAFF,
    S.REJECTED: None,
    S.CANCELLED: None,
    S.EXPIRED: None,
}


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str
    actor: str
    label: object  # lazy translation


MOVES: dict[str, Move] = {
    OrderAction.SUBMIT: Move(
        frozenset({S.DRAFT}), S.SUBMITTED, Actor.CUSTOMER, _("Submit the request")
    ),
    OrderAction.APPROVE: Move(frozenset({S.SUBMITTED}), S.PREPARING, Actor.STAFF, _("Approve")),
    OrderAction.ASK_INFO: Move(
        frozenset({S.SUBMITTED}), S.NEEDS_INFO, Actor.STAFF, _("Ask for more information")
    ),
    OrderAction.REJECT: Move(frozenset({S.SUBMITTED}), S.REJECTED, Actor.STAFF, _("Reject")),
    OrderAction.ANSWER: Move(frozenset({S.NEEDS_INFO}), S.SUBMITTED, Actor.CUSTOMER, _("Answer")),
    OrderAction.OFFER: Move(
        frozenset({S.PREPARING, S.REVISING}), S.OFFERED, Actor.STAFF, _("Send the offer")
    ),
    OrderAction.REQUEST_REVISION: Move(
        frozenset({S.OFFERED}), S.REVISING, Actor.CUSTOMER, _("Ask for a correction of the offer")
    ),
    OrderAction.CANCEL: Move(
        frozenset({S.SUBMITTED, S.NEEDS_INFO, S.PREPARING, S.OFFERED, S.REVISING}),
        S.CANCELLED,
        Actor.CUSTOMER,
        _("Cancel the order"),
    ),
    # Billing's side of the seam: a proof to check, a confirmed payment, an expired invoice.
    OrderAction.PAYMENT_SUBMITTED: Move(
        frozenset({S.OFFERED}), S.PAYMENT_REVIEW, Actor.CUSTOMER, _("Send the payment proof")
    ),
    OrderAction.PAYMENT_REJECTED: Move(
        frozenset({S.PAYMENT_REVIEW}), S.OFFERED, Actor.TREASURER, _("Reject the payment proof")
    ),
    OrderAction.ACCEPT: Move(
        frozenset({S.OFFERED}), S.AWAITING_DELIVERY, Actor.CUSTOMER, _("Accept the offer (Rp0)")
    ),
    OrderAction.SETTLE: Move(
        frozenset({S.OFFERED, S.PAYMENT_REVIEW}), S.AWAITING_DELIVERY, Actor.SYSTEM, _("Paid")
    ),
    OrderAction.EXPIRE: Move(frozenset({S.OFFERED}), S.EXPIRED, Actor.SYSTEM, _("Expire")),
    OrderAction.DELIVER: Move(
        frozenset({S.AWAITING_DELIVERY}), S.COMPLETED, Actor.STAFF, _("Deliver")
    ),
    OrderAction.REPORT_PROBLEM: Move(
        frozenset({S.COMPLETED}), S.CORRECTING, Actor.CUSTOMER, _("Report a problem")
    ),
    OrderAction.REDELIVER: Move(
        frozenset({S.CORRECTING}), S.COMPLETED, Actor.STAFF, _("Deliver the correction")
    ),
}


def moves_for(*, status: str, actor: str) -> list[str]:
    """The moves an actor may make from a status, in table order (for buttons)."""
    return [name for name, m in MOVES.items() if status in m.sources and m.actor == actor]


def actor_of(user: User | None) -> str | None:
    """The role a user acts in. Superusers are IT, not PST staff: no moves of their own."""
    if user is None:
        return Actor.SYSTEM
    if user.is_pst_staff:
        return Actor.STAFF
    if user.is_treasurer:
        return Actor.TREASURER
    if user.is_customer:
        return Actor.CUSTOMER
    return None
