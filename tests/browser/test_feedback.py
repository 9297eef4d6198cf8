"""A customer rates a completed order; staff answer from the follow-up queue and close it."""

import pytest
from playwright.sync_api import Browser, expect

from feedback.ikm import CODES
from feedback.models import Rating
from orders.models import Order
from tests.factories import PublicationFactory, UserFactory
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
        # Service time was slow (2); everything else good (3).
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
