from contextlib import contextmanager
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse

from silastik import ratelimit
from silastik.users import views as user_views
from tests.factories import PASSWORD, UserFactory
from tests.links import link_follow, link_in

pytestmark = pytest.mark.django_db


def login(client, email, password, ip="10.0.0.1"):
    return client.post(
        reverse("users:login"), {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def test_a_customer_logs_in_with_the_email_address_in_any_case(client, customer):
    response = login(client, "Alice@EXAMPLE.com", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(customer.pk)


def test_a_wrong_password_gets_a_translated_message(client, customer):
    response = login(client, customer.email, "wrong")

    assert response.status_code == 200
    assert "Alamat e-mail atau kata sandi salah" in response.content.decode()


def test_repeated_failed_logins_are_throttled(client, customer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, customer.email, "wrong")

    response = login(client, customer.email, PASSWORD)

    assert response.status_code == 429
    assert "Terlalu banyak" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The lockout is for this address from this IP; the owner elsewhere can still log in.
    assert login(client, customer.email, PASSWORD, ip="10.0.0.2").status_code == 302


def test_a_successful_login_resets_the_failure_count(client, customer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, customer.email, "wrong")
    assert login(client, customer.email, PASSWORD).status_code == 302
    client.post(reverse("users:logout"))

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, customer.email, "wrong")
    assert login(client, customer.email, PASSWORD).status_code == 302


def test_logout_needs_a_post(client, customer):
    client.force_login(customer)

    assert client.get(reverse("users:logout")).status_code == 405
    assert client.post(reverse("users:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_link(client, customer, committed):
    with committed():
        response = client.post(reverse("users:password_reset"), {"email": "ALICE@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = link_in(mail.outbox[0].body)

    form_url = link_follow(client, link).url
    response = client.post(
        form_url, {"new_password1": "teh-manis-hangat-7", "new_password2": "teh-manis-hangat-7"}
    )

    assert response.status_code == 302
    assert login(client, customer.email, "teh-manis-hangat-7").status_code == 302


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, committed):
    with committed():
        response = client.post(reverse("users:password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_needs_the_old_password(client, customer):
    client.force_login(customer)
    url = reverse("users:password_change")

    bad = client.post(
        url,
        {"old_password": "nope", "new_password1": "x-Y-z-12345", "new_password2": "x-Y-z-12345"},
    )
    assert bad.status_code == 200
    good = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": "x-Y-z-12345", "new_password2": "x-Y-z-12345"},
    )
    assert good.status_code == 302
    customer.refresh_from_db()
    assert customer.check_password("x-Y-z-12345")


def test_behind_a_proxy_each_visitor_is_throttled_by_their_own_address(client, customer, settings):
    settings.PROXY_COUNT = 1

    def via_proxy(password, visitor):
        return client.post(
            reverse("users:login"),
            {"username": customer.email, "password": password},
            REMOTE_ADDR="10.0.0.254",
            # A forged left-most entry must not count: only what the proxy appended does.
            HTTP_X_FORWARDED_FOR=f"1.2.3.4, {visitor}",
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        via_proxy("wrong", "203.0.113.7")

    assert via_proxy(PASSWORD, "203.0.113.7").status_code == 429
    assert via_proxy(PASSWORD, "198.51.100.9").status_code == 302


def test_a_password_reset_lifts_the_lockout_and_verifies_the_address(
    client, customer, settings, committed
):
    customer.email_verified_at = None
    customer.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, customer.email, "wrong")
    assert login(client, customer.email, PASSWORD).status_code == 429

    with committed():
        client.post(reverse("users:password_reset"), {"email": customer.email})
    form_url = link_follow(client, link_in(mail.outbox[0].body)).url
    client.post(form_url, {"new_password1": "gula-jawa-2026", "new_password2": "gula-jawa-2026"})

    assert login(client, customer.email, "gula-jawa-2026").status_code == 302
    customer.refresh_from_db()
    assert customer.is_verified


@pytest.mark.parametrize("url", ["users:password_reset", "users:password_change"])
def test_page_titles_follow_the_chosen_language(client, customer, url):
    client.force_login(customer)
    client.cookies["silastik_language"] = "en"

    page = client.get(reverse(url)).content.decode()

    assert "Atur ulang" not in page and "Ubah kata sandi" not in page
    assert ("Reset your password" in page) or ("Change password" in page)


NOW = datetime(2026, 3, 2, 3, 5, tzinfo=UTC)  # 10:05 in Banjarnegara


@contextmanager
def clock_at(monkeypatch, now: datetime):
    """The rate limits' clock and the lockout page's, at `now` (axes keeps its own)."""
    with monkeypatch.context() as patch:
        patch.setattr(ratelimit, "time", SimpleNamespace(time=now.timestamp))
        patch.setattr(user_views, "timezone", SimpleNamespace(now=lambda: now))
        yield


def test_one_address_trying_many_accounts_is_paused(client, settings):
    """A password sprayed over 30 accounts from one address: each account sees one failure
    (far from axes' limit), the address sees them all."""
    accounts = UserFactory.create_batch(30)
    responses = [login(client, account.email, "Password123!").status_code for account in accounts]

    limit = settings.LOGIN_FAILURES_PER_ADDRESS
    assert responses[: limit - 1] == [200] * (limit - 1)
    assert set(responses[limit - 1 :]) == {429}
    # Even the right password: nothing from this address is checked any more.
    assert login(client, accounts[0].email, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # People elsewhere are not affected.
    assert login(client, accounts[0].email, PASSWORD, ip="10.0.0.2").status_code == 302


def test_a_successful_login_does_not_reset_the_address_count(client, settings, customer):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    others = UserFactory.create_batch(6)
    for account in others[:3]:
        login(client, account.email, "wrong")
    assert login(client, customer.email, PASSWORD).status_code == 302
    client.post(reverse("users:logout"))

    for account in others[3:]:
        login(client, account.email, "wrong")

    assert login(client, customer.email, PASSWORD).status_code == 429


def test_an_ipv6_network_counts_as_one_address(client, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    accounts = UserFactory.create_batch(3)
    for n, account in enumerate(accounts):
        login(client, account.email, "wrong", ip=f"2001:db8:1:2::{n + 1}")

    assert login(client, accounts[0].email, PASSWORD, ip="2001:db8:1:2::99").status_code == 429
    assert login(client, accounts[0].email, PASSWORD, ip="2001:db8:1:3::1").status_code == 302


def test_the_back_office_login_is_paused_for_the_address_too(client, settings, staff):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for account in UserFactory.create_batch(3):
        login(client, account.email, "wrong")

    response = client.post(
        reverse("admin:login"),
        {"username": staff.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_address_pause_says_when_to_try_again(client, settings, monkeypatch):
    settings.LOGIN_FAILURES_PER_ADDRESS = 2
    client.cookies["silastik_language"] = "en"
    accounts = UserFactory.create_batch(2)
    with clock_at(monkeypatch, NOW):  # windows of 15 minutes: this one ends at 10:15
        login(client, accounts[0].email, "wrong")
        response = login(client, accounts[1].email, "wrong")

    page = response.content.decode()
    assert response.status_code == 429
    assert "Logins from your address are paused" in page
    assert "Try again in 10 minutes, after 10:15." in page
    assert response["Retry-After"] == "600"


def test_the_account_pause_says_when_to_try_again(client, customer, settings, monkeypatch):
    client.cookies["silastik_language"] = "en"
    with clock_at(monkeypatch, NOW):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            response = login(client, customer.email, "wrong")

    page = response.content.decode()
    assert response.status_code == 429
    assert "Logins for this account from your address are paused after 5 wrong passwords" in page
    assert "Try again in 15 minutes, after 10:20." in page
    assert response["Retry-After"] == "900"


def test_the_pause_page_is_in_indonesian_by_default(client, customer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = login(client, customer.email, "wrong")

    assert "Terlalu banyak" in response.content.decode()
    assert response["Content-Language"] == "id"


def test_an_accounts_failures_from_one_ipv6_network_count_together(client, customer):
    """Axes pauses an account after LOGIN_FAILURE_LIMIT failures from one address; rotating
    addresses inside one's /64 must not get around it."""
    from django.conf import settings
    from django.urls import reverse

    url = reverse("users:login")
    answers = [
        client.post(
            url,
            {"username": customer.email, "password": "wrong"},
            REMOTE_ADDR=f"2001:db8:1:2::{n:x}",
        ).status_code
        for n in range(1, settings.AXES_FAILURE_LIMIT + 2)
    ]

    assert answers[-1] == 429


def test_an_absurdly_long_address_is_counted_not_a_server_error(client):
    from django.urls import reverse

    response = client.post(
        reverse("users:login"), {"username": "a" * 300 + "@example.com", "password": "x"}
    )

    assert response.status_code == 200
