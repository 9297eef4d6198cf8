"""The public verification page of invoices, receipts and agreements: `/verifikasi/<code>/`."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from billing.models import Invoice
from billing.rendering import INVOICE_KIND, RECEIPT_KIND, invoice_document, receipt_document
from billing.verification import invoice_verified
from orders import services as order_services
from orders.documents import SPPD_KIND, sppd_context
from orders.models import OrderAction
from silastik.codes import CODE_ALPHABET
from silastik.verification.models import VerificationCode
from silastik.verification.services import (
    CODE_LENGTH,
    verification_code_of,
    verification_lookup,
    verification_url,
)
from tests.orders.conftest import paid, prepared, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def offered(customer, staff, dataset):
    order = order_services.order_approve(order=submitted(customer, dataset), by=staff)
    return order_services.order_offer(order=prepared(order, staff), by=staff)


def page(client, code: str):
    return client.get(reverse("verification:check", args=[code]))


def test_a_code_is_twelve_characters_that_read_unambiguously(offered):
    invoice = Invoice.objects.get(order=offered)

    code = verification_code_of(kind=INVOICE_KIND, object_id=invoice.pk)

    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert not set(code.replace("-", "")) - set(CODE_ALPHABET)
    assert len(CODE_ALPHABET) ** CODE_LENGTH >= 2**60
    # The same document keeps its code; another gets its own.
    assert verification_code_of(kind=INVOICE_KIND, object_id=invoice.pk) == code
    assert verification_code_of(kind=RECEIPT_KIND, object_id=invoice.pk) != code


def test_the_invoice_carries_the_code_of_its_page(offered):
    invoice = Invoice.objects.get(order=offered)

    document = invoice_document(invoice)

    row = VerificationCode.objects.get(code=document.verification_code)
    assert (row.kind, row.object_id) == (INVOICE_KIND, invoice.pk)
    assert verification_url(row.code).endswith(f"/verifikasi/{row.code}/")


def test_a_valid_invoice_shows_what_the_paper_says_and_nothing_of_the_payer(client, offered):
    invoice = Invoice.objects.get(order=offered)
    code = invoice_document(invoice).verification_code

    response = page(client, code)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Dokumen ini diterbitkan oleh portal ini." in body
    assert re.search(r"<th scope=\"row\">Dokumen</th><td>Invoice</td>", body)
    issued = date_format(timezone.localtime(invoice.issued_at), "j F Y")
    assert f"<td>{issued}</td>" in body
    assert invoice.number in body
    assert "BPS Kabupaten Banjarnegara" in body
    assert f"Rp{invoice.total:,}".replace(",", ".") in body
    assert re.search(
        r'id="verified-state"><span class="badge text-bg-success">Berlaku</span>', body
    )
    assert "Berlaku sampai" in body
    customer = offered.customer
    for personal in [
        customer.full_name,
        customer.email,
        customer.address,
        customer.phone,
        customer.id_number,
        customer.institution,
    ]:
        assert not personal or personal not in body, personal


def test_a_voided_invoice_says_which_one_replaces_it(client, offered, customer, staff):
    first = Invoice.objects.get(order=offered)
    code = invoice_document(first).verification_code
    order = order_services.order_request_revision(
        order=offered, by=customer, what="invoice", note="NPWP salah"
    )
    order_services.order_offer(order=order, by=staff)
    second = Invoice.objects.get(order=offered, status="issued")

    response = page(client, code)

    body = response.content.decode()
    assert response.status_code == 200
    assert "sudah tidak berlaku" in body
    assert "Diganti" in body and f"diganti dengan {second.number}" in body


def test_a_voided_invoice_without_a_successor_says_voided(offered, customer):
    invoice = Invoice.objects.get(order=offered)
    order_services.order_cancel(order=offered, by=customer, reason="Tidak jadi")

    document = invoice_verified(invoice.pk)

    assert document is not None and document.state == "void" and not document.replaced_by


@pytest.mark.parametrize("typed", ["ZZZZ-ZZZZ-ZZZZ", "0000-0000-0000", "hello", "A" * 200, "%00"])
def test_a_forged_or_unknown_code_is_not_issued_by_this_portal(client, offered, typed):
    response = client.get(reverse("verification:form"), {"kode": typed}, follow=True)

    assert response.status_code == 404
    assert "Dokumen ini tidak diterbitkan oleh portal ini." in response.content.decode()


def test_a_code_typed_carelessly_leads_to_its_page(client, offered):
    code = invoice_document(Invoice.objects.get(order=offered)).verification_code
    careless = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")

    response = client.get(reverse("verification:form"), {"kode": careless})

    assert response.status_code == 302
    assert response["Location"] == reverse("verification:check", args=[code])


def test_the_receipt_is_verified_as_received(client, offered):
    order = paid(offered)
    receipt = Invoice.objects.get(order=order).payments.get().receipt
    code = receipt_document(receipt).verification_code

    body = page(client, code).content.decode()

    assert receipt.number in body
    assert "<td>Kuitansi</td>" in body
    assert f"<td>{date_format(timezone.localtime(receipt.issued_at), 'j F Y')}</td>" in body
    assert re.search(
        r'id="verified-state"><span class="badge text-bg-success">Berlaku</span>', body
    )
    assert receipt.payment.invoice.number in body


def test_an_agreement_is_replaced_when_the_offer_is_made_again(client, offered, customer, staff):
    first_code = sppd_context(order=offered)["verification"].code
    order = order_services.order_request_revision(
        order=offered, by=customer, what="sppd", note="Nama instansi salah"
    )
    order = order_services.order_offer(order=order, by=staff)
    second_code = sppd_context(order=order)["verification"].code

    first, second = verification_lookup(text=first_code), verification_lookup(text=second_code)

    assert first_code != second_code
    assert first is not None and first.state == "replaced"
    assert first.number == "SPPD/" + order.number
    assert second is not None and second.state == "valid" and second.amount is None
    offers = order.events.filter(action=OrderAction.OFFER)
    assert {row.object_id for row in VerificationCode.objects.filter(kind=SPPD_KIND)} == {
        event.pk for event in offers
    }


def test_look_ups_are_limited_per_address(client, offered, settings):
    settings.VERIFICATION_LOOKUPS_PER_10_MINUTES = 3
    code = invoice_document(Invoice.objects.get(order=offered)).verification_code

    answers = [page(client, code).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]


def test_the_page_without_a_code_explains_itself(client):
    response = client.get(reverse("verification:form"))

    assert response.status_code == 200
    assert "Pindai kode QR, atau ketik kodenya di sini" in response.content.decode()


def test_an_expired_invoice_says_so_without_a_validity_date(client, offered):
    from datetime import timedelta

    from django.utils import timezone

    invoice = Invoice.objects.get(order=offered)
    Invoice.objects.filter(pk=invoice.pk).update(valid_until=timezone.now() - timedelta(days=1))
    code = invoice_document(invoice).verification_code

    body = page(client, code).content.decode()

    assert re.search(r'id="verified-state"><span class="badge text-bg-warning">Kedaluwarsa', body)
    assert "Berlaku sampai" not in body


def test_an_agreement_under_correction_is_not_in_force(client, offered, customer):
    code = sppd_context(order=offered)["verification"].code
    order_services.order_request_revision(
        order=offered, by=customer, what="sppd", note="Alamat salah"
    )

    document = verification_lookup(text=code)

    assert document is not None and document.state == "void" and not document.is_in_force
