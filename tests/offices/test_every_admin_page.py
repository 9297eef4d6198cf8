"""Every back-office page that holds an office's records, tried by the staff, treasurer and head
of another office: the list shows none of them, each record's page and each action is refused,
and nothing changes. The pages are found from the admin's registry, so a new office-scoped page
is covered the day it is registered."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from desk.services import GuestEntry, ticket_issue
from feedback.complaints.services import complaint_submit
from feedback.services import rating_record
from offices.admin import OfficeScopedAdmin
from orders import services
from silastik.users.roles import Role
from tests.factories import PublicationFactory, UserFactory, default_office, office, walk_in_desk
from tests.orders.conftest import paid, prepared, submitted

pytestmark = pytest.mark.django_db

SCORES = {f"u{i}": 2 for i in range(1, 10)}


@pytest.fixture
def banjarnegara_work(customer, staff):
    """One of everything an office owns, all of Banjarnegara (3304)."""
    order = submitted(customer, PublicationFactory())
    services.order_approve(order=order, by=staff)
    services.order_offer(order=prepared(order, staff), by=staff)
    paid(order)
    complaint_submit(
        category="service",
        text="Antrean terlalu lama.",
        contact_email="warga@example.com",
        language="id",
        office=default_office(),
    )
    rating_record(scores=SCORES, comment="Lambat.", channel="online", kinds=[], order=order)
    walk_in_desk()
    ticket_issue(
        office=default_office(),
        entry=GuestEntry(
            name="Tamu",
            institution="",
            segment="general",
            email="tamu@example.com",
            phone="",
            identity_kind="ktp",
            identity_number="3304010101900099",
            purpose="data",
        ),
    )
    return order


def scoped_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, OfficeScopedAdmin)
    ]


@pytest.mark.parametrize("role", [Role.PST_STAFF, Role.TREASURER, Role.HEAD])
def test_another_offices_people_reach_none_of_an_offices_records(client, banjarnegara_work, role):
    tana_tidung = office("6503")
    client.force_login(UserFactory(roles=[role], office=tana_tidung))
    tried = 0
    for model, _model_admin in scoped_admins():
        records = list(model.objects.all())
        opts = model._meta
        listing = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if listing.status_code == 200:
            assert listing.context["cl"].result_count == 0, opts.label
        else:
            assert listing.status_code in (302, 403), opts.label
        for record in records:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
            response = client.get(change)
            assert response.status_code in (302, 403, 404), (opts.label, response.status_code)
            if response.status_code == 302:  # to the admin's index or the login
                assert not response.url.split("?")[0].endswith(change)
            tried += 1
    assert tried >= 8  # orders, invoices, payments, receipts, codes, complaints, ratings, desk


def test_an_offices_own_people_see_its_records(client, banjarnegara_work, staff):
    client.force_login(staff)
    order_list = client.get(reverse("admin:orders_order_changelist") + "?queue=all")

    assert order_list.context["cl"].result_count == 1


def test_the_national_administrator_sees_every_office_side_by_side(client, banjarnegara_work):
    national = UserFactory(roles=[Role.NATIONAL_ADMIN], office=False)
    client.force_login(national)

    today = timezone.localdate()
    revenue = client.get(
        reverse("reports:revenue"),
        {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat()},
    )

    assert revenue.status_code == 200
    assert [row.code for row in revenue.context["report"].offices] == ["3304"]


def test_an_offices_people_open_only_their_colleagues_and_the_customers_they_served(
    client, banjarnegara_work, customer, staff
):
    stranger = UserFactory(email="stranger@example.com")
    far = UserFactory(roles=[Role.PST_STAFF], office=office("6503"))
    client.force_login(far)

    listing = client.get(reverse("admin:users_user_changelist"))
    customer_page = client.get(reverse("admin:users_user_change", args=[customer.pk]))

    assert {u.email for u in listing.context["cl"].result_list} == {far.email}
    assert customer_page.status_code == 302  # not found for 6503: it never served her
    client.force_login(staff)
    served = {
        u.email
        for u in client.get(reverse("admin:users_user_changelist")).context["cl"].result_list
    }
    assert customer.email in served and staff.email in served
    assert stranger.email not in served


def test_the_revenue_export_says_whose_it_is(client, banjarnegara_work, treasurer):
    today = timezone.localdate()
    period = {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat()}
    client.force_login(treasurer)

    own = client.get(reverse("reports:revenue"), {**period, "format": "csv"})
    other = client.get(reverse("reports:revenue"), {**period, "office": "6503"})
    province = client.get(reverse("reports:revenue"), {**period, "province": "65"})

    assert "pnbp-3304-" in own["Content-Disposition"]
    assert "3304 BPS Kabupaten Banjarnegara" in own.content.decode()
    assert other.status_code == 404 and province.status_code == 404
    client.force_login(UserFactory(roles=[Role.NATIONAL_ADMIN], office=False))
    national = client.get(reverse("reports:revenue"), {**period, "format": "csv"}).content.decode()
    assert "3304 BPS Kabupaten Banjarnegara" in national


# Column and filter titles that are the same word in Indonesian and English.
SAME_IN_BOTH = {"Status", "status", "Total", "Item", "item", "Slug", "NTPN", "NTB", "E-mail"}
SAME_IN_BOTH |= {"Invoice", "Softcopy (PDF)", "softcopy (PDF)"}


def list_titles(client, language: str) -> dict[str, list[str]]:
    """Every back-office list's column and filter titles in `language` (Django's own apps and
    the login-attempt records, which are not the portal's, left out)."""
    import re

    client.cookies["silastik_language"] = language
    found = {}
    for model in admin.site._registry:
        opts = model._meta
        if opts.app_label in ("axes", "auth"):
            continue
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        html = client.get(url).content.decode()
        table = html.split('id="result_list"', 1)[-1] if 'id="result_list"' in html else ""
        columns = re.findall(r'<div class="text">(?:<a [^>]*>|<span>)?([^<]*)<', table)
        filters = re.findall(r'data-filter-title="([^"]*)"', html)
        found[url] = [title.strip() for title in columns + filters if title.strip()]
    return found


def test_every_back_office_list_titles_its_columns_in_the_pages_language(
    client, banjarnegara_work, superuser
):
    client.force_login(superuser)

    indonesian, english = list_titles(client, "id"), list_titles(client, "en")

    untranslated = {}
    for url, titles in indonesian.items():
        pairs = zip(titles, english[url], strict=True)
        if same := [t for t, e in pairs if t == e and t not in SAME_IN_BOTH]:
            untranslated[url] = same
    assert untranslated == {}
