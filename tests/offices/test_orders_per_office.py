"""Orders are served by the office that publishes their products: a cart of several offices
becomes one request each, numbered nationally; invoices and receipts are numbered per office;
an office's people see and act on their own office's orders, invoices, payments and files only."""

import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from billing.models import Invoice, Payment
from catalog.selection import Selection
from orders import services
from orders.files import download_token
from orders.models import Order, OrderStatus
from silastik.users.roles import Role
from tests.factories import PublicationFactory, UserFactory, default_office, office
from tests.orders.conftest import ABSTRACT, paid, prepared, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def tana_tidung():
    return office(
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


@pytest.fixture
def staff_6503(tana_tidung):
    return UserFactory(email="petugas.6503@example.com", roles=[Role.PST_STAFF], office=tana_tidung)


@pytest.fixture
def treasurer_6503(tana_tidung):
    return UserFactory(
        email="bendahara.6503@example.com", roles=[Role.TREASURER], office=tana_tidung
    )


def test_a_cart_of_two_offices_becomes_two_requests_with_their_totals(customer, tana_tidung):
    here = PublicationFactory(title="Banjarnegara Dalam Angka", page_count=60)  # Rp65.000
    there = PublicationFactory(title="Tana Tidung Dalam Angka", page_count=120, office=tana_tidung)
    for product in (here, there):
        services.cart_add(customer=customer, product=product, selection=Selection())
    cart = Order.objects.get(customer=customer, status=OrderStatus.DRAFT)

    sent = services.orders_submit(
        order=cart, by=customer, ip="10.1.2.3", terms_accepted=True, abstract=ABSTRACT
    )

    assert [o.office.code for o in sent] == ["3304", "6503"]
    assert [[line.product_id for line in o.lines.all()] for o in sent] == [[here.pk], [there.pk]]
    assert [o.total for o in sent] == [here_total(here), here_total(there)]
    assert all(o.status == OrderStatus.SUBMITTED for o in sent)
    year = timezone.localdate().year
    assert [o.number for o in sent] == [f"PST-{year}-000001", f"PST-{year}-000002"]
    assert not Order.objects.filter(customer=customer, status=OrderStatus.DRAFT).exists()


def here_total(product) -> int:
    from catalog.pricing import product_quote

    return product_quote(product=product).total


def test_the_cart_page_shows_each_office_and_its_total_before_sending(
    client, customer, tana_tidung
):
    PublicationFactory(title="Banjarnegara Dalam Angka", page_count=60)
    PublicationFactory(title="Tana Tidung Dalam Angka", page_count=60, office=tana_tidung)
    for product in PublicationFactory._meta.model.objects.all():
        services.cart_add(customer=customer, product=product, selection=Selection())
    client.force_login(customer)

    page = client.get(reverse("orders:cart")).content.decode()

    assert "BPS Kabupaten Banjarnegara" in page and "BPS Kabupaten Tana Tidung" in page
    assert page.count('class="text-end text-nowrap office-total"') == 2
    assert 'id="cart-split"' in page


def test_invoice_and_receipt_numbers_run_per_office(customer, staff, staff_6503, tana_tidung):
    year = timezone.localdate().year
    here = submitted(customer, PublicationFactory())
    there = submitted(customer, PublicationFactory(office=tana_tidung))
    services.order_approve(order=here, by=staff)
    services.order_approve(order=there, by=staff_6503)
    services.order_offer(order=prepared(here, staff), by=staff)
    services.order_offer(order=prepared(there, staff_6503), by=staff_6503)

    assert Invoice.objects.get(order=here).number == f"INV/3304/{year}/000001"
    assert Invoice.objects.get(order=there).number == f"INV/6503/{year}/000001"


@pytest.mark.django_db(transaction=True)
def test_two_offices_issuing_at_once_never_collide_and_one_office_never_repeats():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from offices.services import number_next

    offices = [default_office(), office("6503")]
    taken: dict[str, list[int]] = {o.code: [] for o in offices}
    lock = threading.Lock()

    def issue(target) -> None:
        try:
            for _ in range(10):
                number = number_next(kind="invoice", year=2026, office=target)
                with lock:
                    taken[target.code].append(number)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(o,)) for o in offices for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for numbers in taken.values():
        assert sorted(numbers) == list(range(1, 31))


def test_staff_of_another_office_cannot_see_or_act_on_an_order(client, customer, staff_6503):
    order = submitted(customer, PublicationFactory())
    client.force_login(staff_6503)

    listing = client.get(reverse("admin:orders_order_changelist"))
    detail = client.get(reverse("admin:orders_order_change", args=[order.pk]))
    act = client.post(reverse("admin:orders_order_act", args=[order.pk, "reject"]), {"note": "x"})

    assert order.number not in listing.content.decode()
    assert detail.status_code in (302, 404)
    assert act.status_code == 404
    order.refresh_from_db()
    assert order.status == OrderStatus.SUBMITTED


def test_an_offices_own_staff_still_works_the_order(client, customer, staff):
    order = submitted(customer, PublicationFactory())
    client.force_login(staff)

    assert client.get(reverse("admin:orders_order_change", args=[order.pk])).status_code == 200
    client.post(reverse("admin:orders_order_act", args=[order.pk, "approve"]))
    order.refresh_from_db()
    assert order.status == OrderStatus.PREPARING


def test_another_offices_staff_cannot_download_an_orders_files(client, customer, staff, staff_6503):
    order = submitted(customer, PublicationFactory(), letter=None)
    services.order_approve(order=order, by=staff)
    prepared(order, staff)
    line_file = order.lines.get().files.get()
    client.force_login(staff_6503)
    token = download_token(user=staff_6503, order=order, document="product", file_id=line_file.pk)

    response = client.get(reverse("orders:download", args=[token]))

    assert response.status_code == 403


def test_invoices_payments_and_documents_stay_in_their_office(
    client, customer, staff, treasurer_6503
):
    order = submitted(customer, PublicationFactory())
    services.order_approve(order=order, by=staff)
    services.order_offer(order=prepared(order, staff), by=staff)
    invoice = Invoice.objects.get(order=order)
    paid(order)
    payment = Payment.objects.get(invoice=invoice)
    receipt = payment.receipt
    client.force_login(treasurer_6503)

    pages = [
        reverse("admin:billing_invoice_change", args=[invoice.pk]),
        reverse("admin:billing_payment_change", args=[payment.pk]),
        reverse("admin:billing_receipt_change", args=[receipt.pk]),
        reverse("billing:document", args=["invoice", invoice.pk]),
        reverse("billing:document", args=["receipt", receipt.pk]),
    ]
    for page in pages:
        assert client.get(page).status_code in (302, 404), page
    cash = client.post(reverse("admin:billing_invoice_act", args=[invoice.pk, "cash"]))
    assert cash.status_code == 404
    assert (
        invoice.number
        not in client.get(reverse("admin:billing_invoice_changelist")).content.decode()
    )


def test_the_invoice_abroad_shows_the_serving_offices_account(customer, tana_tidung, staff_6503):
    from billing.rendering import invoice_document

    customer.domicile = "abroad"
    customer.country = "SE"
    customer.save()
    order = submitted(customer, PublicationFactory(office=tana_tidung))
    services.order_approve(order=order, by=staff_6503)
    services.order_offer(order=prepared(order, staff_6503), by=staff_6503)

    document = invoice_document(Invoice.objects.get(order=order))

    assert document.pay_by_transfer
    assert document.office.name == "BPS Kabupaten Tana Tidung"
    assert document.office.bank_account_number == "149 00 7654321 0"
    assert document.office.has_transfer_account


def test_the_receipt_is_signed_by_the_offices_receiving_treasurer(
    customer, tana_tidung, staff_6503
):
    order = submitted(customer, PublicationFactory(office=tana_tidung))
    services.order_approve(order=order, by=staff_6503)
    services.order_offer(order=prepared(order, staff_6503), by=staff_6503)
    paid(order)

    receipt = Payment.objects.get(invoice__order=order).receipt
    assert (receipt.treasurer_name, receipt.treasurer_nip) == ("Yohana Lidia", "198908142012122001")
    assert receipt.number.startswith("KW/6503/")


def test_the_customer_sees_which_office_serves_each_order(client, customer, tana_tidung):
    order = submitted(customer, PublicationFactory(office=tana_tidung))
    client.force_login(customer)

    listing = client.get(reverse("orders:list")).content.decode()
    detail = client.get(order.get_absolute_url()).content.decode()

    assert "BPS Kabupaten Tana Tidung" in listing
    assert "Dilayani oleh BPS Kabupaten Tana Tidung" in detail  # Indonesian by default
