"""Handing work to Celery."""

import logging
from functools import partial

from celery import Task
from django.db import transaction

log = logging.getLogger(__name__)


def _send(task: Task, args: tuple) -> None:
    try:
        task.delay(*args)
    except Exception:
        # The broker is unreachable. The work is recorded in the database (an outbox row, a
        # pending state) and the periodic sweeps enqueue it again once the broker is back.
        log.exception("Could not enqueue %s%r; a periodic sweep will retry it.", task.name, args)


def enqueue_on_commit(task: Task, *args) -> None:
    """Enqueue a task with ids once the surrounding transaction has committed, never before."""
    transaction.on_commit(partial(_send, task, args))
