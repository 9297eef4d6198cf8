"""The signed agreement: one file per order. A new upload removes the one it replaces."""

import pytest
from django.core.files.base import ContentFile

from orders import services
from orders.models import Order
from silastik.storage import PrivateFileSystemStorage

from .conftest import PDF, prepared

pytestmark = pytest.mark.django_db


@pytest.fixture
def storage(monkeypatch, tmp_path):
    """The signed agreements' storage in a temporary folder."""
    storage = PrivateFileSystemStorage(location=tmp_path)
    monkeypatch.setattr(Order._meta.get_field("sppd_signed"), "storage", storage)
    return tmp_path


def files_in(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def offered(microdata_order, staff):
    order = services.order_approve(order=microdata_order, by=staff)
    return services.order_offer(order=prepared(order, staff), by=staff)


def signed(content: bytes = PDF) -> ContentFile:
    return ContentFile(content, name="signed.pdf")


def test_a_second_upload_leaves_one_file_in_storage(offered, customer, storage, committed):
    with committed():
        first = services.order_sppd_upload(order=offered, by=customer, signed_file=signed())
    with committed():
        second = services.order_sppd_upload(
            order=offered, by=customer, signed_file=signed(PDF + b"%second\n")
        )

    assert files_in(storage) == [second.sppd_signed.name]
    assert first.sppd_signed.name != second.sppd_signed.name
    assert second.sppd_signed.read().endswith(b"%second\n")
    # Each upload is still on record, as an event.
    assert second.events.filter(action="sppd_uploaded").count() == 2


def test_an_upload_that_fails_keeps_the_file_in_force(offered, customer, storage, committed):
    with committed():
        first = services.order_sppd_upload(order=offered, by=customer, signed_file=signed())
    Order.objects.filter(pk=offered.pk).update(status="completed")

    with pytest.raises(services.OrderError), committed():
        services.order_sppd_upload(order=offered, by=customer, signed_file=signed())

    assert files_in(storage) == [first.sppd_signed.name]


def test_a_new_offer_removes_the_signature_of_the_old_one(
    offered, customer, staff, storage, committed
):
    with committed():
        services.order_sppd_upload(order=offered, by=customer, signed_file=signed())
        order = services.order_request_revision(
            order=offered, by=customer, what="sppd", note="Alamat salah."
        )
        order = services.order_offer(order=order, by=staff)

    assert not order.sppd_signed
    assert files_in(storage) == []
