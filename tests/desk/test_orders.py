"""Desk orders: staff order for a walk-in visitor, through the online cart and workflow."""

import re
import zlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from billing.models import Invoice, Receipt
from catalog.selection import Selection
from desk.models import Visit
from desk.orders import desk_account_link, desk_cart_add, desk_order_submit
from desk.services import DeskError, visit_call_next, visit_move
from orders import services
from orders.models import Order, OrderEvent
from orders.models import OrderStatus as S
from orders.services import OrderError
from silastik.users.forms import PasswordResetForm
from silastik.users.models import User
from tests.factories import DatasetFactory, PublicationFactory
from tests.links import link_follow, link_in
from tests.orders.conftest import ABSTRACT, paid, prepared, submitted

from .conftest import ticket

pytestmark = pytest.mark.django_db

ACCOUNT = {
    "email": "rina@example.com",
    "full_name": "Rina Kusuma",
    "phone": "0812 3456 7890",
    "id_type": "ktp",
    "id_number": "3304010101990001",
    "segment": "student",
    "institution": "Universitas Jenderal Soedirman",
    "npwp": "",
    "domicile": "domestic",
    "country": "ID",
    "address": "Jl. HR Boenjamin 708, Purwokerto",
    "language": "id",
}
A4_BOX = re.compile(rb"/MediaBox\s*\[\s*0 0 595\.\d+ 841\.\d+\s*\]")


def is_a4(pdf: bytes) -> bool:
    """Every page 595 × 842 pt; WeasyPrint keeps page objects in compressed streams."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    boxes = [box for part in parts for box in re.findall(rb"/MediaBox\s*\[[^\]]*\]", part)]
    return pdf.startswith(b"%PDF") and bool(boxes) and all(A4_BOX.match(b) for b in boxes)


@pytest.fixture
def publication(db):
    return PublicationFactory(title="Statistik Daerah 2025", page_count=60)


@pytest.fixture
def dataset(db):
    return DatasetFactory(title="Sakernas 2024", full_size_bytes=3_000_000)


def served(staff, desk, **changes) -> Visit:
    """A visitor from the guest book, called to the desk and being served."""
    visit = ticket(**changes)
    visit_call_next(desk=desk, by=staff)
    return visit_move(visit=visit, move="start", by=staff)


def url(name: str, visit: Visit, *args) -> str:
    return reverse(f"desk_orders:{name}", args=[visit.pk, *args])


def desk_order(client, visit: Visit, *products, abstract=ABSTRACT) -> Order:
    """Staff link the visitor's account, fill the cart and send it, through the pages."""
    client.post(url("start", visit), ACCOUNT)
    for product in products:
        client.post(url("cart_add", visit, product.pk))
    client.post(url("cart", visit), {**abstract, "terms": "on"})
    return Visit.objects.get(pk=visit.pk).order


def act(client, order: Order, action: str, data=None):
    return client.post(reverse("admin:orders_order_act", args=[order.pk, action]), data or {})


def test_a_desk_order_end_to_end_with_cash(client, staff, desk, dataset, committed):
    visit = served(staff, desk)
    client.force_login(staff)

    page = client.get(url("start", visit)).content.decode()
    assert "Rina Kusuma" in page and 'id="account-new"' in page
    response = client.post(url("start", visit), ACCOUNT)
    assert response.status_code == 302
    account = User.objects.get(email="rina@example.com")
    assert account.is_customer and account.is_verified and account.is_profile_complete
    assert account.id_number == "3304010101990001" and account.institution.startswith("Univ")

    page = client.get(url("cart", visit), {"q": "Sakernas"}).content.decode()
    assert url("cart_add", visit, dataset.pk) in page
    client.post(url("cart_add", visit, dataset.pk))
    page = client.get(url("cart", visit)).content.decode()
    assert "Sakernas 2024" in page and 'id="cart-total"' in page
    response = client.post(url("cart", visit), {**ABSTRACT, "terms": "on"})
    assert response.status_code == 302 and response["Location"] == url("detail", visit)

    visit.refresh_from_db()
    order = visit.order
    assert order.customer == account and order.status == S.SUBMITTED
    assert order.channel == "walk_in" and order.terms_agreed_ip == "127.0.0.1"
    submit = order.events.get(action="submit")
    assert staff.full_name in submit.note and visit.ticket in submit.note
    page = client.get(url("detail", visit)).content.decode()
    assert reverse("admin:orders_order_change", args=[order.pk]) in page

    order = services.order_approve(order=order, by=staff)
    with committed():
        order = services.order_offer(order=prepared(order, staff), by=staff)
    invoice = Invoice.objects.get(order=order, status="issued")
    assert is_a4(invoice.pdf.read())
    order = paid(order)
    receipt = Receipt.objects.get(payment__invoice=invoice)
    assert receipt.payment.channel == "cash" and is_a4(receipt.pdf.read())
    assert order.status == S.AWAITING_DELIVERY and order.sppd_status == "pending"

    page = client.get(reverse("admin:orders_order_change", args=[order.pk])).content.decode()
    assert 'id="sppd-desk"' in page and 'id="order-channel"' in page
    today = timezone.localdate()
    act(client, order, "sppd_desk", {"signed_on": today.isoformat()})
    order.refresh_from_db()
    assert order.sppd_status == "originals" and order.sppd_signed_on == today

    act(client, order, "deliver")  # how it was handed over is required at the desk
    assert Order.objects.get(pk=order.pk).status == S.AWAITING_DELIVERY
    act(client, order, "deliver", {"handover": "usb"})
    order.refresh_from_db()
    assert order.status == S.COMPLETED and order.handover == "usb"
    assert order.events.get(action="deliver").note
    visit.refresh_from_db()
    assert visit.order == order and visit.visitor.user == account

    client.force_login(account)
    page = client.get(order.get_absolute_url()).content.decode()
    assert 'id="order-handover"' in page


def test_the_desk_order_views_are_for_pst_staff_only(
    client, staff, desk, customer, treasurer, head, publication
):
    visit = served(staff, desk)
    urls = [
        ("get", url("start", visit)),
        ("post", url("start", visit)),
        ("get", url("cart", visit)),
        ("post", url("cart", visit)),
        ("post", url("cart_add", visit, publication.pk)),
        ("post", url("cart_remove", visit, 1)),
        ("get", url("detail", visit)),
        ("get", url("consultation", visit)),
        ("post", url("consultation", visit)),
    ]
    for method, address in urls:
        assert getattr(client, method)(address).status_code == 302  # to the login page
    for who in (customer, treasurer, head):
        client.force_login(who)
        for method, address in urls:
            assert getattr(client, method)(address, ACCOUNT).status_code == 404, (who, address)
    assert not User.objects.filter(email="rina@example.com").exists()
    with pytest.raises(DeskError):
        desk_account_link(visit=visit, by=treasurer, email="rina@example.com", profile=ACCOUNT)


def test_a_visitor_with_an_account_is_linked_not_duplicated(client, staff, desk, customer):
    # The account holds the document staff checked at the desk.
    User.objects.filter(pk=customer.pk).update(address="", id_number=ACCOUNT["id_number"])
    visit = served(staff, desk, email="ALICE@example.com", name="Alice W.")
    client.force_login(staff)
    page = client.get(url("start", visit)).content.decode()
    assert 'id="account-found"' in page and customer.email in page

    accounts = User.objects.count()
    client.post(url("start", visit), {**ACCOUNT, "email": "Alice@Example.com", "full_name": "X"})

    assert User.objects.count() == accounts
    visit.refresh_from_db()
    assert visit.visitor.user == customer
    customer.refresh_from_db()
    assert customer.full_name == "Alice Wulandari"  # the desk does not rewrite a profile
    assert customer.address == ACCOUNT["address"]  # it fills gaps


def test_an_account_with_another_document_is_not_linked_or_shown(client, staff, desk, customer):
    """Typing someone's e-mail address at the desk does not make their account the visitor's."""
    visit = served(staff, desk, email=customer.email, name="Mallory")
    client.force_login(staff)

    page = client.get(url("start", visit)).content.decode()
    assert customer.id_number not in page and customer.full_name not in page
    with pytest.raises(DeskError):
        desk_account_link(
            visit=visit,
            by=staff,
            email=customer.email,
            profile={**ACCOUNT, "email": customer.email},
        )
    visit.refresh_from_db()
    assert visit.visitor.user is None


def test_an_unconfirmed_account_is_not_linked_nor_confirmed_by_the_desk(staff, desk, customer):
    """Someone may have registered the visitor's address online without owning it."""
    User.objects.filter(pk=customer.pk).update(
        email_verified_at=None, id_number=ACCOUNT["id_number"]
    )
    visit = served(staff, desk, email=customer.email)

    with pytest.raises(DeskError):
        desk_account_link(
            visit=visit,
            by=staff,
            email=customer.email,
            profile={**ACCOUNT, "email": customer.email},
        )
    customer.refresh_from_db()
    assert not customer.is_verified


def test_an_office_account_cannot_be_a_desk_customer(client, staff, desk, treasurer):
    visit = served(staff, desk)
    client.force_login(staff)
    client.post(url("start", visit), {**ACCOUNT, "email": treasurer.email})
    visit.refresh_from_db()
    assert visit.visitor.user is None


def test_a_visitor_with_only_a_phone_needs_an_email_for_the_account(client, staff, desk):
    visit = served(staff, desk, email="")
    client.force_login(staff)
    accounts = User.objects.count()

    response = client.post(url("start", visit), {**ACCOUNT, "email": ""})

    assert response.status_code == 200 and User.objects.count() == accounts
    client.post(url("start", visit), {**ACCOUNT, "email": "rina.k@example.com"})
    visit.refresh_from_db()
    assert visit.visitor.user.email == "rina.k@example.com"
    assert visit.visitor.email == "rina.k@example.com"


def test_a_created_account_can_reach_the_portal_with_forgot_password(staff, desk):
    visit = served(staff, desk)
    account, created = desk_account_link(
        visit=visit, by=staff, email=ACCOUNT["email"], profile=ACCOUNT
    )
    assert created
    assert list(PasswordResetForm().get_users("rina@example.com")) == [account]


def test_a_created_account_gets_a_link_to_choose_a_password(client, staff, desk):
    from silastik.mail.models import OutboundEmail

    visit = served(staff, desk)
    account, _created = desk_account_link(
        visit=visit, by=staff, email=ACCOUNT["email"], profile=ACCOUNT
    )

    email = OutboundEmail.objects.get(template="desk_account_created")
    assert email.to == account.email and email.sensitive
    page = link_follow(client, link_in(email.body_text), follow=True)
    assert page.status_code == 200 and 'name="new_password1"' in page.content.decode()


def test_microdata_need_the_abstract(client, staff, desk, dataset):
    visit = served(staff, desk)
    client.force_login(staff)
    client.post(url("start", visit), ACCOUNT)
    client.post(url("cart_add", visit, dataset.pk))

    response = client.post(url("cart", visit), {"terms": "on"})

    assert response.status_code == 200
    assert Visit.objects.get(pk=visit.pk).order.status == S.DRAFT
    with pytest.raises(DeskError):
        desk_order_submit(
            visit=visit, by=staff, ip="10.0.0.1", terms_accepted=True, abstract={"x": ""}
        )
    with pytest.raises(DeskError):  # and the visitor's acceptance of the terms
        desk_order_submit(
            visit=visit, by=staff, ip="10.0.0.1", terms_accepted=False, abstract=ABSTRACT
        )


def test_a_publication_needs_no_abstract(client, staff, desk, publication):
    visit = served(staff, desk)
    client.force_login(staff)
    order = desk_order(client, visit, publication, abstract={})
    assert order.status == S.SUBMITTED and order.sppd_status == "not_needed"


def test_a_mismatched_request_goes_to_consultation(client, staff, desk, dataset):
    visit = served(staff, desk)
    client.force_login(staff)
    order = desk_order(client, visit, dataset)

    response = client.post(url("consultation", visit), {"reason": "Butuh data agregat saja."})

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == S.REJECTED
    assert "Butuh data agregat saja." in order.events.get(action="reject").note
    visit.refresh_from_db()
    assert visit.redirected_to_consultation and "Butuh data agregat saja." in visit.note
    assert visit.purpose == "data" and visit.order == order
    page = client.get(url("detail", visit)).content.decode()
    assert 'id="consultation-done"' in page and 'id="consultation-form"' not in page
    # The day's desk report counts the referral.
    report = client.get(reverse("desk_reports:day")).content.decode()
    assert 'id="figure-referred">1 ' in report


def test_a_cart_never_sent_goes_to_consultation_without_an_order(client, staff, desk, dataset):
    visit = served(staff, desk)
    client.force_login(staff)
    client.post(url("start", visit), ACCOUNT)
    client.post(url("cart_add", visit, dataset.pk))

    assert client.get(url("consultation", visit)).status_code == 200
    client.post(url("consultation", visit), {"reason": "Cukup tabel publikasi."})

    visit.refresh_from_db()
    assert visit.redirected_to_consultation and visit.order is None
    assert not OrderEvent.objects.filter(action="reject").exists()


def test_the_cart_changes_only_while_the_visitor_is_served(client, staff, desk, publication):
    visit = served(staff, desk)
    desk_account_link(visit=visit, by=staff, email=ACCOUNT["email"], profile=ACCOUNT)
    visit_move(visit=visit, move="finish", by=staff)

    with pytest.raises(DeskError):
        desk_cart_add(visit=visit, by=staff, product=publication)


def test_the_cart_page_runs_the_same_queries_however_many_lines(client, staff, desk):
    visit = served(staff, desk)
    desk_account_link(visit=visit, by=staff, email=ACCOUNT["email"], profile=ACCOUNT)
    client.force_login(staff)
    products = [PublicationFactory(title=f"Statistik Daerah {i}") for i in range(4)]
    products.append(DatasetFactory(title="Susenas 2024"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("cart", visit), {"q": "Statistik"}).status_code == 200
        return len(captured)

    desk_cart_add(visit=visit, by=staff, product=products[0])
    few = queries()
    for product in products[1:]:
        desk_cart_add(visit=visit, by=staff, product=product)
    assert Visit.objects.get(pk=visit.pk).order.lines.count() == 5
    assert queries() == few


def test_the_sppd_signing_day_cannot_be_in_the_future(customer, staff, dataset):
    order = services.order_approve(order=submitted(customer, dataset), by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    with pytest.raises(OrderError):  # an online order is not signed at the desk
        services.order_sppd_signed_at_desk(order=order, by=staff, signed_on=timezone.localdate())
    Order.objects.filter(pk=order.pk).update(channel="walk_in")
    order = Order.objects.get(pk=order.pk)

    with pytest.raises(OrderError):
        services.order_sppd_signed_at_desk(
            order=order, by=staff, signed_on=timezone.localdate() + timedelta(days=1)
        )
    order = services.order_sppd_signed_at_desk(
        order=order, by=staff, signed_on=timezone.localdate()
    )
    assert order.sppd_status == "originals"
    assert order.sppd_signed_on == timezone.localdate()
    event = order.events.get(action="sppd_originals")
    assert date_format(timezone.localdate()) in event.note


def test_online_orders_are_delivered_without_a_handover(customer, staff, publication):
    order = services.order_approve(order=submitted(customer, publication), by=staff)
    order = paid(services.order_offer(order=prepared(order, staff), by=staff))

    with pytest.raises(OrderError):
        services.order_deliver(order=order, by=staff, handover="usb")
    order = services.order_deliver(order=order, by=staff)
    assert order.status == S.COMPLETED and order.handover == "" and order.channel == "online"


def test_the_back_office_filters_orders_by_channel(client, staff, desk, customer, publication):
    online = submitted(customer, publication)
    visit = served(staff, desk)
    client.force_login(staff)
    walk_in = desk_order(client, visit, PublicationFactory(), abstract={})

    page = client.get(reverse("admin:orders_order_changelist"), {"channel": "walk_in"})
    text = page.content.decode()
    assert walk_in.number in text and online.number not in text


def test_a_sent_request_is_not_a_cart_any_more(client, staff, desk):
    visit = served(staff, desk)
    client.force_login(staff)
    order = desk_order(client, visit, PublicationFactory(), abstract={})
    assert order.status == S.SUBMITTED

    with pytest.raises(DeskError):
        desk_cart_add(visit=visit, by=staff, product=PublicationFactory())
    assert Visit.objects.get(pk=visit.pk).order == order


def test_only_the_member_of_staff_serving_fills_the_cart(staff, desk):
    from tests.factories import UserFactory

    visit = served(staff, desk)
    desk_account_link(visit=visit, by=staff, email=ACCOUNT["email"], profile=ACCOUNT)
    colleague = UserFactory(roles=["pst_staff"])

    with pytest.raises(DeskError):
        desk_cart_add(visit=visit, by=colleague, product=PublicationFactory())


def test_the_submission_is_logged_with_the_staff_member_as_actor(client, staff, desk):
    visit = served(staff, desk)
    client.force_login(staff)
    order = desk_order(client, visit, PublicationFactory(), abstract={})

    assert order.events.get(action="submit").actor == staff


def test_a_walk_in_customer_is_told_to_sign_at_the_desk(staff, customer, dataset):
    from django.utils import translation

    from orders.selectors import customer_next_step

    order = services.order_approve(order=submitted(customer, dataset), by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    Order.objects.filter(pk=order.pk).update(channel="walk_in")
    order = Order.objects.get(pk=order.pk)

    with translation.override("en"):
        step = customer_next_step(order=order)
        assert "at the PST desk" in step and "upload" not in step
        Order.objects.filter(pk=order.pk).update(status="completed", handover="usb")
        step = customer_next_step(order=Order.objects.get(pk=order.pk))
        assert "received at the desk" in step


# --- the desk's own office -------------------------------------------------------------------


@pytest.fixture
def tana_tidung(db):
    from tests.factories import office

    return office("6503", name="BPS Kabupaten Tana Tidung", time_zone="Asia/Makassar")


def test_the_desk_finds_and_sells_only_its_own_offices_products(
    client, staff, desk, publication, tana_tidung
):
    theirs = PublicationFactory(title="Statistik Daerah Tana Tidung", office=tana_tidung)
    visit = served(staff, desk)
    client.force_login(staff)
    client.post(url("start", visit), ACCOUNT)

    page = client.get(url("cart", visit), {"q": "Statistik Daerah"})
    added = client.post(url("cart_add", visit, theirs.pk))

    found = [product.pk for product in page.context["results"]]
    assert publication.pk in found and theirs.pk not in found
    assert added.status_code == 404
    with pytest.raises(DeskError):
        desk_cart_add(visit=visit, by=staff, product=theirs)
    assert Visit.objects.get(pk=visit.pk).order is None


def test_a_cart_holding_another_offices_product_is_not_sent_at_the_desk(
    client, staff, desk, publication, tana_tidung
):
    visit = served(staff, desk)
    account, _created = desk_account_link(
        visit=visit, by=staff, email=ACCOUNT["email"], profile=ACCOUNT
    )
    desk_cart_add(visit=visit, by=staff, product=publication)
    # Put in the cart online, from another office's catalog.
    services.cart_add(
        customer=account,
        product=PublicationFactory(office=tana_tidung),
        selection=Selection(),
    )

    with pytest.raises(DeskError):
        desk_order_submit(visit=visit, by=staff, ip="10.0.0.1", terms_accepted=True, abstract={})
    assert Visit.objects.get(pk=visit.pk).order.status == S.DRAFT


def test_a_desk_order_is_served_by_the_desks_office(client, staff, desk, publication):
    visit = served(staff, desk)
    client.force_login(staff)

    order = desk_order(client, visit, publication, abstract={})

    assert order.office == visit.office and order.office.code == "3304"


def test_the_cart_page_of_another_offices_visit_is_not_found(client, staff, desk, tana_tidung):
    from tests.factories import UserFactory

    visit = served(staff, desk)
    desk_account_link(visit=visit, by=staff, email=ACCOUNT["email"], profile=ACCOUNT)
    client.force_login(UserFactory(roles=["pst_staff"], office=tana_tidung))

    assert client.get(url("cart", visit), {"q": "Statistik"}).status_code == 404
    assert client.post(url("cart", visit), {**ABSTRACT, "terms": "on"}).status_code == 404
    assert Visit.objects.get(pk=visit.pk).order is None
