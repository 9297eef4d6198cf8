"""Asking for a password reset tells nobody whether an address has an account, is limited per
client address and per account, and its link's token never reaches a log."""

import logging
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from silastik.mail.models import OutboundEmail
from silastik.users.services import email_verification_token
from tests.links import link_follow, link_in

pytestmark = pytest.mark.django_db


def reset(client, email: str, ip: str = "10.0.0.1"):
    return client.post(reverse("users:password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_known_and_unknown_addresses_get_the_same_answer_after_the_same_work(client, customer):
    """The request looks nothing up: a task does, after the answer. Same status, same page,
    the same queries (only the rate limits' counters, none about accounts), nothing queued in
    the request for either."""
    answers, account_queries = {}, []
    for email in (customer.email, "nobody@example.com"):
        with CaptureQueriesContext(connection) as queries:
            response = reset(client, email)
        answers[email] = (response.status_code, response.url, len(queries))
        account_queries += [q["sql"] for q in queries if "users_user" in q["sql"]]

    assert answers[customer.email] == answers["nobody@example.com"]
    assert answers[customer.email][:2] == (302, reverse("users:password_reset_done"))
    assert account_queries == []
    assert not OutboundEmail.objects.exists()


def test_the_outbox_row_is_made_only_for_the_known_address(client, customer, committed):
    with committed():
        reset(client, "nobody@example.com")
    assert not OutboundEmail.objects.exists()

    with committed():
        reset(client, "ALICE@example.com")

    message = OutboundEmail.objects.get()
    assert (message.to, message.template, message.sensitive) == (
        customer.email,
        "password_reset",
        True,
    )


def test_a_repeated_task_sends_the_link_once(customer):
    from silastik.users.tasks import password_reset_send_task

    for _ in range(2):
        password_reset_send_task(customer.email, "http://testserver/", "request-1")

    assert OutboundEmail.objects.count() == 1


def test_requests_are_limited_per_client_address(client, customer, settings, committed):
    settings.PASSWORD_RESETS_PER_HOUR = 3
    client.cookies["silastik_language"] = "en"
    for n in range(3):
        assert reset(client, f"someone{n}@example.com").status_code == 302

    with committed():
        refused = reset(client, customer.email)

    assert refused.status_code == 429
    assert "Many password resets were asked for from your network" in refused.content.decode()
    assert mail.outbox == []
    with committed():
        assert reset(client, customer.email, ip="10.0.0.2").status_code == 302
    assert len(mail.outbox) == 1


def test_an_account_gets_a_few_links_an_hour_and_the_asker_the_same_answer(
    client, customer, settings, committed
):
    with committed():
        answers = {
            reset(client, customer.email, ip=f"10.0.1.{n}").status_code
            for n in range(settings.ACCOUNT_EMAILS_PER_HOUR + 2)
        }

    assert answers == {302}
    assert len(mail.outbox) == settings.ACCOUNT_EMAILS_PER_HOUR


def test_the_reset_token_is_in_no_requested_url_and_no_log(client, customer, committed, caplog):
    caplog.set_level(logging.DEBUG)
    with committed():
        reset(client, customer.email)
    link = link_in(mail.outbox[0].body)
    path, code = link.split("#")
    token = code.split(".", 1)[1]

    response = link_follow(client, link)
    form_url = response.url
    done = client.post(
        form_url, {"new_password1": "kopi-luwak-2026", "new_password2": "kopi-luwak-2026"}
    )

    assert done.status_code == 302
    # What a server and its access log see: the page, the post, the token-free form.
    for url in (path, form_url, done.url):
        assert token not in url
    assert token not in caplog.text
    customer.refresh_from_db()
    assert customer.check_password("kopi-luwak-2026")


def test_a_reset_link_works_once(client, customer, committed):
    with committed():
        reset(client, customer.email)
    link = link_in(mail.outbox[0].body)
    form_url = link_follow(client, link).url
    client.post(form_url, {"new_password1": "kopi-luwak-2026", "new_password2": "kopi-luwak-2026"})

    again = link_follow(client, link)

    assert again.status_code == 400
    assert 'name="new_password1"' not in again.content.decode()


@pytest.mark.parametrize("code", ["", "garbage", "MQ.bad-token", "!!!.x", "MQ"])
def test_a_bad_reset_code_is_refused(client, customer, code):
    response = client.post(reverse("users:password_reset_link"), {"code": code})

    assert response.status_code == 400


def test_a_token_in_the_path_is_no_route_any_more(client, customer):
    """The old form of link put the token where every access log writes it."""
    assert client.get("/akun/reset/MQ/abc123-0123456789abcdef/").status_code == 404
    assert client.get("/akun/verifikasi/abc:def:ghi/").status_code == 404


def test_the_verification_token_is_in_no_requested_url_and_no_log(
    client, customer, committed, caplog
):
    caplog.set_level(logging.DEBUG)
    customer.email_verified_at = None
    customer.save()
    token = email_verification_token(user=customer)
    client.force_login(customer)
    with committed():
        client.post(reverse("users:verification_resend"))
    link = link_in(mail.outbox[0].body)

    response = link_follow(client, link)

    assert link.endswith("#" + token)
    assert token not in link.split("#")[0] and token not in response.url
    assert token not in caplog.text
    customer.refresh_from_db()
    assert customer.is_verified


def test_the_link_page_posts_its_code_with_a_static_script(client):
    page = client.get(reverse("users:verify")).content.decode()

    assert 'src="/static/js/link-code.js"' in page
    assert re.search(r'<form method="post"[^>]*data-link-code', page)
    assert 'name="code"' in page


@pytest.mark.parametrize("name", ["users:verify", "users:password_reset_link"])
def test_a_posted_link_code_is_kept_out_of_error_reports(client, name):
    response = client.post(reverse(name), {"code": "secret-code"})

    assert response.wsgi_request.sensitive_post_parameters == ("code",)
