"""The catalog in the back office, as staff, the treasurer and customers meet it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import Dataset, Publication, Tariff
from tests.catalog.test_ddi import CODEBOOK_2004
from tests.factories import DatasetFactory, PublicationFactory, UserFactory

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
