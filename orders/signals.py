"""What orders announce to the apps around it (billing, feedback, the desk), which it never
imports. The receivers connect in their AppConfig.ready().

Every signal is sent inside the move's transaction, after the order's state has changed under
its lock: what a receiver writes (an invoice, a voided invoice, an invitation) commits or rolls
back with the move, so an offer is never seen without its invoice and a refused receiver undoes
the move. Whatever leaves the database — e-mail, tasks — the receivers hand on after commit
(`email_queue`, `enqueue_on_commit`), as the rest of the code does. A receiver that raises an
ApplicationError refuses the move with its message.
"""

from django.dispatch import Signal

from .models import Order

# The offer went out (order, by): billing issues the invoice (none at the Rp0 tariff).
order_offered = Signal()

# The offer will not be paid as it stands — the customer asked for a correction or cancelled
# (order, reason): billing voids the open invoice and withdraws its billing codes.
order_offer_withdrawn = Signal()

# Asked before delivery (order); a receiver answers with a reason to wait, or "" to go on.
# Billing answers until the receipt of the payment has been issued.
order_delivery_check = Signal()

# The products were delivered (order): feedback invites the customer to rate the service.
order_delivered = Signal()

# Asked after a move in the back office (order): a receiver answers with a sentence of what it
# holds for the order now, for the staff's message ("invoice INV/…, billing code … valid
# until …"), or "".
order_summary = Signal()


def order_summaries(*, order: Order) -> list[str]:
    answers = order_summary.send(Order, order=order)
    return [str(text) for _receiver, text in answers if text]


def delivery_blockers(*, order: Order) -> list[str]:
    """The reasons receivers give to hold the delivery back, in the order they connected."""
    answers = order_delivery_check.send(Order, order=order)
    return [str(reason) for _receiver, reason in answers if reason]
