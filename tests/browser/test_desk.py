"""A visitor takes a ticket at the kiosk; staff call and serve them; the display follows."""

import pytest
from playwright.sync_api import Browser, expect

from desk.models import Visit
from tests.factories import UserFactory, walk_in_desk

from .test_orders import logged_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_takes_a_ticket_and_staff_call_and_serve_them(browser: Browser, live_server):
    walk_in_desk()  # Banjarnegara's (3304) first counter
    UserFactory(email="budi@example.com", roles=["pst_staff"])

    kiosk = browser.new_page(locale="id-ID", viewport={"width": 1024, "height": 768})
    kiosk.goto(live_server.url + "/kios/3304/")
    kiosk.locator("#purpose label").first.click()  # buy data or publications
    kiosk.fill("input[name=name]", "Rina Kusuma")
    kiosk.fill("input[name=institution]", "Universitas Jenderal Soedirman")
    kiosk.select_option("select[name=segment]", "student")
    kiosk.fill("input[name=phone]", "0812 3456 7890")
    kiosk.select_option("select[name=identity_kind]", "ktp")
    kiosk.fill("input[name=identity_number]", "3304010101990001")
    kiosk.locator("#guest-book [type=submit]").click()
    expect(kiosk.locator("#ticket-number")).to_have_text("A-001")

    display = browser.new_page()
    display.goto(live_server.url + "/antrean/3304/")
    expect(display.locator("#waiting")).to_contain_text("1")
    expect(display.locator("#desk-1")).to_contain_text("—")

    desk = logged_in(browser, live_server, "budi@example.com")
    desk.goto(live_server.url + "/loket/")
    desk.select_option("select[name=desk]", label="Loket 1")
    desk.locator("#choose-desk [type=submit]").click()
    desk.locator("#call-next").click()
    expect(desk.locator("#current-ticket")).to_have_text("A-001")
    expect(desk.locator("#current")).to_contain_text("Rina Kusuma")

    # The display follows by itself, without a reload.
    expect(display.locator("#desk-1")).to_contain_text("A-001", timeout=10_000)

    desk.locator("#start").click()
    expect(desk.locator("#current-status")).to_have_text("Sedang dilayani")
    desk.fill("#finish-form textarea", "Membeli publikasi Banjarnegara Dalam Angka.")
    desk.locator("#finish").click()
    expect(desk.locator("#call-next")).to_be_visible()
    expect(desk.locator("#desk-today")).to_contain_text("1 dilayani")
    expect(display.locator("#desk-1")).to_contain_text("—", timeout=10_000)

    visit = Visit.objects.get()
    assert visit.status == "done" and visit.waiting_seconds is not None
    assert visit.service_seconds is not None and visit.response_seconds is not None


def test_the_desks_product_search_fits_a_phone(browser: Browser, live_server):
    """A printed publication's row held the count of copies squeezed to a sliver and its
    buttons past the card's edge (457 px on a 390 px screen)."""
    from django.test import Client

    from catalog.models import Publication
    from tests.desk.test_orders import ACCOUNT, served, url
    from tests.factories import PublicationFactory

    desk = walk_in_desk()
    staff = UserFactory(email="budi@example.com", roles=["pst_staff"])
    PublicationFactory(title="Kabupaten Banjarnegara Dalam Angka 2025", printed_price=75_000)
    Publication.objects.update(printed_copies=12)
    visit = served(staff, desk)
    office = Client()
    office.force_login(staff)
    office.post(url("start", visit), ACCOUNT)  # the visitor's account linked: the cart opens

    page = logged_in(browser, live_server, "budi@example.com")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + url("cart", visit) + "?q=Dalam+Angka")
    copies = page.locator("input[name=copies]")
    expect(copies).to_be_visible()

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert copies.bounding_box()["width"] >= 56  # three digits and the spinner
