"""The outbox: queue a message as a row, deliver it from a task, sweep what is left behind."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from silastik.background import enqueue_on_commit

from .models import OutboundEmail

log = logging.getLogger(__name__)

# A freshly queued message is handed to a worker at once; the sweep leaves it alone this long so
# that it does not enqueue the same message twice while the first task is still on its way.
SWEEP_GRACE = timedelta(minutes=1)
SWEEP_BATCH = 500


def email_render(*, template: str, context: dict, language: str) -> tuple[str, str, str]:
    """Render subject, text and HTML of `templates/emails/<template>/` in the given language."""
    base = f"emails/{template}"
    context = {**import_string(settings.EMAIL_CONTEXT_DEFAULTS)(), **context}
    with translation.override(language):
        subject = render_to_string(f"{base}/subject.txt", context)
        text = render_to_string(f"{base}/body.txt", context)
        html = render_to_string(f"{base}/body.html", context)
    return " ".join(subject.split()), text.strip() + "\n", html


@dataclass(frozen=True)
class Attachment:
    """A file already in private storage, attached under a name of its own."""

    path: str
    filename: str
    content_type: str


def email_queue(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    sensitive: bool = False,
    attachment: Attachment | None = None,
) -> OutboundEmail:
    subject, text, html = email_render(template=template, context=context, language=language)
    message = OutboundEmail.objects.create(
        to=to,
        attachment=attachment.path if attachment else "",
        attachment_name=attachment.filename if attachment else "",
        attachment_type=attachment.content_type if attachment else "",
        template=template,
        language=language,
        subject=subject,
        body_text=text,
        body_html=html,
        sensitive=sensitive,
        next_attempt_at=timezone.now() + SWEEP_GRACE,
    )
    from .tasks import outbox_deliver

    enqueue_on_commit(outbox_deliver, message.pk)
    return message


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


def outbox_deliver_one(*, message_id: int) -> bool:
    """Send one pending message. Returns True if this call sent it.

    The row is locked while sending and skipped by anyone else holding it, so however often the
    task runs, concurrently or again later, a message goes out once.
    """
    with transaction.atomic():
        message = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboundEmail.Status.PENDING)
            .first()
        )
        if message is None:
            return False
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        try:
            if message.attachment:
                with message.attachment.open("rb") as file:
                    email.attach(message.attachment_name, file.read(), message.attachment_type)
            email.send()
        except Exception as exc:  # SMTP and network errors of every kind
            message.attempts += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= settings.MAIL_MAX_ATTEMPTS:
                message.status = OutboundEmail.Status.FAILED
            message.next_attempt_at = timezone.now() + _retry_delay(message.attempts)
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            log.warning(
                "E-mail %s not delivered (attempt %s): %s", message.pk, message.attempts, exc
            )
            return False
        message.status = OutboundEmail.Status.SENT
        message.attempts += 1
        message.sent_at = timezone.now()
        if message.sensitive:
            message.body_text = message.body_html = ""
        message.save(update_fields=["status", "attempts", "sent_at", "body_text", "body_html"])
        return True


def outbox_flush(*, now: datetime | None = None) -> int:
    """Hand every due pending message to a worker again. Returns how many were enqueued."""
    from .tasks import outbox_deliver

    now = now or timezone.now()
    due = list(
        OutboundEmail.objects.filter(
            status=OutboundEmail.Status.PENDING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    # Not due again before a worker had time to take it: lagging workers must not find the same
    # message enqueued once per sweep.
    OutboundEmail.objects.filter(pk__in=due).update(next_attempt_at=now + SWEEP_GRACE)
    for pk in due:
        outbox_deliver.delay(pk)
    return len(due)


def outbox_retry(*, message: OutboundEmail) -> None:
    """Back office: try a failed message again."""
    OutboundEmail.objects.filter(pk=message.pk, status=OutboundEmail.Status.FAILED).update(
        status=OutboundEmail.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    from .tasks import outbox_deliver

    enqueue_on_commit(outbox_deliver, message.pk)
