"""Queue tickets: numbered per day and service, never twice; the desk's moves and their times."""

import threading
from datetime import datetime, timedelta

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from desk.models import TicketCounter, Visit, Visitor, VisitStatus
from desk.services import DeskError, visit_call_next, visit_move, visits_close_stale
from offices.models import OfficeTimeZone
from tests.factories import UserFactory, default_office, office, walk_in_desk

from .conftest import entry, ticket

pytestmark = pytest.mark.django_db
MORNING = timezone.make_aware(datetime(2026, 11, 23, 8, 0))


def at(minutes: float) -> datetime:
    return MORNING + timedelta(minutes=minutes)


def test_tickets_are_numbered_per_service_and_start_again_each_day():
    first = ticket(now=at(0))
    second = ticket(now=at(1), email="budi@example.com", phone="")
    consultation = ticket(now=at(2), purpose="consultation", email="sari@example.com")
    tomorrow = ticket(now=at(24 * 60), email="eko@example.com")

    assert [first.ticket, second.ticket, consultation.ticket] == ["A-001", "A-002", "B-001"]
    assert (tomorrow.ticket, tomorrow.day) == ("A-001", first.day + timedelta(days=1))
    assert first.pin.isdigit() and len(first.pin) == 6


def test_the_day_follows_the_office_clock():
    """23:30 in Jakarta is 16:30 UTC the same day; 00:30 in Jakarta is already the next day."""
    late = ticket(now=timezone.make_aware(datetime(2026, 11, 23, 23, 30)))
    early = ticket(now=timezone.make_aware(datetime(2026, 11, 24, 0, 30)), email="x@example.com")

    assert (late.day.day, early.day.day) == (23, 24)
    assert early.ticket == "A-001"


@pytest.mark.django_db(transaction=True)
def test_tickets_taken_at_the_same_moment_get_different_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    count = 8
    barrier = threading.Barrier(count)
    errors: list[Exception] = []

    def take(i: int):
        try:
            barrier.wait()
            ticket(email=f"visitor{i}@example.com", phone="")
        except Exception as exc:  # any failure fails the test below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=take, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    numbers = sorted(Visit.objects.values_list("number", flat=True))
    assert numbers == list(range(1, count + 1))


def test_a_returning_visitor_is_recognised_by_email_or_phone():
    first = ticket(now=at(0))
    by_email = ticket(now=at(60), email="RINA@example.com", phone="", institution="Bappeda")
    by_phone = ticket(now=at(120), email="", phone="+62 812 3456 7890", institution="Bappeda BNA")

    assert Visitor.objects.count() == 1
    assert by_email.visitor == first.visitor == by_phone.visitor
    visitor = Visitor.objects.get()
    # Today's answers are kept; a contact left empty keeps the one given before.
    assert visitor.institution == "Bappeda BNA" and visitor.email == "rina@example.com"
    assert visitor.phone == "081234567890"


def test_a_contact_without_the_same_document_is_another_visitor():
    """The guest book is public: typing someone's phone number does not make one them."""
    alice = ticket(now=at(0))
    mallory = ticket(now=at(5), name="Mallory", identity_number="3374999999990001")

    assert mallory.visitor != alice.visitor
    assert Visitor.objects.get(pk=alice.visitor.pk).name == "Rina Kusuma"


def test_a_second_tap_gives_the_same_ticket():
    first = ticket(now=at(0))

    assert ticket(now=at(0.1)) == first
    assert Visit.objects.count() == 1


def test_a_visitor_needs_an_email_or_a_phone():
    from desk.services import ticket_issue

    with pytest.raises(DeskError):
        ticket_issue(office=default_office(), entry=entry(email="", phone=""))
    assert not Visit.objects.exists()


def test_the_desk_calls_the_longest_waiting_visitor_and_times_the_visit(desk, staff):
    first = ticket(now=at(0))
    ticket(now=at(1), email="budi@example.com", phone="")

    called = visit_call_next(desk=desk, by=staff, now=at(4))
    assert called == first
    visit_move(visit=called, move="start", by=staff, now=at(5))
    done = visit_move(visit=called, move="finish", by=staff, note="Beli publikasi.", now=at(17))

    assert done.status == VisitStatus.DONE and done.note == "Beli publikasi."
    assert (done.waiting_seconds, done.service_seconds) == (4 * 60, 12 * 60)
    assert done.response_seconds == 4 * 60  # nobody before it at this desk: from the ticket

    second = visit_call_next(desk=desk, by=staff, now=at(29))
    assert second.ticket == "A-002"
    assert second.response_seconds == 12 * 60  # previous visitor done at 17, called at 29


def test_a_desk_holds_one_visitor_at_a_time(desk, staff):
    ticket(now=at(0))
    ticket(now=at(1), email="budi@example.com", phone="")
    visit_call_next(desk=desk, by=staff, now=at(2))

    with pytest.raises(DeskError):
        visit_call_next(desk=desk, by=staff, now=at(3))


def test_two_desks_call_different_visitors(desk, second_desk, staff):
    ticket(now=at(0))
    ticket(now=at(1), email="budi@example.com", phone="")
    other = UserFactory(roles=["pst_staff"])

    one = visit_call_next(desk=desk, by=staff, now=at(2))
    two = visit_call_next(desk=second_desk, by=other, now=at(2))

    assert one != two and {one.ticket, two.ticket} == {"A-001", "A-002"}


def test_a_desk_may_call_only_some_services(desk, staff):
    ticket(now=at(0))
    consultation = ticket(now=at(1), purpose="consultation", email="sari@example.com")

    assert visit_call_next(desk=desk, by=staff, services=["B"], now=at(2)) == consultation


def test_recall_and_not_present(desk, staff):
    absent = ticket(now=at(0))
    visit = visit_call_next(desk=desk, by=staff, now=at(1))
    visit = visit_move(visit=visit, move="recall", by=staff, now=at(3))
    assert (visit.calls, visit.last_called_at) == (2, at(3))

    visit = visit_move(visit=visit, move="skip", by=staff, now=at(5))

    assert visit.status == VisitStatus.ABSENT and visit.pk == absent.pk
    assert visit_call_next(desk=desk, by=staff, now=at(6)) is None  # the desk is free again


@pytest.mark.parametrize(
    ("status", "move"),
    [
        ("waiting", "start"),
        ("waiting", "finish"),
        ("called", "finish"),
        ("serving", "recall"),
        ("serving", "skip"),
        ("done", "start"),
        ("absent", "recall"),
    ],
)
def test_moves_from_the_wrong_state_are_refused(desk, staff, status, move):
    visit = ticket(now=at(0))
    Visit.objects.filter(pk=visit.pk).update(status=status, desk=desk)

    with pytest.raises(DeskError):
        visit_move(visit=visit, move=move, by=staff)
    assert Visit.objects.get(pk=visit.pk).status == status


@pytest.mark.parametrize("role", ["treasurer", "head", None])
def test_only_staff_work_the_queue(desk, role):
    visit = ticket(now=at(0))
    person = UserFactory(roles=[role] if role else [])

    with pytest.raises(DeskError):
        visit_call_next(desk=desk, by=person)
    with pytest.raises(DeskError):
        visit_move(visit=visit, move="start", by=person)
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.WAITING


def test_visits_left_open_are_closed_without_times_the_next_day(desk, staff):
    in_service = ticket(now=at(0))
    still_waiting = ticket(now=at(1), email="budi@example.com", phone="")
    visit_call_next(desk=desk, by=staff, now=at(2))
    visit_move(visit=in_service, move="start", by=staff, now=at(3))

    assert visits_close_stale(now=at(60)) == 0  # still the same day
    assert visits_close_stale(now=at(24 * 60)) == 2

    in_service.refresh_from_db()
    still_waiting.refresh_from_db()
    assert in_service.status == VisitStatus.DONE and in_service.finished_at is None
    assert still_waiting.status == VisitStatus.ABSENT
    # Tomorrow the desk is free, and its first call is measured from that day's ticket.
    ticket(now=at(24 * 60 + 5), email="eko@example.com", phone="")
    assert visit_call_next(desk=desk, by=staff, now=at(24 * 60 + 6)).response_seconds == 60


# --- one queue per office --------------------------------------------------------------------


def tana_tidung():
    return office("6503", name="BPS Kabupaten Tana Tidung", time_zone=OfficeTimeZone.WITA)


def wita(day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=tana_tidung().zone)


def test_each_office_numbers_its_own_tickets():
    here = ticket(now=at(0))
    there = ticket(now=at(0), office=tana_tidung())
    again_here = ticket(now=at(1), email="budi@example.com", phone="")

    assert (here.ticket, there.ticket, again_here.ticket) == ("A-001", "A-001", "A-002")
    assert here.office == again_here.office == default_office()
    assert there.office.code == "6503"
    # The same person at two offices is in two guest books.
    assert here.visitor != there.visitor and there.visitor.office.code == "6503"


def test_tickets_in_tana_tidung_follow_its_own_midnight():
    """WITA is UTC+8, an hour ahead of Jakarta: 00:05 in Tana Tidung is 23:05 in Jakarta."""
    late = ticket(now=wita(23, 23, 30), office=tana_tidung())
    still_today = ticket(
        now=wita(23, 23, 55), office=tana_tidung(), email="b@example.com", phone=""
    )
    after_midnight = ticket(
        now=wita(24, 0, 5), office=tana_tidung(), email="c@example.com", phone=""
    )
    # At that moment Jakarta's day is still the 23rd: Banjarnegara's line goes on.
    banjarnegara_first = ticket(now=wita(23, 22, 0))
    banjarnegara = ticket(now=wita(24, 0, 5), email="d@example.com", phone="")

    assert (late.day.day, still_today.day.day, after_midnight.day.day) == (23, 23, 24)
    assert (late.ticket, still_today.ticket, after_midnight.ticket) == ("A-001", "A-002", "A-001")
    assert banjarnegara.day.day == 23 and banjarnegara_first.day == banjarnegara.day
    assert banjarnegara.ticket == "A-002"


def test_a_desk_calls_only_its_own_offices_visitors(desk, staff):
    other_office = tana_tidung()
    their_desk = walk_in_desk(other_office)
    their_staff = UserFactory(roles=["pst_staff"], office=other_office)
    theirs = ticket(now=at(0), office=other_office)
    ours = ticket(now=at(1), email="budi@example.com", phone="")

    assert visit_call_next(desk=desk, by=staff, now=at(2)) == ours
    assert visit_call_next(desk=their_desk, by=their_staff, now=at(2)) == theirs


@pytest.mark.parametrize("office_given", ["other", "none"])
def test_staff_of_another_office_or_none_cannot_work_this_desk(desk, office_given):
    visit = ticket(now=at(0))
    person = UserFactory(
        roles=["pst_staff"], office=tana_tidung() if office_given == "other" else False
    )

    with pytest.raises(DeskError):
        visit_call_next(desk=desk, by=person, now=at(1))
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.CALLED, desk=desk)
    with pytest.raises(DeskError):
        visit_move(visit=visit, move="start", by=person, now=at(2))
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.CALLED


def test_stale_visits_are_closed_on_each_offices_own_clock():
    ours = ticket(now=wita(23, 22, 0))  # Banjarnegara, 21:00 WIB on the 23rd
    theirs = ticket(now=wita(23, 22, 0), office=tana_tidung())

    # 00:30 WITA on the 24th is 23:30 WIB on the 23rd: only Tana Tidung's day is over.
    assert visits_close_stale(now=wita(24, 0, 30)) == 1
    assert Visit.objects.get(pk=theirs.pk).status == VisitStatus.ABSENT
    assert Visit.objects.get(pk=ours.pk).status == VisitStatus.WAITING


@pytest.mark.django_db(transaction=True)
def test_two_offices_taking_tickets_at_once_never_share_a_counter():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    offices = [default_office(), tana_tidung()]
    per_office = 6
    barrier = threading.Barrier(per_office * len(offices))
    errors: list[Exception] = []

    def take(i: int, where):
        try:
            barrier.wait()
            ticket(email=f"visitor{i}@example.com", phone="", office=where)
        except Exception as exc:  # any failure fails the test below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=take, args=(i, where))
        for where in offices
        for i in range(per_office)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    for where in offices:
        numbers = sorted(Visit.objects.filter(office=where).values_list("number", flat=True))
        assert numbers == list(range(1, per_office + 1)), where.code
    counters = TicketCounter.objects.order_by("office__code")
    assert [(c.office.code, c.last) for c in counters] == [("3304", 6), ("6503", 6)]
