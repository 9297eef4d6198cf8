"""Checking the signed agreement: staff accept an uploaded one (the office countersigns it and
the customer gets the countersigned copy) or send it back with the reason; delivery waits."""

import pytest
from django.urls import reverse

from orders import services
from orders.models import Order, OrderAction, SppdStatus
from orders.models import OrderStatus as S
from orders.selectors import customer_next_step, order_sla_days
from orders.services import OrderError
from tests.documents import pdf_page_texts, pdf_text
from tests.factories import UserFactory, office

from .conftest import paid, prepared, signed_pdf, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploaded(microdata_order, customer, staff):
    order = services.order_approve(order=microdata_order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    order = paid(order)
    return services.order_sppd_upload(order=order, by=customer, signed_file=signed_pdf())


def test_an_uploaded_agreement_waits_for_staff_before_delivery(uploaded, staff):
    assert uploaded.sppd_status == SppdStatus.UPLOADED and not uploaded.sppd_done

    with pytest.raises(OrderError, match="terima atau kembalikan"):
        services.order_deliver(order=uploaded, by=staff)

    assert Order.objects.get(pk=uploaded.pk).status == S.AWAITING_DELIVERY


def test_accepted_the_office_countersigns_and_delivery_follows(uploaded, staff):
    the_office = uploaded.office
    the_office.head_name, the_office.head_nip = "Dr. Budi Santoso", "197203151994031002"
    the_office.save(update_fields=["head_name", "head_nip"])

    order = services.order_sppd_accept(order=uploaded, by=staff)

    assert order.sppd_status == SppdStatus.ACCEPTED and order.sppd_done
    with order.sppd_countersigned.open("rb") as copy:
        pdf = copy.read()
    pages = pdf_page_texts(pdf)
    assert len(pages) == 2  # the customer's page, then the office's
    assert "Silastik" in pages[0]
    assert "PENGESAHAN PIHAK PERTAMA" in pages[1].upper()
    assert "Dr. Budi Santoso" in pages[1] and "NIP 19720315 199403 1 002" in pages[1]
    assert f"SPPD/{order.number}" in pages[1]
    assert order.events.filter(action=OrderAction.SPPD_ACCEPTED, actor=staff).exists()
    assert services.order_deliver(order=order, by=staff).status == S.COMPLETED


def test_the_customer_downloads_the_countersigned_copy(client, uploaded, customer, staff):
    services.order_sppd_accept(order=uploaded, by=staff)
    client.force_login(customer)

    page = client.get(uploaded.get_absolute_url())
    token = page.context["documents"]["sppd_countersigned"]
    response = client.get(reverse("orders:download", args=[token]))

    assert 'id="countersigned-link"' in page.content.decode()
    assert response.status_code == 200
    assert "PENGESAHAN" in pdf_text(b"".join(response.streaming_content)).upper()


def test_sent_back_the_customer_reads_why_and_uploads_again(uploaded, customer, staff):
    order = services.order_sppd_return(
        order=uploaded, by=staff, reason="E-meterai belum dibubuhkan."
    )

    assert order.sppd_status == SppdStatus.PENDING and not order.sppd_signed
    assert "E-meterai belum dibubuhkan." in customer_next_step(order=order)
    order = services.order_sppd_upload(order=order, by=customer, signed_file=signed_pdf())
    assert order.sppd_status == SppdStatus.UPLOADED
    assert "E-meterai" not in customer_next_step(order=order)


def test_while_sent_back_the_office_clock_stands_still(uploaded, staff):
    from datetime import timedelta

    from django.utils import timezone

    order = services.order_sppd_return(order=uploaded, by=staff, reason="Tanda tangan kurang.")
    later = timezone.now() + timedelta(days=21)

    assert order_sla_days(order=order, now=later) == order_sla_days(order=order)


def test_a_reason_is_needed_to_send_it_back(uploaded, staff):
    with pytest.raises(OrderError):
        services.order_sppd_return(order=uploaded, by=staff, reason="  ")


@pytest.mark.parametrize("who", ["customer", "treasurer", "other_office_staff"])
def test_only_the_serving_offices_staff_check_it(uploaded, request, who):
    person = (
        UserFactory(roles=["pst_staff"], office=office("6503"))
        if who == "other_office_staff"
        else request.getfixturevalue(who)
    )

    with pytest.raises(OrderError):
        services.order_sppd_accept(order=uploaded, by=person)
    assert Order.objects.get(pk=uploaded.pk).sppd_status == SppdStatus.UPLOADED


def test_a_signed_file_that_is_no_readable_pdf_is_reported(uploaded, staff):
    from django.core.files.base import ContentFile

    Order.objects.filter(pk=uploaded.pk).update(sppd_signed="")
    order = Order.objects.get(pk=uploaded.pk)
    order.sppd_signed.save("broken.pdf", ContentFile(b"%PDF-1.4 broken"), save=True)

    with pytest.raises(OrderError, match="tidak dapat dibaca sebagai PDF"):
        services.order_sppd_accept(order=order, by=staff)
    assert Order.objects.get(pk=order.pk).sppd_status == SppdStatus.UPLOADED


def test_staff_check_it_on_the_order_page(client, uploaded, staff):
    client.force_login(staff)
    url = reverse("admin:orders_order_change", args=[uploaded.pk])

    page = client.get(url).content.decode()
    returned = client.post(
        reverse("admin:orders_order_act", args=[uploaded.pk, "sppd_return"]),
        {"note": "Halaman 2 tidak ada."},
        follow=True,
    )

    assert 'id="sppd-check"' in page
    assert Order.objects.get(pk=uploaded.pk).sppd_status == SppdStatus.PENDING
    assert "dikirim kembali" in returned.content.decode()


def test_a_walk_in_agreement_signed_at_the_desk_needs_no_second_check(customer, staff, dataset):
    from django.utils import timezone

    order = services.order_approve(order=submitted(customer, dataset), by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    order = paid(order)
    Order.objects.filter(pk=order.pk).update(channel="walk_in")
    order = services.order_sppd_signed_at_desk(
        order=Order.objects.get(pk=order.pk), by=staff, signed_on=timezone.localdate()
    )

    assert order.sppd_done
