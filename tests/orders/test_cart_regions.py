"""A dataset limited to regions in the cart: the line keeps the region estimate as its quoted
amount and size, and the cart says where the estimate covers the whole dataset or files.

The dataset (tests.factories.DatasetFactory) has households (1.000 records) and persons (4.000),
12 bytes a record each; its full set is stored as 3.000.000 bytes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from catalog.models import RegionRecords
from catalog.selection import SESSION_KEY, Selection
from orders.models import Order
from orders.services import OrderError, cart_add, cart_reprice
from tests.factories import DatasetFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def provinces(db):
    region("33", "JAWA TENGAH")
    region("34", "DI YOGYAKARTA")


def counts_store(dataset, *, persons: bool = True) -> None:
    """A quarter of each file's records in Jawa Tengah (33), the rest in DI Yogyakarta (34)."""
    for data_file in dataset.files.all():
        if data_file.file_id == "F2" and not persons:
            continue
        RegionRecords.objects.bulk_create(
            [
                RegionRecords(file=data_file, region_id="33", records=data_file.records // 4),
                RegionRecords(file=data_file, region_id="34", records=data_file.records * 3 // 4),
            ]
        )


def chosen(dataset, *names: str, regions=()) -> Selection:
    ids = frozenset(dataset.variables.filter(name__in=names).values_list("pk", flat=True))
    return Selection(variables=ids, regions=tuple(regions), by_variable=True)


def cart_page(client, customer) -> str:
    client.force_login(customer)
    client.cookies["silastik_language"] = "en"
    return client.get(reverse("orders:cart")).content.decode()


def test_the_line_keeps_the_region_estimate_as_its_amount_and_size(customer, dataset):
    counts_store(dataset)

    line = cart_add(customer=customer, product=dataset, selection=Selection(regions=("33",)))

    # A quarter of 3.000.000 bytes: the first MB.
    assert (line.size_bytes, line.quoted_amount, line.regions) == (750_000, 20_000, ["33"])


def test_chosen_variables_limited_to_regions_are_quoted_from_the_regions_records(customer, dataset):
    counts_store(dataset)
    selection = chosen(dataset, "F1_B2", "F2_B1", regions=["34"])

    line = cart_add(customer=customer, product=dataset, selection=selection)

    assert line.size_bytes == 750 * 5 + 3_000 * 3
    assert line.quoted_amount == 20_000
    assert line.variables.count() == 2


def test_a_whole_coverage_line_keeps_the_stored_size(customer, dataset):
    line = cart_add(customer=customer, product=dataset, selection=Selection())

    assert (line.size_bytes, line.quoted_amount) == (3_000_000, 60_000)


def test_the_cart_says_when_the_estimate_covers_the_whole_dataset(client, customer, dataset):
    other = DatasetFactory(title="Sakernas 2023", full_size_bytes=3_000_000)
    cart_add(customer=customer, product=dataset, selection=Selection(regions=("33",)))
    cart_add(customer=customer, product=other, selection=Selection())

    page = cart_page(client, customer)

    assert "Rp120.000" in page  # both priced whole
    assert page.count("region-note") == 1
    assert 'data-covers="whole"' in page
    assert "so the estimate covers the whole dataset" in page
    assert "Limited to 1 region" in page


def test_the_cart_names_the_files_estimated_whole(client, customer, dataset):
    counts_store(dataset, persons=False)
    cart_add(customer=customer, product=dataset, selection=Selection(regions=("33",)))

    page = cart_page(client, customer)

    assert 'data-covers="files"' in page
    assert "no record counts for the chosen regions in Individu" in page


def test_a_counted_line_says_it_is_estimated_for_its_regions(client, customer, dataset):
    counts_store(dataset)
    cart_add(customer=customer, product=dataset, selection=chosen(dataset, "F1_B2", regions=["33"]))

    page = cart_page(client, customer)

    assert 'data-covers="regions"' in page


def test_the_cart_page_reads_a_few_queries_for_any_number_of_regional_lines(client, customer):
    client.force_login(customer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("orders:cart")).status_code == 200
        return len(captured)

    def regional_lines(number: int) -> None:  # full sets and chosen variables, counted or not
        for index in range(number):
            dataset = DatasetFactory()
            if index % 2:
                counts_store(dataset)
            selection = (
                Selection(regions=("33", "34"))
                if index % 4 < 2
                else chosen(dataset, "F2_B1", regions=["34"])
            )
            cart_add(customer=customer, product=dataset, selection=selection)

    regional_lines(4)
    queries()  # the page's own first-visit reads (the portal's office, cached)
    four = queries()
    regional_lines(8)

    assert queries() == four


def test_the_cart_is_quoted_again_once_staff_count_the_regions(customer, dataset):
    line = cart_add(customer=customer, product=dataset, selection=Selection(regions=("33",)))
    assert (line.size_bytes, line.quoted_amount) == (3_000_000, 60_000)

    counts_store(dataset)

    assert cart_reprice(customer=customer) is True
    line.refresh_from_db()
    assert (line.size_bytes, line.quoted_amount) == (750_000, 20_000)


def test_regions_without_records_are_refused_with_a_message(customer, dataset):
    counts_store(dataset)
    RegionRecords.objects.filter(region_id="34").update(records=0)

    with translation.override("en"), pytest.raises(OrderError, match="have no records"):
        cart_add(customer=customer, product=dataset, selection=Selection(regions=("34",)))

    assert not Order.objects.filter(customer=customer).exists()


def test_the_customer_puts_the_regions_chosen_on_the_page_in_the_cart(client, customer, dataset):
    counts_store(dataset)
    client.force_login(customer)
    session = client.session
    session[SESSION_KEY] = {
        str(dataset.pk): {"variables": [], "regions": ["34"], "by_variable": False}
    }
    session.save()

    client.post(reverse("orders:cart_add", args=[dataset.pk]))

    line = Order.objects.get(customer=customer, status="draft").lines.get()
    # Three quarters of 3.000.000 bytes: 20.000 + 1.250 blocks × 20.
    assert (line.size_bytes, line.quoted_amount) == (2_250_000, 45_000)
