import pytest
from django.urls import reverse

from silastik.users.models import Segment

pytestmark = pytest.mark.django_db

PROFILE = {
    "full_name": "Alice Wulandari",
    "phone": "0812 3456 7890",
    "id_type": "ktp",
    "id_number": "3304.0155.0790.0002",
    "segment": "general",
    "institution": "",
    "npwp": "",
    "domicile": "domestic",
    "country": "",
    "address": "Jl. Dipayuda 12, Banjarnegara",
    "language": "id",
}


def save(client, **changes):
    return client.post(reverse("users:profile"), {**PROFILE, **changes})


@pytest.fixture
def logged_in(client, customer):
    client.force_login(customer)
    return customer


def test_a_customer_saves_a_complete_profile(client, logged_in):
    response = save(client)

    assert response.status_code == 302
    logged_in.refresh_from_db()
    assert logged_in.id_number == "3304015507900002"
    assert logged_in.country == "ID"
    assert logged_in.is_profile_complete


def test_the_private_segment_must_give_an_npwp(client, logged_in):
    response = save(client, segment="private", npwp="")

    assert response.status_code == 200
    assert "wajib mencantumkan NPWP" in response.content.decode()
    logged_in.refresh_from_db()
    assert logged_in.segment != Segment.PRIVATE


@pytest.mark.parametrize(
    "npwp", ["01.234.567.8-901", "1234567890123456789", "01.234.567.8-901.00A"]
)
def test_a_malformed_npwp_is_refused(client, logged_in, npwp):
    response = save(client, segment="private", npwp=npwp)

    assert response.status_code == 200
    assert "NPWP terdiri dari 15 atau 16 digit" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("01.234.567.8-901.000", "012345678901000"),
        ("3304 0155 0790 0002", "3304015507900002"),
    ],
)
def test_a_well_formed_npwp_is_stored_as_digits(client, logged_in, typed, stored):
    assert save(client, segment="private", npwp=typed).status_code == 302
    logged_in.refresh_from_db()
    assert logged_in.npwp == stored


def test_a_ktp_number_must_have_16_digits(client, logged_in):
    response = save(client, id_number="12345")

    assert response.status_code == 200
    assert "16 digit" in response.content.decode()


def test_a_customer_abroad_must_name_the_country(client, logged_in):
    response = save(
        client, domicile="abroad", country="ID", id_type="passport", id_number="X1234567"
    )
    assert response.status_code == 200
    assert "Pilih negara" in response.content.decode()

    assert (
        save(
            client, domicile="abroad", country="NL", id_type="passport", id_number="X1234567"
        ).status_code
        == 302
    )
    logged_in.refresh_from_db()
    assert logged_in.country == "NL"


def test_required_fields_are_required(client, logged_in):
    response = save(client, phone="", address="")

    assert response.status_code == 200
    assert response.content.decode().count("Bidang ini tidak boleh kosong") == 2


def test_the_profile_language_becomes_the_interface_language(client, logged_in):
    save(client, language="en")

    response = client.get(reverse("users:profile"))
    assert "Profile" in response.content.decode()
    assert response.headers["Content-Language"] == "en"


def test_the_profile_needs_a_login(client):
    response = client.get(reverse("users:profile"))
    assert response.status_code == 302


def test_npwp_digits_must_be_plain_ascii_digits(client, logged_in):
    arabic_indic = "٠١٢٣٤٥٦٧٨٩٠١٢٣٤"
    response = save(client, segment="private", npwp=arabic_indic)

    assert response.status_code == 200
    assert "NPWP terdiri dari 15 atau 16 digit" in response.content.decode()
