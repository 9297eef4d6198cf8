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
