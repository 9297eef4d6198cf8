from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def badge(request) -> dict:
    """The number of unread notifications for the navbar's badge: back-office people only, and
    counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not (user.roles or user.is_superuser):
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(person=user))}
