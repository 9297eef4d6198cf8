import re

import pytest
from django.urls import reverse

from catalog.models import RegionRecords, Variable
from catalog.selection import SESSION_KEY, Selection
from tests.factories import (
    DatasetFactory,
    DigitalMapFactory,
    PublicationFactory,
    banjarnegara,
    region,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def survey():
    return DatasetFactory(
        title="Sakernas Agustus 2024", slug="sakernas-2024", full_size_bytes=3_000_000
    )


def pick(client, product, **data):
    return client.post(reverse("catalog:selection", args=[product.slug]), data, **HTMX)


def test_the_full_set_is_priced_from_its_stored_size(client, survey):
    page = client.get(survey.get_absolute_url()).content.decode()

    assert "Rp60.000" in page  # 20.000 + 2.000 blocks × 20


def test_choosing_variables_prices_records_times_widths(client, survey):
    status = Variable.objects.get(name="F1_B2")  # households: 1.000 records × 5 bytes
    age = Variable.objects.get(name="F2_B1")  # persons: 4.000 records × 3 bytes

    response = pick(client, survey, action="toggle", variable=status.pk, checked="1")
    assert "1 variabel dipilih" in response.content.decode()
    assert "Rp20.000" in response.content.decode()

    pick(client, survey, action="toggle", variable=age.pk, checked="1")
    session = client.session[SESSION_KEY][str(survey.pk)]
    assert sorted(session["variables"]) == sorted([status.pk, age.pk])
    assert session["by_variable"] is True

    page = client.get(survey.get_absolute_url()).content.decode()
    assert "2 variabel dipilih" in page
    assert "17,0" in page or "17.0" in page  # 5.000 + 12.000 bytes estimated


def test_choosing_a_whole_file_then_dropping_it(client, survey):
    persons = survey.files.get(file_id="F2")

    response = pick(client, survey, action="file", file=persons.pk, checked="1")
    assert "4 variabel dipilih" in response.content.decode()
    assert response["HX-Trigger"] == "selection-changed"

    response = pick(client, survey, action="file", file=persons.pk)
    assert "0 variabel dipilih" in response.content.decode()


def test_switching_back_to_the_full_set_keeps_the_chosen_variables_for_later(client, survey):
    variable = Variable.objects.filter(dataset=survey).first()
    pick(client, survey, action="toggle", variable=variable.pk, checked="1")

    response = pick(client, survey, action="mode", mode="full")

    assert "Rp60.000" in response.content.decode()
    assert client.session[SESSION_KEY][str(survey.pk)]["variables"] == [variable.pk]


def test_a_variable_of_another_dataset_is_refused(client, survey):
    other = DatasetFactory()
    foreign = Variable.objects.filter(dataset=other).first()

    pick(client, survey, action="toggle", variable=foreign.pk, checked="1")

    assert SESSION_KEY not in client.session


def test_limiting_a_dataset_to_regions_accepts_only_its_regions(client, survey):
    regency = banjarnegara()
    survey.region = regency
    survey.save()

    pick(client, survey, action="regions", regions=["3304060", "9999999"])
    assert SESSION_KEY not in client.session  # one unknown code refuses the whole change

    pick(client, survey, action="regions", regions=["3304060", "3304160"])
    assert client.session[SESSION_KEY][str(survey.pk)]["regions"] == ["3304060", "3304160"]


def test_a_regency_map_is_priced_per_chosen_area_or_all_of_them(client):
    regency = banjarnegara()
    villages = DigitalMapFactory(slug="peta-desa", region=regency, level="village")
    subdistricts = DigitalMapFactory(slug="peta-kecamatan", region=regency, level="subdistrict")

    assert "Rp90.000" in client.get(subdistricts.get_absolute_url()).content.decode()  # 3 × 30.000
    assert "Rp420.000" in client.get(villages.get_absolute_url()).content.decode()  # 6 × 70.000

    response = pick(client, villages, action="areas", areas=["3304060001", "3304160002"])
    assert "Rp140.000" in response.content.decode()
    assert "2 wilayah dipilih" in response.content.decode()


def test_a_nationwide_map_is_one_map(client):
    national = DigitalMapFactory(slug="peta-indonesia", region=None, level="village")

    assert "Rp36.000.000" in client.get(national.get_absolute_url()).content.decode()


def test_a_publication_has_nothing_to_pick(client):
    publication = PublicationFactory()
    assert client.post(reverse("catalog:selection", args=[publication.slug]), {}).status_code == 404


def test_only_a_page_with_a_choice_says_the_choice_goes_into_the_cart(client, survey):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    publication = client.get(PublicationFactory().get_absolute_url()).content.decode()
    dataset = client.get(survey.get_absolute_url()).content.decode()

    assert 'id="add-to-cart"' in publication and "Pilihan Anda masuk" not in publication
    assert "Pilihan Anda masuk ke keranjang seperti sekarang" in dataset


def test_without_scripts_the_picker_posts_and_returns_to_the_page(client, survey):
    response = client.post(
        reverse("catalog:selection", args=[survey.slug]), {"action": "mode", "mode": "variables"}
    )

    assert response.status_code == 302
    assert response.url == survey.get_absolute_url()


def test_every_picker_request_waits_for_the_previous_one(client, survey):
    """The selection lives in the session: two changes in flight would overwrite each other,
    so every form that changes it queues on one element (htmx hx-sync)."""
    import re

    regency = banjarnegara()
    regency_map = DigitalMapFactory(slug="peta-sync", region=regency)
    for product in (survey, regency_map):
        page = client.get(product.get_absolute_url()).content.decode()
        forms = re.findall(r"<form[^>]*catalog/[^/]+/pilihan/[^>]*>", page)
        assert forms, product
        assert all('hx-sync="#selection-sync:queue all"' in f for f in forms), product
        assert 'id="selection-sync"' in page


# --- Limited to regions ---------------------------------------------------------------------------


def provinces_with_counts(survey, *, persons: bool = True) -> None:
    """Jawa Tengah holds a quarter of each file's records, DI Yogyakarta the rest."""
    region("33", "JAWA TENGAH")
    region("34", "DI YOGYAKARTA")
    for data_file in survey.files.all():
        if data_file.file_id == "F2" and not persons:
            continue
        RegionRecords.objects.create(file=data_file, region_id="33", records=data_file.records // 4)
        RegionRecords.objects.create(
            file=data_file, region_id="34", records=data_file.records * 3 // 4
        )


def test_limiting_the_full_set_to_a_region_prices_that_regions_records(client, survey):
    provinces_with_counts(survey)
    client.cookies["silastik_language"] = "en"

    response = pick(client, survey, action="regions", regions=["33"])

    page = response.content.decode()
    # A quarter of 3.000.000 bytes: within the first MB.
    assert "Rp20.000" in page and "Rp60.000" not in page
    assert 'id="estimated-size">750.0 KB' in page
    assert 'data-covers="regions"' in page
    assert "Estimated from the records of the chosen regions" in page
    assert "the estimate here is for the whole coverage" not in page


def test_chosen_variables_limited_to_regions_show_the_regional_estimate(client, survey):
    provinces_with_counts(survey)
    age = Variable.objects.get(name="F2_B1")  # persons: 3 bytes
    pick(client, survey, action="toggle", variable=age.pk, checked="1")

    response = pick(client, survey, action="regions", regions=["34"])

    # 3.000 of the 4.000 persons × 3 bytes.
    assert 'id="estimated-size">9,0 KB' in response.content.decode()


def test_without_counts_the_picker_says_the_estimate_covers_the_whole_dataset(client, survey):
    region("33", "JAWA TENGAH")
    client.cookies["silastik_language"] = "en"

    page = pick(client, survey, action="regions", regions=["33"]).content.decode()

    assert "Rp60.000" in page
    assert 'data-covers="whole"' in page
    assert "no record counts for the chosen regions yet, so the estimate covers the whole " in page
    assert "the invoice, priced from the file staff prepare, may differ" in page


def test_the_picker_names_the_files_estimated_whole(client, survey):
    provinces_with_counts(survey, persons=False)
    client.cookies["silastik_language"] = "en"

    page = pick(client, survey, action="regions", regions=["33"]).content.decode()

    assert 'data-covers="files"' in page
    assert "no record counts for the chosen regions in Individu, so the estimate counts" in page


def test_the_picker_takes_as_many_queries_for_every_province_as_for_one(
    client, survey, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    codes = [f"{n}" for n in range(11, 49)]  # 38 provinces
    for code in codes:
        region(code, f"PROVINSI {code}")
    for data_file in survey.files.all():
        RegionRecords.objects.bulk_create(
            RegionRecords(file=data_file, region_id=code, records=10) for code in codes
        )
    pick(client, survey, action="mode", mode="variables")
    pick(client, survey, action="file", file=survey.files.get(file_id="F1").pk, checked="1")

    def queries(regions) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert pick(client, survey, action="regions", regions=regions).status_code == 200
        return len(captured)

    one, every = queries(codes[:1]), queries(codes)
    assert one == every
    with django_assert_max_num_queries(14):
        page = client.get(survey.get_absolute_url()).content.decode()
    assert 'data-covers="regions"' in page
    pick(client, survey, action="mode", mode="full")
    assert queries(codes[:1]) == queries(codes)


def test_no_note_while_no_variable_is_chosen(client, survey):
    region("33", "JAWA TENGAH")
    pick(client, survey, action="mode", mode="variables")

    page = pick(client, survey, action="regions", regions=["33"]).content.decode()

    assert "region-note" not in page


def test_regions_without_records_say_so_and_have_no_price(client, survey):
    provinces_with_counts(survey)
    RegionRecords.objects.filter(region_id="33").update(records=0)

    page = pick(client, survey, action="regions", regions=["33"]).content.decode()

    assert 'data-covers="empty"' in page
    assert 'id="quote-total"' not in page


def test_a_region_sent_twice_is_counted_once(client, survey):
    provinces_with_counts(survey)
    client.cookies["silastik_language"] = "en"

    once = pick(client, survey, action="regions", regions=["34"]).content.decode()
    twice = pick(client, survey, action="regions", regions=["34", "34"]).content.decode()

    estimate = re.compile(r'id="estimated-size">([^<]+)<')
    assert estimate.search(once)[1] == estimate.search(twice)[1] == "2.2 MB"
    assert Selection.from_session({"regions": ["34", "34", "33"]}).regions == ("33", "34")


def test_one_more_variable_costs_the_same_queries_with_3_or_400_chosen(client, survey):
    """The estimate sums the chosen widths per data file in the database, the ids sent as one
    array parameter on PostgreSQL: the picker's answer does not grow with the choice."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.models import Variable as V

    data_file = survey.files.get(file_id="F1")
    V.objects.bulk_create(
        V(dataset=survey, file=data_file, name=f"X{i:03d}", width=2, position=10 + i)
        for i in range(400)
    )
    ids = list(V.objects.filter(dataset=survey).order_by("pk").values_list("pk", flat=True))
    pick(client, survey, action="mode", mode="variables")

    def toggle_costs(chosen: list[int]) -> tuple[int, list[str]]:
        session = client.session
        session[SESSION_KEY] = {
            str(survey.pk): {"variables": chosen, "regions": [], "by_variable": True}
        }
        session.save()
        with CaptureQueriesContext(connection) as captured:
            page = pick(client, survey, action="toggle", variable=ids[-1], checked="1")
        assert page.status_code == 200
        return len(captured), [q["sql"] for q in captured.captured_queries]

    few, _sql = toggle_costs(ids[:3])
    many, sql = toggle_costs(ids[:400])
    assert few == many
    widths = next(s for s in sql if "SUM(" in s and '"catalog_variable"' in s)
    if connection.vendor == "postgresql":
        assert "= ANY(" in widths
    # 400 chosen of F1 (each 2 bytes wide) and the new one: records × the summed widths.
    page = pick(client, survey, action="toggle", variable=ids[-2], checked="1").content.decode()
    assert "402 variables chosen" in page or "402 variabel dipilih" in page


def test_a_phone_gets_a_way_down_to_the_choice_below_the_codebook(client, survey):
    page = client.get(survey.get_absolute_url()).content.decode()

    link = re.search(r'<a [^>]*id="to-picker"[^>]*>', page).group(0)
    assert 'href="#picker"' in link and "d-lg-none" in link
    assert (
        page.index('id="to-picker"') < page.index('id="variable-table"') < page.index('id="picker"')
    )
