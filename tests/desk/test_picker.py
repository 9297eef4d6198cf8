"""The desk sells what the standards allow (seed 002: "Data mikro lengkap/fullset atau
sebagian/sesuai variabel yang dipilih", maps per area): chosen variables and regions of a
dataset, single sub-districts or villages of a regency map, with the catalog's picker rules and
the prices the online cart gives the same choice.

Worked numbers: the regency dataset's households file has 100.000 records and its persons file
400.000 (DatasetFactory's four variables each, 12 bytes per record); Bawang and Banjarnegara,
the two sub-districts chosen, hold half of each file."""

import pytest
from django.urls import reverse

from catalog.models import DataFile, RegionRecords, Variable
from desk.models import Visit
from desk.services import visit_move
from orders.models import Order, OrderLine
from orders.models import OrderStatus as S
from tests.factories import (
    DatasetFactory,
    DigitalMapFactory,
    PublicationFactory,
    UserFactory,
    banjarnegara,
    office,
)
from tests.orders.conftest import ABSTRACT

from .test_orders import ACCOUNT, served, url

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
TWO_SUBDISTRICTS = ["3304050", "3304060"]  # Bawang, Banjarnegara
RECORDS = {  # per file, per sub-district: each file's counts add up to its records
    "F1": {"3304050": 30_000, "3304060": 20_000, "3304160": 50_000},
    "F2": {"3304050": 120_000, "3304060": 80_000, "3304160": 200_000},
}
FIVE = ["R101", "R102", "F1_B1", "F1_B2", "F2_B1"]  # 12 bytes of households, 3 of persons


@pytest.fixture
def regency():
    return banjarnegara()


@pytest.fixture
def survey(regency):
    dataset = DatasetFactory(title="Susenas Banjarnegara 2024", slug="susenas-bna", region=regency)
    DataFile.objects.filter(dataset=dataset, file_id="F1").update(records=100_000)
    DataFile.objects.filter(dataset=dataset, file_id="F2").update(records=400_000)
    files = {f.file_id: f for f in dataset.files.all()}
    RegionRecords.objects.bulk_create(
        RegionRecords(file=files[file_id], region_id=code, records=records)
        for file_id, counts in RECORDS.items()
        for code, records in counts.items()
    )
    return dataset


@pytest.fixture
def subdistrict_map(regency):
    return DigitalMapFactory(
        title="Peta Wilkerstat Banjarnegara", slug="peta-bna", region=regency, level="subdistrict"
    )


def five_variables(dataset) -> list[Variable]:
    return list(
        Variable.objects.filter(dataset=dataset, file__file_id__in=["F1", "F2"], name__in=FIVE)
        .exclude(file__file_id="F2", name__in=["R101", "R102"])
        .order_by("pk")
    )


def choose(client, address: str, product, *, variables=(), regions=(), areas=()):
    """The picker's changes as htmx posts them, one at a time, to `address`."""
    if variables:
        client.post(address, {"action": "mode", "mode": "variables"}, **HTMX)
    for variable in variables:
        client.post(address, {"action": "toggle", "variable": variable.pk, "checked": "1"}, **HTMX)
    if regions:
        client.post(address, {"action": "regions", "regions": list(regions)}, **HTMX)
    if areas:
        return client.post(address, {"action": "areas", "areas": list(areas)}, **HTMX)
    return None


def desk_pick(client, visit, product, **chosen):
    choose(client, url("pick_update", visit, product.pk), product, **chosen)
    return client.post(url("pick_add", visit, product.pk))


def online_cart(client, customer, *picks) -> Order:
    client.force_login(customer)
    for product, chosen in picks:
        choose(client, reverse("catalog:selection", args=[product.slug]), product, **chosen)
        client.post(reverse("orders:cart_add", args=[product.pk]))
    return Order.objects.get(customer=customer, status=S.DRAFT)


def line_of(order: Order, product) -> OrderLine:
    return order.lines.get(product=product)


def test_a_desk_order_of_5_chosen_variables_and_2_subdistricts_priced_like_online(
    client, staff, desk, survey, subdistrict_map
):
    variables = five_variables(survey)
    assert len(variables) == 5
    visit = served(staff, desk)
    client.force_login(staff)
    client.post(url("start", visit), ACCOUNT)

    page = client.get(url("pick", visit, survey.pk)).content.decode()
    assert 'id="region-3304050"' in page and 'id="mode-variables"' in page
    desk_pick(client, visit, survey, variables=variables, regions=TWO_SUBDISTRICTS)
    desk_pick(client, visit, subdistrict_map, areas=TWO_SUBDISTRICTS)
    cart = client.get(url("cart", visit)).content.decode()
    client.post(url("cart", visit), {**ABSTRACT, "terms": "on"})
    desk = Visit.objects.get(pk=visit.pk).order

    online = online_cart(
        client,
        UserFactory(email="online@example.com"),
        (survey, {"variables": variables, "regions": TWO_SUBDISTRICTS}),
        (subdistrict_map, {"areas": TWO_SUBDISTRICTS}),
    )

    assert desk.status == S.SUBMITTED and desk.channel == "walk_in"
    for product in (survey, subdistrict_map):
        at_desk, on_line = line_of(desk, product), line_of(online, product)
        assert (at_desk.quoted_amount, at_desk.size_bytes, at_desk.quantity) == (
            on_line.quoted_amount,
            on_line.size_bytes,
            on_line.quantity,
        )
        assert at_desk.regions == on_line.regions == TWO_SUBDISTRICTS
        assert set(at_desk.variables.all()) == set(on_line.variables.all())
    microdata = line_of(desk, survey)
    # Households 50.000 × 12 bytes + persons 200.000 × 3 bytes: the first MB and 200 blocks.
    assert microdata.by_variable and microdata.size_bytes == 1_200_000
    assert microdata.quoted_amount == 20_000 + 200 * 20
    assert set(microdata.variables.all()) == set(variables)
    maps = line_of(desk, subdistrict_map)
    assert (maps.quantity, maps.quoted_amount) == (2, 2 * 30_000)
    assert "Rp24.000" in cart and "Rp60.000" in cart and "3304050, 3304060" in cart


def test_the_desk_picker_shows_the_online_price_as_the_choice_changes(client, staff, desk, survey):
    visit = served(staff, desk)
    client.force_login(staff)
    client.post(url("start", visit), ACCOUNT)
    address = url("pick_update", visit, survey.pk)

    whole = client.get(url("pick", visit, survey.pk)).content.decode()
    # The full set as stored (25.000.000 bytes): 20.000 + 24.000 blocks × 20.
    assert 'id="quote-total">Rp500.000<' in whole
    response = client.post(address, {"action": "regions", "regions": ["3304160"]}, **HTMX)
    # Half of each file lies in Batur: half the stored size.
    assert 'id="quote-total">Rp250.000<' in response.content.decode()
    assert 'data-covers="regions"' in response.content.decode()

    assert not OrderLine.objects.exists()  # choosing is not buying


def test_the_desk_picker_takes_only_the_datasets_own_regions(client, staff, desk, survey):
    visit = served(staff, desk)
    client.force_login(staff)
    client.post(url("start", visit), ACCOUNT)

    desk_pick(client, visit, survey, regions=["3304050", "33"])  # a province is no choice here

    line = Visit.objects.get(pk=visit.pk).order.lines.get()
    assert line.regions == [] and not line.by_variable  # the refused change left the full set


def test_chosen_variables_need_at_least_one_variable(client, staff, desk, survey):
    visit = served(staff, desk)
    client.force_login(staff)
    client.post(url("start", visit), ACCOUNT)
    client.post(url("pick_update", visit, survey.pk), {"action": "mode", "mode": "variables"})

    response = client.post(url("pick_add", visit, survey.pk), follow=True)

    assert not OrderLine.objects.exists()
    assert "Pilih minimal satu variabel" in response.content.decode()


def test_a_line_in_the_cart_is_changed_from_its_own_choice(client, staff, desk, subdistrict_map):
    visit = served(staff, desk)
    client.force_login(staff)
    client.post(url("start", visit), ACCOUNT)
    desk_pick(client, visit, subdistrict_map, areas=["3304050"])

    page = client.get(url("pick", visit, subdistrict_map.pk)).content.decode()
    assert 'id="area-3304050" checked' in page and 'id="area-3304060" checked' not in page
    desk_pick(client, visit, subdistrict_map, areas=["3304050", "3304060", "3304160"])

    line = Visit.objects.get(pk=visit.pk).order.lines.get()
    assert (line.quantity, line.quoted_amount) == (3, 90_000)


def test_a_village_map_is_sold_per_chosen_village(client, staff, desk, regency):
    villages = DigitalMapFactory(slug="peta-desa-bna", region=regency, level="village")
    visit = served(staff, desk)
    client.force_login(staff)
    client.post(url("start", visit), ACCOUNT)

    desk_pick(client, visit, villages, areas=["3304050001", "3304160002"])

    line = Visit.objects.get(pk=visit.pk).order.lines.get()
    assert (line.quantity, line.quoted_amount) == (2, 2 * 70_000)
    assert line.regions == ["3304050001", "3304160002"]


def test_only_datasets_and_regency_maps_of_the_desks_office_are_picked(client, staff, desk, survey):
    visit = served(staff, desk)
    client.force_login(staff)
    client.post(url("start", visit), ACCOUNT)
    national = DigitalMapFactory(slug="peta-indonesia", region=None)
    publication = PublicationFactory()
    theirs = DatasetFactory(office=office("6503", name="BPS Kabupaten Tana Tidung"))

    for product in (national, publication, theirs):
        assert client.get(url("pick", visit, product.pk)).status_code == 404
        assert client.post(url("pick_add", visit, product.pk)).status_code == 404
    assert not OrderLine.objects.exists()
    # The search offers the picker where there is something to pick.
    page = client.get(url("cart", visit), {"q": "Susenas"}).content.decode()
    assert url("pick", visit, survey.pk) in page


def test_the_picker_is_for_the_visitor_being_served(client, staff, desk, survey):
    visit = served(staff, desk)
    client.force_login(staff)
    client.post(url("start", visit), ACCOUNT)
    visit_move(visit=visit, move="finish", by=staff)

    client.post(url("pick_add", visit, survey.pk))

    assert not OrderLine.objects.exists()
    page = client.get(url("pick", visit, survey.pk)).content.decode()
    assert 'id="pick-add"' not in page


def test_the_picker_pages_are_for_the_offices_pst_staff(
    client, staff, desk, survey, customer, treasurer
):
    visit = served(staff, desk)
    for who in (customer, treasurer, UserFactory(roles=["pst_staff"], office=office("6503"))):
        client.force_login(who)
        assert client.get(url("pick", visit, survey.pk)).status_code == 404
        assert client.post(url("pick_update", visit, survey.pk), {}).status_code == 404
        assert client.post(url("pick_add", visit, survey.pk)).status_code == 404


def test_the_desk_asks_the_visitor_for_the_data_format(client, staff, desk, survey):
    visit = served(staff, desk)
    client.force_login(staff)
    client.post(url("start", visit), ACCOUNT)
    page = client.get(url("pick", visit, survey.pk)).content.decode()
    assert 'name="data_format"' in page and "Stata (.dta)" in page
    client.post(url("pick_add", visit, survey.pk), {"data_format": "sav"})
    line = Visit.objects.get(pk=visit.pk).order.lines.get()
    assert line.data_format == "sav"
    response = client.post(url("pick_add", visit, survey.pk), {"data_format": "xls"}, follow=True)
    assert "Pilih format data" in response.content.decode()
    line.refresh_from_db()
    assert line.data_format == "sav"
