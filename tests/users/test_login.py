import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

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
    link = re.search(r"https?://\S+/akun/reset/\S+/", mail.outbox[0].body).group(0)

    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
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
    link = re.search(r"https?://\S+/akun/reset/\S+/", mail.outbox[0].body).group(0)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
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
