"""The order page gathers what other apps show about an order (billing's invoice and payment,
feedback's rating) without importing them: each registers a panel in its AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from .models import Order


@dataclass(frozen=True)
class OrderPanel:
    # Where: on the customer's order page "payment" (below the lines) or "after_offer" (below
    # the offer's forms); on the back office's order page "back_office".
    slot: str
    template: str
    # The panel's context, merged into the page's: (request, order) -> dict.
    context: Callable[[HttpRequest, Order], dict]


_registry: list[OrderPanel] = []


def order_panel_register(panel: OrderPanel) -> None:
    if panel not in _registry:
        _registry.append(panel)


def order_panels(*, request: HttpRequest, order: Order) -> dict:
    """The page's context for every registered panel: `panels` maps a slot to its templates."""
    context: dict = {"panels": {}}
    for panel in _registry:
        context.update(panel.context(request, order))
        context["panels"].setdefault(panel.slot, []).append(panel.template)
    return context
