"""Invoices, billing slips and receipts as a treasurer or an auditor reads them on paper: the
letterhead, the place and date, the signatory's NIP in its groups, the state-revenue codes, the
payment evidence, the grand total once, the verification code — and each page as it looked
when the layout was approved (tests/fixtures/documents/)."""

import base64
import dataclasses
import io

import pytest

from billing.documents import (
    DocumentLine,
    billing_slip_render_pdf,
    invoice_render_pdf,
    receipt_render_pdf,
)
from offices.documents import SAMPLE_LETTERHEAD
from tests.documents import (
    assert_looks_like_reference,
    pdf_images,
    pdf_page_texts,
    pdf_qr_codes,
    pdf_text,
)

CODE = "K7QM-4XD2-9PRA"
OFFICE = dataclasses.replace(
    SAMPLE_LETTERHEAD,
    head_name="Dr. Budi Santoso, S.Si., M.Si.",
    head_nip="197203151994031002",
    treasurer_name="Siti Rahmawati",
    treasurer_nip="198503122009022001",
)


@pytest.fixture
def signed_invoice(invoice):
    return dataclasses.replace(invoice, office=OFFICE, verification_code=CODE)


@pytest.fixture
def signed_receipt(receipt):
    return dataclasses.replace(
        receipt, office=OFFICE, verification_code=CODE, bank_channel="Bank Mandiri · Teller"
    )


def many_lines(count: int) -> list[DocumentLine]:
    return [
        DocumentLine(f"Publikasi Kecamatan {n} Dalam Angka 2025", 1, 50_000, 50_000)
        for n in range(1, count + 1)
    ]


def test_the_invoice_prints_the_letterhead_place_and_date(signed_invoice):
    text = pdf_text(invoice_render_pdf(document=signed_invoice))

    assert text.startswith("BADAN PUSAT STATISTIK BPS KABUPATEN BANJARNEGARA")
    assert "Jl. Selamanik No. 33, Banjarnegara, Jawa Tengah 53415" in text
    assert "(0286) 591893" in text and "bps3304@bps.go.id" in text
    assert "Banjarnegara, 2 Maret 2026" in text


def test_the_invoice_prints_what_simponi_books_and_the_code_in_groups(signed_invoice):
    text = pdf_text(invoice_render_pdf(document=signed_invoice))

    assert "Kementerian/Lembaga : 054 Badan Pusat Statistik" in text
    assert "Unit Eselon I : 01" in text
    assert "Satuan kerja (satker) : 409512 BPS Kabupaten Banjarnegara" in text
    assert "Jenis setoran : PNBP Fungsional" in text
    assert "Kode akun : 425139" in text
    assert "820 260 302 000 123" in text
    assert "9 Maret 2026, 09:15 WIB" in text
    assert "NPWP : 09.254.294.3-407.000" in text


def test_every_document_carries_its_verification_code_and_qr(signed_invoice, signed_receipt):
    for pdf in [
        invoice_render_pdf(document=signed_invoice),
        receipt_render_pdf(document=signed_receipt),
    ]:
        text = pdf_text(pdf)
        assert CODE in text
        assert "127.0.0.1:8000/verifikasi/" in text
        assert pdf_qr_codes(pdf) == [f"http://127.0.0.1:8000/verifikasi/{CODE}/"]


def test_a_document_without_a_code_prints_no_verification_block(invoice):
    text = pdf_text(invoice_render_pdf(document=invoice))

    assert "verifikasi" not in text.lower()


def test_a_long_invoice_prints_the_grand_total_once_at_the_end(signed_invoice):
    lines = many_lines(70)
    pdf = invoice_render_pdf(
        document=dataclasses.replace(signed_invoice, lines=lines, total=70 * 50_000)
    )
    pages = pdf_page_texts(pdf)
    last_lines = next(i for i, page in enumerate(pages) if "Publikasi Kecamatan 70 " in page)

    assert len(pages) >= 2
    assert "".join(pages).count("Total Rp3.500.000") == 1
    assert "Total Rp3.500.000" in pages[last_lines]
    assert all("Deskripsi" in page for page in pages[: last_lines + 1])  # the heading repeats


def test_a_long_receipt_prints_the_amount_once_per_place_it_belongs(signed_receipt):
    pdf = receipt_render_pdf(
        document=dataclasses.replace(signed_receipt, lines=many_lines(70), total=3_500_000)
    )
    pages = pdf_page_texts(pdf)

    assert len(pages) >= 2
    assert "".join(pages).count("Total Rp3.500.000") == 1


def test_the_receipt_prints_the_bank_ntpn_ntb_and_the_treasurers_nip(signed_receipt):
    text = pdf_text(receipt_render_pdf(document=signed_receipt))

    assert "Bank/saluran : Bank Mandiri · Teller" in text
    assert "NTPN : A1B2C3D4E5F6G7H8" in text
    assert "NTB : 000123456789" in text
    assert "Banjarnegara, 3 Maret 2026" in text
    assert "Siti Rahmawati NIP 19850312 200902 2 001" in text
    assert "054.01.409512 · PNBP Fungsional · akun 425139" in text


def test_the_letterhead_prints_the_offices_logo(signed_invoice):
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (120, 120), (0, 80, 160)).save(picture, format="PNG")
    uri = "data:image/png;base64," + base64.b64encode(picture.getvalue()).decode()
    with_logo = dataclasses.replace(
        signed_invoice, office=dataclasses.replace(OFFICE, logo_uri=uri)
    )

    assert pdf_images(invoice_render_pdf(document=with_logo)) == (
        pdf_images(invoice_render_pdf(document=signed_invoice)) + 1
    )


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("invoice", lambda invoice, receipt: invoice_render_pdf(document=invoice)),
        ("billing-slip", lambda invoice, receipt: billing_slip_render_pdf(document=invoice)),
        ("receipt", lambda invoice, receipt: receipt_render_pdf(document=receipt)),
        (
            "invoice-abroad-en",
            lambda invoice, receipt: invoice_render_pdf(
                document=dataclasses.replace(
                    invoice,
                    billing_code=None,
                    billing_code_expires_at=None,
                    pay_by_transfer=True,
                    language="en",
                    office=dataclasses.replace(
                        invoice.office,
                        bank_name="Bank Mandiri",
                        bank_account_number="136 00 1234567 8",
                        bank_account_holder="Bendahara Penerimaan BPS Kabupaten Banjarnegara",
                        bank_swift="BMRIIDJA",
                    ),
                )
            ),
        ),
    ],
)
def test_the_document_looks_like_its_reference_image(name, render, signed_invoice, signed_receipt):
    assert_looks_like_reference(render(signed_invoice, signed_receipt), name)


def test_dates_are_printed_on_the_issuing_offices_clock(signed_invoice, signed_receipt):
    """Tana Tidung (WITA): an invoice issued at 00:30 on 5 December is dated 5 December there,
    wherever the PDF is made (a worker on WIB, another office's request)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    wita = dataclasses.replace(
        OFFICE,
        code="6503",
        name="BPS Kabupaten Tana Tidung",
        city="Tideng Pale",
        time_zone="Asia/Makassar",
    )
    issued = datetime(2026, 12, 5, 0, 30, tzinfo=ZoneInfo("Asia/Makassar"))
    invoice = dataclasses.replace(
        signed_invoice,
        office=wita,
        issued_at=issued,
        billing_code_expires_at=datetime(2026, 12, 12, 0, 30, tzinfo=ZoneInfo("Asia/Makassar")),
    )
    receipt = dataclasses.replace(
        signed_receipt, office=wita, issued_at=issued, value_date=None, paid_at=issued
    )

    with timezone.override("Asia/Jakarta"):
        invoice_text = pdf_text(invoice_render_pdf(document=invoice))
        receipt_text = pdf_text(receipt_render_pdf(document=receipt))

    assert "Tideng Pale, 5 Desember 2026" in invoice_text
    assert "12 Desember 2026, 00:30 WITA" in invoice_text
    assert "Tideng Pale, 5 Desember 2026" in receipt_text
    assert "5 Desember 2026, 00:30 WITA" in receipt_text


def test_the_receipt_prints_the_letterhead_and_the_day_the_money_arrived(signed_receipt):
    from datetime import date, datetime

    from tests.billing.conftest import JAKARTA

    # A transfer that arrived on 28 February and was confirmed on 3 March.
    transfer = dataclasses.replace(
        signed_receipt,
        channel="transfer",
        reference="SWIFT-01",
        ntb=None,
        value_date=date(2026, 2, 28),
        paid_at=datetime(2026, 3, 3, 9, 42, tzinfo=JAKARTA),
    )
    text = pdf_text(receipt_render_pdf(document=transfer))

    assert text.startswith("BADAN PUSAT STATISTIK BPS KABUPATEN BANJARNEGARA")
    assert "(0286) 591893" in text and "bps3304@bps.go.id" in text
    assert "28 Februari 2026" in text
    assert "09:42" not in text


def test_a_long_receipt_prints_its_total_on_the_page_of_its_last_line(signed_receipt):
    pdf = receipt_render_pdf(
        document=dataclasses.replace(signed_receipt, lines=many_lines(70), total=3_500_000)
    )
    pages = pdf_page_texts(pdf)
    last_lines = next(i for i, page in enumerate(pages) if "Publikasi Kecamatan 70 " in page)

    assert len(pages) >= 2
    assert "Total Rp3.500.000" in pages[last_lines]
