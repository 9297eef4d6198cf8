"""Staff review a request: approve (deciding a requested Rp0 tariff), ask, reject; the customer
answers."""

from django.db import transaction
from django.utils.translation import gettext as _

from silastik.users.models import User

from ..cutting.services import order_cuts_start
from ..models import Exemption, Order, OrderAction
from .moves import OrderError, order_transition, text_required


def order_approve(*, order: Order, by: User, exemption: str | None = None, note: str = "") -> Order:
    """The abstract fits the data: prepare. A requested Rp0 tariff is decided here."""
    if order.exemption == Exemption.REQUESTED and exemption not in (
        Exemption.APPROVED,
        Exemption.REFUSED,
    ):
        raise OrderError(_("Decide on the requested Rp0 tariff before approving."))

    def change(o: Order) -> list[str]:
        if o.exemption == Exemption.REQUESTED:
            o.exemption = exemption or ""
            return ["exemption"]
        return []

    with transaction.atomic():
        order = order_transition(
            order=order, move=OrderAction.APPROVE, by=by, note=note, change=change
        )
        # Microdata whose master files are there is cut by a worker from now on.
        order_cuts_start(order=order, by=by)
    return order


def order_ask_info(*, order: Order, by: User, question: str) -> Order:
    question = text_required(question, _("Write what the customer should add."))
    return order_transition(order=order, move=OrderAction.ASK_INFO, by=by, note=question)


def order_reject(*, order: Order, by: User, reason: str) -> Order:
    reason = text_required(reason, _("Give the reason for the rejection."))
    return order_transition(order=order, move=OrderAction.REJECT, by=by, note=reason)


def order_answer(*, order: Order, by: User, answer: str) -> Order:
    answer = text_required(answer, _("Write your answer."))
    return order_transition(order=order, move=OrderAction.ANSWER, by=by, note=answer)
