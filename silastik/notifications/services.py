"""Telling people of the back office that work has arrived.

`notify` is called by the app where the event happened (orders when a request is sent, billing
when a proof arrives), inside its transaction: the rows commit or roll back with the event, and
the e-mails leave through the outbox after commit. Each person gets one notification per event
however often it is called, and reads it in their own language.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from silastik.links import absolute_reverse, absolute_url
from silastik.mail.services import email_queue
from silastik.users.models import NotifyBy, User

from .models import Notification


def notify(
    *, recipients: Iterable[User], event: str, message: str, params: dict, link: str
) -> list[Notification]:
    """One notification per active recipient for `event` (e.g. "order-event:41"); `message` is
    an English sentence marked with gettext_noop, `params` its values, `link` a path of the
    portal. Those who chose immediate notice are e-mailed now; the others in the digest."""
    made = []
    now = timezone.now()
    for person in {p.pk: p for p in recipients if p.is_active}.values():
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=person,
                    event=event,
                    message=message,
                    params=params,
                    link=link,
                    created_at=now,
                )
        except IntegrityError:
            continue  # told of this event before
        if person.notify_by == NotifyBy.IMMEDIATE:
            _mail(person, [notification])
            notification.mailed_at = now
            notification.save(update_fields=["mailed_at"])
        made.append(notification)
    return made


def _mail(person: User, notifications: list[Notification], *, digest: bool = False) -> None:
    with translation.override(person.language):
        items = [(n.text, absolute_url(n.link) if n.link else "") for n in notifications]
    email_queue(
        to=person.email,
        template="notification",
        context={
            "person": person,
            "items": items,
            "digest": digest,
            "home_url": absolute_reverse("work:home"),
            "profile_url": absolute_reverse("users:profile"),
        },
        language=person.language,
    )


def notifications_digest_send() -> int:
    """The daily digest: one e-mail per person with what arrived since the last one and is still
    unread (what they opened from the badge needs no mail). Rows left waiting by someone who
    has since chosen immediate notice go in it too. Rows are taken under a lock and marked, so
    two runs never mail the same twice."""
    sent = 0
    people = User.objects.filter(is_active=True, notifications__mailed_at__isnull=True).distinct()
    for person in people:
        with transaction.atomic():
            waiting = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(recipient=person, mailed_at__isnull=True)
                .order_by("created_at", "pk")
            )
            unread = [n for n in waiting if n.read_at is None]
            if unread:
                _mail(person, unread, digest=True)
                sent += 1
            Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
                mailed_at=timezone.now()
            )
    return sent


def notification_open(*, notification: Notification) -> str:
    """Mark it read; returns where it leads."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification.link


def notifications_read_all(*, person: User) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )
