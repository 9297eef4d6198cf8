import pytest

from desk.models import Desk, Visit
from desk.services import GuestEntry, ticket_issue


def entry(**changes) -> GuestEntry:
    fields = {
        "name": "Rina Kusuma",
        "institution": "Universitas Jenderal Soedirman",
        "segment": "student",
        "email": "rina@example.com",
        "phone": "0812-3456-7890",
        "identity_kind": "ktp",
        "identity_number": "3304010101990001",
        "purpose": "data",
    }
    return GuestEntry(**{**fields, **changes})


def ticket(**changes) -> Visit:
    """A queue ticket taken at the guest book, as the kiosk takes it."""
    now = changes.pop("now", None)
    return ticket_issue(entry=entry(**changes), now=now)[0]


@pytest.fixture
def desk(db):
    # The migration makes two desks; a transactional test before this one may have flushed them.
    return Desk.objects.get_or_create(number=1, defaults={"name": "Loket 1"})[0]


@pytest.fixture
def second_desk(db):
    return Desk.objects.get_or_create(number=2, defaults={"name": "Loket 2"})[0]
