"""The queue display and the staff desk as people meet them."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from desk.models import Visit, VisitStatus
from desk.services import visit_call_next

from .conftest import ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_limits_used():
    cache.clear()


def test_the_display_shows_numbers_not_people(client, desk, staff):
    ticket()
    visit_call_next(desk=desk, by=staff)

    html = client.get(reverse("queue:board")).content.decode()

    assert "A-001" in html and "Rina" not in html


def test_the_display_runs_the_same_queries_however_long_the_queue(
    client, desk, staff, django_assert_max_num_queries
):
    ticket()
    visit_call_next(desk=desk, by=staff)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("queue:board"))
    for i in range(15):
        ticket(email=f"v{i}@example.com", phone="")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("queue:board"))


@pytest.mark.parametrize("who", ["customer", "treasurer", "head"])
def test_only_staff_open_the_desk(client, who, customer, treasurer, head):
    client.force_login({"customer": customer, "treasurer": treasurer, "head": head}[who])

    assert client.get(reverse("desk:desk")).status_code == 404
    assert client.post(reverse("desk:call")).status_code == 404


def test_staff_choose_a_desk_call_serve_and_finish(client, staff, desk):
    visit = ticket()
    client.force_login(staff)

    assert 'id="choose-desk"' in client.get(reverse("desk:desk")).content.decode()
    client.post(reverse("desk:choose"), {"desk": desk.pk})
    client.post(reverse("desk:call"), {})
    page = client.get(reverse("desk:desk")).content.decode()
    assert 'id="current-ticket">A-001<' in page and "Rina Kusuma" in page
    client.post(reverse("desk:act", args=[visit.pk, "start"]))
    client.post(reverse("desk:act", args=[visit.pk, "finish"]), {"note": "Membeli publikasi."})

    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE and visit.note == "Membeli publikasi."
    assert visit.served_by == staff and visit.desk == desk


def test_staff_cannot_move_a_visitor_called_to_another_desk(client, staff, desk, second_desk):
    visit = ticket()
    visit_call_next(desk=second_desk, by=staff)
    client.force_login(staff)
    client.post(reverse("desk:choose"), {"desk": desk.pk})

    response = client.post(reverse("desk:act", args=[visit.pk, "skip"]))

    assert response.status_code == 404
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.CALLED
