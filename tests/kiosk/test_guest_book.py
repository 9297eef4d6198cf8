"""The guest book and the ticket at the entrance tablet, as visitors meet them."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from desk.models import Visit, VisitStatus
from offices.models import Office, OfficeTimeZone
from tests.desk.conftest import ticket
from tests.factories import default_office, office
from tests.services import need

pytestmark = pytest.mark.django_db

GUEST = {
    "purpose": "data",
    "name": "Rina Kusuma",
    "institution": "Universitas Jenderal Soedirman",
    "segment": "student",
    "email": "rina@example.com",
    "phone": "",
    "identity_kind": "ktp",
    "identity_number": "3304010101990001",
}


@pytest.fixture(autouse=True)
def _no_limits_used():
    cache.clear()


@pytest.fixture(autouse=True)
def banjarnegara(db):
    return default_office()


@pytest.fixture
def tana_tidung(db):
    return office("6503", name="BPS Kabupaten Tana Tidung", time_zone=OfficeTimeZone.WITA)


def test_a_visitor_signs_the_book_and_gets_a_ticket_without_an_account(client):
    response = client.post(reverse("kiosk:guest_book", args=["3304"]), GUEST, follow=True)

    html = response.content.decode()
    visit = Visit.objects.get()
    assert 'id="ticket-number">A-001<' in html
    assert f'id="ticket-pin">{visit.pin}<' in html
    assert "welcome-back" not in html


def test_a_returning_visitor_is_welcomed_back(client):
    Visit.objects.filter(pk=ticket().pk).update(status=VisitStatus.DONE)

    html = client.post(
        reverse("kiosk:guest_book", args=["3304"]), GUEST, follow=True
    ).content.decode()

    assert "welcome-back" in html and 'id="ticket-number">A-002<' in html


def test_the_guest_book_needs_an_email_or_a_phone_and_saves_nothing_without(client):
    response = client.post(
        reverse("kiosk:guest_book", args=["3304"]), {**GUEST, "email": "", "phone": ""}
    )

    assert response.status_code == 200
    assert not Visit.objects.exists()


def test_the_ticket_and_its_pin_are_shown_once(client):
    """The next visitor at the tablet must not find the PIN with the back button."""
    client.post(reverse("kiosk:guest_book", args=["3304"]), GUEST)
    first = client.get(reverse("kiosk:ticket", args=["3304"]))
    again = client.get(reverse("kiosk:ticket", args=["3304"]))

    assert first.status_code == 200 and "no-store" in first["Cache-Control"]
    assert again.status_code == 302 and again["Location"] == reverse(
        "kiosk:guest_book", args=["3304"]
    )


def test_the_kiosk_links_nowhere_private(client, customer):
    ticket(email="someone@example.com")
    pages = [
        client.get(reverse("kiosk:guest_book", args=["3304"])),
        client.post(reverse("kiosk:guest_book", args=["3304"]), GUEST, follow=True),
        client.get(reverse("queue:display", args=["3304"])),
    ]

    for page in pages:
        html = page.content.decode()
        links = set(re.findall(r'href="([^"#]+)"', html)) - {""}
        assert all(link.startswith(("/kios/", "/static/", "/antrean/")) for link in links), links
        assert "someone@example.com" not in html


@pytest.mark.parametrize(
    "name", ["desk:desk", "desk:panel", "admin:desk_visit_changelist", "ikm:analysis"]
)
def test_the_kiosk_visitor_cannot_reach_staff_pages(client, name):
    response = client.get(reverse(name))

    # Anonymous: sent to log in, never shown the page.
    assert response.status_code == 302
    assert "login" in response["Location"] or "/akun/masuk/" in response["Location"]


def test_tickets_are_rate_limited_per_address(client, settings):
    settings.DESK_TICKETS_PER_10_MINUTES = 2
    for i in range(2):
        client.post(
            reverse("kiosk:guest_book", args=["3304"]), {**GUEST, "email": f"v{i}@example.com"}
        )

    response = client.post(
        reverse("kiosk:guest_book", args=["3304"]), {**GUEST, "email": "v9@example.com"}
    )

    assert response.status_code == 200 and Visit.objects.count() == 2


def test_the_kiosk_can_be_kept_to_the_offices_network(client, banjarnegara, desk, staff):
    banjarnegara.kiosk_networks = "10.33.4.0/24"
    banjarnegara.save(update_fields=["kiosk_networks"])

    outside = client.post(
        reverse("kiosk:guest_book", args=["3304"]), GUEST, REMOTE_ADDR="203.0.113.9"
    )
    rating = client.get(reverse("kiosk_rating:start", args=["3304"]), REMOTE_ADDR="203.0.113.9")
    inside = client.post(
        reverse("kiosk:guest_book", args=["3304"]), GUEST, REMOTE_ADDR="10.33.4.20"
    )

    assert outside.status_code == 403 and rating.status_code == 403
    assert 'id="kiosk-elsewhere"' in outside.content.decode()
    assert inside.status_code == 302 and Visit.objects.count() == 1


# --- one kiosk per office --------------------------------------------------------------------


def test_each_office_has_its_own_guest_book_and_numbers(client, tana_tidung):
    ticket()  # Banjarnegara's A-001

    response = client.post(reverse("kiosk:guest_book", args=["6503"]), GUEST, follow=True)

    html = response.content.decode()
    visit = Visit.objects.get(office=tana_tidung)
    assert 'id="ticket-number">A-001<' in html and "BPS Kabupaten Tana Tidung" in html
    assert "welcome-back" not in html  # Banjarnegara's guest book is not Tana Tidung's
    assert visit.visitor.office == tana_tidung
    assert response.redirect_chain[-1][0] == reverse("kiosk:ticket", args=["6503"])


def test_a_ticket_shows_the_offices_own_time(client, tana_tidung):
    client.post(reverse("kiosk:guest_book", args=["6503"]), GUEST)
    page = client.get(reverse("kiosk:ticket", args=["6503"])).content.decode()

    visit = Visit.objects.get()
    wita = visit.issued_at.astimezone(tana_tidung.zone)
    assert f"{wita:%H:%M}" in page


def test_a_ticket_is_shown_by_its_own_offices_kiosk_only(client, tana_tidung):
    client.post(reverse("kiosk:guest_book", args=["3304"]), GUEST)

    elsewhere = client.get(reverse("kiosk:ticket", args=["6503"]))

    assert elsewhere.status_code == 302
    assert elsewhere["Location"] == reverse("kiosk:guest_book", args=["6503"])


@pytest.mark.parametrize("code", ["9999", "3300", "nilai0"])
def test_an_unknown_or_inactive_office_has_no_kiosk(client, code):
    Office.objects.filter(code="3300").update(is_active=False)

    assert client.get(reverse("kiosk:guest_book", args=[code])).status_code == 404
    assert client.post(reverse("kiosk:guest_book", args=[code]), GUEST).status_code == 404
    assert client.get(reverse("kiosk_rating:start", args=[code])).status_code == 404
    assert not Visit.objects.exists()


def test_the_kiosk_without_an_office_lists_the_offices(client, tana_tidung):
    guest_books = client.get(reverse("kiosk:offices")).content.decode()
    ratings = client.get(reverse("kiosk:rating_offices")).content.decode()

    assert reverse("kiosk:guest_book", args=["6503"]) in guest_books
    assert reverse("kiosk:guest_book", args=["3304"]) in guest_books
    assert reverse("kiosk_rating:start", args=["6503"]) in ratings
    assert "/admin" not in guest_books and "/akun" not in guest_books


def test_the_kiosk_without_an_office_goes_to_the_only_one(client):
    Office.objects.exclude(code="3304").update(is_active=False)

    response = client.get("/kios/")

    assert response.status_code == 302
    assert response["Location"] == reverse("kiosk:guest_book", args=["3304"])


def test_each_offices_kiosk_keeps_to_its_own_network(client, banjarnegara, tana_tidung):
    tana_tidung.kiosk_networks = "10.65.3.0/24\n10.65.4.0/24"
    tana_tidung.save(update_fields=["kiosk_networks"])

    ours = client.post(reverse("kiosk:guest_book", args=["3304"]), GUEST, REMOTE_ADDR="1.2.3.4")
    outside = client.get(reverse("kiosk:guest_book", args=["6503"]), REMOTE_ADDR="10.33.4.20")
    inside = client.get(reverse("kiosk:guest_book", args=["6503"]), REMOTE_ADDR="10.65.4.9")

    assert ours.status_code == 302  # Banjarnegara names no networks: anywhere
    # Told where Tana Tidung's PST is.
    assert outside.status_code == 403 and tana_tidung.street_address in outside.content.decode()
    assert inside.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_ten_taps_on_one_filled_form_at_once_make_one_ticket_and_one_visitor():
    """The reported fault: 10 simultaneous identical submissions made 2 tickets and 2
    visitors. The form carries one submission key, so every tap is the same request."""
    import threading

    from django.db import close_old_connections, connection
    from django.test import Client

    from desk.models import Visitor

    need(connection.vendor == "postgresql", "row locks need PostgreSQL")
    default_office()
    url = reverse("kiosk:guest_book", args=["3304"])
    form = Client().get(url).content.decode()
    key = re.search(r'name="submission" value="([0-9a-f]{32})"', form)[1]
    taps, barrier, answers = 10, threading.Barrier(10), []

    def tap():
        try:
            barrier.wait()
            response = Client().post(url, {**GUEST, "submission": key}, follow=True)
            answers.append(re.search(r'id="ticket-number">([A-D]-\d+)<', response.content.decode()))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=tap) for _ in range(taps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Visit.objects.count() == 1 and Visitor.objects.count() == 1
    assert [answer[1] for answer in answers if answer] == ["A-001"] * taps


def test_a_new_form_after_a_ticket_is_a_new_submission(client):
    url = reverse("kiosk:guest_book", args=["3304"])
    first = re.search(r'name="submission" value="(\w+)"', client.get(url).content.decode())[1]
    client.post(url, {**GUEST, "submission": first})
    second = re.search(r'name="submission" value="(\w+)"', client.get(url).content.decode())[1]

    assert first != second
    client.post(url, {**GUEST, "purpose": "consultation", "submission": second})
    assert sorted(v.ticket for v in Visit.objects.all()) == ["A-001", "B-001"]


def test_a_forged_submission_key_is_refused_and_nothing_is_saved(client):
    url = reverse("kiosk:guest_book", args=["3304"])

    response = client.post(url, {**GUEST, "submission": "<script>"})

    assert response.status_code == 200 and not Visit.objects.exists()
    assert "This form is no longer valid" in response.content.decode() or (
        "Formulir ini sudah tidak berlaku" in response.content.decode()
    )


def test_a_forms_key_replayed_later_or_by_someone_else_shows_nothing_of_the_first_visit():
    from datetime import timedelta

    from django.utils import timezone

    from desk.services import GuestEntry, ticket_issue

    office = default_office()
    first, _ = ticket_issue(office=office, entry=GuestEntry(**GUEST), submission_key="a" * 32)
    stranger = GuestEntry(**{**GUEST, "name": "Orang Lain", "identity_number": "3304019999990009"})

    replayed, _ = ticket_issue(office=office, entry=stranger, submission_key="a" * 32)
    later, _ = ticket_issue(
        office=office,
        entry=GuestEntry(**{**GUEST, "purpose": "library"}),
        submission_key="a" * 32,
        now=timezone.now() + timedelta(minutes=5),
    )

    assert replayed.pk != first.pk and replayed.visitor.name == "Orang Lain"
    assert later.pk != first.pk
