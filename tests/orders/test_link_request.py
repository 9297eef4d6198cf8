"""A new download link up to 30 days after completion (service standard): the customer asks,
the request waits in the staff's queue, staff renew the links; later the page explains the
rule and sends the customer to order again."""

from datetime import timedelta

import pytest
from django.contrib.messages import constants, get_messages
from django.urls import reverse
from django.utils import timezone

from orders import services
from orders.models import Order, OrderAction
from silastik.mail.models import OutboundEmail
from silastik.notifications.models import Notification

from .conftest import paid, prepared

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(customer, staff, microdata_order) -> Order:
    order = services.order_approve(order=microdata_order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    order = paid(order)
    services.order_sppd_originals_received(order=order, by=staff)
    return services.order_deliver(order=Order.objects.get(pk=order.pk), by=staff)


def completed_days_ago(order: Order, days: int) -> Order:
    """As if completed `days` ago, with its download window of DOWNLOAD_WINDOW over."""
    done = timezone.now() - timedelta(days=days)
    Order.objects.filter(pk=order.pk).update(
        completed_at=done, downloads_until=done + services.DOWNLOAD_WINDOW
    )
    return Order.objects.get(pk=order.pk)


def ask(client, order: Order):
    return client.post(reverse("orders:act", args=[order.pk, "link"]))


def test_within_30_days_the_request_waits_for_staff_who_renew_the_links(
    client, customer, staff, completed
):
    order = completed_days_ago(completed, 12)
    client.force_login(customer)
    page = client.get(order.get_absolute_url()).content.decode()
    assert 'data-state="open"' in page

    ask(client, order)

    order.refresh_from_db()
    assert order.link_requested_at is not None
    page = client.get(order.get_absolute_url()).content.decode()
    assert 'data-state="pending"' in page
    assert Notification.objects.filter(
        recipient=staff, message__contains="new download link"
    ).exists()
    client.force_login(staff)
    queue = client.get(reverse("admin:orders_order_changelist") + "?queue=links")
    assert [o.pk for o in queue.context["cl"].result_list] == [order.pk]
    assert (
        'id="renew-links"'
        in client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    )

    client.post(reverse("admin:orders_order_act", args=[order.pk, "renew"]))

    order.refresh_from_db()
    assert order.link_requested_at is None and order.downloads_until > timezone.now()
    told = OutboundEmail.objects.filter(to=customer.email, body_text__contains="dibuka kembali")
    assert told.exists()
    assert (
        not client.get(reverse("admin:orders_order_changelist") + "?queue=links")
        .context["cl"]
        .result_count
    )


def test_asking_twice_keeps_one_request(client, customer, completed):
    order = completed_days_ago(completed, 12)
    client.force_login(customer)

    ask(client, order)
    ask(client, order)

    assert order.events.filter(action=OrderAction.LINK_REQUESTED).count() == 1


def test_after_30_days_the_page_explains_the_rule_and_refuses(client, customer, completed):
    order = completed_days_ago(completed, 31)
    client.force_login(customer)

    page = client.get(order.get_absolute_url()).content.decode()
    response = ask(client, order)

    assert 'data-state="closed"' in page and reverse("catalog:list") in page
    errors = [m for m in get_messages(response.wsgi_request) if m.level == constants.ERROR]
    assert errors and "30 hari" in str(errors[0])
    order.refresh_from_db()
    assert order.link_requested_at is None


def test_while_the_links_are_open_there_is_nothing_to_ask(client, customer, completed):
    client.force_login(customer)

    page = client.get(completed.get_absolute_url()).content.decode()
    ask(client, completed)

    assert 'id="new-link"' not in page
    completed.refresh_from_db()
    assert completed.link_requested_at is None


def test_nobody_asks_for_anothers_order(client, other_customer, completed):
    order = completed_days_ago(completed, 12)
    client.force_login(other_customer)

    assert ask(client, order).status_code == 404
    order.refresh_from_db()
    assert order.link_requested_at is None
