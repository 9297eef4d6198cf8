"""The guest book and the ticket at the entrance tablet, as visitors meet them."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from desk.models import Visit, VisitStatus
from tests.desk.conftest import ticket

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


def test_a_visitor_signs_the_book_and_gets_a_ticket_without_an_account(client):
    response = client.post(reverse("kiosk:guest_book"), GUEST, follow=True)

    html = response.content.decode()
    visit = Visit.objects.get()
    assert 'id="ticket-number">A-001<' in html
    assert f'id="ticket-pin">{visit.pin}<' in html
    assert "welcome-back" not in html


def test_a_returning_visitor_is_welcomed_back(client):
    Visit.objects.filter(pk=ticket().pk).update(status=VisitStatus.DONE)

    html = client.post(reverse("kiosk:guest_book"), GUEST, follow=True).content.decode()

    assert "welcome-back" in html and 'id="ticket-number">A-002<' in html


def test_the_guest_book_needs_an_email_or_a_phone_and_saves_nothing_without(client):
    response = client.post(reverse("kiosk:guest_book"), {**GUEST, "email": "", "phone": ""})

    assert response.status_code == 200
    assert not Visit.objects.exists()


def test_the_ticket_and_its_pin_are_shown_once(client):
    """The next visitor at the tablet must not find the PIN with the back button."""
    client.post(reverse("kiosk:guest_book"), GUEST)
    first = client.get(reverse("kiosk:ticket"))
    again = client.get(reverse("kiosk:ticket"))

    assert first.status_code == 200 and "no-store" in first["Cache-Control"]
    assert again.status_code == 302 and again["Location"] == reverse("kiosk:guest_book")


def test_the_kiosk_links_nowhere_private(client, customer):
    ticket(email="someone@example.com")
    pages = [
        client.get(reverse("kiosk:guest_book")),
        client.post(reverse("kiosk:guest_book"), GUEST, follow=True),
        client.get(reverse("queue:display")),
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
        client.post(reverse("kiosk:guest_book"), {**GUEST, "email": f"v{i}@example.com"})

    response = client.post(reverse("kiosk:guest_book"), {**GUEST, "email": "v9@example.com"})

    assert response.status_code == 200 and Visit.objects.count() == 2


def test_the_kiosk_can_be_kept_to_the_offices_network(client, settings, desk, staff):
    settings.KIOSK_NETWORKS = ["10.33.4.0/24"]

    outside = client.post(reverse("kiosk:guest_book"), GUEST, REMOTE_ADDR="203.0.113.9")
    rating = client.get(reverse("kiosk_rating:start"), REMOTE_ADDR="203.0.113.9")
    inside = client.post(reverse("kiosk:guest_book"), GUEST, REMOTE_ADDR="10.33.4.20")

    assert outside.status_code == 403 and rating.status_code == 403
    assert 'id="kiosk-elsewhere"' in outside.content.decode()
    assert inside.status_code == 302 and Visit.objects.count() == 1
