"""The order page's invoice panel: a billing code's validity matters while the invoice waits
for its money; once paid (by that code or in cash) it is no longer "payable until" a date."""

import pytest
from django.urls import reverse

from billing.models import Invoice
from billing.services.invoices import billing_code_issue
from orders import services
from tests.factories import PublicationFactory
from tests.orders.conftest import paid, prepared, submitted

pytestmark = pytest.mark.django_db


def test_a_paid_invoices_code_is_not_payable_any_more(client, customer, staff):
    order = submitted(customer, PublicationFactory())
    services.order_approve(order=order, by=staff)
    services.order_offer(order=prepared(order, staff), by=staff)
    code = billing_code_issue(invoice=Invoice.objects.get(order=order))
    client.force_login(staff)
    url = reverse("admin:orders_order_change", args=[order.pk])

    waiting = client.get(url).content.decode()
    paid(order)
    settled = client.get(url).content.decode()

    assert code.code in waiting and "dapat dibayar sampai" in waiting
    assert code.code in settled
    assert "dapat dibayar sampai" not in settled and "kedaluwarsa" not in settled
