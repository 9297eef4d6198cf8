"""One network, two offices, in a real browser: a customer abroad orders from BPS Kabupaten Tana
Tidung (6503), pays its account and gets its receipt; Banjarnegara's staff (3304) never see it."""

import subprocess
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Browser, expect

from billing.models import Invoice, Payment, Receipt
from orders import services as order_services
from orders.models import Order
from silastik.users.roles import Role
from tests.factories import PublicationFactory, UserFactory, office

from .test_orders import logged_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_words(path: str | Path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    return " ".join(text.decode().split())


def test_a_customer_abroad_buys_from_tana_tidung_and_banjarnegara_never_sees_it(
    browser: Browser, live_server
):
    tana_tidung = office(
        "6503",
        name="BPS Kabupaten Tana Tidung",
        city="Tideng Pale",
        time_zone="Asia/Makassar",
        bank_name="Bank Mandiri",
        bank_account_number="149 00 7654321 0",
        bank_account_holder="Bendahara Penerimaan BPS Kabupaten Tana Tidung",
        bank_swift="BMRIIDJA",
        treasurer_name="Yohana Lidia",
        treasurer_nip="198908142012122001",
    )
    staff_6503 = UserFactory(
        email="petugas.6503@example.com", roles=[Role.PST_STAFF], office=tana_tidung
    )
    UserFactory(email="bendahara.6503@example.com", roles=[Role.TREASURER], office=tana_tidung)
    UserFactory(email="petugas@example.com", roles=[Role.PST_STAFF])  # Banjarnegara's
    publication = PublicationFactory(
        title="Kabupaten Tana Tidung Dalam Angka 2025", page_count=64, office=tana_tidung
    )
    UserFactory(
        email="emma@example.se",
        domicile="abroad",
        country="SE",
        id_type="passport",
        id_number="AA1234567",
        language="en",
    )

    # The customer orders in the browser.
    page = logged_in(browser, live_server, "emma@example.se")
    page.goto(live_server.url + publication.get_absolute_url())
    page.locator("#add-to-cart").click()
    page.check("input[name=terms]")
    page.get_by_role("button", name="Send the request").click()
    order = Order.objects.get(customer__email="emma@example.se")
    assert order.office == tana_tidung

    # Tana Tidung's staff prepare and offer it.
    order = order_services.order_approve(order=order, by=staff_6503)
    order_services.line_file_upload(
        line=order.lines.get(), by=staff_6503, upload=ContentFile(PDF, name="b.pdf"), kind="product"
    )
    order_services.order_offer(order=order, by=staff_6503)

    # The invoice names Tana Tidung's account; the customer sends the transfer proof.
    invoice_row = Invoice.objects.get(order=order)
    for _ in range(100):  # the PDF is rendered by a task after the offer commits
        invoice_row.refresh_from_db()
        if invoice_row.pdf:
            break
        time.sleep(0.1)
    page.goto(live_server.url + order.get_absolute_url())
    with page.expect_download() as invoice_download:
        page.get_by_role("link", name=f"Invoice {invoice_row.number}").click()
    invoice = pdf_words(invoice_download.value.path())
    assert "BPS KABUPATEN TANA TIDUNG" in invoice.upper()
    assert "149 00 7654321 0" in invoice and "BMRIIDJA" in invoice
    page.set_input_files(
        "input[name=proof]", {"name": "swift.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Send the proof").click()
    expect(page.locator("#order-status")).to_have_text("Payment being checked")

    # Banjarnegara's staff do not see it, not even by its address.
    other = logged_in(browser, live_server, "petugas@example.com")
    other.goto(f"{live_server.url}/admin/orders/order/")
    expect(other.get_by_text(order.number)).to_have_count(0)
    other.goto(f"{live_server.url}/admin/orders/order/{order.pk}/change/")
    expect(other.get_by_text(order.number)).to_have_count(0)

    # Tana Tidung's treasurer confirms; the receipt is Tana Tidung's.
    treasurer = logged_in(browser, live_server, "bendahara.6503@example.com")
    payment = Payment.objects.get()
    treasurer.goto(f"{live_server.url}/admin/billing/payment/?desk=verify")
    treasurer.get_by_role("link", name=payment.invoice.number).first.click()
    treasurer.fill("input[name=reference]", "SWIFT-20261125-01")
    treasurer.get_by_role("button", name="Konfirmasi pembayaran").click()

    page.reload()
    expect(page.locator("#order-status")).to_have_text("Paid, awaiting delivery")
    with page.expect_download() as receipt_download:
        page.locator("#receipt-link").click()
    assert receipt_download.value.suggested_filename.startswith("KW-6503-")
    receipt = pdf_words(receipt_download.value.path())
    assert "BPS KABUPATEN TANA TIDUNG" in receipt.upper()
    assert "Yohana Lidia" in receipt and "Tideng Pale" in receipt
    assert Receipt.objects.get().treasurer_nip == "198908142012122001"
