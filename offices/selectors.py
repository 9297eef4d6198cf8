"""Which office a person works at, and what of the network they may see."""

from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Model, QuerySet

from silastik.users.models import User

from .models import CENTRE_CODE, Office, OfficeMembership

_CACHE = "_office_of"
M = TypeVar("M", bound=Model)


def office_of(user: User | None) -> Office | None:
    """The office of a back-office account; None for customers, superusers and national
    administrators (who belong to the whole network). Read once per request object."""
    if user is None or not user.is_authenticated:
        return None
    if not user.roles:  # a customer (or IT): no office, and no query on every page for it
        return None
    if not hasattr(user, _CACHE):
        membership = (
            OfficeMembership.objects.select_related("office").filter(user_id=user.pk).first()
        )
        setattr(user, _CACHE, membership.office if membership else None)
    return getattr(user, _CACHE)


def user_is_national(user: User | None) -> bool:
    """Sees every office: the superuser (IT) and the national administrator."""
    return bool(user and user.is_authenticated and (user.is_superuser or user.is_national_admin))


def office_filter(queryset: QuerySet[M], *, user: User, path: str = "office") -> QuerySet[M]:
    """Only the rows of the person's office (`path` leads from the row to its office); every row
    for the national roles; none for anyone without an office."""
    if user_is_national(user):
        return queryset
    office = office_of(user)
    if office is None:
        return queryset.none()
    return queryset.filter(**{path: office})


def offices_active() -> QuerySet[Office]:
    return Office.objects.filter(is_active=True)


def works_at(user: User | None, office_id: int | None) -> bool:
    """The person is of the back office of this office (its staff, treasurer or head)."""
    office = office_of(user)
    return office is not None and office_id is not None and office.pk == office_id


PORTAL_CACHE_KEY = "offices:portal"
PORTAL_CACHE_SECONDS = 300


def portal_office() -> Office | None:
    """The office the portal speaks for where no office serves (the site's header and footer,
    e-mails about an account): PORTAL_OFFICE_CODE, the centre by default. Read from the shared
    cache, which an office's save clears, so pages do not pay a query for it."""
    office = cache.get(PORTAL_CACHE_KEY)
    if office is None:
        code = getattr(settings, "PORTAL_OFFICE_CODE", "0000")
        office = Office.objects.filter(code=code).first() or offices_active().first()
        if office is not None:
            cache.set(PORTAL_CACHE_KEY, office, PORTAL_CACHE_SECONDS)
    return office


def reads_nationally(user: User | None) -> bool:
    """Sees the figures of every office side by side: the national roles, and the people of the
    centre (0000) — its head reads the national reports."""
    if user_is_national(user):
        return True
    office = office_of(user)
    return office is not None and office.code == CENTRE_CODE


def report_office_ids(user: User, *, office: str = "", province: str = "") -> list[int] | None:
    """Which offices' figures a report shows this person: their own office; for national
    readers every office (None), or the one chosen, or a province's offices (code prefix)."""
    if not reads_nationally(user):
        own = office_of(user)
        return [own.pk] if own is not None else []
    if office:
        return list(Office.objects.filter(code=office).values_list("pk", flat=True))
    if province:
        return list(Office.objects.filter(code__startswith=province).values_list("pk", flat=True))
    return None


def office_people(*, office_id: int | None, role: str) -> QuerySet[User]:
    """The active accounts of one office holding a role (its staff, its treasurer)."""
    if office_id is None:
        return User.objects.none()
    return User.objects.filter(
        office_membership__office_id=office_id, groups__name=role, is_active=True
    ).distinct()
