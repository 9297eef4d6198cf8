"""The signed agreement in a real browser: the customer uploads it, staff send it back with a
reason, the customer uploads again, staff accept it, and the customer downloads the copy the
office countersigned."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from orders import services
from orders.models import Order, SppdStatus
from silastik.documents import pdf_render_baseline
from tests.documents import pdf_page_texts
from tests.factories import DatasetFactory, UserFactory
from tests.orders.conftest import paid, prepared, submitted

from .test_orders import logged_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def upload_signed(page: Page, live_server, order: Order, name: str) -> None:
    page.goto(f"{live_server.url}/pesanan/{order.pk}/")
    page.set_input_files(
        "#sppd-form input[name=signed_file]",
        {"name": name, "mimeType": "application/pdf", "buffer": pdf_render_baseline()},
    )
    page.locator("#sppd-form [type=submit]").click()
    expect(page.get_by_role("link", name="Perjanjian Anda yang bertanda tangan")).to_be_visible()


def test_an_agreement_sent_back_then_accepted_reaches_the_customer_countersigned(
    browser: Browser, live_server
):
    customer = UserFactory(email="rina@example.com", full_name="Rina Kusuma")
    staff = UserFactory(email="agus@example.com", roles=["pst_staff"])
    order = services.order_approve(order=submitted(customer, DatasetFactory()), by=staff)
    order = paid(services.order_offer(order=prepared(order, staff), by=staff))

    rina = logged_in(browser, live_server, "rina@example.com")
    upload_signed(rina, live_server, order, "sppd-tanpa-meterai.pdf")

    agus = logged_in(browser, live_server, "agus@example.com")
    agus.goto(f"{live_server.url}/admin/orders/order/{order.pk}/change/")
    check = agus.locator("#sppd-check")
    expect(check).to_be_visible()
    check.locator("textarea[name=note]").fill("E-meterai belum dibubuhkan pada halaman 2.")
    check.get_by_role("button", name="Kembalikan").click()
    expect(agus.locator("#sppd-check")).to_have_count(0)

    rina.goto(f"{live_server.url}/pesanan/{order.pk}/")
    expect(rina.locator("#timeline")).to_contain_text("E-meterai belum dibubuhkan pada halaman 2.")
    expect(rina.locator("#sppd-form")).to_be_visible()
    upload_signed(rina, live_server, order, "sppd-dengan-meterai.pdf")

    agus.goto(f"{live_server.url}/admin/orders/order/{order.pk}/change/")
    agus.locator("#sppd-check").get_by_role("button", name="Terima dan tandatangani balik").click()
    expect(agus.locator("#sppd-check")).to_have_count(0)
    assert Order.objects.get(pk=order.pk).sppd_status == SppdStatus.ACCEPTED

    rina.goto(f"{live_server.url}/pesanan/{order.pk}/")
    with rina.expect_download() as download:
        rina.locator("#countersigned-link").click()
    pages = pdf_page_texts(Path(download.value.path()).read_bytes())
    assert len(pages) >= 2  # the customer's signed pages and the office's countersignature
