"""Content-Security-Policy: every page carries it, and no template needs more than it allows
(no inline script, no event-handler attribute, no inline style on the site's pages)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import DatasetFactory, PublicationFactory, default_office, walk_in_desk
from tests.orders.conftest import submitted

TEMPLATE_DIRS = [settings.BASE_DIR / "templates", *settings.BASE_DIR.glob("*/templates")]
# Read by mail programs and by WeasyPrint, never by a browser under the policy.
NOT_PAGES = ("emails", "documents")
TAG = re.compile(r"<[a-zA-Z][^>]*>", re.S)


def templates():
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*.html")):
            yield pytest.param(path, id=str(path.relative_to(settings.BASE_DIR)))


def is_page(path: Path) -> bool:
    return not any(part in NOT_PAGES for part in path.relative_to(settings.BASE_DIR).parts[1:2])


def directives(header: str) -> dict[str, list[str]]:
    parts = (d.split() for d in header.split(";") if d.strip())
    return {name: values for name, *values in parts}


# --- the header ---------------------------------------------------------------------------------


def test_the_policy_allows_only_the_sites_own_scripts_and_styles(client, db):
    policy = directives(client.get("/")["Content-Security-Policy"])

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


@pytest.fixture
def work(db, customer, staff):
    """An order, a dataset with its picker, a desk: something behind every page."""
    default_office()
    walk_in_desk()
    order = submitted(customer, PublicationFactory(slug="statda"))
    DatasetFactory(slug="sakernas")
    return order


PUBLIC = [
    "/",
    "/catalog/",
    "/catalog/statda/",
    "/catalog/sakernas/",
    "/akun/masuk/",
    "/akun/daftar/",
    "/akun/reset/",
    "/akun/verifikasi/tautan/",
    "/akun/reset/tautan/",
    "/pengaduan/",
    "/pengaduan/lacak/",
    "/verifikasi/",
    "/kios/3304/",
    "/kios/3304/nilai/",
    "/antrean/3304/",
    "/admin/login/",
    "/no-such-page/",
]
CUSTOMER = ["/pesanan/", "/pesanan/keranjang/", "/akun/profil/", "/pengaduan/saya/", "ORDER"]
STAFF = ["/loket/", "/laporan/ikm/", "/laporan/loket/", "/admin/", "/admin/orders/order/"]
ADMIN = ["/admin/orders/order/ORDER/change/", "/admin/catalog/dataset/", "/admin/users/user/"]


def pages(who: str, urls: list[str]):
    return [pytest.param(who, url, id=f"{who}:{url}") for url in urls]


@pytest.mark.parametrize(
    ("who", "url"),
    pages("visitor", PUBLIC)
    + pages("customer", CUSTOMER)
    + pages("staff", STAFF + ADMIN)
    + pages("superuser", ADMIN),
)
def test_every_page_carries_the_policy(client, work, request, who, url):
    if who != "visitor":
        client.force_login(request.getfixturevalue(who))
    if url == "ORDER":
        url = work.get_absolute_url()
    url = url.replace("ORDER", str(work.pk))

    response = client.get(url, follow=True)  # the order list opens on "needs my action"

    assert response.status_code < 500
    assert "script-src 'self'" in response["Content-Security-Policy"], response.status_code
    if who != "visitor" and url != "/no-such-page/":
        assert response.status_code == 200


# --- the templates ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", list(templates()))
def test_no_template_has_an_inline_script_or_an_event_handler(path):
    text = path.read_text()
    for tag in TAG.findall(text):
        if re.match(r"<script\b", tag, re.I):
            assert re.search(r"\ssrc=", tag), f"inline script: {tag}"
        assert not re.search(r"\son[a-z]+\s*=", tag, re.I), f"event handler: {tag}"
        assert "javascript:" not in tag.lower(), f"javascript: URL: {tag}"


@pytest.mark.parametrize("path", [p for p in templates() if is_page(p.values[0])])
def test_no_page_template_has_an_inline_style(path):
    text = path.read_text()

    assert not re.search(r"<style\b", text, re.I), "a <style> element: move it to static/css/"
    for tag in TAG.findall(text):
        assert not re.search(r"\sstyle\s*=", tag, re.I), f"style attribute: {tag}"


def test_htmx_is_told_to_inject_no_style_and_to_evaluate_nothing(client, work):
    page = client.get(reverse("catalog:detail", args=["sakernas"])).content.decode()

    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', page)
    assert config, "htmx's configuration is missing"
    assert '"includeIndicatorStyles": false' in config.group(1)
    assert '"allowEval": false' in config.group(1)


def test_a_pdf_shown_inline_carries_no_page_policy(client):
    """Chrome's built-in viewer does not open a PDF whose own response forbids objects."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from silastik.middleware import ContentSecurityPolicyMiddleware

    pdf = ContentSecurityPolicyMiddleware(
        lambda request: HttpResponse(b"%PDF-1.7", content_type="application/pdf")
    )(RequestFactory().get("/x.pdf"))
    page = ContentSecurityPolicyMiddleware(lambda request: HttpResponse("<p>x</p>"))(
        RequestFactory().get("/")
    )

    assert "Content-Security-Policy" not in pdf
    assert "object-src 'none'" in page["Content-Security-Policy"]
