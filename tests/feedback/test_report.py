"""The IKM report as an office signs it: the respondents' profile, the elements named as the
regulation words them, the weighting, and the head of dissemination's signature."""

import re
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from desk.models import Visitor
from feedback.analysis import ikm_analysis, offices_compare
from feedback.ikm import CODES, ELEMENTS
from feedback.models import Rating
from feedback.reporting import report_render_pdf
from kiosk.rating import visit_rating_submit
from silastik.users.models import Segment, User
from silastik.users.roles import Role
from tests.factories import DatasetFactory, UserFactory, default_office, office
from tests.services import need

from .conftest import rated
from .test_analysis import OCTOBER, at
from .test_walk_in import served

pytestmark = pytest.mark.django_db

OCTOBER_QUERY = {"start": "2026-10-01", "end": "2026-10-31"}
REGULATION_NAMES = [
    "Persyaratan",
    "Sistem, Mekanisme, dan Prosedur",
    "Waktu Penyelesaian",
    "Biaya/Tarif",
    "Produk Spesifikasi Jenis Pelayanan",
    "Kompetensi Pelaksana",
    "Perilaku Pelaksana",
    "Sarana dan Prasarana",
    "Penanganan Pengaduan, Saran dan Masukan",
]
SIGNED_AT = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.get_fixed_timezone(7 * 60))


def layout_text(pdf: bytes) -> str:
    """The PDF's text with its table rows kept on one line each."""
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return out.stdout.decode()


def row(html: str, key: str) -> list[str]:
    """The cells of the profile table's row `key` (e.g. "segment-student")."""
    found = re.search(rf'<tr data-profile="{key}">(.*?)</tr>', html, re.S)
    assert found, f"no profile row {key}"
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", found[1], re.S)
    ]


def rated_by(segment: str, product, scores=4) -> Rating:
    """A rating by a customer of that segment; "" for an account that cleared its segment after
    ordering (no one orders without one)."""
    tax_number = "092542943407000" if segment == Segment.PRIVATE else ""  # a company's NPWP
    user = UserFactory(segment=segment or Segment.GENERAL, npwp=tax_number)
    rating = rated(user, product, scores)
    if not segment:
        User.objects.filter(pk=user.pk).update(segment="")
    return rating


@pytest.fixture
def respondents(staff, publication):
    """Six respondents in October: two students, a researcher (microdata), a member of the
    public and an account that has since cleared its segment, online; a government visitor at the
    desk, who rated a consultation (no product)."""
    dataset = DatasetFactory()
    for segment in (Segment.STUDENT, Segment.STUDENT, Segment.GENERAL, ""):
        at(rated_by(segment, publication, 4), date(2026, 10, 6))
    at(rated_by(Segment.RESEARCHER, dataset, 3), date(2026, 10, 7))
    visit = served(staff, segment=Segment.GOVERNMENT, purpose="consultation")
    walk_in = visit_rating_submit(visit=visit, scores=dict.fromkeys(CODES, 3))
    at(walk_in, date(2026, 10, 8), channel="walk_in")
    # The visitor later signs the guest book as private sector: the rated visit stays government.
    Visitor.objects.filter(pk=visit.visitor_id).update(segment=Segment.PRIVATE)


def counts(rows) -> dict[str, tuple[int, Decimal | None]]:
    return {row.key: (row.respondents, row.share) for row in rows}


def test_the_profile_counts_the_respondents_per_segment_channel_and_kind(respondents):
    profile = ikm_analysis(period=OCTOBER).profile

    assert profile.respondents == 6
    assert counts(profile.by_segment) == {
        "private": (0, Decimal("0.0")),
        "student": (2, Decimal("33.3")),
        "researcher": (1, Decimal("16.7")),
        "government": (1, Decimal("16.7")),
        "general": (1, Decimal("16.7")),
        "international": (0, Decimal("0.0")),
        "not_stated": (1, Decimal("16.7")),
    }
    assert counts(profile.by_channel) == {
        "online": (5, Decimal("83.3")),
        "walk_in": (1, Decimal("16.7")),
    }
    assert counts(profile.by_kind) == {
        "publication": (4, Decimal("66.7")),
        "microdata": (1, Decimal("16.7")),
        "map": (0, Decimal("0.0")),
        "none": (1, Decimal("16.7")),
    }


def test_the_profile_is_scoped_as_the_analysis(respondents, publication):
    other = office("6503", name="BPS Kabupaten Tana Tidung")
    elsewhere = at(rated_by(Segment.INTERNATIONAL, publication, 4), date(2026, 10, 9))
    Rating.objects.filter(pk=elsewhere.pk).update(office=other)
    at(rated_by(Segment.STUDENT, publication, 4), date(2026, 9, 30))  # September

    own = ikm_analysis(period=OCTOBER, offices=[default_office().pk]).profile
    walk_in = ikm_analysis(period=OCTOBER, channel="walk_in").profile
    microdata = ikm_analysis(period=OCTOBER, kind="microdata").profile

    assert own.respondents == 6 and counts(own.by_segment)["international"] == (0, Decimal("0.0"))
    assert counts(walk_in.by_segment)["government"] == (1, Decimal("100.0"))
    assert walk_in.respondents == 1 and counts(walk_in.by_channel)["online"][0] == 0
    assert counts(microdata.by_segment)["researcher"] == (1, Decimal("100.0"))
    assert counts(microdata.by_kind)["publication"] == (0, Decimal("0.0"))


def test_the_profile_costs_one_query_however_many_segments(
    staff, publication, django_assert_max_num_queries
):
    at(rated_by(Segment.STUDENT, publication, 4), date(2026, 10, 6))
    with django_assert_max_num_queries(20) as few:
        ikm_analysis(period=OCTOBER)
    for segment in ("", *Segment.values):
        at(rated_by(segment, publication, 3), date(2026, 10, 7))
    at(visit_rating_submit(visit=served(staff), scores=dict.fromkeys(CODES, 3)), date(2026, 10, 8))

    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        profile = ikm_analysis(period=OCTOBER).profile

    assert profile.respondents == 9
    grouped = [q for q in many.captured_queries if "GROUP BY" in q["sql"] and "segment" in q["sql"]]
    assert len(grouped) == 1


def test_the_page_shows_the_profile_with_shares_in_indonesian(client, staff, respondents):
    client.force_login(staff)

    html = client.get(reverse("ikm:analysis"), OCTOBER_QUERY).content.decode()

    assert "Profil responden" in html
    assert row(html, "segment-student") == ["Pelajar/mahasiswa", "2", "33,3"]
    assert row(html, "segment-government") == ["Instansi pemerintah", "1", "16,7"]
    assert row(html, "segment-not_stated") == ["Tidak diisi", "1", "16,7"]
    assert row(html, "channel-walk_in") == ["Kunjungan langsung ke PST", "1", "16,7"]
    assert row(html, "kind-publication") == ["Publikasi", "4", "66,7"]
    assert row(html, "kind-none")[1:] == ["1", "16,7"]


def test_the_pdf_holds_the_profile(respondents):
    text = layout_text(report_render_pdf(analysis=ikm_analysis(period=OCTOBER)))

    assert "PROFIL RESPONDEN" in text
    assert re.search(r"Pelajar/mahasiswa\s+2\s+33,3", text)
    assert re.search(r"Peneliti/akademisi\s+1\s+16,7", text)
    assert re.search(r"Online\s+5\s+83,3", text)
    assert re.search(r"Kunjungan langsung ke PST\s+1\s+16,7", text)
    assert re.search(r"Data mikro\s+1\s+16,7", text)


def test_the_report_names_the_elements_as_the_regulation_words_them(client, staff, respondents):
    client.force_login(staff)

    html = client.get(reverse("ikm:analysis"), OCTOBER_QUERY).content.decode()
    text = layout_text(report_render_pdf(analysis=ikm_analysis(period=OCTOBER)))

    with translation.override("id"):
        assert [str(element.name) for element in ELEMENTS] == REGULATION_NAMES
    for code, name in zip(CODES, REGULATION_NAMES, strict=True):
        assert f"{code.upper()} {name}</th>" in html
        assert f"{code.upper()} {name}" in text
    # Facilities before complaints, as the regulation's sample questionnaire asks them.
    assert [element.code for element in ELEMENTS] == list(CODES)
    assert text.index("U8 Sarana dan Prasarana") < text.index("U9 Penanganan Pengaduan")


def test_the_english_names_follow_the_regulation_too():
    with translation.override("en"):
        names = [str(element.name) for element in ELEMENTS]

    assert names[1] == "Systems, mechanisms and procedures"
    assert names[4] == "Product specification by type of service"
    assert names[8] == "Handling of complaints, suggestions and feedback"


def test_the_pdf_is_signed_by_the_offices_head_with_the_grouped_nip(respondents):
    UserFactory(full_name="Dra. Sri Wahyuni", roles=[Role.HEAD], nip="198511052008012003")
    UserFactory(
        full_name="Mantan Ketua", roles=[Role.HEAD], nip="197001012000011001", is_active=False
    )

    with timezone.override(default_office().zone):
        pdf = report_render_pdf(
            analysis=ikm_analysis(period=OCTOBER), office=default_office(), now=SIGNED_AT
        )
    text = layout_text(pdf)

    assert "Banjarnegara, 25 November 2026" in text
    assert "Ketua Tim Diseminasi Informasi Statistik" in text
    assert "Dra. Sri Wahyuni" in text and "NIP 19851105 200801 2 003" in text
    assert "Mantan Ketua" not in text


def test_without_a_head_the_signature_is_left_blank(respondents):
    UserFactory(full_name="Ketua Kantor Lain", roles=[Role.HEAD], office=office("6503"))

    text = layout_text(
        report_render_pdf(
            analysis=ikm_analysis(period=OCTOBER), office=default_office(), now=SIGNED_AT
        )
    )

    assert "Banjarnegara, 25 November 2026" in text
    assert re.search(r"\(\s*\.{20,}\s*\)", text)  # the name, to write in by hand
    assert re.search(r"NIP \.{20,}", text)
    assert "Ketua Kantor Lain" not in text


def test_offices_side_by_side_are_not_signed(respondents, head):
    analysis = ikm_analysis(period=OCTOBER)
    comparison = offices_compare(period=OCTOBER)

    pdf = report_render_pdf(analysis=analysis, scope="Semua kantor", comparison=comparison)
    text = " ".join(layout_text(pdf).split())

    assert "NIP" not in text and head.full_name not in text
    assert (
        "Rekapitulasi ini menyandingkan angka masing-masing kantor dan tidak ditandatangani" in text
    )


def test_the_report_states_the_weighting_and_the_spreadsheet_index(client, staff, respondents):
    analysis = ikm_analysis(period=OCTOBER)
    client.force_login(staff)

    html = client.get(reverse("ikm:analysis"), OCTOBER_QUERY).content.decode()
    text = " ".join(layout_text(report_render_pdf(analysis=analysis)).split())

    # 4 × 36 + 2 × 27 = 198 points: 198 / 6 / 9 × 25 = 91,67; weighed 0,111 it is
    # 33 × 0,111 × 25 = 91,575 exactly, 91,58 half up.
    assert analysis.current.ikm == Decimal("91.67")
    assert analysis.spreadsheet_ikm == Decimal("91.58")
    for page in (" ".join(html.split()), text):
        assert "berbobot tepat 1/9" in page
        assert "bobot 0,111" in page
        assert "indeks periode ini akan tertulis 91,58, bukan 91,67" in page


def test_the_csv_holds_the_profile_and_the_spreadsheet_index(client, staff, respondents):
    client.force_login(staff)

    text = client.get(reverse("ikm:analysis"), {**OCTOBER_QUERY, "format": "csv"}).content.decode()

    assert "IKM dengan bobot 0.111 per unsur,91.58," in text
    assert "Segmen: Pelajar/mahasiswa,2,33.3\r\n" in text
    assert "Saluran: Online,5,83.3\r\n" in text
    assert "Jenis produk: Peta digital,0,0.0\r\n" in text


def test_the_report_looks_like_its_reference_image(respondents):
    from tests.documents import assert_looks_like_reference

    UserFactory(full_name="Dra. Sri Wahyuni", roles=[Role.HEAD], nip="198511052008012003")
    with timezone.override(default_office().zone):
        pdf = report_render_pdf(
            analysis=ikm_analysis(period=OCTOBER), office=default_office(), now=SIGNED_AT
        )

    assert_looks_like_reference(pdf, "ikm-report")
