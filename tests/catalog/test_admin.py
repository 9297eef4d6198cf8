"""The catalog in the back office, as staff, the treasurer and customers meet it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Dataset, Publication, RegionRecords, Tariff, Variable
from tests.catalog.test_ddi import CODEBOOK_2004, CODEBOOK_REGIONS
from tests.factories import (
    DatasetFactory,
    PublicationFactory,
    UserFactory,
    banjarnegara,
    office,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["publication", "dataset", "digitalmap", "variable", "region", "subject"]
)
def test_staff_manage_the_catalog_with_search_and_filters(client, staff, model):
    PublicationFactory(title="Banjarnegara Dalam Angka")
    DatasetFactory()
    client.force_login(staff)

    listing = client.get(reverse(f"admin:catalog_{model}_changelist"), {"q": "banjar"})
    adding = client.get(reverse(f"admin:catalog_{model}_add"))

    assert listing.status_code == 200
    assert adding.status_code == 200


def test_staff_read_the_national_tariffs_but_do_not_add_them(client, staff):
    client.force_login(staff)

    assert client.get(reverse("admin:catalog_tariff_changelist")).status_code == 200
    assert client.get(reverse("admin:catalog_tariff_add")).status_code == 403


def test_staff_add_a_publication_and_it_is_searchable(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:catalog_publication_add"),
        {
            "title": "Statistik Pariwisata Banjarnegara 2024",
            "slug": "statistik-pariwisata-2024",
            "year": "2024",
            "is_published": "on",
            "language": "id",
            "page_count": "88",
            "softcopy": "on",
            "printed_copies": "0",  # the form's initial value, as a browser sends it
        },
    )

    assert response.status_code == 302
    assert Publication.objects.get().page_count == 88
    page = client.get(reverse("catalog:list"), {"q": "pariwisata"}).content.decode()
    assert "Statistik Pariwisata Banjarnegara 2024" in page


def test_staff_import_a_codebook_from_the_dataset_list(client, staff):
    client.force_login(staff)
    listing = client.get(reverse("admin:catalog_dataset_changelist")).content.decode()
    url = reverse("admin:catalog_dataset_import_ddi")
    assert url in listing

    upload = SimpleUploadedFile("survey.xml", CODEBOOK_2004.read_bytes(), content_type="text/xml")
    response = client.post(url, {"codebook": upload})

    dataset = Dataset.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:catalog_dataset_change", args=[dataset.pk])
    assert dataset.variables.count() == 79


def test_the_national_administrator_edits_a_tariff_and_the_price_follows(client, staff):
    national = UserFactory(roles=["national_admin"], office=False)
    tariff = Tariff.objects.get(item="publication_first")
    publication = PublicationFactory(page_count=10)
    client.force_login(staff)
    refused = client.post(
        reverse("admin:catalog_tariff_change", args=[tariff.pk]),
        {"item": tariff.item, "amount": "1", "valid_from": "2024-01-01", "regulation": "x"},
    )
    assert refused.status_code == 403  # an office's staff cannot change the national tariffs
    client.force_login(national)

    response = client.post(
        reverse("admin:catalog_tariff_change", args=[tariff.pk]),
        {
            "item": tariff.item,
            "amount": "55000",
            "valid_from": "2024-01-01",
            "regulation": "PP 13/2024",
        },
    )

    assert response.status_code == 302
    assert "Rp55.000" in client.get(publication.get_absolute_url()).content.decode()


def test_the_treasurer_reads_tariffs_but_cannot_change_them_or_the_catalog(client, treasurer):
    client.force_login(treasurer)
    tariff = Tariff.objects.first()

    assert client.get(reverse("admin:catalog_tariff_changelist")).status_code == 200
    response = client.post(
        reverse("admin:catalog_tariff_change", args=[tariff.pk]),
        {"item": tariff.item, "amount": "1", "valid_from": "2024-01-01", "regulation": "x"},
    )
    assert response.status_code == 403
    assert client.get(reverse("admin:catalog_publication_changelist")).status_code == 403
    assert client.get(reverse("admin:catalog_dataset_import_ddi")).status_code == 403


def test_customers_cannot_reach_the_codebook_import(client, customer):
    client.force_login(customer)

    response = client.get(reverse("admin:catalog_dataset_import_ddi"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_publication_file_is_private(client, staff):
    publication = PublicationFactory()
    publication.file.save("buku.pdf", SimpleUploadedFile("buku.pdf", b"%PDF-1.4 test"))

    page = client.get(publication.get_absolute_url()).content.decode()

    assert "buku" not in page
    assert (
        client.get("/media/publications/" + publication.file.name.split("/")[-1]).status_code == 404
    )


def test_staff_edit_a_publication_whose_file_is_private(client, staff):
    publication = PublicationFactory()
    publication.file.save("buku.pdf", SimpleUploadedFile("buku.pdf", b"%PDF-1.4 test"))
    client.force_login(staff)

    page = client.get(reverse("admin:catalog_publication_change", args=[publication.pk]))

    assert page.status_code == 200
    assert "buku" in page.content.decode()  # named, never linked


# --- Records per region ---------------------------------------------------------------------------


@pytest.fixture
def national_survey(db):
    region("33", "JAWA TENGAH")
    region("34", "DI YOGYAKARTA")
    return DatasetFactory(title="Susenas Contoh", full_size_bytes=6_000_000)


def data_file_post(client, data_file, rows, *, records=None):
    """The data file's page as staff send it: the file's fields and its records per region."""
    data = {
        "file_id": data_file.file_id,
        "name": data_file.name,
        "description": data_file.description,
        "records": str(data_file.records if records is None else records),
        "record_length": "",
        "region_records-TOTAL_FORMS": str(len(rows)),
        "region_records-INITIAL_FORMS": "0",
        "region_records-MIN_NUM_FORMS": "0",
        "region_records-MAX_NUM_FORMS": "1000",
    }
    for number, (code, count) in enumerate(rows):
        data[f"region_records-{number}-region"] = code
        data[f"region_records-{number}-records"] = count
        data[f"region_records-{number}-file"] = str(data_file.pk)
    return client.post(reverse("admin:catalog_datafile_change", args=[data_file.pk]), data)


def test_staff_enter_records_per_region_on_a_data_file_and_the_price_follows(
    client, staff, national_survey
):
    households = national_survey.files.get(file_id="F1")
    client.force_login(staff)
    dataset_page = client.get(reverse("admin:catalog_dataset_change", args=[national_survey.pk]))
    file_url = reverse("admin:catalog_datafile_change", args=[households.pk])
    assert file_url in dataset_page.content.decode()  # the file's own page, linked
    page = client.get(file_url)
    assert page.status_code == 200
    offered = page.context["inline_admin_formsets"][0].formset.form.base_fields["region"]
    assert {r.code for r in offered.queryset} == {"33", "34"}  # the dataset's provinces only

    response = data_file_post(client, households, [("33", "250"), ("34", "150")])

    assert response.status_code == 302, response.content.decode()[:3000]
    assert dict(households.region_records.values_list("region_id", "records")) == {
        "33": 250,
        "34": 150,
    }
    session = client.session
    session["catalog_selection"] = {
        str(national_survey.pk): {"variables": [], "regions": ["33"], "by_variable": False}
    }
    session.save()
    # Households: 250 of 1.000 records; persons uncounted, so whole:
    # 6.000.000 × (250 × 12 + 4.000 × 12) / (1.000 × 12 + 4.000 × 12) = 5.100.000 bytes.
    page = client.get(national_survey.get_absolute_url()).content.decode()
    assert "Rp102.000" in page  # 20.000 + 4.100 × 20
    assert 'data-covers="files"' in page and "Individu" in page


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("3304", "10")], "Select a valid choice"),  # not a province: not offered here
        ([("33", "1001")], "more records than its data file (1,000)"),
        ([("33", "-5")], "greater than or equal to 0"),
        ([("33", "99999999999999999999999")], "less than or equal to"),
        ([("33", "sepuluh")], "Enter a whole number"),
        ([("33", "600"), ("34", "600")], "Together the regions have 1,200 records"),
    ],
)
def test_staff_counts_that_cannot_be_are_refused_with_a_message(
    client, staff, national_survey, rows, message
):
    banjarnegara()
    households = national_survey.files.get(file_id="F1")
    client.force_login(staff)
    client.cookies["silastik_language"] = "en"

    response = data_file_post(client, households, rows)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RegionRecords.objects.exists()


def test_a_file_cannot_shrink_below_its_regions_records(client, staff, national_survey):
    households = national_survey.files.get(file_id="F1")
    client.force_login(staff)
    client.cookies["silastik_language"] = "en"

    response = data_file_post(client, households, [("33", "600")], records=500)

    assert response.status_code == 200
    assert "more records than its data file (500)" in response.content.decode()
    households.refresh_from_db()
    assert households.records == 1_000


def test_another_offices_staff_cannot_open_or_change_a_dataset_or_its_files(
    client, national_survey
):
    far = UserFactory(roles=["pst_staff"], office=office("6503"))
    households = national_survey.files.get(file_id="F1")
    client.force_login(far)

    dataset_page = client.get(reverse("admin:catalog_dataset_change", args=[national_survey.pk]))
    file_page = client.get(reverse("admin:catalog_datafile_change", args=[households.pk]))
    posted = data_file_post(client, households, [("33", "10")])
    listing = client.get(reverse("admin:catalog_datafile_changelist"))

    assert dataset_page.status_code == 302 and file_page.status_code == 302  # not found
    assert posted.status_code == 302 and not RegionRecords.objects.exists()
    assert listing.context["cl"].result_count == 0


def test_data_files_come_with_their_dataset_and_are_not_added_here(client, staff):
    client.force_login(staff)

    assert client.get(reverse("admin:catalog_datafile_add")).status_code == 403


def changeform_data(response) -> dict:
    """What a change page posts when nothing is edited: its form and inlines as shown."""
    data: dict = {}

    def add(form, prefix: str = "") -> None:
        for name in form.fields:
            value = form[name].value()
            key = f"{prefix}{name}"
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is not None and not hasattr(value, "url") and name != "file":
                data[key] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.forms:
            add(form, prefix=f"{form.prefix}-")
    return data


def test_naming_the_region_variable_on_the_dataset_takes_its_frequencies(
    client, staff, national_survey
):
    province = Variable.objects.get(dataset=national_survey, file__file_id="F2", name="F2_B2")
    province.categories.all().delete()
    province.categories.create(value="33", label="JAWA TENGAH", frequency=3_000, position=1)
    province.categories.create(value="34", label="DI YOGYAKARTA", frequency=1_000, position=2)
    client.force_login(staff)
    client.cookies["silastik_language"] = "en"
    url = reverse("admin:catalog_dataset_change", args=[national_survey.pk])
    data = changeform_data(client.get(url))
    data["region_variable"] = "F2_B2"

    response = client.post(url, data, follow=True)

    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any(m.endswith("frequencies for 1 data file.") for m in shown), shown
    persons = national_survey.files.get(file_id="F2")
    assert dict(persons.region_records.values_list("region_id", "records")) == {
        "33": 3_000,
        "34": 1_000,
    }


def test_uploading_a_codebook_with_a_province_variable_reports_the_counts(client, staff):
    region("33", "JAWA TENGAH")
    region("34", "DI YOGYAKARTA")
    region("35", "JAWA TIMUR")
    client.force_login(staff)
    client.cookies["silastik_language"] = "en"
    codebook = CODEBOOK_REGIONS.read_bytes()
    upload = SimpleUploadedFile("regions.xml", codebook, content_type="text/xml")

    response = client.post(
        reverse("admin:catalog_dataset_import_ddi"), {"codebook": upload}, follow=True
    )

    shown = [str(m) for m in response.context["messages"]]
    assert (
        "Records per region were taken from the region variable's frequencies for 2 data files."
        in shown
    )
    assert RegionRecords.objects.count() == 6


def test_the_data_file_page_reads_the_regions_once_however_many_rows(
    client, staff, national_survey, django_assert_max_num_queries
):

    households = national_survey.files.get(file_id="F1")
    client.force_login(staff)
    url = reverse("admin:catalog_datafile_change", args=[households.pk])
    client.get(url)  # sessions, permissions and caches warmed
    with CaptureQueriesContext(connection) as two_rows:
        client.get(url)
    for n in range(40):
        region(f"{51 + n}", f"PROVINSI {n}")
    for province in national_survey.region_choices():
        RegionRecords.objects.get_or_create(
            file=households, region=province, defaults={"records": 1}
        )

    with django_assert_max_num_queries(len(two_rows.captured_queries)):
        page = client.get(url)

    assert page.status_code == 200
    assert len(page.context["inline_admin_formsets"][0].formset.forms) > 40


def test_a_subject_is_named_in_the_back_offices_language(client, superuser):
    from catalog.models import Subject
    from tests.factories import PublicationFactory

    people = Subject.objects.create(name="Kependudukan", name_en="Population", slug="penduduk")
    PublicationFactory(subject=people, title="Statistik Daerah")
    client.force_login(superuser)
    client.cookies["silastik_language"] = "en"

    page = client.get(reverse("admin:catalog_publication_changelist")).content.decode()

    assert "Population" in page and "Kependudukan" not in page
