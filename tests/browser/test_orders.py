"""Whole online flows in a real browser, the customer and PST staff each in their own session."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from orders.models import Order
from tests.documents import pdf_text
from tests.factories import PASSWORD, DatasetFactory, PublicationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def logged_in(browser: Browser, live_server, email: str) -> Page:
    page = browser.new_page(locale="id-ID")
    page.goto(live_server.url + "/akun/masuk/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("#main [type=submit]").click()
    expect(page.locator("#account-menu")).to_be_visible()
    return page


def staff_open(page: Page, live_server, order: Order) -> None:
    page.goto(f"{live_server.url}/admin/orders/order/{order.pk}/change/")


def staff_upload(page: Page, line_label: str, kind: str, name: str, content: bytes) -> None:
    page.select_option("select[name=line]", label=line_label)
    page.select_option("select[name=kind]", kind)
    page.set_input_files(
        "input[name=upload]",
        {"name": name, "mimeType": "application/octet-stream", "buffer": content},
    )
    page.get_by_role("button", name="Unggah").click()
    # The upload goes by XMLHttpRequest (static/js/upload.js) and then shows the order page
    # again in place: wait for it, as a person waits for the bar to finish.
    expect(page.get_by_role("link", name=name, exact=True).last).to_be_visible()


def test_microdata_from_the_catalog_to_the_offer(browser: Browser, live_server):
    UserFactory(email="rina@example.com")
    UserFactory(email="agus@example.com", roles=["pst_staff"])
    DatasetFactory(
        title="Survei Angkatan Kerja Nasional 2024", slug="sakernas-2024", full_size_bytes=3_000_000
    )

    customer = logged_in(browser, live_server, "rina@example.com")
    customer.goto(live_server.url + "/catalog/sakernas-2024/")
    customer.check("#mode-variables")
    customer.locator("#variable-table input[type=checkbox]").first.check()
    expect(customer.locator("#chosen-count")).to_contain_text("1 variabel dipilih")
    customer.get_by_role("button", name="Masukkan ke keranjang").click()
    expect(customer.locator("#cart-lines")).to_contain_text("1 variabel pilihan")

    customer.fill("textarea[name=abstract_background]", "Tesis magister ekonomi.")
    customer.fill("textarea[name=abstract_purpose]", "Mengukur pengangguran terbuka.")
    customer.fill("textarea[name=abstract_method]", "Regresi logistik.")
    customer.fill("textarea[name=abstract_outputs]", "Tesis.")
    customer.check("input[name=terms]")
    customer.get_by_role("button", name="Kirim permintaan").click()
    expect(customer.locator("#order-status")).to_have_text("Diajukan")
    order = Order.objects.get(customer__email="rina@example.com")

    staff = logged_in(browser, live_server, "agus@example.com")
    staff_open(staff, live_server, order)
    expect(staff.get_by_text("Mengukur pengangguran terbuka.")).to_be_visible()
    staff.locator("button[value=approve]").click()
    expect(staff.locator("#order-status")).to_have_text("Sedang disiapkan")
    line = order.lines.get().description
    staff_upload(staff, line, "product", "sakernas.csv", b"r101,r102\n33,04\n" * 70_000)
    staff_upload(staff, line, "sample", "contoh.csv", b"r101,r102\n33,04\n")
    # The quote (one variable: 8.000 bytes, Rp20.000) beside the price from the data; 12 %
    # apart, so the offer waits for staff's reason.
    reprices = staff.locator("#reprices")
    expect(reprices).to_contain_text("Rp20.000")
    expect(reprices).to_contain_text("1.120.000 byte: 1 MB pertama Rp20.000 + 120 blok")
    expect(reprices).to_contain_text("konfirmasi dengan alasan")
    staff.fill("#price-reason", "Berkas memuat seluruh record kabupaten.")
    staff.locator("button[value=offer]").click()
    expect(staff.locator("#order-status")).to_have_text("Penawaran dikirim")

    customer.reload()
    expect(customer.locator("#order-status")).to_have_text("Penawaran dikirim")
    expect(customer.locator("#next-step")).to_contain_text("Tanda tangani surat perjanjian")
    expect(customer.get_by_role("link", name="Unduh contoh data")).to_be_visible()
    expect(
        customer.get_by_role(
            "link", name="Surat perjanjian penggunaan data (SPPD) untuk ditandatangani"
        )
    ).to_be_visible()
    # Priced from the prepared file: 1.120.000 bytes → Rp20.000 + 120 blocks × Rp20.
    expect(customer.locator("#order-total")).to_have_text("Rp22.400")
    breakdown = customer.locator(".price-breakdown")
    expect(breakdown).to_contain_text("1.120.000 byte")
    expect(breakdown).to_contain_text("120 blok 1.000 byte × Rp20")
    expect(customer.locator("#timeline")).to_contain_text("Berkas memuat seluruh record")

    # The invoice on paper carries a code; its public page says it is genuine.
    with customer.expect_download() as download:
        customer.get_by_role("link", name=re.compile(r"^Invoice INV")).click()
    text = pdf_text(Path(download.value.path()).read_bytes())
    code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", text)[0]
    visitor = browser.new_page(locale="id-ID")
    visitor.goto(live_server.url + "/verifikasi/")
    visitor.fill("#kode", code.lower().replace("-", ""))
    visitor.get_by_role("button", name="Periksa").click()
    expect(visitor.locator("#verified")).to_contain_text("Dokumen ini diterbitkan oleh portal ini.")
    expect(visitor.locator("#verified-document")).to_contain_text("Rp22.400")
    expect(visitor.locator("#verified-document")).not_to_contain_text("rina@example.com")


def test_a_rp0_publication_to_completion_and_download(browser: Browser, live_server):
    UserFactory(email="dinas@example.com", segment="government", institution="Bappeda Banjarnegara")
    UserFactory(email="agus@example.com", roles=["pst_staff"])
    PublicationFactory(
        title="Statistik Daerah Banjarnegara 2025", slug="statda-2025", page_count=64
    )

    customer = logged_in(browser, live_server, "dinas@example.com")
    customer.goto(live_server.url + "/catalog/statda-2025/")
    expect(customer.locator("#quote-total")).to_have_text("Rp65.000")
    customer.get_by_role("button", name="Masukkan ke keranjang").click()
    customer.set_input_files(
        "input[name=exemption_letter]",
        {"name": "surat.pdf", "mimeType": "application/pdf", "buffer": PDF},
    )
    customer.check("input[name=terms]")
    customer.get_by_role("button", name="Kirim permintaan").click()
    expect(customer.locator("#order-status")).to_have_text("Diajukan")
    order = Order.objects.get(customer__email="dinas@example.com")

    staff = logged_in(browser, live_server, "agus@example.com")
    staff_open(staff, live_server, order)
    staff.select_option("select[name=exemption]", "approved")
    staff.locator("button[value=approve]").click()
    staff_upload(staff, order.lines.get().description, "product", "statda-2025.pdf", PDF)
    staff.locator("button[value=offer]").click()
    expect(staff.locator("#order-status")).to_have_text("Penawaran dikirim")

    customer.reload()
    customer.get_by_role("button", name="Terima penawaran").click()
    expect(customer.locator("#order-status")).to_have_text("Lunas, menunggu penyerahan")

    staff.reload()
    staff.locator("button[value=deliver]").click()
    expect(staff.locator("#order-status")).to_have_text("Selesai")

    customer.reload()
    expect(customer.locator("#order-status")).to_have_text("Selesai")
    expect(customer.locator("#order-total")).to_have_text("Rp0")
    with customer.expect_download() as download:
        customer.get_by_role("link", name="Unduh", exact=True).click()
    assert download.value.suggested_filename == "statda-2025.pdf"
    assert order.downloads.filter(document="product").count() == 1
