from django.db.models import QuerySet

from silastik.users.models import User

from .models import Notification


def unread_count(*, person: User) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def notifications_of(*, person: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=person)
