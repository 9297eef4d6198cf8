"""/healthz: a minimal answer for anyone, the details for staff and for a monitor's token."""

import pytest

from silastik import views

pytestmark = pytest.mark.django_db
TOKEN = "monitor-token-0123456789abcdef"


def detailed(response) -> bool:
    """The detailed answer: the status and every check (database, broker, and later ones)."""
    body = response.json()
    return body["database"] == "ok" and body["broker"] == "not configured" and "status" in body


def test_the_public_answer_says_only_ok(client, settings):
    settings.HEALTHZ_TOKEN = TOKEN

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_the_public_answer_is_down_without_the_database(client, monkeypatch):
    monkeypatch.setattr(views, "_database_state", lambda: "down")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "down"}


def test_a_monitor_with_the_token_gets_the_details(client, settings):
    settings.HEALTHZ_TOKEN = TOKEN

    response = client.get("/healthz", headers={"X-Healthz-Token": TOKEN})

    assert response.status_code == 200
    assert detailed(response)


@pytest.mark.parametrize("given", ["", "wrong", TOKEN[:-1], TOKEN + "x"])
def test_a_wrong_token_gets_the_public_answer(client, settings, given):
    settings.HEALTHZ_TOKEN = TOKEN

    response = client.get("/healthz", headers={"X-Healthz-Token": given})

    assert response.json() == {"status": "ok"}


def test_without_a_configured_token_no_header_opens_the_details(client, settings):
    settings.HEALTHZ_TOKEN = ""

    response = client.get("/healthz", headers={"X-Healthz-Token": ""})

    assert response.json() == {"status": "ok"}


def test_the_token_is_compared_in_constant_time(client, settings, monkeypatch):
    settings.HEALTHZ_TOKEN = TOKEN
    compared = []
    monkeypatch.setattr(
        views, "constant_time_compare", lambda a, b: compared.append((a, b)) or a == b
    )

    client.get("/healthz", headers={"X-Healthz-Token": "guess"})

    assert compared == [("guess", TOKEN)]


@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_staff_get_the_details(client, request, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get("/healthz")

    assert detailed(response)


def test_a_customer_gets_the_public_answer(client, customer):
    client.force_login(customer)

    assert client.get("/healthz").json() == {"status": "ok"}


def test_the_details_are_one_dict_a_new_check_joins(client, superuser, monkeypatch):
    """Further checks (worker, beat, outbox) are entries of health_details(); one that is down
    makes the node degraded, not out of service."""
    monkeypatch.setattr(
        views, "health_details", lambda: {"database": "ok", "broker": "ok", "worker": "down"}
    )
    client.force_login(superuser)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "broker": "ok",
        "worker": "down",
    }
