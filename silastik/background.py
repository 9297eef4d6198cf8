"""Handing work to Celery."""

import logging
from datetime import timedelta
from functools import partial

from celery import Task
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, transaction
from kombu.exceptions import OperationalError as KombuOperationalError

log = logging.getLogger(__name__)


# Errors worth trying a task again for: the database, the broker, SMTP or storage away for a
# moment. Anything else (a bug, a row that is gone) fails at once and is logged; the sweeps
# pick up what is still to do.
TEMPORARY_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
    KombuOperationalError,
)
try:  # S3-compatible storage away (the s3 extra)
    from botocore.exceptions import ConnectionError as S3ConnectionError
    from botocore.exceptions import HTTPClientError

    TEMPORARY_ERRORS += (S3ConnectionError, HTTPClientError)
except ImportError:
    pass

# How a task retries a temporary error: five times, 30 s, 60 s … up to 10 minutes apart.
RETRY_TEMPORARY = {
    "autoretry_for": TEMPORARY_ERRORS,
    "max_retries": 5,
    "retry_backoff": 30,
    "retry_backoff_max": 600,
}
# What a sweep leaves to the normal task (it may still be on its way), how many it takes at a
# time, and how long it waits before it queues the same piece of work again.
SWEEP_GRACE = timedelta(minutes=2)
SWEEP_BATCH = 500
SWEEP_REQUEUE_AFTER = timedelta(minutes=30)


def enqueue_once(task: Task, *args) -> bool:
    """A sweep's enqueue: not again for SWEEP_REQUEUE_AFTER once queued, so an hour with the
    worker down does not pile up a dozen copies of each task. False when not queued."""
    key = f"sweep:{task.name}:{':'.join(map(str, args))}"
    if not cache.add(key, 1, timeout=int(SWEEP_REQUEUE_AFTER.total_seconds())):
        return False
    if enqueue(task, *args):
        return True
    cache.delete(key)  # the broker is down: the next sweep tries again
    return False


def enqueue(task: Task, *args) -> bool:
    """Enqueue now; False when the broker is unreachable. The work is recorded in the database
    (an outbox row, a state without its document) and a periodic sweep enqueues it again."""
    try:
        task.delay(*args)
    except Exception:
        log.exception("Could not enqueue %s%r; a periodic sweep will retry it.", task.name, args)
        return False
    return True


def enqueue_on_commit(task: Task, *args) -> None:
    """Enqueue a task with ids once the surrounding transaction has committed, never before."""
    transaction.on_commit(partial(enqueue, task, *args))
