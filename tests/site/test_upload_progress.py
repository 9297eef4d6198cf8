"""Every large upload's form carries the progress box (templates/includes/upload_progress.html)
that static/js/upload.js drives, with its words translated, and file inputs say their limit;
the plain post without JavaScript is unchanged (the browser tests drive the script)."""

import re

import pytest
from django.urls import reverse

from catalog.selection import Selection
from orders import services
from orders.models import Order
from orders.services import cart_add, order_approve, order_submit
from tests.factories import DatasetFactory, PublicationFactory, UserFactory
from tests.orders.conftest import prepared, submitted

pytestmark = pytest.mark.django_db


def upload_forms(html: str) -> list[str]:
    return [
        form
        for form in re.findall(r"<form[^>]*multipart/form-data.*?</form>", html, flags=re.S)
        if "data-upload-progress" in form
    ]


def test_the_complaint_form_has_the_progress_box(client):
    html = client.get(reverse("complaints:new")).content.decode()

    [form] = upload_forms(html)
    assert "data-upload" in form
    assert 'data-max-bytes="5242880"' in form  # uploads.COMPLAINT
    assert "js/upload.js" in form
    # No inline script or style for the Content-Security-Policy.
    assert "<script>" not in form and " style=" not in form.split("data-upload-progress")[1]


def test_the_back_office_product_pages_have_it(client, staff, superuser, customer):
    publication = PublicationFactory(page_count=40)
    cart_add(customer=customer, product=publication, selection=Selection())
    order = order_submit(
        order=Order.objects.get(customer=customer, status="draft"),
        by=customer,
        ip="10.1.2.3",
        terms_accepted=True,
        abstract={},
    )
    order_approve(order=order, by=staff)
    client.force_login(staff)
    order_page = client.get(reverse("admin:orders_order_change", args=[order.pk]))
    [upload] = upload_forms(order_page.content.decode())
    assert 'data-max-bytes="5368709120"' in upload  # uploads.PRODUCT, 5 GB

    client.force_login(superuser)
    for url in (
        reverse("admin:catalog_publication_change", args=[publication.pk]),
        reverse("admin:catalog_digitalmap_add"),
        reverse("admin:catalog_dataset_import_ddi"),
    ):
        assert len(upload_forms(client.get(url).content.decode())) == 1, url


def test_the_customers_signed_agreement_and_transfer_proof_forms_have_it(client, staff):
    abroad = UserFactory(email="jane@example.com", domicile="abroad", country="AU")
    order = submitted(abroad, DatasetFactory(full_size_bytes=3_000_000))
    order = services.order_approve(order=order, by=staff)
    order = services.order_offer(order=prepared(order, staff), by=staff)
    client.force_login(abroad)

    forms = upload_forms(client.get(order.get_absolute_url()).content.decode())

    assert {re.search(r'id="([a-z-]+)"', form)[1] for form in forms} == {"sppd-form", "proof-form"}
