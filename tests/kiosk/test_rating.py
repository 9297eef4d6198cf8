"""The kiosk's rating form of an office: its own tickets, on its own day."""

import re
from datetime import datetime

import pytest
from django.urls import reverse

from desk.models import Visit
from desk.services import visit_call_next, visit_move
from feedback.ikm import CODES
from feedback.models import Rating
from feedback.services import FeedbackError
from kiosk.rating import visit_for_rating, visit_rating_submit
from offices.models import OfficeTimeZone
from tests.desk.conftest import ticket
from tests.factories import UserFactory, default_office, office, walk_in_desk

pytestmark = pytest.mark.django_db

GOOD = dict.fromkeys(CODES, 4)


@pytest.fixture
def tana_tidung(db):
    return office("6503", name="BPS Kabupaten Tana Tidung", time_zone=OfficeTimeZone.WITA)


def served(where, now: datetime | None = None, **changes) -> Visit:
    """A ticket of the office, called, served and finished at its desk."""
    staff = UserFactory(roles=["pst_staff"], office=where)
    ticket(office=where, now=now, **changes)
    called = visit_call_next(desk=walk_in_desk(where), by=staff, now=now)
    visit_move(visit=called, move="start", by=staff, now=now)
    return visit_move(visit=called, move="finish", by=staff, now=now)


def kiosk_open(client, code: str, visit: Visit, pin: str | None = None):
    return client.post(
        reverse("kiosk_rating:start", args=[code]),
        {"ticket": visit.ticket, "pin": visit.pin if pin is None else pin},
    )


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode())[1]


def test_each_kiosk_rates_its_own_offices_ticket(client, tana_tidung):
    ours = served(default_office())
    theirs = served(tana_tidung, email="budi@example.com", phone="")
    assert ours.ticket == theirs.ticket == "A-001"

    Visit.objects.filter(pk=ours.pk).update(pin="111111")
    Visit.objects.filter(pk=theirs.pk).update(pin="222222")
    theirs.refresh_from_db()

    # Banjarnegara's A-001 with its PIN, typed at Tana Tidung's tablet.
    wrong_office = client.post(
        reverse("kiosk_rating:start", args=["6503"]), {"ticket": "A-001", "pin": "111111"}
    )
    form = kiosk_open(client, "6503", theirs)
    done = client.post(
        reverse("kiosk_rating:submit", args=["6503"]), {"token": token_of(form), **GOOD}
    )

    assert 'id="kiosk-rating-form"' not in wrong_office.content.decode()
    assert done.status_code == 302 and done.url == reverse("kiosk_rating:thanks", args=["6503"])
    assert Rating.objects.get().visit == theirs
    thanks = client.get(done.url).content.decode()
    assert reverse("kiosk_rating:start", args=["6503"]) in thanks


def test_a_form_opened_at_one_office_is_not_sent_at_another(client, tana_tidung):
    ours = served(default_office())
    form = kiosk_open(client, "3304", ours)

    elsewhere = client.post(
        reverse("kiosk_rating:submit", args=["6503"]), {"token": token_of(form), **GOOD}
    )

    assert elsewhere.status_code == 200 and 'id="ticket-form"' in elsewhere.content.decode()
    assert not Rating.objects.exists()


def test_another_offices_ticket_is_not_found(tana_tidung):
    ours = served(default_office())

    with pytest.raises(FeedbackError):
        visit_for_rating(office=tana_tidung, ticket=ours.ticket, pin=ours.pin)
    assert visit_for_rating(office=default_office(), ticket=ours.ticket, pin=ours.pin) == ours


def test_the_rating_day_ends_at_the_offices_own_midnight(tana_tidung):
    late = datetime(2026, 11, 23, 23, 30, tzinfo=tana_tidung.zone)
    visit = served(tana_tidung, now=late)
    next_day = datetime(2026, 11, 24, 0, 10, tzinfo=tana_tidung.zone)  # 23:10 in Jakarta

    same_day = visit_for_rating(
        office=tana_tidung,
        ticket=visit.ticket,
        pin=visit.pin,
        now=datetime(2026, 11, 23, 23, 50, tzinfo=tana_tidung.zone),
    )
    with pytest.raises(FeedbackError):
        visit_for_rating(office=tana_tidung, ticket=visit.ticket, pin=visit.pin, now=next_day)
    with pytest.raises(FeedbackError):
        visit_rating_submit(visit=visit, scores=GOOD, now=next_day)
    assert same_day == visit and not Rating.objects.exists()
