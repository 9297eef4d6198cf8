import pytest
from django.urls import reverse

from tests.celery_utils import celery_on_broker
from tests.services import free_port, need, redis_available

pytestmark = pytest.mark.django_db


def test_the_home_page_publishes_the_service_standard_in_indonesian_by_default(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in page
    for text in [
        "Standar pelayanan",
        "10 hari kerja",
        "10 menit",
        "5 hari kerja",
        "1 bulan",
        "NPWP",
        "PP) Nomor 13 Tahun 2024",
        "LAPOR!",
    ]:
        assert text in page, text


def test_the_home_page_searches_the_catalog(client):
    import re

    from tests.factories import PublicationFactory

    PublicationFactory(title="Statistik Pertanian 2024")
    page = client.get(reverse("home")).content.decode()

    form = re.search(r'<form[^>]*id="home-search".*?</form>', page, re.S).group(0)
    assert 'name="q"' in form and 'method="get"' in form
    action = re.search(r'action="([^"]+)"', form).group(1)
    assert "Statistik Pertanian 2024" in client.get(action, {"q": "pertanian"}).content.decode()


def test_the_language_switch_turns_the_site_english(client):
    response = client.post(reverse("language_set"), {"language": "en", "next": "/"}, follow=True)

    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Service standard" in page
    assert "10 working days" in page


def test_switching_language_while_logged_in_remembers_it_for_emails(client, customer):
    client.force_login(customer)

    client.post(reverse("language_set"), {"language": "en", "next": "/"})

    customer.refresh_from_db()
    assert customer.language == "en"


def test_the_language_switch_ignores_unknown_languages(client, customer):
    client.force_login(customer)
    client.post(reverse("language_set"), {"language": "xx", "next": "/"})
    customer.refresh_from_db()
    assert customer.language == "id"


def test_pages_declare_a_viewport_for_phones(client):
    page = client.get(reverse("users:login")).content.decode()
    assert 'name="viewport"' in page
    assert "navbar-toggler" in page


def test_every_page_names_an_icon_that_exists(client, admin_client):
    """Browsers ask for an icon on every page: without one each page logs a 404."""
    import re

    from django.contrib.staticfiles import finders

    for page in (client.get("/"), admin_client.get("/admin/")):
        icon = re.search(r'<link rel="icon" href="/static/([^"]+)"', page.content.decode())
        assert icon and finders.find(icon.group(1))


def healthz_details(settings) -> dict[str, str]:
    """The header of a monitor that may read the detailed answer (tests/site/test_healthz.py)."""
    settings.HEALTHZ_TOKEN = "monitor-token-0123456789abcdef"
    return {"X-Healthz-Token": settings.HEALTHZ_TOKEN}


def test_healthz_reports_the_database_and_an_unconfigured_broker(client, settings):
    response = client.get("/healthz", headers=healthz_details(settings))

    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert response.json()["broker"] == "not configured"


def test_healthz_reports_a_broker_outage_but_keeps_the_node_in_service(client, settings):
    with celery_on_broker(f"redis://127.0.0.1:{free_port()}/0"):
        response = client.get("/healthz", headers=healthz_details(settings))

    # Background work waits in the database meanwhile, so load balancers keep the node.
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert (response.json()["database"], response.json()["broker"]) == ("ok", "down")


def test_private_files_have_no_public_url():
    from django.core.files.storage import storages

    with pytest.raises(ValueError, match="no public URL"):
        storages["private"].url("publications/x.pdf")


def test_healthz_sees_a_running_broker(client, settings):
    need(redis_available(settings.TEST_BROKER_URL), "no Redis broker at CELERY_BROKER_URL")
    with celery_on_broker(settings.TEST_BROKER_URL):
        response = client.get("/healthz", headers=healthz_details(settings))

    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_nip_and_npwp_print_in_their_standard_groups():
    from silastik.templatetags.silastik import nip, npwp

    assert nip("198511052008012003") == "19851105 200801 2 003"
    assert nip("1985") == "1985"  # not a NIP: as given
    assert npwp("092542943407000") == "09.254.294.3-407.000"
    assert npwp("09.254.294.3-407.000") == "09.254.294.3-407.000"
    assert npwp("3304015507900002") == "3304 0155 0790 0002"
