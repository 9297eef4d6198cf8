"""Offers that lapse unpaid: set-based, so a sweep over thousands of orders costs one statement
(PostgreSQL) and no rows through Python."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from silastik.background import enqueue_on_commit

from ..models import Order, OrderAction, OrderEvent
from ..models import OrderStatus as S
from ..tasks import orders_expired_notify

# Orders per notification task: a sweep of 50.000 is 100 tasks, not 50.000.
NOTIFY_BATCH = 500

# One statement: the offered orders among the given ids move to expired (compare-and-swap on
# the status) and each gets its audit row.
EXPIRE_SQL = """
WITH expiring AS (
    UPDATE orders_order AS o SET status = %(expired)s, status_changed_at = %(now)s
    WHERE o.id = ANY(%(ids)s) AND o.status = %(offered)s
    RETURNING o.id
), events AS (
    INSERT INTO orders_orderevent (order_id, at, action, from_status, to_status, note)
    SELECT id, %(now)s, %(action)s, %(offered)s, %(expired)s, %(note)s FROM expiring
    RETURNING order_id
)
SELECT ARRAY(SELECT order_id FROM events)
"""


def orders_expire(*, order_ids: Sequence[int], now: datetime, note: str) -> list[int]:
    """Expire those of these orders that are still offered (billing calls it for the orders of
    the invoices it expired, in its transaction). Only orders this call changed are logged and
    notified, so a sweep that runs twice notifies once. Returns their ids."""
    if not order_ids:
        return []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            expired = _expire_in_one_statement(order_ids=order_ids, now=now, note=note)
        else:
            expired = _expire_portable(order_ids=order_ids, now=now, note=note)
        for start in range(0, len(expired), NOTIFY_BATCH):
            enqueue_on_commit(orders_expired_notify, expired[start : start + NOTIFY_BATCH])
    return expired


def _expire_in_one_statement(*, order_ids: Sequence[int], now: datetime, note: str) -> list[int]:
    params: dict[str, Any] = {
        "ids": list(order_ids),
        "now": now,
        "note": note,
        "action": OrderAction.EXPIRE.value,
        "offered": S.OFFERED.value,
        "expired": S.EXPIRED.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(EXPIRE_SQL, params)
        (expired,) = cursor.fetchone()
    return list(expired)


def _expire_portable(*, order_ids: Sequence[int], now: datetime, note: str) -> list[int]:
    offered = Order.objects.filter(pk__in=order_ids, status=S.OFFERED).order_by()
    expiring = list(offered.values_list("pk", flat=True))
    Order.objects.filter(pk__in=expiring, status=S.OFFERED).update(
        status=S.EXPIRED, status_changed_at=now
    )
    OrderEvent.objects.bulk_create(
        OrderEvent(
            order_id=pk,
            at=now,
            action=OrderAction.EXPIRE,
            from_status=S.OFFERED,
            to_status=S.EXPIRED,
            note=note,
        )
        for pk in expiring
    )
    return expiring
