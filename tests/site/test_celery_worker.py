"""A real Celery worker process, started here, takes a task from Redis and runs it end to end:
an outbox e-mail travels from the database through Redis and the worker to an SMTP server."""

import os
import subprocess
import sys
import uuid

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from silastik.mail.models import OutboundEmail
from silastik.mail.tasks import outbox_deliver
from tests.celery_utils import celery_on_broker, wait_until
from tests.factories import outbox_message
from tests.services import free_port, need, redis_available


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def database_url() -> str:
    params = connection.settings_dict
    if connection.vendor == "postgresql":
        host = params["HOST"] or "127.0.0.1"
        auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
        return f"postgres://{auth}@{host}:{params['PORT'] or 5432}/{params['NAME']}"
    return f"sqlite:///{params['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_delivers_an_email_through_redis_to_smtp():
    broker = settings.TEST_BROKER_URL
    need(redis_available(broker), f"no Redis broker at CELERY_BROKER_URL ({broker or 'unset'})")
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    queue = f"test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "silastik.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": broker,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "silastik",
            "worker",
            "-P",
            "solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
        ],
        env=env,
        cwd=settings.BASE_DIR,
    )
    try:
        message = outbox_message(to="worker@example.com", language="en")
        with celery_on_broker(broker):
            outbox_deliver.apply_async((message.pk,), queue=queue)
        wait_until(lambda: inbox.messages, timeout=60)
        wait_until(lambda: OutboundEmail.objects.get(pk=message.pk).status == "sent", timeout=10)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        smtp.stop()

    assert len(inbox.messages) == 1
    assert inbox.messages[0].rcpt_tos == ["worker@example.com"]
    assert b"Verify your e-mail address" in inbox.messages[0].content
