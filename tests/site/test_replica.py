"""Catalog reads from a read replica, behind a setting: a second PostgreSQL database stands in
for the replica and holds other rows than the primary, so each page shows where it read from.
The public catalog reads the replica; writes, carts, the back office and everything outside
the catalog's pages use the primary."""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from catalog.models import Publication
from orders.models import Order
from tests.factories import PublicationFactory, SubjectFactory, default_office
from tests.services import need

# The stand-in exists on PostgreSQL only (silastik/settings/test.py); elsewhere each test skips.
pytestmark = pytest.mark.django_db(
    databases=["default", "replica"] if "replica" in settings.DATABASES else ["default"]
)


@pytest.fixture
def replica(settings):
    need(connection.vendor == "postgresql", "the replica's stand-in is a PostgreSQL database")
    settings.READ_REPLICA_DATABASE = "replica"
    return "replica"


def office_on_replica(office):
    """The office and the offices above it, as replication would have copied them."""
    if office.parent_id:
        office_on_replica(office.parent)
    office.save(using="replica")


def on_replica(title: str) -> Publication:
    """A publication in the replica only (with the office and subject it points to)."""
    office = default_office()
    office_on_replica(office)
    subject = SubjectFactory.build(slug="subjek-replika", name="Subjek replika")
    subject.save(using="replica")
    publication = PublicationFactory.build(
        title=title, slug="hanya-di-replika", office=office, subject=subject, is_published=True
    )
    publication.save(using="replica")
    return publication


def test_the_public_catalog_reads_the_replica(client, replica):
    on_replica("Hanya Di Replika 2025")
    PublicationFactory(title="Hanya Di Primer 2025", is_published=True)
    page = client.get(reverse("catalog:list")).content.decode()
    assert "Hanya Di Replika 2025" in page
    assert "Hanya Di Primer 2025" not in page
    assert client.get("/catalog/hanya-di-replika/").status_code == 200


def test_without_the_setting_everything_reads_the_primary(client, settings):
    need(connection.vendor == "postgresql", "the replica's stand-in is a PostgreSQL database")
    settings.READ_REPLICA_DATABASE = ""
    on_replica("Hanya Di Replika 2025")
    PublicationFactory(title="Hanya Di Primer 2025", is_published=True)
    page = client.get(reverse("catalog:list")).content.decode()
    assert "Hanya Di Primer 2025" in page and "Hanya Di Replika 2025" not in page


def test_writes_and_the_back_office_use_the_primary(client, replica, customer, staff):
    on_replica("Hanya Di Replika 2025")
    primary = PublicationFactory(title="Hanya Di Primer 2025", is_published=True)
    # The cart's POST reads the product it puts in the cart from the primary, and writes there.
    client.force_login(customer)
    client.post(reverse("orders:cart_add", args=[primary.pk]))
    assert Order.objects.using("default").get(customer=customer).lines.count() == 1
    assert not Order.objects.using("replica").exists()
    # Staff read what they changed from where they changed it.
    client.force_login(staff)
    listing = client.get(reverse("admin:catalog_publication_changelist")).content.decode()
    assert "Hanya Di Primer 2025" in listing and "Hanya Di Replika 2025" not in listing


def test_a_product_read_from_the_replica_goes_on_an_order_of_the_primary(replica, customer):
    from catalog.selection import Selection
    from orders.services import cart_add
    from silastik.replica import _catalog_request

    primary = PublicationFactory(title="Di Keduanya 2025", is_published=True)
    # The replica holds the primary's rows: the same product, copied there.
    office_on_replica(primary.office)
    primary.subject.save(using="replica")
    Publication.objects.using("default").get(pk=primary.pk).save(using="replica")
    token = _catalog_request.set(True)  # as inside a catalog page's request
    try:
        read = Publication.objects.select_related("office").get(pk=primary.pk)
    finally:
        _catalog_request.reset(token)
    assert read._state.db == "replica"
    line = cart_add(customer=customer, product=read, selection=Selection())
    assert line._state.db == "default" and line.product_id == primary.pk
