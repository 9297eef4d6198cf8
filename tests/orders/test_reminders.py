from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from orders import services
from orders.models import Order, OrderEvent
from orders.selectors import orders_needing_attention
from orders.tasks import sla_remind

from .conftest import submitted

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def backdate(order: Order, when: datetime) -> None:
    OrderEvent.objects.filter(order=order).update(at=when)
    Order.objects.filter(pk=order.pk).update(status_changed_at=when, submitted_at=when)


def test_orders_near_or_past_the_standard_are_found_with_working_days(
    customer, dataset, publication
):
    near = submitted(customer, dataset)
    # Mon 2026-11-09 to Fri 2026-11-20 is 9 working days: near the 10-day standard.
    backdate(near, datetime(2026, 11, 9, 9, 0, tzinfo=WIB))

    found = orders_needing_attention(now=datetime(2026, 11, 20, 15, 0, tzinfo=WIB))

    assert [(f.order.pk, f.used, f.state) for f in found] == [(near.pk, 9, "near")]
    assert (
        orders_needing_attention(now=datetime(2026, 11, 25, 15, 0, tzinfo=WIB))[0].state == "late"
    )


def test_the_customers_turn_does_not_count(customer, staff, dataset):
    order = submitted(customer, dataset)
    backdate(order, datetime(2026, 11, 2, 9, 0, tzinfo=WIB))
    services.order_ask_info(order=order, by=staff, question="Lengkapi abstraksi.")
    OrderEvent.objects.filter(order=order, action="ask_info").update(
        at=datetime(2026, 11, 3, 9, 0, tzinfo=WIB)
    )

    # Waiting for the customer ever since: one working day used, whatever the date.
    assert orders_needing_attention(now=datetime(2026, 11, 30, 9, 0, tzinfo=WIB)) == []


def test_staff_get_one_reminder_a_day(customer, staff, dataset, committed):
    order = submitted(customer, dataset)
    backdate(order, datetime.now(tz=WIB) - timedelta(days=30))

    with committed():
        assert sla_remind() == 1
        assert sla_remind() == 0

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [staff.email]
    assert order.number in mail.outbox[0].body


def test_the_clock_stands_still_while_the_customer_owes_the_signed_agreement(
    customer, staff, dataset
):
    from orders.selectors import order_sla_days

    from .conftest import prepared

    order = services.order_approve(order=submitted(customer, dataset), by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    order = services.order_settle(order=order, reference="NTPN")
    monday = datetime(2026, 11, 2, 9, 0, tzinfo=WIB)
    for action, day in [("submit", 0), ("approve", 0), ("offer", 1), ("settle", 1)]:
        OrderEvent.objects.filter(order=order, action=action).update(
            at=monday + timedelta(days=day)
        )

    # Paid on Tuesday, SPPD still missing three weeks later: only Monday→Tuesday counted.
    assert order_sla_days(order=order, now=monday + timedelta(days=21)) == 1
    services.order_sppd_originals_received(order=order, by=staff)
    OrderEvent.objects.filter(order=order, action="sppd_originals").update(
        at=monday + timedelta(days=21)
    )
    assert order_sla_days(order=order, now=monday + timedelta(days=22)) == 2
