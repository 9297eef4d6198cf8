"""A visitor sent to statistical consultation is handed to the consultation queue as the same
visit: the ticket (and its PIN) stays, the visit waits in line B in its place by the ticket's
time, the next desk calling consultation calls it, and the data desk is free at once."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from desk.models import Visit, VisitStatus
from desk.orders import desk_consultation_redirect
from desk.reports import day_report
from desk.selectors import desk_day, queue_board
from desk.services import (
    DeskError,
    desk_current,
    visit_call_next,
    visit_move,
    visit_refer_to_consultation,
)
from kiosk.rating import visit_for_rating
from orders.models import OrderStatus as S
from tests.factories import DatasetFactory, UserFactory, default_office

from .conftest import ticket
from .test_orders import desk_order, served, url

pytestmark = pytest.mark.django_db
MORNING = timezone.make_aware(datetime(2026, 11, 23, 8, 0))


def at(minutes: float) -> datetime:
    return MORNING + timedelta(minutes=minutes)


@pytest.fixture
def consultant(db):
    return UserFactory(
        email="konsultan@example.com", full_name="Dina Konsultan", roles=["pst_staff"]
    )


def lines(office, now: datetime) -> dict[str, int]:
    return {line.letter: line.waiting for line in queue_board(office=office, now=now).lines}


def test_the_referral_keeps_one_visit(desk, second_desk, staff, consultant):
    visit = ticket(now=at(0))
    visit_call_next(desk=desk, by=staff, now=at(2))
    visit_move(visit=visit, move="start", by=staff, now=at(3))
    later = ticket(now=at(5), purpose="consultation", email="sari@example.com", phone="")

    referred = desk_consultation_redirect(visit=visit, by=staff, reason="Cukup tabel publikasi.")

    assert Visit.objects.count() == 2  # the referral made no new ticket
    assert referred.pk == visit.pk and referred.ticket == "A-001" and referred.pin == visit.pin
    assert (referred.status, referred.line, referred.service) == (VisitStatus.WAITING, "B", "A")
    assert referred.referred_from == desk and referred.referred_by == staff
    assert "Cukup tabel publikasi." in referred.note
    assert lines(default_office(), at(6)) == {"A": 0, "B": 2, "C": 0, "D": 0}
    assert desk_current(desk=desk, now=at(6)) is None  # the data desk is free for its next visitor

    # The consultation desk calls it first: it waited since its ticket, before B-001's.
    called = visit_call_next(desk=second_desk, by=consultant, services=["B"], now=at(20))
    assert called.pk == visit.pk and called.desk == second_desk and called.served_by == consultant
    # Its wait and its 10-minute standard are those of its first call, at the data desk.
    assert (called.called_at, called.response_seconds, called.calls) == (at(2), 2 * 60, 1)
    visit_move(visit=called, move="start", by=consultant, now=at(21))
    done = visit_move(visit=called, move="finish", by=consultant, now=at(30))
    assert done.status == VisitStatus.DONE and done.serving_at == at(3)
    assert visit_call_next(desk=second_desk, by=consultant, services=["B"], now=at(31)) == later

    # The visitor rates the visit with the ticket and PIN printed on it, once.
    assert (
        visit_for_rating(office=default_office(), ticket="A-001", pin=visit.pin, now=at(32)) == done
    )
    report = day_report(office=default_office(), day=visit.day)
    assert (report.figures.tickets, report.figures.referred, report.figures.served) == (2, 1, 1)


def test_the_referring_desk_counts_the_referral_as_done(desk, staff):
    visit = ticket(now=at(0))
    visit_call_next(desk=desk, by=staff, now=at(1))
    visit_move(visit=visit, move="start", by=staff, now=at(2))
    ticket(now=at(3), email="budi@example.com", phone="")
    visit_refer_to_consultation(visit=visit, by=staff, now=at(10))
    nxt = visit_call_next(desk=desk, by=staff, services=["A"], now=at(14))

    assert nxt.ticket == "A-002"
    assert nxt.response_seconds == 4 * 60  # from the referral, as from a visitor done
    day = desk_day(desk=desk, now=at(14))
    assert (day.referred, day.last_done) == (1, at(10))


def test_a_second_click_on_the_referral_changes_nothing(client, staff, desk):
    visit = served(staff, desk)
    client.force_login(staff)
    order = desk_order(client, visit, DatasetFactory(title="Sakernas 2024"))

    first = client.post(url("consultation", visit), {"reason": "Butuh data agregat saja."})
    again = client.post(url("consultation", visit), {"reason": "Butuh data agregat saja."})

    assert first.status_code == again.status_code == 302
    visit.refresh_from_db()
    order.refresh_from_db()
    assert order.status == S.REJECTED and order.events.filter(action="reject").count() == 1
    assert visit.note.count("Butuh data agregat saja.") == 1 and visit.line == "B"
    page = client.get(url("detail", visit)).content.decode()
    assert 'id="consultation-queue"' in page


def test_only_the_member_of_staff_serving_sends_the_visitor_on(desk, staff, consultant):
    visit = ticket(now=at(0))
    visit_call_next(desk=desk, by=staff, now=at(1))
    visit_move(visit=visit, move="start", by=staff, now=at(2))

    with pytest.raises(DeskError):
        desk_consultation_redirect(visit=visit, by=consultant, reason="Tidak cocok.")
    assert Visit.objects.get(pk=visit.pk).line == "A"


def test_the_consultation_desk_sees_who_sent_the_visitor_on(
    client, staff, desk, second_desk, consultant
):
    visit = ticket()
    visit_call_next(desk=desk, by=staff)
    visit_move(visit=visit, move="start", by=staff)
    desk_consultation_redirect(visit=visit, by=staff, reason="Perlu konsultasi metodologi.")
    client.force_login(consultant)
    client.post(reverse("desk:choose"), {"desk": second_desk.pk})

    client.post(reverse("desk:call"), {"services": ["B"]})
    page = client.get(reverse("desk:desk")).content.decode()

    assert 'id="current-ticket">A-001<' in page
    assert 'id="current-referred"' in page and "Perlu konsultasi metodologi." in page
    assert 'id="desk-order"' not in page  # its request was rejected; this is consultation
    board = client.get(reverse("queue:board", args=["3304"])).content.decode()
    assert "A-001" in board
