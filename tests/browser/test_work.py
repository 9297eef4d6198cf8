"""A member of staff starts the day from their home: the new request is there, one click from
the list that holds it, and serving it to the offer ends with a message naming the invoice."""

import pytest
from playwright.sync_api import Browser, expect

from billing.models import Invoice
from orders.models import Order
from tests.factories import PASSWORD, PublicationFactory, UserFactory
from tests.orders.conftest import submitted

from .test_orders import staff_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_serve_a_new_request_from_their_home_to_the_offer(browser: Browser, live_server):
    UserFactory(email="agus@example.com", roles=["pst_staff"])
    order = submitted(
        UserFactory(email="rina@example.com", full_name="Rina Kusuma"),
        PublicationFactory(title="Banjarnegara Dalam Angka 2025"),
    )

    page = browser.new_page(locale="id-ID")
    page.goto(live_server.url + "/akun/masuk/")
    page.fill("input[name=username]", "agus@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.locator("#main [type=submit]").click()

    # Their work, not the shop: the new request counted, and the badge of its notification.
    expect(page.get_by_role("heading", name="Pekerjaan Anda sekarang")).to_be_visible()
    expect(page.locator("#notifications-badge")).to_contain_text("1")
    new_requests = page.locator("a.work-item", has_text="Permintaan baru")
    expect(new_requests).to_have_attribute("data-count", "1")
    new_requests.click()

    expect(page.locator("#result_list")).to_contain_text(order.number)
    page.get_by_role("link", name=order.number).click()
    expect(page.get_by_text("Banjarnegara Dalam Angka 2025").first).to_be_visible()
    page.locator("button[value=approve]").click()
    expect(page.locator("#order-status")).to_have_text("Sedang disiapkan")
    line = order.lines.get().description
    staff_upload(page, line, "product", "bda-2025.pdf", b"%PDF-1.4\n%%EOF\n")
    page.locator("button[value=offer]").click()

    expect(page.locator("#order-status")).to_have_text("Penawaran dikirim")
    invoice = Invoice.objects.get(order=Order.objects.get(pk=order.pk))
    message = page.locator(".messagelist")
    expect(message).to_contain_text(invoice.number)
    expect(message).to_contain_text(invoice.billing_codes.get().code)
    # The request is off their list of new work.
    page.goto(live_server.url + "/kerja/")
    expect(page.locator("a.work-item", has_text="Permintaan baru")).to_have_attribute(
        "data-count", "0"
    )


def test_the_order_page_fits_a_phone(browser: Browser, live_server):
    """The notes to the customer were 60 columns wide: the page scrolled sideways on a phone."""
    UserFactory(email="agus@example.com", roles=["pst_staff"])
    order = submitted(UserFactory(), PublicationFactory(title="Banjarnegara Dalam Angka 2025"))

    page = browser.new_page(locale="id-ID", viewport={"width": 390, "height": 844})
    page.goto(live_server.url + "/akun/masuk/")
    page.fill("input[name=username]", "agus@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.locator("#main [type=submit]").click()
    page.goto(f"{live_server.url}/admin/orders/order/{order.pk}/change/")
    expect(page.locator("button[value=approve]")).to_be_visible()

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
