"""The 10-minute standard from the first call of the day, and "not present" taken back within a
minute at the desk that pressed it."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from desk.models import Visit, VisitStatus
from desk.selectors import desk_absent_undoable, desk_day, oldest_waiting, standard_clock_since
from desk.services import DeskError, visit_absent_undo, visit_call_next, visit_move

from .conftest import ticket

pytestmark = pytest.mark.django_db
MORNING = timezone.make_aware(datetime(2026, 11, 23, 8, 0))


def at(minutes: float) -> datetime:
    return MORNING + timedelta(minutes=minutes)


def test_before_the_first_call_of_the_day_the_clock_runs_from_the_first_ticket(desk, staff):
    first = ticket(now=at(0))
    ticket(now=at(4), email="budi@example.com", phone="", identity_number="3304010101990002")

    since, from_ticket = standard_clock_since(
        last_done=desk_day(desk=desk, now=at(12)).last_done,
        oldest=oldest_waiting(office=desk.office, now=at(12)),
    )

    assert (since, from_ticket) == (first.issued_at, True)
    called = visit_call_next(desk=desk, by=staff, now=at(12))
    assert called.pk == first.pk and called.response_seconds == 12 * 60  # past the standard


def test_after_a_visitor_the_clock_runs_from_when_the_desk_was_done(desk, staff):
    ticket(now=at(0))
    ticket(now=at(1), email="budi@example.com", phone="", identity_number="3304010101990002")
    visit = visit_call_next(desk=desk, by=staff, now=at(2))
    visit = visit_move(visit=visit, move="start", by=staff, now=at(3))
    visit_move(visit=visit, move="finish", by=staff, now=at(9))

    since, from_ticket = standard_clock_since(
        last_done=desk_day(desk=desk, now=at(10)).last_done,
        oldest=oldest_waiting(office=desk.office, now=at(10)),
    )

    assert (since, from_ticket) == (at(9), False)
    assert visit_call_next(desk=desk, by=staff, now=at(11)).response_seconds == 2 * 60


def test_nobody_waiting_stops_the_clock(desk):
    assert standard_clock_since(last_done=None, oldest=None) == (None, False)


def test_not_present_is_taken_back_within_a_minute(desk, staff):
    ticket(now=at(0))
    visit = visit_call_next(desk=desk, by=staff, now=at(1))
    visit = visit_move(visit=visit, move="skip", by=staff, now=at(3))

    assert desk_absent_undoable(desk=desk, now=at(3.5)) == visit
    back = visit_absent_undo(visit=visit, desk=desk, by=staff, now=at(3.5))

    assert back.status == VisitStatus.CALLED and back.finished_at is None
    assert Visit.objects.get(pk=visit.pk).desk_id == desk.pk


def test_after_a_minute_not_present_stands(desk, staff):
    ticket(now=at(0))
    visit = visit_call_next(desk=desk, by=staff, now=at(1))
    visit = visit_move(visit=visit, move="skip", by=staff, now=at(3))

    assert desk_absent_undoable(desk=desk, now=at(4.1)) is None
    with pytest.raises(DeskError):
        visit_absent_undo(visit=visit, desk=desk, by=staff, now=at(4.1))
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.ABSENT


def test_only_the_desk_that_pressed_it_takes_it_back(desk, second_desk, staff):
    ticket(now=at(0))
    visit = visit_call_next(desk=desk, by=staff, now=at(1))
    visit = visit_move(visit=visit, move="skip", by=staff, now=at(3))

    assert desk_absent_undoable(desk=second_desk, now=at(3.2)) is None
    with pytest.raises(DeskError):
        visit_absent_undo(visit=visit, desk=second_desk, by=staff, now=at(3.2))


def test_a_desk_busy_with_the_next_visitor_cannot_take_it_back(desk, staff):
    ticket(now=at(0))
    ticket(now=at(0.5), email="budi@example.com", phone="", identity_number="3304010101990002")
    visit = visit_call_next(desk=desk, by=staff, now=at(1))
    visit = visit_move(visit=visit, move="skip", by=staff, now=at(3))
    visit_call_next(desk=desk, by=staff, now=at(3.1))

    with pytest.raises(DeskError):
        visit_absent_undo(visit=visit, desk=desk, by=staff, now=at(3.2))


def test_the_desk_page_offers_the_undo_and_takes_it(client, desk, staff):
    ticket()
    client.force_login(staff)
    client.post(reverse("desk:choose"), {"desk": desk.pk})
    client.post(reverse("desk:call"))
    visit = Visit.objects.get()
    client.post(reverse("desk:act", args=[visit.pk, "skip"]))

    page = client.get(reverse("desk:desk")).content.decode()
    assert 'id="undo-absent"' in page
    assert reverse("desk:absent_undo", args=[visit.pk]) in page

    client.post(reverse("desk:absent_undo", args=[visit.pk]))

    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.CALLED
    assert 'id="undo-absent"' not in client.get(reverse("desk:desk")).content.decode()


def test_the_desk_page_shows_the_clock_from_the_first_ticket(client, desk, staff):
    ticket()
    client.force_login(staff)
    client.post(reverse("desk:choose"), {"desk": desk.pk})

    page = client.get(reverse("desk:desk")).content.decode()

    assert 'id="standard-clock"' in page
    assert "Sejak tiket yang paling lama menunggu diambil" in page
