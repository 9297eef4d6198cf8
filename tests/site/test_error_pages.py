"""Error pages in the portal's own layout and the visitor's language, with a way back, as
production serves them (DEBUG off)."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path, reverse

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a fault in a view")


def forbidden(request):
    raise PermissionDenied


# The project's pages and two that fail on purpose, with the project's handlers.
urlpatterns = [
    path("boom/", boom),
    path("forbidden/", forbidden),
    path("", include("silastik.urls")),
]
handler403 = "silastik.errors_views.permission_denied"
handler404 = "silastik.errors_views.page_not_found"
handler500 = "silastik.errors_views.server_error"
with_failing_pages = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def in_language(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize(
    ("language", "words"),
    [("id", "Halaman tidak ditemukan"), ("en", "Page not found")],
)
def test_a_missing_page_is_explained_in_the_visitors_language(client, language, words):
    response = in_language(client, language).get("/no-such-page/")

    page = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}">' in page and words in page
    assert 'id="error-home"' in page and 'class="navbar' in page  # the portal's own layout


def test_back_leads_to_the_page_the_visitor_came_from(client):
    came_from = "http://testserver/catalog/"

    page = client.get("/no-such-page/", HTTP_REFERER=came_from).content.decode()
    elsewhere = client.get("/no-such-page/", HTTP_REFERER="https://evil.example/").content.decode()

    assert f'href="{came_from}" id="error-back"' in page
    assert 'href="/" id="error-back"' in elsewhere


def test_another_customers_order_is_a_404_in_the_layout(client, customer, other_customer):
    from orders.models import Order

    order = Order.objects.create(customer=other_customer)
    client.force_login(customer)

    response = client.get(reverse("orders:detail", args=[order.pk]))

    assert response.status_code == 404 and 'id="error-page"' in response.content.decode()


@with_failing_pages
@pytest.mark.parametrize(("language", "words"), [("id", "Tidak diizinkan"), ("en", "Not allowed")])
def test_a_refusal_is_explained(client, language, words):
    response = in_language(client, language).get("/forbidden/")

    assert response.status_code == 403 and words in response.content.decode()


@with_failing_pages
@pytest.mark.parametrize(
    ("language", "words"),
    [("id", "Terjadi kesalahan"), ("en", "Something went wrong")],
)
def test_a_server_error_is_explained_without_the_database(client, language, words):
    client.raise_request_exception = False

    response = in_language(client, language).get("/boom/")

    page = response.content.decode()
    assert response.status_code == 500
    assert words in page and f'<html lang="{language}">' in page
    assert "RuntimeError" not in page and "Traceback" not in page


@pytest.mark.parametrize(
    ("language", "words"),
    [("id", "Formulir sudah kedaluwarsa"), ("en", "The form has expired")],
)
def test_a_stale_form_is_explained_and_nothing_is_saved(language, words):
    client = in_language(Client(enforce_csrf_checks=True), language)

    response = client.post(reverse("language_set"), {"language": "en", "next": "/"})

    assert response.status_code == 403
    assert words in response.content.decode()
