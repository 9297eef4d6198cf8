"""The order page's panel of work shows when there is work to do: a heading over nothing,
on an order waiting for its customer or completed, reads as a page that failed to load."""

import pytest
from django.urls import reverse

from orders import services
from tests.factories import PublicationFactory

from .conftest import submitted

pytestmark = pytest.mark.django_db


def test_the_work_panel_shows_only_with_work_to_do(client, customer, staff):
    waiting = submitted(customer, PublicationFactory())
    services.order_ask_info(order=waiting, by=staff, question="Lampirkan surat pengantar.")
    fresh = submitted(customer, PublicationFactory())
    client.force_login(staff)

    def panel(order) -> bool:
        url = reverse("admin:orders_order_change", args=[order.pk])
        return "Proses pesanan ini" in client.get(url).content.decode()

    assert panel(fresh)
    assert not panel(waiting)
