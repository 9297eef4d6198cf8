"""Offices as data: what an office must look like, and who may edit the network."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from offices.models import Office, OfficeLevel, OfficeMembership
from offices.selectors import office_of, report_office_ids, user_is_national
from silastik.users.roles import Role
from tests.factories import UserFactory, default_office, office

pytestmark = pytest.mark.django_db


def test_the_level_and_the_parent_follow_from_the_code():
    tana_tidung = office("6503", name="BPS Kabupaten Tana Tidung", time_zone="Asia/Makassar")

    assert tana_tidung.level == OfficeLevel.REGENCY
    assert tana_tidung.parent.code == "6500"
    assert tana_tidung.parent.level == OfficeLevel.PROVINCE
    assert tana_tidung.parent.parent.code == "0000"
    assert tana_tidung.zone.key == "Asia/Makassar"
    assert tana_tidung.region_code == "6503"
    assert tana_tidung.parent.region_code == "65"


def invalid(**fields) -> dict[str, list[str]]:
    office("3300")
    candidate = Office(
        code="3304",
        name="BPS Kabupaten Banjarnegara",
        street_address="Jl. Selamanik No. 33",
        city="Banjarnegara",
        email="bps3304@bps.go.id",
    )
    for name, value in fields.items():
        setattr(candidate, name, value)
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            candidate.full_clean()
        return {
            field: [str(m) for m in messages]
            for field, messages in refused.value.message_dict.items()
        }


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"code": "33A4"}, "code", "4 digits"),
        ({"head_name": "Bambang", "head_nip": "1970"}, "head_nip", "18 digits"),
        ({"head_name": "Bambang"}, "head_nip", "signs with a NIP"),
        ({"bank_swift": "BMRI"}, "bank_swift", "8 or 11"),
        ({"bank_account_number": "12"}, "bank_account_number", "6 to 30 digits"),
        (
            {"bank_account_number": "136 00 1234567 8", "bank_swift": "BMRIIDJA"},
            "bank_account_holder",
            "account holder",
        ),
        ({"kiosk_networks": "10.33.4.0/24, not-a-net"}, "kiosk_networks", "not-a-net"),
        ({"satker_code": "12"}, "satker_code", "6 digits"),
        ({"code": "6503"}, "code", "6500 first"),
    ],
)
def test_it_refuses_wrong_codes_and_numbers_with_a_clear_message(fields, field, says):
    errors = invalid(**fields)

    assert says in " ".join(errors[field])


def test_a_valid_office_passes():
    office("3300")
    complete = Office(
        code="3304",
        name="BPS Kabupaten Banjarnegara",
        street_address="Jl. Selamanik No. 33",
        city="Banjarnegara",
        email="bps3304@bps.go.id",
        bank_name="Bank Mandiri",
        bank_account_number="136 00 1234567 8",
        bank_account_holder="Bendahara Penerimaan BPS Kabupaten Banjarnegara",
        bank_swift="BMRIIDJA",
        head_name="Ir. Bambang Sutopo",
        head_nip="197011051994031002",
        kiosk_networks="10.33.4.0/24\n2001:db8::/64",
        satker_code="330401",
    )
    complete.full_clean()
    assert len(complete.kiosk_network_list()) == 2


def test_people_of_an_office_see_their_office_and_the_national_roles_see_all(customer):
    staff = UserFactory(roles=[Role.PST_STAFF])
    national = UserFactory(roles=[Role.NATIONAL_ADMIN], office=False)
    tana_tidung = office("6503")
    far = UserFactory(roles=[Role.HEAD], office=tana_tidung)

    assert office_of(staff) == default_office()
    assert office_of(far) == tana_tidung
    assert office_of(customer) is None and office_of(national) is None
    assert user_is_national(national) and not user_is_national(staff)
    assert report_office_ids(far) == [tana_tidung.pk]
    assert report_office_ids(national) is None
    assert report_office_ids(national, province="65") == [tana_tidung.parent.pk, tana_tidung.pk]
    assert report_office_ids(customer) == []


def test_the_national_administrator_edits_offices_in_the_back_office(client):
    national = UserFactory(roles=[Role.NATIONAL_ADMIN], office=False)
    client.force_login(national)
    office("3300")

    response = client.post(
        reverse("admin:offices_office_add"),
        {
            "code": "3304",
            "name": "BPS Kabupaten Banjarnegara",
            "is_active": "on",
            "time_zone": "Asia/Jakarta",
            "street_address": "Jl. Selamanik No. 33",
            "city": "Banjarnegara",
            "email": "bps3304@bps.go.id",
            "ministry_code": "054",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Office.objects.get(code="3304").parent.code == "3300"


@pytest.mark.parametrize("role", [Role.PST_STAFF, Role.TREASURER])
def test_an_offices_people_cannot_edit_the_network(client, role):
    person = UserFactory(roles=[role])
    client.force_login(person)
    banjarnegara = default_office()

    changelist = client.get(reverse("admin:offices_office_changelist"))
    change = client.post(
        reverse("admin:offices_office_change", args=[banjarnegara.pk]), {"name": "Hacked"}
    )

    assert changelist.status_code == 403
    assert change.status_code == 403
    banjarnegara.refresh_from_db()
    assert banjarnegara.name == "BPS Kabupaten Banjarnegara"
    assert OfficeMembership.objects.get(user=person).office == banjarnegara


def test_the_back_office_reads_times_on_its_offices_clock(client):
    from django.utils import timezone

    from offices.middleware import OfficeTimeZoneMiddleware

    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        from django.http import HttpResponse

        return HttpResponse()

    middleware = OfficeTimeZoneMiddleware(view)
    far = UserFactory(roles=[Role.PST_STAFF], office=office("6503", time_zone="Asia/Makassar"))
    request = type("Request", (), {"user": far})()

    middleware(request)

    assert seen["zone"] == "Asia/Makassar"
    assert timezone.get_current_timezone_name() == "Asia/Jakarta"  # reset after the request


# --- the office's logo on its documents ---------------------------------------------------------


def png(width: int = 64, height: int = 64) -> bytes:
    import io

    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (width, height), (0, 80, 160)).save(picture, format="PNG")
    return picture.getvalue()


def office_form(office: Office, **changes) -> dict:
    fields = {
        "code": office.code,
        "name": office.name,
        "is_active": "on",
        "time_zone": office.time_zone,
        "street_address": office.street_address,
        "city": office.city,
        "email": office.email,
        "ministry_code": office.ministry_code,
        "deposit_type": office.deposit_type,
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
    }
    return {**fields, **changes}


@pytest.fixture
def national_client(client, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    client.force_login(UserFactory(roles=[Role.NATIONAL_ADMIN], office=False))
    return client


def test_the_national_administrator_uploads_an_offices_logo_for_its_letterhead(national_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from offices.documents import letterhead_of

    banjarnegara = default_office()
    response = national_client.post(
        reverse("admin:offices_office_change", args=[banjarnegara.pk]),
        office_form(banjarnegara, logo=SimpleUploadedFile("logo bps.png", png())),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    banjarnegara.refresh_from_db()
    assert banjarnegara.logo.name.startswith("offices/logos/")
    assert banjarnegara.logo.name.endswith(".png") and "logo bps" not in banjarnegara.logo.name
    assert letterhead_of(banjarnegara).logo_uri.startswith("data:image/png;base64,")


def test_a_logo_is_stored_small_and_without_its_metadata_and_replaces_the_old_one(
    national_client,
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    banjarnegara = default_office()
    photo = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "GPS -7.39, 109.69"  # ImageDescription
    Image.new("RGB", (2400, 1200), (0, 80, 160)).save(photo, format="JPEG", exif=exif)
    url = reverse("admin:offices_office_change", args=[banjarnegara.pk])
    national_client.post(url, office_form(banjarnegara, logo=SimpleUploadedFile("a.png", png())))
    banjarnegara.refresh_from_db()
    first = banjarnegara.logo.name

    national_client.post(
        url, office_form(banjarnegara, logo=SimpleUploadedFile("foto.jpg", photo.getvalue()))
    )

    banjarnegara.refresh_from_db()
    with banjarnegara.logo.open("rb") as stored, Image.open(stored) as logo:
        assert logo.format == "PNG" and max(logo.size) == 600
        assert not logo.getexif()
    assert not banjarnegara.logo.storage.exists(first)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<svg onload=alert(1)>", "Berkas ini bukan berkas"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "Gambar ini tidak dapat dibaca."),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024 + 1), "paling besar 1 MB."),
    ],
    ids=["not-an-image", "broken-png", "too-large"],
)
def test_a_logo_that_is_not_a_small_picture_is_refused(national_client, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    banjarnegara = default_office()
    response = national_client.post(
        reverse("admin:offices_office_change", args=[banjarnegara.pk]),
        office_form(banjarnegara, logo=SimpleUploadedFile("logo.png", content)),
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    banjarnegara.refresh_from_db()
    assert not banjarnegara.logo


def test_a_logo_of_absurd_dimensions_is_refused_before_it_is_unpacked(national_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    banjarnegara = default_office()
    response = national_client.post(
        reverse("admin:offices_office_change", args=[banjarnegara.pk]),
        office_form(banjarnegara, logo=SimpleUploadedFile("logo.png", png(5000, 4000))),
    )

    assert response.status_code == 200
    assert "5000 × 4000 piksel" in response.content.decode()


def test_a_lost_logo_file_leaves_the_letterhead_without_a_logo(national_client):
    from offices.documents import letterhead_of

    banjarnegara = default_office()
    Office.objects.filter(pk=banjarnegara.pk).update(logo="offices/logos/gone.png")
    banjarnegara.refresh_from_db()

    assert letterhead_of(banjarnegara).logo_uri == ""


@pytest.mark.parametrize("role", [Role.PST_STAFF, Role.TREASURER])
def test_an_offices_people_read_their_own_offices_page_only(client, role):
    """Their records link to their office (a visit, an invoice): the link opened a 403."""
    person = UserFactory(roles=[role])
    client.force_login(person)
    own, other = default_office(), office("6503", name="BPS Kabupaten Tana Tidung")

    page = client.get(reverse("admin:offices_office_change", args=[own.pk]))
    elsewhere = client.get(reverse("admin:offices_office_change", args=[other.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert "BPS Kabupaten Banjarnegara" in html and 'name="_save"' not in html
    assert 'name="members-TOTAL_FORMS"' not in html
    assert elsewhere.status_code in (302, 403, 404)
    assert client.get(reverse("admin:index")).content.decode().count("/admin/offices/") == 0
