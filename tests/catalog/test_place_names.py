"""Region names come from BPS's master file in capitals; pages write them as Indonesians do:
"DKI Jakarta", not "Dki Jakarta"."""

import pytest
from django.urls import reverse

from silastik.text import place_name
from tests.factories import DatasetFactory, PublicationFactory, region


@pytest.mark.parametrize(
    ("official", "shown"),
    [
        ("DKI JAKARTA", "DKI Jakarta"),
        ("DI YOGYAKARTA", "DI Yogyakarta"),
        ("KOTA BAU-BAU", "Kota Bau-Bau"),
        ("PANGKAJENE DAN KEPULAUAN", "Pangkajene dan Kepulauan"),
        ("KOTA ADM. JAKARTA SELATAN", "Kota Adm. Jakarta Selatan"),
        ("MA'RANG", "Ma'rang"),
        ("KEPULAUAN SERIBU UTARA", "Kepulauan Seribu Utara"),
        ("DANAU PANGGANG", "Danau Panggang"),
        ("IV KOTO", "IV Koto"),
        ("KOTO XI TARUSAN", "Koto XI Tarusan"),
        ("IX KOTO SUNGAI LASI", "IX Koto Sungai Lasi"),
        ("LUBUK DI ATAS", "Lubuk di Atas"),
        ("VIVA", "Viva"),
        ("", ""),
    ],
)
def test_an_official_name_is_written_as_people_write_it(official, shown):
    assert place_name(official) == shown


@pytest.mark.django_db
def test_the_catalog_and_the_picker_write_dki_jakarta(client):
    jakarta = region("31", "DKI JAKARTA")
    region("3171", "KOTA ADM. JAKARTA SELATAN")
    PublicationFactory(title="Jakarta Dalam Angka", region=jakarta)
    dataset = DatasetFactory(slug="susenas-jakarta", region=jakarta)

    catalog = client.get(reverse("catalog:list")).content.decode()
    picker = client.get(dataset.get_absolute_url()).content.decode()

    assert "DKI Jakarta · Provinsi" in catalog and "Dki" not in catalog
    assert "Kota Adm. Jakarta Selatan" in picker and "Dki" not in picker
