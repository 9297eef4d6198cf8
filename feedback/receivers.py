"""Feedback's answers to what orders announce (orders.signals), and its panel on the order page."""

from django.http import HttpRequest

from orders.models import Order
from orders.panels import OrderPanel, order_panel_register
from orders.signals import order_delivered

from .forms import AnswerForm
from .selectors import rating_of
from .services import rating_invite


def on_order_delivered(*, order: Order, **kwargs: object) -> None:
    rating_invite(order=order)


def rating_panel_context(request: HttpRequest, order: Order) -> dict:
    rating = rating_of(order=order)
    return {"rating": rating, "has_rating": rating is not None, "rating_answer_form": AnswerForm()}


def receivers_connect() -> None:
    order_delivered.connect(on_order_delivered, dispatch_uid="feedback.rating_invite")
    order_panel_register(
        OrderPanel(
            slot="after_offer", template="feedback/_order_panel.html", context=rating_panel_context
        )
    )
