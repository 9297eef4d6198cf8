import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from silastik.mail.models import OutboundEmail
from silastik.users.models import User
from silastik.users.services import email_verification_token
from tests.factories import PASSWORD
from tests.links import link_follow, link_in

pytestmark = pytest.mark.django_db

FORM = {
    "email": "Rina@Example.com",
    "full_name": "Rina Kusuma",
    "password1": "kopi-tubruk-2026",
    "password2": "kopi-tubruk-2026",
}


def verify(client, token: str):
    return client.post(reverse("users:verify"), {"code": token})


def test_registration_sends_a_verification_link_that_verifies_and_allows_login(client, committed):
    with committed():
        response = client.post(reverse("users:register"), FORM)

    assert response.status_code == 200
    assert "Periksa e-mail Anda" in response.content.decode()
    user = User.objects.get()
    assert user.email == "rina@example.com"
    assert not user.is_verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rina@example.com"]
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT

    response = link_follow(client, link_in(mail.outbox[0].body))
    assert response.status_code == 302
    assert response.url == reverse("users:login")
    user.refresh_from_db()
    assert user.is_verified

    response = client.post(
        reverse("users:login"), {"username": "RINA@example.com", "password": FORM["password1"]}
    )
    assert response.status_code == 302
    assert client.get(reverse("orders:list")).status_code == 200


def test_the_verification_email_speaks_the_language_the_visitor_registered_in(client, committed):
    client.cookies["silastik_language"] = "en"
    with committed():
        client.post(reverse("users:register"), FORM)

    message = mail.outbox[0]
    assert message.subject == "Verify your e-mail address"
    assert "Open this link to verify" in message.body
    html = message.alternatives[0][0]
    assert "Verify your e-mail address" in html
    assert User.objects.get().language == "en"


def test_an_address_with_an_account_gets_the_same_answer_and_its_owner_a_notice(
    client, customer, committed
):
    customer.language = "en"
    customer.save()
    with committed():
        taken = client.post(reverse("users:register"), {**FORM, "email": "ALICE@example.com"})
        new = client.post(reverse("users:register"), FORM)

    assert taken.status_code == new.status_code == 200
    assert pages(taken) == pages(new) == ["users/register_done.html", "base.html"]
    assert answer(taken, "alice@example.com") == answer(new, "rina@example.com")
    assert User.objects.count() == 2  # Alice's, and Rina's new one
    customer.refresh_from_db()
    assert customer.full_name == "Alice Wulandari" and customer.check_password(PASSWORD)
    notice = next(m for m in mail.outbox if m.to == ["alice@example.com"])
    # In the owner's language, not the visitor's; with the ways in, and no personal link.
    assert notice.subject == "Someone tried to register with your address"
    assert "If it was you, log in" in notice.body
    assert "/akun/masuk/" in notice.body and "/akun/reset/" in notice.body
    assert "#" not in notice.body
    assert OutboundEmail.objects.get(to="alice@example.com").template == "account_exists"


def pages(response) -> list[str]:
    """The templates of the page (not of the e-mail queued meanwhile)."""
    return [t.name for t in response.templates if not t.name.startswith("emails/")]


def answer(response, email: str) -> str:
    """The page, the typed address taken out (and the CSRF token, which differs per page)."""
    page = response.content.decode().replace(email, "ADDRESS")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_registering_a_taken_address_again_and_again_does_not_flood_its_owner(
    client, customer, settings, committed
):
    settings.REGISTRATIONS_PER_HOUR = 100
    with committed():
        for n in range(settings.ACCOUNT_EMAILS_PER_HOUR + 3):
            response = client.post(
                reverse("users:register"),
                {**FORM, "email": customer.email},
                REMOTE_ADDR=f"10.9.0.{n}",
            )
            assert response.status_code == 200

    assert len(mail.outbox) == settings.ACCOUNT_EMAILS_PER_HOUR


def test_registrations_are_limited_per_client_address(client, settings):
    settings.REGISTRATIONS_PER_HOUR = 2
    client.cookies["silastik_language"] = "en"
    for n in range(2):
        client.post(reverse("users:register"), {**FORM, "email": f"visitor{n}@example.com"})

    response = client.post(reverse("users:register"), {**FORM, "email": "third@example.com"})

    assert response.status_code == 429
    assert "Many registrations came from your network" in response.content.decode()
    assert not User.objects.filter(email="third@example.com").exists()
    other = client.post(
        reverse("users:register"), {**FORM, "email": "third@example.com"}, REMOTE_ADDR="10.7.7.7"
    )
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"password2": "something-else-2026"}, "Kedua kata sandi berbeda"),
        ({"password1": "12345678", "password2": "12345678"}, "terlalu umum"),
        ({"email": "not-an-address"}, "alamat email yang valid"),
    ],
)
def test_bad_registration_input_gets_a_message_and_saves_nothing(client, changes, message):
    response = client.post(reverse("users:register"), {**FORM, **changes})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_a_tampered_link_is_refused(client, customer):
    customer.email_verified_at = None
    customer.save()
    token = email_verification_token(user=customer)

    response = verify(client, token[:-2] + "xx")

    assert response.status_code == 400
    assert "tidak valid" in response.content.decode()
    customer.refresh_from_db()
    assert not customer.is_verified


def test_an_expired_link_is_refused(client, customer, settings):
    customer.email_verified_at = None
    customer.save()
    token = email_verification_token(user=customer)
    settings.EMAIL_VERIFICATION_MAX_AGE = timedelta(seconds=-1)

    response = verify(client, token)

    assert response.status_code == 400
    assert "kedaluwarsa" in response.content.decode()


def test_a_link_stops_working_when_the_address_changes(client, customer):
    customer.email_verified_at = None
    customer.save()
    token = email_verification_token(user=customer)
    customer.email = "alice.new@example.com"
    customer.save()

    response = verify(client, token)

    assert response.status_code == 400
    customer.refresh_from_db()
    assert not customer.is_verified


def test_an_unverified_user_cannot_reach_ordering_pages(client, customer):
    customer.email_verified_at = None
    customer.save()
    client.force_login(customer)

    response = client.get(reverse("orders:list"))

    assert response.status_code == 302
    assert response.url == reverse("users:verification_needed")


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("orders:list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("users:login"))


def test_asking_again_for_the_link_sends_one_email_a_minute(client, customer, committed):
    customer.email_verified_at = None
    customer.save()
    client.force_login(customer)

    with committed():
        client.post(reverse("users:verification_resend"))
        response = client.post(reverse("users:verification_resend"), follow=True)

    assert len(mail.outbox) == 1
    assert "kurang dari satu menit" in response.content.decode()
