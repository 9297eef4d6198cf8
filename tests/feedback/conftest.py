import pytest
from django.core.cache import cache

from feedback.ikm import CODES
from feedback.models import Rating
from feedback.services import rating_submit
from orders import services as order_services
from orders.models import Order
from tests.orders.conftest import dataset, paid, prepared, publication, submitted  # noqa: F401


def delivered(customer, product, staff) -> Order:
    """An order taken the whole way: approved, offered, paid in cash, delivered."""
    order = submitted(customer, product)
    order = order_services.order_approve(order=order, by=staff)
    order = order_services.order_offer(order=prepared(order, staff), by=staff)
    order = paid(order)
    return order_services.order_deliver(order=Order.objects.get(pk=order.pk), by=staff)


def completed_order(customer, product) -> Order:
    """A completed order without the path (the rating rules do not look at it)."""
    order = submitted(customer, product)
    Order.objects.filter(pk=order.pk).update(status="completed")
    return Order.objects.get(pk=order.pk)


def rated(customer, product, scores=None, comment: str = "") -> Rating:
    scores = scores if isinstance(scores, dict) else dict.fromkeys(CODES, scores or 4)
    order = completed_order(customer, product)
    return rating_submit(order=order, by=customer, scores=scores, comment=comment)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits live in the cache; each test starts with none used.
    cache.clear()
    yield
    cache.clear()
