"""The queue display and the staff desk as people meet them."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from desk.models import Desk, Visit, VisitStatus
from desk.services import visit_call_next, visit_move
from offices.models import OfficeTimeZone
from tests.factories import UserFactory, default_office, office, walk_in_desk

from .conftest import ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_limits_used():
    cache.clear()


def test_the_display_shows_numbers_not_people(client, desk, staff):
    ticket()
    visit_call_next(desk=desk, by=staff)

    html = client.get(reverse("queue:board", args=["3304"])).content.decode()

    assert "A-001" in html and "Rina" not in html


def test_the_display_runs_the_same_queries_however_long_the_queue(
    client, desk, staff, django_assert_max_num_queries
):
    ticket()
    visit_call_next(desk=desk, by=staff)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("queue:board", args=["3304"]))
    for i in range(15):
        ticket(email=f"v{i}@example.com", phone="")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("queue:board", args=["3304"]))


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


# --- one desk per office ---------------------------------------------------------------------


@pytest.fixture
def tana_tidung(db):
    return office("6503", name="BPS Kabupaten Tana Tidung", time_zone=OfficeTimeZone.WITA)


def test_each_office_has_its_own_display(client, desk, staff, tana_tidung):
    ticket()
    visit_call_next(desk=desk, by=staff)
    ticket(office=tana_tidung, email="x@example.com", phone="")

    ours = client.get(reverse("queue:display", args=["3304"])).content.decode()
    theirs = client.get(reverse("queue:board", args=["6503"])).content.decode()

    assert "A-001" in ours and "BPS Kabupaten Banjarnegara" in ours
    assert 'id="desk-1"' in ours
    assert "A-001" not in theirs and 'id="desk-1"' not in theirs  # nobody called there yet
    assert reverse("queue:board", args=["3304"]) in ours


@pytest.mark.parametrize("code", ["9999", "3300", "x"])
def test_an_unknown_or_inactive_office_has_no_display(client, code):
    default_office()
    office("3300").__class__.objects.filter(code="3300").update(is_active=False)

    assert client.get(reverse("queue:display", args=[code])).status_code == 404
    assert client.get(reverse("queue:board", args=[code])).status_code == 404


def test_the_display_without_an_office_lists_the_offices(client, tana_tidung):
    default_office()

    page = client.get(reverse("queue:offices"))

    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("queue:display", args=["3304"]) in html
    assert reverse("queue:display", args=["6503"]) in html


def test_the_display_without_an_office_goes_to_the_only_one(client):
    from offices.models import Office

    default_office()
    Office.objects.exclude(code="3304").update(is_active=False)

    response = client.get(reverse("queue:offices"))

    assert response.status_code == 302 and response.url == reverse("queue:display", args=["3304"])


def test_staff_choose_only_their_offices_desks(client, staff, desk, tana_tidung):
    theirs = walk_in_desk(tana_tidung)
    client.force_login(staff)

    page = client.get(reverse("desk:desk"))
    client.post(reverse("desk:choose"), {"desk": theirs.pk})

    assert f'value="{theirs.pk}"' not in page.content.decode()
    assert 'id="choose-desk"' in client.get(reverse("desk:desk")).content.decode()
    assert client.get(reverse("desk:panel")).status_code == 404


def test_an_office_without_desks_gets_two_when_its_desk_is_opened(client, tana_tidung):
    staff = UserFactory(roles=["pst_staff"], office=tana_tidung)
    client.force_login(staff)
    assert not Desk.objects.filter(office=tana_tidung).exists()

    page = client.get(reverse("desk:desk")).content.decode()

    desks = Desk.objects.filter(office=tana_tidung)
    assert sorted(desks.values_list("number", flat=True)) == [1, 2]
    assert all(f'value="{d.pk}"' in page for d in desks)
    assert reverse("kiosk:guest_book", args=["6503"]) in page
    assert reverse("queue:display", args=["6503"]) in page


def test_post_migrate_gives_every_active_office_without_desks_two(tana_tidung):
    from desk.apps import desks_ensure

    default_office()
    desks_ensure()
    desks_ensure()  # and only once

    assert Desk.objects.filter(office=tana_tidung).count() == 2
    assert Desk.objects.filter(office=default_office()).count() == 2


def test_the_desk_calls_its_own_offices_queue_only(client, staff, desk, tana_tidung):
    ticket(office=tana_tidung)
    client.force_login(staff)
    client.post(reverse("desk:choose"), {"desk": desk.pk})

    client.post(reverse("desk:call"), {})

    assert not Visit.objects.filter(status=VisitStatus.CALLED).exists()
    assert "desk-waiting" in client.get(reverse("desk:panel")).content.decode()


@pytest.mark.parametrize("where", ["other office", "no office"])
def test_staff_of_another_office_get_not_found_and_change_nothing(
    client, staff, desk, tana_tidung, where
):
    visit = ticket()
    visit_call_next(desk=desk, by=staff)
    intruder = UserFactory(
        roles=["pst_staff"], office=tana_tidung if where == "other office" else False
    )
    client.force_login(intruder)
    # Their desk chosen in their session: ours is never theirs to act on.
    if where == "other office":
        client.post(reverse("desk:choose"), {"desk": walk_in_desk(tana_tidung).pk})

    answers = [
        client.post(reverse("desk:act", args=[visit.pk, move])).status_code
        for move in ("start", "recall", "skip", "finish")
    ]
    for name in ("start", "cart", "consultation"):
        answers.append(client.get(reverse(f"desk_orders:{name}", args=[visit.pk])).status_code)
        address = reverse(f"desk_orders:{name}", args=[visit.pk])
        answers.append(client.post(address, {"reason": "x", "email": "x@example.com"}).status_code)
    answers.append(client.get(reverse("desk_orders:detail", args=[visit.pk])).status_code)
    answers.append(client.post(reverse("desk_orders:cart_add", args=[visit.pk, 1])).status_code)
    answers.append(client.post(reverse("desk_orders:cart_remove", args=[visit.pk, 1])).status_code)

    assert set(answers) == {404}
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CALLED and visit.calls == 1 and visit.note == ""
    if where == "no office":
        assert client.get(reverse("desk:desk")).status_code == 404


def test_staff_of_another_office_cannot_reach_this_offices_desk_in_the_admin(
    client, staff, desk, tana_tidung
):
    visit = ticket()
    visit_call_next(desk=desk, by=staff)
    visit_move(visit=visit, move="start", by=staff)
    intruder = UserFactory(roles=["pst_staff"], office=tana_tidung)
    theirs = walk_in_desk(tana_tidung, number=7)
    client.force_login(intruder)

    pages = [
        ("admin:desk_desk_change", desk.pk),
        ("admin:desk_desk_delete", desk.pk),
        ("admin:desk_desk_history", desk.pk),
        ("admin:desk_visit_change", visit.pk),
        ("admin:desk_visit_history", visit.pk),
        ("admin:desk_visitor_change", visit.visitor.pk),
    ]
    for name, pk in pages:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    changed = client.post(
        reverse("admin:desk_desk_change", args=[desk.pk]),
        {"number": 9, "name": "Diambil alih", "active": ""},
    )
    deleted = client.post(reverse("admin:desk_desk_delete", args=[desk.pk]), {"post": "yes"})
    listed = client.get(reverse("admin:desk_visit_changelist")).content.decode()
    desks = client.get(reverse("admin:desk_desk_changelist")).content.decode()

    assert changed.status_code == 404 and deleted.status_code == 404
    desk.refresh_from_db()
    assert desk.name == "Loket 1" and desk.active and desk.number == 1
    assert visit.visitor.name not in listed
    assert reverse("admin:desk_desk_change", args=[theirs.pk]) in desks
    assert reverse("admin:desk_desk_change", args=[desk.pk]) not in desks


def test_staff_add_a_desk_to_their_own_office_with_a_free_number(client, staff, desk):
    client.force_login(staff)

    taken = client.post(reverse("admin:desk_desk_add"), {"number": 1, "name": "Loket Dua"})
    added = client.post(reverse("admin:desk_desk_add"), {"number": 3, "name": "Loket 3"})

    assert taken.status_code == 200 and "number" in taken.context["adminform"].form.errors
    assert added.status_code == 302
    assert Desk.objects.get(number=3, name="Loket 3").office == default_office()


def test_the_superuser_sees_every_offices_desks_and_visits(client, superuser, desk, tana_tidung):
    theirs = walk_in_desk(tana_tidung)
    ticket()
    ticket(office=tana_tidung, email="x@example.com", phone="")
    client.force_login(superuser)

    desks = client.get(reverse("admin:desk_desk_changelist"))
    visits = client.get(
        reverse("admin:desk_visit_changelist"), {"office__id__exact": tana_tidung.pk}
    )

    html = desks.content.decode()
    assert reverse("admin:desk_desk_change", args=[theirs.pk]) in html
    assert reverse("admin:desk_desk_change", args=[desk.pk]) in html
    assert "BPS Kabupaten Tana Tidung" in html
    assert visits.status_code == 200 and visits.context["cl"].result_count == 1
    assert (
        client.get(reverse("admin:desk_visit_change", args=[Visit.objects.first().pk])).status_code
        == 200
    )
