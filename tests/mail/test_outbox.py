import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from silastik.mail.models import OutboundEmail
from silastik.mail.services import email_queue, outbox_deliver_one, outbox_flush, outbox_retry
from silastik.mail.tasks import outbox_deliver
from tests.celery_utils import celery_on_broker, redis_server, wait_until, worker_thread
from tests.factories import UserFactory
from tests.services import free_port, need, which


def queue(language="id", to="alice@example.com"):
    return email_queue(
        to=to,
        template="verify_email",
        context={"user": {"full_name": "Alice"}, "link": "https://x/akun/verifikasi/t/", "days": 3},
        language=language,
    )


@pytest.mark.django_db
def test_a_message_is_rendered_in_the_recipients_language_with_text_and_html():
    indonesian = queue("id")
    english = queue("en")

    assert indonesian.subject == "Verifikasi alamat e-mail Anda"
    assert english.subject == "Verify your e-mail address"
    assert "Halo Alice" in indonesian.body_text
    assert '<a href="https://x/akun/verifikasi/t/"' in english.body_html


@pytest.mark.django_db
def test_a_message_is_sent_after_commit_and_only_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
        assert mail.outbox == []  # nothing leaves before the transaction commits

    assert len(mail.outbox) == 1
    assert outbox_deliver_one(message_id=message.pk) is False
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.SENT
    assert message.sent_at is not None


@pytest.mark.django_db
def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue()
        raise RuntimeError

    assert mail.outbox == []
    assert not OutboundEmail.objects.exists()


class BrokenSMTP:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection lost")


@pytest.mark.django_db
def test_an_smtp_failure_keeps_the_message_and_the_sweep_sends_it_later(settings):
    settings.EMAIL_BACKEND = "tests.mail.test_outbox.BrokenSMTP"
    message = queue()
    assert outbox_deliver_one(message_id=message.pk) is False

    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.PENDING
    assert message.attempts == 1
    assert "connection lost" in message.last_error
    assert outbox_flush(now=timezone.now()) == 0  # not yet due

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_flush(now=message.next_attempt_at + timedelta(seconds=1)) == 1
    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_message_fails_after_the_last_attempt_and_can_be_retried_from_the_back_office(settings):
    settings.EMAIL_BACKEND = "tests.mail.test_outbox.BrokenSMTP"
    settings.MAIL_MAX_ATTEMPTS = 2
    message = queue()
    outbox_deliver_one(message_id=message.pk)
    outbox_deliver_one(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.FAILED
    assert outbox_flush(now=timezone.now() + timedelta(days=1)) == 0

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outbox_retry(message=message)
    outbox_deliver_one(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_a_message_queued_while_the_broker_is_down_is_delivered_once_it_is_back():
    need(which("redis-server") is not None, "redis-server is not installed")
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"

    with celery_on_broker(url):
        # The broker is down: the request still succeeds and the message waits in the outbox.
        message = queue()
        message.refresh_from_db()
        assert message.status == OutboundEmail.Status.PENDING
        assert mail.outbox == []

        with redis_server(port), worker_thread():
            later = timezone.now() + timedelta(minutes=2)
            assert outbox_flush(now=later) == 1
            wait_until(lambda: OutboundEmail.objects.get(pk=message.pk).status == "sent")
            # A second sweep (or a late duplicate task) finds nothing left to send.
            assert outbox_flush(now=later) == 0
            outbox_deliver.delay(message.pk)
            # The worker takes tasks in order: once a later message is out, so is the duplicate.
            sentinel = queue(to="sentinel@example.com")
            wait_until(lambda: OutboundEmail.objects.get(pk=sentinel.pk).status == "sent")

    assert [m.to for m in mail.outbox] == [["alice@example.com"], ["sentinel@example.com"]]


@pytest.mark.django_db
def test_a_message_with_a_personal_link_is_erased_once_sent_and_never_shown_to_staff(
    client, staff, superuser, customer, committed
):
    from django.urls import reverse

    with committed():
        client.post(reverse("users:password_reset"), {"email": customer.email})
    message = OutboundEmail.objects.get()
    link = mail.outbox[0].body.split("/akun/reset/tautan/#")[1].split()[0]
    assert message.sensitive
    assert message.body_text == "" and message.body_html == ""

    message.body_text = f"pretend still pending /akun/reset/tautan/#{link}"
    message.status = OutboundEmail.Status.PENDING
    message.save()
    national = UserFactory(roles=["national_admin"], office=False)
    for user in (national, superuser):
        client.force_login(user)
        page = client.get(reverse("admin:mail_outboundemail_change", args=[message.pk]))
        assert page.status_code == 200
        assert link not in page.content.decode()


@pytest.mark.django_db
def test_a_sweep_does_not_enqueue_the_same_message_again_while_workers_lag(monkeypatch):
    enqueued = []
    # The workers lag: nothing is delivered between the two sweeps.
    monkeypatch.setattr(outbox_deliver, "delay", enqueued.append)
    message = queue()
    later = message.next_attempt_at + timedelta(seconds=1)

    assert outbox_flush(now=later) == 1
    assert outbox_flush(now=later) == 0
    assert enqueued == [message.pk]


@pytest.mark.django_db
def test_the_text_part_is_plain_text_not_html(committed):
    with committed():
        email_queue(
            to="x@example.com",
            template="verify_email",
            context={
                "user": {"full_name": "Dewi O'Neil & Co"},
                "link": "https://x/?a=1&b=2",
                "days": 3,
            },
            language="en",
        )

    body = mail.outbox[0].body
    assert "Dewi O'Neil & Co" in body
    assert "https://x/?a=1&b=2" in body
    assert 'lang="en"' in mail.outbox[0].alternatives[0][0]
