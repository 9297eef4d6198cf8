import pytest

from desk.models import Visit
from desk.services import GuestEntry, ticket_issue
from tests.factories import default_office, walk_in_desk


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
    """A queue ticket taken at an office's guest book (Banjarnegara unless `office=`), as the
    kiosk takes it."""
    now = changes.pop("now", None)
    office = changes.pop("office", None) or default_office()
    return ticket_issue(office=office, entry=entry(**changes), now=now)[0]


@pytest.fixture
def desk(db):
    return walk_in_desk()


@pytest.fixture
def second_desk(db):
    return walk_in_desk(number=2)
