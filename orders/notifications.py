"""What the customer is told about their order, and the office's staff of what the customer did."""

from django.urls import reverse
from django.utils.translation import gettext_noop

from offices.selectors import office_people
from silastik.links import absolute_url
from silastik.mail.services import email_queue
from silastik.notifications.services import notify
from silastik.users.roles import Role

from .models import Order, OrderAction, OrderEvent

# What the customer did that the office's staff must act on (silastik.notifications).
OFFICE_NEWS = {
    OrderAction.SUBMIT: gettext_noop("New request %(number)s from %(customer)s"),
    OrderAction.ANSWER: gettext_noop("%(customer)s answered your question on %(number)s"),
    OrderAction.REQUEST_REVISION: gettext_noop(
        "%(customer)s asks for a correction of the offer %(number)s"
    ),
    OrderAction.REPORT_PROBLEM: gettext_noop(
        "%(customer)s reports a problem with %(number)s: correct it within 5 working days"
    ),
    OrderAction.LINK_REQUESTED: gettext_noop(
        "%(customer)s asks for a new download link for %(number)s"
    ),
    OrderAction.SPPD_UPLOADED: gettext_noop(
        "The signed agreement of %(number)s is uploaded: check it"
    ),
}


def order_customer_notify(*, order: Order, note: str) -> None:
    """Tell the customer that their order changed (an outbox row, sent after commit)."""
    customer = order.customer
    email_queue(
        to=customer.email,
        template="order_status",
        context={
            "order": order,
            "office": order.office,
            "note": note,
            "link": absolute_url(order.get_absolute_url()),
        },
        language=customer.language,
    )


def order_office_notify(*, order: Order, event: OrderEvent) -> None:
    """Tell the serving office's staff of what the customer did, once per event. Nothing for
    what the back office did itself (a walk-in request entered at the desk)."""
    message = OFFICE_NEWS.get(event.action)
    if message is None or order.office_id is None:
        return
    if event.actor is not None and (event.actor.roles or event.actor.is_superuser):
        return
    notify(
        recipients=office_people(office_id=order.office_id, role=Role.PST_STAFF),
        event=f"order-event:{event.pk}",
        message=message,
        params={"number": order.number or "", "customer": order.customer.full_name},
        link=reverse("admin:orders_order_change", args=[order.pk]),
    )
