"""The invoice and the receipt (kuitansi): amounts in words, and what the PDFs say."""

import dataclasses

import pytest

from billing.documents import (
    baseline_render_pdf,
    invoice_render_pdf,
    receipt_render_pdf,
)
from billing.words import amount_in_words, rupiah
from offices.documents import SAMPLE_LETTERHEAD
from tests.billing.conftest import BILLING_CODE, WORDS
from tests.documents import pdf_text


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (24_077_601, WORDS),
        (0, "Nol rupiah"),
        (1, "Satu rupiah"),
        (11, "Sebelas rupiah"),
        (100, "Seratus rupiah"),
        (1_000, "Seribu rupiah"),
        (1_000_000, "Satu juta rupiah"),
        (1_100_000, "Satu juta seratus ribu rupiah"),
        (1_000_000_000, "Satu miliar rupiah"),
        (21_000, "Dua puluh satu ribu rupiah"),
        (1_001_000, "Satu juta seribu rupiah"),
        (2_001_100, "Dua juta seribu seratus rupiah"),
    ],
)
def test_amount_in_words_is_indonesian_terbilang(amount, words):
    assert amount_in_words(amount) == words


def test_amount_in_words_refuses_negative_amounts():
    with pytest.raises(ValueError):
        amount_in_words(-1)


def test_rupiah_groups_thousands_with_dots():
    assert rupiah(24_077_601) == "Rp24.077.601"
    assert rupiah(0) == "Rp0"
    assert rupiah(999) == "Rp999"


def test_invoice_shows_number_total_words_and_billing_code(invoice):
    text = pdf_text(invoice_render_pdf(document=invoice))

    assert "INV/2026/000123" in text
    assert "PST-2026-000001" in text
    assert "Rp24.077.601" in text
    assert WORDS in text
    assert "820 260 302 000 123" in text
    assert BILLING_CODE in text
    assert "9 Maret 2026" in text
    assert "13/2024" in text
    assert "Replaces" not in text


def test_invoice_abroad_shows_the_transfer_account_and_what_it_replaces(invoice):
    abroad = dataclasses.replace(
        invoice,
        billing_code=None,
        billing_code_expires_at=None,
        pay_by_transfer=True,
        office=dataclasses.replace(
            SAMPLE_LETTERHEAD,
            bank_name="Bank Mandiri",
            bank_account_number="136 00 1234567 8",
            bank_account_holder="Bendahara Penerimaan BPS Kabupaten Banjarnegara",
            bank_swift="BMRIIDJA",
        ),
        void_of="INV/2026/000100",
        language="en",
    )
    text = pdf_text(invoice_render_pdf(document=abroad))

    assert "Bank Mandiri" in text
    assert "136 00 1234567 8" in text
    assert "BMRIIDJA" in text
    assert "Replaces invoice INV/2026/000100" in text
    assert "Billing code" not in text
    assert "valid until 2 April 2026" in text


def test_receipt_shows_payment_evidence_and_treasurer(receipt):
    text = pdf_text(receipt_render_pdf(document=receipt))

    assert "KUITANSI" in text
    assert "KW/2026/000045" in text
    assert "Rp24.077.601" in text
    assert WORDS in text
    assert "INV/2026/000123" in text
    assert BILLING_CODE in text
    assert "NTPN" in text
    assert "A1B2C3D4E5F6G7H8" in text
    assert "000123456789" in text
    assert "Bendahara Penerimaan" in text
    assert "Siti Rahmawati" in text
    assert "NIP 19850312 200902 2 001" in text  # in its printed groups


def test_receipt_for_a_transfer_shows_its_reference_without_ntpn(receipt):
    transfer = dataclasses.replace(
        receipt, channel="transfer", reference="TRX-77120", ntb=None, billing_code=None
    )
    text = pdf_text(receipt_render_pdf(document=transfer))

    assert "TRX-77120" in text
    assert "NTPN" not in text
    assert "NTB" not in text


def test_english_documents_have_english_labels_and_indonesian_terbilang(invoice, receipt):
    invoice_text = pdf_text(
        invoice_render_pdf(document=dataclasses.replace(invoice, language="en"))
    )
    receipt_text = pdf_text(
        receipt_render_pdf(document=dataclasses.replace(receipt, language="en"))
    )

    for label in ["INVOICE", "Billed to", "Unit price", "How to pay", "In words", "Page 1 of 1"]:
        assert label.casefold() in invoice_text.casefold(), label
    assert "9 March 2026" in invoice_text
    for label in ["KUITANSI", "Receipt", "Received from", "Payment date", "Revenue treasurer"]:
        assert label in receipt_text, label
    assert WORDS in receipt_text


def test_baseline_renders_a_pdf():
    pdf = baseline_render_pdf()

    assert pdf.startswith(b"%PDF")
    assert "Silastik" in pdf_text(pdf)
