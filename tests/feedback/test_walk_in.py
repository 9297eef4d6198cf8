"""Walk-in feedback: the kiosk's rating by ticket and PIN, counted in the IKM as walk-in."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from desk.models import Desk, Visit
from desk.services import visit_call_next, visit_move
from feedback.analysis import Period, analysis_csv, ikm_analysis
from feedback.ikm import CODES
from feedback.models import Channel, Rating
from feedback.selectors import rating_of
from feedback.services import (
    FeedbackError,
    follow_up_close,
    follow_up_reply,
    rating_invite,
    rating_submit,
)
from kiosk.rating import ticket_parse, visit_for_rating, visit_rating_submit
from orders.models import Order
from silastik.mail.models import OutboundEmail
from tests.desk.conftest import ticket
from tests.factories import default_office, walk_in_desk

from .conftest import completed_order

pytestmark = pytest.mark.django_db

GOOD = dict.fromkeys(CODES, 4)
LOW = dict.fromkeys(CODES, 3) | {"u3": 2}
OFFICE = "3304"  # Banjarnegara, where the tests' staff serve the walk-in desk
PRIVATE = ["Rina Kusuma", "rina@example", "081234567890", "Soedirman", "3304010101990001"]


def first_desk() -> Desk:
    """Banjarnegara's first counter, where the tests' staff work."""
    return walk_in_desk()


def served(staff, **changes) -> Visit:
    """A ticket taken today, called, served and finished at the desk."""
    visit = ticket(**changes)
    desk = first_desk()
    called = visit_call_next(desk=desk, by=staff)
    assert called.pk == visit.pk
    visit_move(visit=called, move="start", by=staff)
    return visit_move(visit=called, move="finish", by=staff)


def kiosk_open(client, visit: Visit, *, ticket_text: str | None = None, pin: str | None = None):
    return client.post(
        reverse("kiosk_rating:start", args=[OFFICE]),
        {"ticket": ticket_text or visit.ticket, "pin": visit.pin if pin is None else pin},
    )


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode())[1]


def kiosk_rate(client, response, scores=None, comment: str = ""):
    return client.post(
        reverse("kiosk_rating:submit", args=[OFFICE]),
        {"token": token_of(response), "comment": comment, **(scores or GOOD)},
    )


def test_a_visitor_rates_the_finished_visit_by_ticket_and_pin_without_an_account(client, staff):
    visit = served(staff)
    typed = f" {visit.service.lower()}{visit.number:03d} "  # "a001": case and dash do not matter

    form = kiosk_open(client, visit, ticket_text=typed)
    assert form.status_code == 200
    assert 'id="kiosk-rating-form"' in form.content.decode()
    done = kiosk_rate(client, form, LOW, comment="Antrean lama.")

    assert done.status_code == 302 and done.url == reverse("kiosk_rating:thanks", args=[OFFICE])
    rating = Rating.objects.get()
    assert (rating.visit, rating.order, rating.customer) == (visit, None, None)
    assert rating.channel == Channel.WALK_IN
    assert rating.scores == LOW and rating.comment == "Antrean lama."
    assert rating.needs_follow_up
    assert not (rating.with_publication or rating.with_microdata or rating.with_map)
    thanks = client.get(done.url)
    # Back to the start when left untouched (static/js/site.js), not by a meta refresh that a
    # visitor still reading could not stop.
    start = reverse("kiosk_rating:start", args=[OFFICE])
    assert f'data-idle-restart="{start}"' in thanks.content.decode()
    assert 'http-equiv="refresh"' not in thanks.content.decode()


@pytest.mark.parametrize(
    ("text", "valid"),
    [("A-007", ("A", 7)), ("a007", ("A", 7)), ("b 12", ("B", 12)), ("A–7", ("A", 7))],
)
def test_a_ticket_is_read_however_it_is_typed(text, valid):
    assert ticket_parse(text) == valid


@pytest.mark.parametrize("text", ["", "7", "AB-1", "A-0", "A-12345", "-"])
def test_what_is_not_a_ticket_is_not_read(text):
    assert ticket_parse(text) is None


def test_a_wrong_pin_or_ticket_gets_one_message_that_does_not_say_which(client, staff):
    visit = served(staff)
    wrong_pin = f"{(int(visit.pin) + 1) % 10000:04d}"
    yesterday = served(staff, name="Budi", email="budi@example.com", phone="0813")
    Visit.objects.filter(pk=yesterday.pk).update(day=visit.day - timedelta(days=1))

    answers = [
        kiosk_open(client, visit, pin=wrong_pin),
        kiosk_open(client, visit, ticket_text="A-999"),
        kiosk_open(client, visit, ticket_text="not a ticket"),
        kiosk_open(client, yesterday),
    ]

    errors = {re.search(r'id="ticket-error">([^<]+)<', a.content.decode())[1] for a in answers}
    assert len(errors) == 1
    assert "PIN" in errors.pop()  # "check both", never "the PIN is wrong"
    assert all('id="kiosk-rating-form"' not in a.content.decode() for a in answers)
    assert not Rating.objects.exists()


def test_a_visit_not_yet_finished_cannot_be_rated(client, staff):
    waiting = ticket()
    called = visit_call_next(desk=first_desk(), by=staff)
    visit_move(visit=called, move="start", by=staff)

    page = kiosk_open(client, waiting)

    assert 'id="kiosk-rating-form"' not in page.content.decode()
    with pytest.raises(FeedbackError):
        visit_for_rating(office=default_office(), ticket=waiting.ticket, pin=waiting.pin)
    with pytest.raises(FeedbackError):
        visit_rating_submit(visit=waiting, scores=GOOD)
    assert not Rating.objects.exists()


def test_an_absent_visitor_cannot_rate(staff):
    visit = ticket()
    called = visit_call_next(desk=first_desk(), by=staff)
    visit_move(visit=called, move="skip", by=staff)

    with pytest.raises(FeedbackError):
        visit_for_rating(office=default_office(), ticket=visit.ticket, pin=visit.pin)


def test_a_visit_is_rated_once(client, staff):
    visit = served(staff)
    form = kiosk_open(client, visit)
    kiosk_rate(client, form)

    again = kiosk_open(client, visit)
    replay = kiosk_rate(client, form)  # the same form sent a second time

    assert 'id="kiosk-rating-form"' not in again.content.decode()
    assert 'id="ticket-error"' in again.content.decode()
    assert replay.status_code == 200 and 'id="ticket-error"' in replay.content.decode()
    with pytest.raises(FeedbackError):
        visit_rating_submit(visit=visit, scores=GOOD)
    assert Rating.objects.count() == 1


def test_a_tampered_or_stale_form_is_refused(client, staff):
    visit = served(staff)
    form = kiosk_open(client, visit)

    forged = client.post(reverse("kiosk_rating:submit", args=[OFFICE]), {"token": "x:y:z", **GOOD})

    assert 'id="ticket-error"' in forged.content.decode()
    assert not Rating.objects.exists()
    assert kiosk_rate(client, form).status_code == 302


def test_the_lookups_are_rate_limited_per_address(client, staff, settings):
    settings.KIOSK_RATING_LOOKUPS_PER_10_MINUTES = 3
    visit = served(staff)
    wrong_pin = f"{(int(visit.pin) + 1) % 10000:04d}"
    for _n in range(3):
        assert kiosk_open(client, visit, pin=wrong_pin).status_code == 200

    limited = kiosk_open(client, visit)
    other_address = client.post(
        reverse("kiosk_rating:start", args=[OFFICE]),
        {"ticket": visit.ticket, "pin": visit.pin},
        REMOTE_ADDR="203.0.113.9",
    )

    assert limited.status_code == 429
    assert 'id="kiosk-rating-form"' not in limited.content.decode()
    assert other_address.status_code == 200
    assert 'id="kiosk-rating-form"' in other_address.content.decode()


def test_a_walk_in_rating_counts_in_the_ikm_with_channel_walk_in(
    client, staff, customer, publication
):
    rating_submit(order=completed_order(customer, publication), by=customer, scores=GOOD)
    visit_rating_submit(visit=served(staff), scores=LOW)
    today = timezone.localdate()
    period = Period(today.replace(day=1), today)

    analysis = ikm_analysis(period=period)
    walk_in = ikm_analysis(period=period, channel="walk_in")
    online = ikm_analysis(period=period, channel="online")

    by_channel = {group.key: group.result for group in analysis.by_channel}
    assert analysis.current.respondents == 2
    assert by_channel["walk_in"].respondents == 1 and by_channel["online"].respondents == 1
    assert walk_in.current.respondents == 1
    assert walk_in.current.ikm == Decimal("72.22")  # (8 × 3 + 2) / 9 × 25
    assert walk_in.walk_in.served == 1 and analysis.walk_in.served == 1
    assert online.walk_in is None


def test_the_follow_up_of_a_walk_in_rating_emails_the_visitor(staff):
    rating = visit_rating_submit(visit=served(staff), scores=LOW, comment="Lama.")

    message = follow_up_reply(rating=rating, by=staff, text="Mohon maaf, loket kami tambah.")
    follow_up_close(rating=rating, by=staff, outcome="Loket kedua dibuka pada jam sibuk.")

    assert message.email.to == "rina@example.com"
    assert message.email.template == "walk_in_follow_up_reply"
    assert "Mohon maaf, loket kami tambah." in message.email.body_text
    assert rating.visit.ticket in message.email.subject
    closed = OutboundEmail.objects.get(template="walk_in_follow_up_closed")
    assert closed.to == "rina@example.com"
    assert "Loket kedua dibuka" in closed.body_text


def test_without_an_email_staff_close_the_follow_up_but_cannot_write(client, staff):
    rating = visit_rating_submit(visit=served(staff, email=""), scores=LOW)
    client.force_login(staff)
    detail = reverse("admin:feedback_rating_change", args=[rating.pk])

    page = client.get(detail).content.decode()
    with pytest.raises(FeedbackError):
        follow_up_reply(rating=rating, by=staff, text="Halo")
    client.post(
        reverse("admin:feedback_rating_act", args=[rating.pk, "close"]),
        {"outcome": "Ditelepon; antrean diatur ulang."},
    )

    assert 'id="no-email"' in page and 'id="reply-form"' not in page
    assert 'id="close-form"' in page
    rating.refresh_from_db()
    assert rating.follow_up_outcome == "Ditelepon; antrean diatur ulang."
    assert not OutboundEmail.objects.exists()


def test_the_back_office_shows_the_ticket_and_the_visitor(client, staff):
    rating = visit_rating_submit(visit=served(staff), scores=LOW)
    client.force_login(staff)

    listed = client.get(reverse("admin:feedback_rating_changelist")).content.decode()
    detail = client.get(reverse("admin:feedback_rating_change", args=[rating.pk])).content.decode()

    assert rating.visit.ticket in listed and "Rina Kusuma" in listed
    assert f'id="rating-ticket">{rating.visit.ticket}<' in detail
    assert "Rina Kusuma" in detail and 'id="reply-form"' in detail


def test_the_analysis_lists_the_ticket_where_there_is_no_order(client, staff):
    visit = served(staff)
    visit_rating_submit(visit=visit, scores=LOW, comment="Kursi kurang.")
    today = timezone.localdate()
    analysis = ikm_analysis(period=Period(today.replace(day=1), today))
    client.force_login(staff)

    page = client.get(reverse("ikm:analysis"), {"start": today.replace(day=1), "end": today})

    assert str(visit) in analysis_csv(analysis)
    html = page.content.decode()
    assert str(visit) in html and "Kursi kurang." in html
    assert 'id="walk-in-figures"' in html
    online = client.get(
        reverse("ikm:analysis"), {"start": today.replace(day=1), "end": today, "channel": "online"}
    )
    assert 'id="walk-in-figures"' not in online.content.decode()


def test_a_desk_order_rated_at_the_kiosk_counts_as_rated(staff, customer, publication):
    order = completed_order(customer, publication)
    visit = served(staff)
    Visit.objects.filter(pk=visit.pk).update(order=order)
    visit.refresh_from_db()

    rating = visit_rating_submit(visit=visit, scores=GOOD)

    assert rating.with_publication and not rating.with_microdata
    assert rating.order is None and rating.customer == customer
    assert rating_of(order=order) == rating
    with pytest.raises(FeedbackError):
        rating_submit(order=order, by=customer, scores=GOOD)
    assert rating_invite(order=order) is None  # no e-mail asks for a second rating
    assert not OutboundEmail.objects.filter(template="rating_invitation").exists()


def test_the_kiosk_pages_expose_nothing_private(client, staff):
    visit = served(staff)
    pages = [
        client.get(reverse("kiosk_rating:start", args=[OFFICE])),
        kiosk_open(client, visit, pin="x"),
    ]
    form = kiosk_open(client, visit)
    pages += [
        form,
        kiosk_rate(client, form, {"u1": 4}),
        client.get(reverse("kiosk_rating:thanks", args=[OFFICE])),
    ]
    pages.append(kiosk_open(client, visit))  # "rated already"

    for page in pages:
        html = page.content.decode()
        for private in PRIVATE:
            assert private not in html
        assert 'href="/akun' not in html and "/admin" not in html and "/pesanan" not in html


def test_the_service_figures_hold_the_walk_in_queue(staff):
    served(staff)
    today = timezone.localdate()

    figures = ikm_analysis(period=Period(date(today.year, 1, 1), today)).walk_in

    assert figures.served == 1 and figures.calls == 1
    assert figures.waiting_median is not None and figures.service_median is not None


def test_a_desk_order_rated_in_the_portal_counts_as_walk_in(customer, publication):
    order = completed_order(customer, publication)
    Order.objects.filter(pk=order.pk).update(channel="walk_in")

    rating = rating_submit(order=Order.objects.get(pk=order.pk), by=customer, scores=GOOD)

    assert rating.channel == Channel.WALK_IN


def test_a_ticket_locks_after_five_wrong_pins(staff):
    visit = served(staff)
    wrong = "000000" if visit.pin != "000000" else "111111"
    for _attempt in range(5):
        with pytest.raises(FeedbackError):
            visit_for_rating(office=default_office(), ticket=visit.ticket, pin=wrong)

    with pytest.raises(FeedbackError):  # now even the right PIN is refused
        visit_for_rating(office=default_office(), ticket=visit.ticket, pin=visit.pin)


def test_a_desk_order_rated_in_the_portal_is_not_rated_again_at_the_kiosk(
    staff, customer, publication
):
    visit = served(staff)
    order = completed_order(customer, publication)
    Visit.objects.filter(pk=visit.pk).update(order=order)
    rating_submit(order=order, by=customer, scores=dict.fromkeys(CODES, 4))

    with pytest.raises(FeedbackError):
        visit_for_rating(office=default_office(), ticket=visit.ticket, pin=visit.pin)
    assert Rating.objects.count() == 1
