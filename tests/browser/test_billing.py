"""Paying in a real browser: by billing code at the (simulated) bank, and from abroad by a
transfer proof the treasurer confirms. Both end with the receipt downloaded."""

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Browser, expect

from billing.models import Payment, Receipt
from orders import services as order_services
from orders.models import Order
from orders.services import cart_add, line_file_upload, order_submit
from tests.factories import PublicationFactory, UserFactory

from .test_orders import logged_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def offered_publication_order(customer) -> Order:
    from catalog.selection import Selection

    staff = UserFactory(email="agus@example.com", roles=["pst_staff"])
    UserFactory(email="dewi@example.com", roles=["treasurer"], nip="198511052008012003")
    publication = PublicationFactory(title="Statistik Daerah Banjarnegara 2025", page_count=64)
    cart_add(customer=customer, product=publication, selection=Selection())
    order = order_submit(
        order=Order.objects.get(customer=customer, status="draft"),
        by=customer,
        ip=None,
        terms_accepted=True,
        abstract={},
    )
    order = order_services.order_approve(order=order, by=staff)
    line_file_upload(
        line=order.lines.get(), by=staff, upload=ContentFile(PDF, name="b.pdf"), kind="product"
    )
    return order_services.order_offer(order=order, by=staff)


def test_a_domestic_customer_pays_by_billing_code(browser: Browser, live_server):
    customer = UserFactory(email="rina@example.com")
    order = offered_publication_order(customer)

    page = logged_in(browser, live_server, "rina@example.com")
    page.goto(live_server.url + order.get_absolute_url())
    code = page.locator("#billing-code").inner_text().strip()
    assert len(code) == 15 and code.startswith("8")
    page.get_by_role("link", name="Bayar di bank (simulasi)").click()
    expect(page.locator("input[name=code]")).to_have_value(code)
    page.get_by_role("button", name="Bayar").click()
    expect(page.locator("#ntpn")).to_have_text(Payment.objects.get().ntpn)
    page.get_by_role("link", name="Kembali ke pesanan").click()

    expect(page.locator("#order-status")).to_have_text("Lunas, menunggu penyerahan")
    with page.expect_download() as download:
        page.locator("#receipt-link").click()
    receipt = Receipt.objects.get()
    assert download.value.suggested_filename == receipt.number.replace("/", "-") + ".pdf"


def test_a_customer_abroad_uploads_a_proof_that_the_treasurer_confirms(
    browser: Browser, live_server
):
    customer = UserFactory(
        email="emma@example.se",
        domicile="abroad",
        country="SE",
        id_type="passport",
        id_number="AA1234567",
        language="en",
    )
    order = offered_publication_order(customer)

    page = logged_in(browser, live_server, "emma@example.se")
    page.goto(live_server.url + order.get_absolute_url())
    expect(page.locator("#billing-code")).to_have_count(0)
    page.set_input_files(
        "input[name=proof]", {"name": "swift.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Send the proof").click()
    expect(page.locator("#order-status")).to_have_text("Payment being checked")

    treasurer = logged_in(browser, live_server, "dewi@example.com")
    payment = Payment.objects.get()
    treasurer.goto(f"{live_server.url}/admin/billing/payment/?desk=verify")
    treasurer.get_by_role("link", name=payment.invoice.number).first.click()
    treasurer.fill("input[name=reference]", "SWIFT-20261122-01")
    treasurer.get_by_role("button", name="Konfirmasi pembayaran").click()

    page.reload()
    expect(page.locator("#order-status")).to_have_text("Paid, awaiting delivery")
    with page.expect_download() as download:
        page.locator("#receipt-link").click()
    assert download.value.suggested_filename.startswith("KW-3304-")
    assert Receipt.objects.get().treasurer_nip == "198511052008012003"
