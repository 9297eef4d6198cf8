"""The order fixtures billing builds on, and billing documents made of fixed data (no database)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from billing.documents import DocumentLine, InvoiceDocument, ReceiptDocument
from offices.documents import SAMPLE_LETTERHEAD
from tests.orders.conftest import dataset, publication  # noqa: F401

JAKARTA = ZoneInfo("Asia/Jakarta")
WORDS = "Dua puluh empat juta tujuh puluh tujuh ribu enam ratus satu rupiah"
BILLING_CODE = "820260302000123"
NIP = "198503122009022001"


@pytest.fixture
def lines() -> list[DocumentLine]:
    return [
        DocumentLine(
            "Mikrodata Sakernas Agustus 2024, Kabupaten Banjarnegara", 1, 24_077_601, 24_077_601
        )
    ]


@pytest.fixture
def invoice(lines) -> InvoiceDocument:
    return InvoiceDocument(
        number="INV/2026/000123",
        issued_at=datetime(2026, 3, 2, 9, 15, tzinfo=JAKARTA),
        valid_until=datetime(2026, 4, 2, 9, 15, tzinfo=JAKARTA),
        order_number="PST-2026-000001",
        payer_name="Rina Kusumawati",
        payer_institution="Universitas Jenderal Soedirman",
        payer_address="Jl. HR Boenjamin 708\nPurwokerto 53122",
        payer_email="rina@example.com",
        payer_npwp="09.254.294.3-407.000",
        lines=lines,
        total=24_077_601,
        billing_code=BILLING_CODE,
        billing_code_expires_at=datetime(2026, 3, 9, 9, 15, tzinfo=JAKARTA),
        pay_by_transfer=False,
        office=SAMPLE_LETTERHEAD,
        void_of=None,
        language="id",
    )


@pytest.fixture
def receipt(lines) -> ReceiptDocument:
    return ReceiptDocument(
        number="KW/2026/000045",
        issued_at=datetime(2026, 3, 3, 10, 0, tzinfo=JAKARTA),
        payer_name="Rina Kusumawati",
        payer_institution="Universitas Jenderal Soedirman",
        lines=lines,
        total=24_077_601,
        invoice_number="INV/2026/000123",
        order_number="PST-2026-000001",
        channel="billing_code",
        reference="A1B2C3D4E5F6G7H8",
        ntb="000123456789",
        paid_at=datetime(2026, 3, 3, 9, 42, tzinfo=JAKARTA),
        value_date=date(2026, 3, 3),
        billing_code=BILLING_CODE,
        treasurer_name="Siti Rahmawati",
        treasurer_nip=NIP,
        office=SAMPLE_LETTERHEAD,
        language="id",
    )
