"""Products carry an English title and description where staff provide them, shown on the
English site; the Indonesian ones stand in for a product without."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import DatasetFactory, PublicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def translated():
    return PublicationFactory(
        title="Kabupaten Banjarnegara Dalam Angka 2025",
        description="Publikasi tahunan data sosial ekonomi.",
        title_en="Banjarnegara Regency in Figures 2025",
        description_en="An annual publication of social and economic data.",
        slug="bda-2025",
    )


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_english_site_shows_the_english_title_and_description(client, translated):
    listing = english(client).get(reverse("catalog:list")).content.decode()
    page = client.get(translated.get_absolute_url()).content.decode()

    assert "Banjarnegara Regency in Figures 2025" in listing
    assert "An annual publication of social and economic data." in listing
    assert '<h1 class="h3">Banjarnegara Regency in Figures 2025</h1>' in page
    assert "Kabupaten Banjarnegara Dalam Angka 2025</h1>" not in page


def test_the_indonesian_site_keeps_the_indonesian_text(client, translated):
    page = client.get(translated.get_absolute_url()).content.decode()

    assert '<h1 class="h3">Kabupaten Banjarnegara Dalam Angka 2025</h1>' in page
    assert "Publikasi tahunan data sosial ekonomi." in page
    assert "Regency in Figures" not in page


def test_without_english_text_the_english_site_shows_the_indonesian(client):
    dataset = DatasetFactory(title="Survei Angkatan Kerja Nasional 2024", slug="sakernas")

    page = english(client).get(dataset.get_absolute_url()).content.decode()

    assert '<h1 class="h3">Survei Angkatan Kerja Nasional 2024</h1>' in page


def test_a_search_in_english_finds_the_english_title(client, translated):
    PublicationFactory(title="Statistik Kesejahteraan Rakyat 2025")

    listing = english(client).get(reverse("catalog:list"), {"q": "regency"}).content.decode()

    assert "Banjarnegara Regency in Figures 2025" in listing
    assert "Kesejahteraan" not in listing


def test_staff_enter_the_english_text_in_the_back_office(client, staff, translated):
    client.force_login(staff)

    page = client.get(reverse("admin:catalog_publication_change", args=[translated.pk]))

    assert 'name="title_en"' in page.content.decode()
    assert 'name="description_en"' in page.content.decode()
