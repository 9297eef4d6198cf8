"""Handing work to Celery."""

import logging
from functools import partial

from celery import Task
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
