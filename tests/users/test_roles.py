import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from silastik.users.roles import Role
from tests.factories import PublicationFactory
from tests.orders.conftest import submitted

pytestmark = pytest.mark.django_db


def test_the_roles_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {"pst_staff", "treasurer", "head"}


def test_roles_carry_their_permissions():
    staff = Group.objects.get(name=Role.PST_STAFF)
    assert staff.permissions.filter(codename="view_user").exists()
    assert not Group.objects.get(name=Role.HEAD).permissions.exists()


def test_a_customer_never_reaches_the_back_office(client, customer):
    client.force_login(customer)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert not customer.is_staff


@pytest.mark.parametrize("who", ["staff", "treasurer"])
def test_staff_and_treasurer_reach_the_back_office(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert user.is_staff


def test_the_head_reads_reports_but_does_not_work_in_the_back_office(client, head):
    client.force_login(head)
    assert client.get(reverse("admin:index")).status_code == 302


def test_admin_access_ends_with_the_role(client, staff):
    staff.groups.clear()
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 302


def test_staff_see_accounts_but_cannot_hand_out_roles(client, staff, customer):
    submitted(customer, PublicationFactory())  # a customer their office has served
    client.force_login(staff)

    listing = client.get(reverse("admin:users_user_changelist"))
    page = client.get(reverse("admin:users_user_change", args=[customer.pk]))

    assert listing.status_code == 200
    assert "alice@example.com" in listing.content.decode()
    assert page.status_code == 200
    assert 'name="groups"' not in page.content.decode()
    response = client.post(
        reverse("admin:users_user_change", args=[customer.pk]), {"email": "x@example.com"}
    )
    assert response.status_code == 403


def test_the_navigation_follows_the_role(client, customer, staff):
    client.force_login(customer)
    page = client.get(reverse("home")).content.decode()
    assert reverse("orders:list") in page
    assert reverse("admin:index") not in page

    client.force_login(staff)
    page = client.get(reverse("home")).content.decode()
    assert reverse("admin:index") in page
    assert reverse("orders:list") not in page


def test_the_back_office_refuses_to_make_one_account_staff_and_treasurer(
    client, superuser, customer
):
    client.force_login(superuser)
    both = Group.objects.filter(name__in=[Role.PST_STAFF, Role.TREASURER])
    data = {
        "email": customer.email,
        "full_name": customer.full_name,
        "language": "id",
        "phone": customer.phone,
        "id_type": customer.id_type,
        "id_number": customer.id_number,
        "segment": customer.segment,
        "domicile": customer.domicile,
        "country": "ID",
        "address": customer.address,
        "is_active": "on",
        "groups": [g.pk for g in both],
    }
    url = reverse("admin:users_user_change", args=[customer.pk])

    response = client.post(url, data)

    assert response.status_code == 200
    assert "satu akun tidak dapat memegang keduanya" in response.content.decode()
    assert not customer.groups.exists()

    response = client.post(url, {**data, "groups": [both.get(name=Role.TREASURER).pk]})
    assert response.status_code == 302
    assert set(customer.groups.values_list("name", flat=True)) == {Role.TREASURER}


def test_every_role_permission_names_a_real_permission():
    from django.contrib.auth.models import Permission

    from silastik.users.roles import ROLE_PERMISSIONS

    for role, names in ROLE_PERMISSIONS.items():
        for name in names:
            app_label, codename = name.split(".")
            assert Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).exists(), f"{role}: {name}"


def test_staff_who_may_edit_accounts_still_cannot_take_over_back_office_ones(
    client, staff, treasurer, superuser, customer
):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="change_user"))
    submitted(customer, PublicationFactory())  # a customer their office has served
    client.force_login(staff)

    for target in (treasurer, superuser):
        url = reverse("admin:users_user_change", args=[target.pk])
        response = client.post(url, {"email": "attacker@example.com", "full_name": "x"})
        assert response.status_code in (302, 403)  # refused, or not even found
        target.refresh_from_db()
        assert target.email != "attacker@example.com"

    page = client.get(reverse("admin:users_user_change", args=[customer.pk])).content.decode()
    assert 'name="email"' in page
    assert 'name="groups"' not in page and 'name="is_superuser"' not in page


def test_an_account_page_offers_no_password_reset_to_whoever_may_not_change_it(
    client, staff, treasurer, customer
):
    """The link led to a 403, beside the parts of the password's hash."""
    submitted(customer, PublicationFactory())  # a customer their office has served
    client.force_login(staff)

    for account in (customer, treasurer, staff):
        page = client.get(reverse("admin:users_user_change", args=[account.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        assert "/password/" not in html and "pbkdf2" not in html, account.email


def test_accounts_are_filtered_by_role_named_in_the_pages_language(client, superuser, staff):
    client.force_login(superuser)

    page = client.get(reverse("admin:users_user_changelist")).content.decode()
    staff_only = client.get(reverse("admin:users_user_changelist"), {"role": "pst_staff"})

    assert "Petugas PST" in page and ">pst_staff<" not in page
    assert [u.email for u in staff_only.context["cl"].result_list] == [staff.email]
