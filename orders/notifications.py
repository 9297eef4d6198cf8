"""What the customer is told about their order."""

from silastik.links import absolute_url
from silastik.mail.services import email_queue

from .models import Order


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
