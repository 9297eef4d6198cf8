"""Printed publications (seeds 002, 004): sold online and at the desk while the office has
copies, at the office's price per copy; the stock goes down on delivery and a sale beyond it is
refused; shipping is the customer's to arrange and pay, and the handover records pick-up or the
courier with its tracking number."""

import pytest
from django.urls import reverse

from catalog.models import Publication
from catalog.selection import Selection
from orders import services
from orders.models import Order, OrderStatus
from orders.services import OrderError
from tests.factories import PublicationFactory

from .conftest import paid, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def printed_title(db) -> Publication:
    return PublicationFactory(
        title="Banjarnegara Dalam Angka 2025",
        slug="bda-2025",
        printed_copies=5,
        printed_price=75_000,
    )


def printed_order(customer, staff, publication, copies: int) -> Order:
    services.cart_add(customer=customer, product=publication, selection=Selection(copies=copies))
    cart = Order.objects.get(customer=customer, status=OrderStatus.DRAFT)
    from .conftest import ABSTRACT

    order = services.order_submit(
        order=cart, by=customer, ip="10.1.2.3", terms_accepted=True, abstract=ABSTRACT
    )
    order = services.order_approve(order=order, by=staff)
    return paid(services.order_offer(order=order, by=staff))


def test_the_customer_puts_printed_copies_in_the_cart_at_the_offices_price(
    client, customer, printed_title
):
    client.force_login(customer)
    page = client.get(printed_title.get_absolute_url()).content.decode()
    assert 'id="printed-form"' in page and "Rp75.000" in page

    client.post(reverse("orders:cart_add", args=[printed_title.pk]), {"copies": "3"})

    line = Order.objects.get(customer=customer, status="draft").lines.get()
    assert (line.printed, line.quantity, line.quoted_amount) == (True, 3, 225_000)
    assert "3" in line.description
    cart = client.get(reverse("orders:cart")).content.decode()
    assert 'id="shipping-note"' in cart and "Rp225.000" in cart


@pytest.mark.parametrize("typed", ["6", "0", "-2", "", "abc", "²"])
def test_more_than_the_stock_or_no_count_is_refused(client, customer, printed_title, typed):
    client.force_login(customer)

    client.post(reverse("orders:cart_add", args=[printed_title.pk]), {"copies": typed})

    assert not Order.objects.filter(customer=customer, lines__printed=True).exists()


def test_a_title_without_a_print_price_is_not_sold_in_print(customer):
    pdf_only = PublicationFactory(printed_copies=10, printed_price=None)

    with pytest.raises(OrderError):
        services.cart_add(customer=customer, product=pdf_only, selection=Selection(copies=1))


def test_sold_out_says_so_and_offers_no_form(client, customer):
    sold_out = PublicationFactory(slug="habis", printed_copies=0, printed_price=75_000)
    client.force_login(customer)

    page = client.get(sold_out.get_absolute_url()).content.decode()

    assert 'id="printed-form"' not in page and 'id="printed-stock"' in page


def test_the_invoice_bills_the_copies(customer, staff, printed_title):
    from billing.models import Invoice

    order = printed_order(customer, staff, printed_title, copies=2)

    (line,) = Invoice.objects.get(order=order).lines.all()
    assert (line.quantity, line.unit_price, line.amount) == (2, 75_000, 150_000)


def test_delivery_takes_the_copies_from_the_stock_and_records_the_courier(
    customer, staff, printed_title
):
    order = printed_order(customer, staff, printed_title, copies=2)

    with pytest.raises(OrderError):
        services.order_deliver(order=order, by=staff)  # how did they leave?
    with pytest.raises(OrderError):
        services.order_deliver(order=order, by=staff, handover="courier")  # no tracking number
    order = services.order_deliver(
        order=order, by=staff, handover="courier", tracking_number="JNE 0123456789"
    )

    printed_title.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED and printed_title.printed_copies == 3
    assert (order.handover, order.tracking_number) == ("courier", "JNE 0123456789")


def test_a_delivery_beyond_the_stock_is_refused_and_changes_nothing(
    customer, other_customer, staff, printed_title
):
    first = printed_order(customer, staff, printed_title, copies=4)
    second = printed_order(other_customer, staff, printed_title, copies=3)
    services.order_deliver(order=first, by=staff, handover="pickup")

    with pytest.raises(OrderError, match=r"(?i)stok|stock"):
        services.order_deliver(order=second, by=staff, handover="pickup")

    printed_title.refresh_from_db()
    second.refresh_from_db()
    assert printed_title.printed_copies == 1 and second.status == OrderStatus.AWAITING_DELIVERY


def test_the_order_page_says_who_pays_shipping_and_shows_the_tracking_number(
    client, customer, staff, printed_title
):
    order = printed_order(customer, staff, printed_title, copies=1)
    services.order_deliver(
        order=order, by=staff, handover="courier", tracking_number="POS 77889900"
    )
    client.force_login(customer)

    page = client.get(order.get_absolute_url()).content.decode()

    assert 'id="shipping-note"' in page and "POS 77889900" in page


def test_staff_are_asked_for_the_handover_of_printed_copies(client, customer, staff, printed_title):
    order = printed_order(customer, staff, printed_title, copies=1)
    client.force_login(staff)

    page = client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    client.post(
        reverse("admin:orders_order_act", args=[order.pk, "deliver"]),
        {"move": "deliver", "handover": "pickup", "tracking_number": ""},
    )

    assert 'id="printed-handover"' in page and 'name="tracking_number"' in page
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED and order.handover == "pickup"


def test_the_desk_sells_printed_copies(client, staff, printed_title):
    from desk.models import Visit
    from tests.desk.test_orders import ACCOUNT, served, url
    from tests.factories import walk_in_desk

    visit = served(staff, walk_in_desk())
    client.force_login(staff)
    client.post(url("start", visit), ACCOUNT)

    page = client.get(url("cart", visit), {"q": "Banjarnegara"}).content.decode()
    client.post(url("cart_add", visit, printed_title.pk), {"copies": "2"})

    assert 'name="copies"' in page
    line = Visit.objects.get(pk=visit.pk).order.lines.get()
    assert (line.printed, line.quantity, line.quoted_amount) == (True, 2, 150_000)


def test_an_unpaid_order_blocks_nothing_of_the_stock(customer, printed_title):
    submitted(customer, printed_title)

    printed_title.refresh_from_db()
    assert printed_title.printed_copies == 5  # copies leave only when handed over
