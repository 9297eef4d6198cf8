import pytest
from django.core.files.base import ContentFile

from catalog.selection import Selection
from orders.models import Order
from orders.services import cart_add, line_file_upload, order_submit
from tests.factories import DatasetFactory, PublicationFactory

ABSTRACT = {
    "abstract_background": "Penelitian tesis tentang pasar kerja.",
    "abstract_purpose": "Mengukur pengangguran usia muda.",
    "abstract_method": "Regresi logistik.",
    "abstract_outputs": "Tesis dan artikel jurnal.",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "file.pdf") -> ContentFile:
    return ContentFile(PDF, name=name)


def signed_pdf(name: str = "signed.pdf") -> ContentFile:
    """A real one-page PDF, as a customer's signed agreement is (the office countersigns it)."""
    from silastik.documents import pdf_render_baseline

    return ContentFile(pdf_render_baseline(), name=name)


@pytest.fixture
def publication(db):
    return PublicationFactory(title="Statistik Daerah 2025", page_count=60)


@pytest.fixture
def dataset(db):
    return DatasetFactory(title="Sakernas 2024", full_size_bytes=3_000_000)


def submitted(customer, *products, letter=None) -> Order:
    for product in products:
        cart_add(customer=customer, product=product, selection=Selection())
    cart = Order.objects.get(customer=customer, status="draft")
    return order_submit(
        order=cart,
        by=customer,
        ip="10.1.2.3",
        terms_accepted=True,
        abstract=ABSTRACT,
        exemption_letter=letter,
    )


def prepared(order: Order, staff) -> Order:
    """Staff prepare every line. A microdata product stands in for a file holding as much data
    as the customer's estimate (its data size is set, not written), so the offer's price is the
    quote; tests of re-pricing upload real archives (tests/orders/test_pricing_from_data.py)."""
    from orders.models import LineFile

    for line in order.lines.all():
        made = line_file_upload(line=line, by=staff, upload=pdf("product.pdf"), kind="product")
        if line.kind == "microdata":
            LineFile.objects.filter(pk=made.pk).update(data_bytes=line.size_bytes or 1)
            line_file_upload(line=line, by=staff, upload=pdf("sample.pdf"), kind="sample")
    return order


@pytest.fixture
def microdata_order(customer, dataset):
    return submitted(customer, dataset)


def paid(order: Order) -> Order:
    """Pay an offered order as a walk-in visitor would: cash to the treasurer, then the receipt
    (run directly: plain db tests never commit, so on_commit tasks would not run)."""
    from billing.models import Invoice
    from billing.rendering import receipt_issue_once
    from billing.services import cash_record
    from tests.factories import UserFactory

    treasurer = UserFactory(roles=["treasurer"], nip="198511052008012003", office=order.office)
    invoice = Invoice.objects.get(order=order, status="issued")
    payment = cash_record(invoice=invoice, by=treasurer, reference="kas")
    receipt_issue_once(payment_id=payment.pk)
    return Order.objects.get(pk=order.pk)
