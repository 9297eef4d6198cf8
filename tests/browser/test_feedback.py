"""A customer rates a completed order; staff answer from the follow-up queue and close it."""

from datetime import date

import pytest
from playwright.sync_api import Browser, expect

from feedback.ikm import CODES
from feedback.models import Rating
from orders.models import Order
from tests.factories import PublicationFactory, UserFactory
from tests.feedback.conftest import rated
from tests.feedback.test_analysis import at
from tests.orders.conftest import submitted

from .test_orders import logged_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_customer_rates_and_staff_reply(browser: Browser, live_server):
    customer = UserFactory(email="sari@example.com")
    UserFactory(email="budi@example.com", roles=["pst_staff"])
    order = submitted(customer, PublicationFactory(title="Banjarnegara Dalam Angka 2026"))
    Order.objects.filter(pk=order.pk).update(status="completed")

    page = logged_in(browser, live_server, "sari@example.com")
    page.goto(live_server.url + order.get_absolute_url())
    page.locator("#rate-invite a").click()
    for code in CODES:
        # Completion time was slow (2); everything else good (3).
        page.locator(f"input[name={code}][value='{2 if code == 'u3' else 3}']").check()
    page.fill("textarea[name=comment]", "Datanya bagus, tapi menunggu terlalu lama.")
    page.locator("#rating-form [type=submit]").click()
    expect(page.locator("#rating")).to_contain_text("menunggu terlalu lama")
    expect(page.locator("#rate-invite")).to_have_count(0)
    rating = Rating.objects.get(order=order)
    assert rating.u3 == 2 and rating.needs_follow_up

    desk = logged_in(browser, live_server, "budi@example.com")
    desk.goto(live_server.url + "/admin/feedback/rating/?follow_up=open")
    desk.locator("#result_list a", has_text=order.number).click()
    expect(desk.locator("#rating-comment")).to_contain_text("menunggu terlalu lama")
    desk.fill("#reply-form textarea", "Mohon maaf, petugas kami sedang cuti. Kami tambah petugas.")
    desk.locator("#reply-form [type=submit]").click()
    expect(desk.locator("#thread")).to_contain_text("Kami tambah petugas.")

    page.reload()
    expect(page.locator("#rating-thread")).to_contain_text("Kami tambah petugas.")
    page.fill("#rating-answer-form textarea", "Terima kasih atas tanggapannya.")
    page.locator("#rating-answer-form [type=submit]").click()
    expect(page.locator("#rating-thread")).to_contain_text("Terima kasih atas tanggapannya.")

    desk.reload()
    expect(desk.locator("#thread")).to_contain_text("Terima kasih atas tanggapannya.")
    desk.fill("#close-form textarea", "Jadwal piket ditambah satu petugas.")
    desk.locator("#close-form [type=submit]").click()
    expect(desk.locator("#follow-up-outcome")).to_contain_text("Jadwal piket")

    page.reload()
    expect(page.locator("#rating-outcome")).to_contain_text("Jadwal piket ditambah")
    expect(page.locator("#rating-answer-form")).to_have_count(0)


LIBERATION_LOADED = """[...document.fonts].some(
    (face) => face.family.replaceAll('"', "") === "Liberation Sans" && face.status === "loaded"
)"""
CHART_GEOMETRY = """() => [...document.querySelectorAll("svg.ikm-chart")].map((svg) => ({
    id: svg.id,
    right: svg.getBoundingClientRect().right,
    viewBox: svg.viewBox.baseVal.width,
    texts: [...svg.querySelectorAll("text")].map((text) => {
        const box = text.getBBox();
        return {text: text.textContent, x: box.x, end: box.x + box.width};
    }),
}))"""


def test_the_ikm_charts_fit_a_phone_and_clip_no_label(browser: Browser, live_server):
    UserFactory(email="budi@example.com", roles=["pst_staff"])
    book = PublicationFactory()
    for month in range(1, 13):  # a year of months: the widest trend chart
        scores = dict(zip(CODES, [4, 3, 3, 2, 3, 4, 4, 3, 1 + month % 4], strict=True))
        at(rated(UserFactory(), book, scores), date(2026, month, 10))

    page = logged_in(browser, live_server, "budi@example.com")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/laporan/ikm/?start=2026-01-01&end=2026-12-31")
    expect(page.locator("#element-chart")).to_be_visible()
    page.evaluate("document.fonts.ready")

    # The page draws the labels in the font feedback/charts.py measured them in, from static/.
    assert page.evaluate(LIBERATION_LOADED)
    charts = page.evaluate(CHART_GEOMETRY)
    width = page.evaluate("window.innerWidth")
    assert {chart["id"] for chart in charts} == {"element-chart", "trend-chart"}
    for chart in charts:
        assert chart["right"] <= width, chart["id"]
        for text in chart["texts"]:
            assert text["x"] >= 0, (chart["id"], text)
            assert text["end"] <= chart["viewBox"], (chart["id"], text)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
