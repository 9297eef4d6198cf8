"""Complaints and suggestions: filed by anyone, tracked by code, answered and closed by staff."""

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from feedback.complaints.services import (
    TEXT_MAX,
    ComplaintError,
    complaint_answer,
    complaint_close,
    complaint_code_new,
    complaint_code_normalize,
    complaint_reply,
    complaint_submit,
)
from feedback.models import Complaint, ComplaintMessage, ComplaintStatus
from silastik.codes import CODE_ALPHABET
from silastik.mail.models import OutboundEmail
from silastik.ratelimit import RateLimit, client_key
from silastik.uploads import MB
from tests.factories import default_office
from tests.orders.conftest import PDF, submitted

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FORM = {
    "category": "service",
    "text": "Petugas tidak menjawab telepon selama tiga hari.",
    "contact_email": "warga@example.com",
    "contact_name": "",
    "website": "",
}
NEW = reverse("complaints:new")


def file_complaint(**overrides) -> Complaint:
    fields = {
        "category": "data_quality",
        "text": "Angka penduduk kecamatan Batur tidak sama dengan publikasi.",
        "contact_email": "warga@example.com",
        "language": "id",
        "office": default_office(),
        **overrides,
    }
    return complaint_submit(**fields)


def post_complaint(client, **overrides):
    return client.post(NEW, {**FORM, "office": default_office().code, **overrides})


def status_url(complaint: Complaint) -> str:
    return reverse("complaints:status", args=[complaint.code])


# --- codes ----------------------------------------------------------------------------------------


def test_a_code_is_short_random_and_unambiguous():
    codes = {complaint_code_new() for _i in range(200)}

    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"PGD-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
        assert not set(code[4:].replace("-", "")) - set(CODE_ALPHABET)
        assert not set("ILOU") & set(code[4:])
    # Eight characters of a 32-letter alphabet: 40 bits.
    assert len(CODE_ALPHABET) ** 8 >= 2**40


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("PGD-7K3M-Q9XA", "PGD-7K3M-Q9XA"),
        ("pgd 7k3m q9xa", "PGD-7K3M-Q9XA"),
        ("7K3MQ9XA", "PGD-7K3M-Q9XA"),
        (" pgd-7k3m-q9xa ", "PGD-7K3M-Q9XA"),
        ("PGD-OIL0-1234", "PGD-0110-1234"),  # O reads as 0, I and L as 1
        ("PGD-7K3M-Q9X", None),
        ("PGD-7K3M-Q9XU", None),
        ("../../etc/passwd", None),
        ("", None),
    ],
)
def test_a_typed_code_is_normalised(typed, expected):
    assert complaint_code_normalize(typed) == expected


def test_the_code_is_unique_by_constraint():
    complaint = file_complaint()

    with pytest.raises(IntegrityError):
        Complaint.objects.create(
            code=complaint.code,
            office=complaint.office,
            category="other",
            text="x",
            contact_email="a@example.com",
        )


# --- filing -------------------------------------------------------------------------------------


def test_an_anonymous_filer_gets_a_code_and_a_receipt_email(client):
    response = post_complaint(client)

    assert response.status_code == 302
    assert response.url == reverse("complaints:thanks")
    complaint = Complaint.objects.get()
    assert complaint.submitted_by is None
    assert complaint.status == ComplaintStatus.NEW
    assert complaint.ip == "127.0.0.1"
    assert complaint.language == "id"
    page = client.get(response.url).content.decode()
    assert complaint.code in page
    email = OutboundEmail.objects.get(template="complaint_received")
    assert email.to == "warga@example.com"
    assert complaint.code in email.subject
    assert complaint.code in email.body_text
    link = f"{settings.SITE_URL.rstrip('/')}/pengaduan/{complaint.code}/"
    assert link in email.body_text
    assert link in email.body_html
    # The filer's own words are not repeated to an address nobody has verified.
    assert FORM["text"] not in email.body_text


def test_the_receipt_email_is_in_the_filers_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    post_complaint(client)

    complaint = Complaint.objects.get()
    email = OutboundEmail.objects.get(template="complaint_received")
    assert complaint.language == "en"
    assert email.language == "en"
    assert email.subject == f"Complaint {complaint.code} received"


def test_the_thank_you_page_is_only_for_the_browser_that_filed(client):
    post_complaint(client)
    client.cookies.clear()

    assert client.get(reverse("complaints:thanks")).url == NEW


def test_an_email_address_given_must_be_valid(client):
    # None may be given (the complaint is then followed by its code: test_complaint_channels),
    # but a wrong one would send the code and the answers nowhere.
    response = post_complaint(client, contact_email="warga@")

    assert response.status_code == 200
    assert "contact_email" in response.context["form"].errors
    assert not Complaint.objects.exists()
    assert not OutboundEmail.objects.exists()
    with pytest.raises(ComplaintError):
        file_complaint(contact_email="warga@")


def test_the_text_is_limited_to_5000_characters(client):
    response = post_complaint(client, text="a" * (TEXT_MAX + 1))

    assert response.status_code == 200
    assert "text" in response.context["form"].errors
    assert not Complaint.objects.exists()
    with pytest.raises(ComplaintError, match=r"5\.000"):
        file_complaint(text="a" * (TEXT_MAX + 1))
    assert file_complaint(text="a" * TEXT_MAX).text == "a" * TEXT_MAX


def test_a_filled_honeypot_saves_nothing(client):
    response = post_complaint(client, website="https://spam.example")

    assert response.status_code == 200
    assert not Complaint.objects.exists()


def test_the_form_is_public_and_points_to_lapor(client):
    page = client.get(NEW).content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert "https://www.lapor.go.id" in page
    assert 'name="order"' not in page  # anonymous filers cannot name an order


def test_the_home_page_and_the_footer_link_to_the_form(client):
    page = client.get(reverse("home")).content.decode()

    assert 'id="home-complaints"' in page
    assert f'href="{NEW}" id="footer-complaints"' in page


# --- orders ---------------------------------------------------------------------------------------


def test_a_signed_in_filer_may_name_an_own_order(client, customer, publication):
    order = submitted(customer, publication)
    client.force_login(customer)

    page = client.get(NEW).content.decode()
    response = post_complaint(client, order=order.pk, contact_email=customer.email)

    assert order.number in page
    assert customer.email in page  # the contact address is prefilled from the account
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.order == order
    assert complaint.submitted_by == customer


def test_another_customers_order_is_refused_and_nothing_saved(
    client, customer, other_customer, publication
):
    submitted(customer, publication)
    foreign = submitted(other_customer, publication)
    client.force_login(customer)

    response = post_complaint(client, order=foreign.pk)

    assert response.status_code == 200
    with translation.override("id"):
        assert gettext("Choose one of your own orders.") in response.content.decode()
    assert not Complaint.objects.exists()
    assert not OutboundEmail.objects.exists()
    with pytest.raises(ComplaintError):
        file_complaint(order=foreign, by=customer)
    with pytest.raises(ComplaintError):
        file_complaint(order=foreign, by=None)
    assert not Complaint.objects.exists()


def test_an_anonymous_filer_cannot_attach_an_order(client, customer, publication):
    order = submitted(customer, publication)

    post_complaint(client, order=order.pk)

    assert Complaint.objects.get().order is None


# --- attachments ----------------------------------------------------------------------------------


def test_an_attachment_is_checked_by_content_and_stored_privately(client):
    upload = SimpleUploadedFile("foto loket.png", PNG, content_type="image/png")

    post_complaint(client, attachment=upload)

    complaint = Complaint.objects.get()
    assert complaint.attachment_name == "foto loket.png"
    assert re.fullmatch(r"complaints/\d{4}/\d{2}/[0-9a-f]{32}\.png", complaint.attachment.name)
    with pytest.raises(ValueError, match="no public URL"):
        complaint.attachment.url  # noqa: B018
    page = client.get(status_url(complaint)).content.decode()
    assert "foto loket.png" not in page
    assert complaint.attachment.name not in page


def test_a_disguised_attachment_is_refused_and_nothing_saved(client):
    upload = SimpleUploadedFile("bukti.pdf", b"<html><script>alert(1)</script></html>")

    response = post_complaint(client, attachment=upload)

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["attachment"][0].code == "kind_not_allowed"
    assert not Complaint.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_an_oversized_attachment_is_refused_and_nothing_saved(client):
    upload = SimpleUploadedFile("scan.pdf", PDF + b"0" * (5 * MB))

    response = post_complaint(client, attachment=upload)

    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["attachment"][0].code == "too_large"
    assert not Complaint.objects.exists()


def test_the_service_checks_an_attachment_itself():
    with pytest.raises(ComplaintError):
        file_complaint(attachment=SimpleUploadedFile("a.zip", b"PK\x03\x04" + b"\x00" * 40))
    assert not Complaint.objects.exists()

    complaint = file_complaint(attachment=SimpleUploadedFile("../../surat.pdf", PDF))
    assert complaint.attachment.name.endswith(".pdf")
    assert complaint.attachment_name == "surat.pdf"


# --- abuse limits ---------------------------------------------------------------------------------


def test_submissions_are_limited_per_address_and_the_refused_one_saves_nothing(client):
    limit = settings.COMPLAINTS_SUBMIT_PER_HOUR
    for i in range(limit):
        assert post_complaint(client, text=f"Keluhan nomor {i}.").status_code == 302

    response = post_complaint(client, text="Satu keluhan lagi.")

    assert response.status_code == 429
    assert "rate-limited" in response.content.decode()
    assert Complaint.objects.count() == limit
    assert OutboundEmail.objects.count() == limit
    # Another address is not affected.
    assert (
        client.post(NEW, {**FORM, "office": "3304"}, REMOTE_ADDR="203.0.113.9").status_code == 302
    )


def test_invalid_attempts_do_not_use_up_the_limit(client, settings):
    settings.COMPLAINTS_SUBMIT_PER_HOUR = 1
    for _i in range(3):
        assert post_complaint(client, text="").status_code == 200

    assert post_complaint(client).status_code == 302
    assert post_complaint(client).status_code == 429


def test_lookups_are_limited_per_address(client, settings):
    settings.COMPLAINTS_LOOKUPS_PER_10_MINUTES = 3
    complaint = file_complaint()
    url = status_url(complaint)

    codes = [url, reverse("complaints:status", args=["PGD-0000-0000"]), url]
    assert [client.get(u).status_code for u in codes] == [200, 404, 200]
    response = client.get(url)

    assert response.status_code == 429
    assert client.get(url, REMOTE_ADDR="198.51.100.4").status_code == 200


def test_a_rate_limit_counts_an_ipv6_network_as_one_address():
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::2")
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:203.0.113.7") == "203.0.113.7"
    assert client_key(None) == client_key("garbage") == "unknown"

    limit = RateLimit("test", 2, 60)
    assert [limit.hit("x", now=0) for _i in range(3)] == [True, True, False]
    assert limit.exceeded("x", now=59)
    assert not limit.exceeded("x", now=60)  # the next window


# --- tracking -------------------------------------------------------------------------------------


def test_the_status_page_works_without_an_account_and_leaks_no_contact(client):
    complaint = file_complaint(contact_name="Budi Rahasia", ip="203.0.113.50")

    response = client.get(status_url(complaint))

    page = response.content.decode()
    assert response.status_code == 200
    assert complaint.code in page
    with translation.override("id"):
        assert str(complaint.get_category_display()) in page
        assert str(complaint.get_status_display()) in page
    assert complaint.text in page
    assert "warga@example.com" not in page
    assert "203.0.113.50" not in page
    assert "Budi Rahasia" not in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_an_unknown_code_is_a_friendly_not_found(client):
    response = client.get(reverse("complaints:status", args=["PGD-ZZZZ-ZZZZ"]))

    assert response.status_code == 404
    assert 'id="not-found"' in response.content.decode()


def test_the_lookup_form_leads_to_the_status_page(client):
    complaint = file_complaint()
    typed = complaint.code.lower().replace("-", " ")

    response = client.post(reverse("complaints:lookup"), {"code": typed})

    assert response.status_code == 302
    assert response.url == status_url(complaint)
    bad = client.post(reverse("complaints:lookup"), {"code": "hello"})
    assert bad.status_code == 200
    assert "code" in bad.context["form"].errors


def test_signed_in_filers_see_their_own_complaints(
    client, customer, other_customer, publication, django_assert_max_num_queries
):
    order = submitted(customer, publication)
    mine = [file_complaint(by=customer, order=order, text=f"Keluhan {i}.") for i in range(5)]
    file_complaint(by=other_customer, text="Keluhan pelanggan lain.")
    file_complaint(text="Keluhan tanpa akun.")
    for complaint in mine[:3]:
        complaint_reply(complaint=complaint, by=customer, text="Tambahan informasi.")
    client.force_login(customer)

    with django_assert_max_num_queries(8):
        page = client.get(reverse("complaints:mine")).content.decode()

    assert all(c.code in page for c in mine)
    assert Complaint.objects.exclude(submitted_by=customer).count() == 2
    assert not any(c.code in page for c in Complaint.objects.exclude(submitted_by=customer))
    assert reverse("complaints:mine") in client.get(reverse("home")).content.decode()


def test_my_complaints_needs_an_account(client):
    response = client.get(reverse("complaints:mine"))

    assert response.status_code == 302
    assert reverse("users:login") in response.url


# --- the thread -----------------------------------------------------------------------------------


def test_a_staff_answer_is_emailed_to_the_contact_and_shown(client, staff):
    complaint = file_complaint()

    answered = complaint_answer(
        complaint=complaint, by=staff, text="Mohon maaf, angka sudah kami perbaiki."
    )

    assert answered.status == ComplaintStatus.ANSWERED
    assert answered.answered_at is not None
    email = OutboundEmail.objects.get(template="complaint_answered")
    assert email.to == "warga@example.com"
    assert "angka sudah kami perbaiki" in email.body_text
    assert complaint.code in email.subject
    page = client.get(status_url(complaint)).content.decode()
    assert "Mohon maaf, angka sudah kami perbaiki." in page
    assert staff.full_name not in page  # the office answers, not a named person


def test_closing_emails_the_filer_and_ends_the_thread(client, staff):
    complaint = file_complaint()
    complaint_answer(complaint=complaint, by=staff, text="Sudah kami tindak lanjuti.")

    closed = complaint_close(complaint=complaint, by=staff, note="Terima kasih atas masukannya.")
    again = complaint_close(complaint=complaint, by=staff, note="Lagi.")

    assert closed.status == again.status == ComplaintStatus.CLOSED
    assert closed.closed_at is not None
    assert complaint.messages.filter(kind="closing").count() == 1
    assert OutboundEmail.objects.filter(template="complaint_closed").count() == 1
    with pytest.raises(ComplaintError):
        complaint_answer(complaint=complaint, by=staff, text="Satu lagi.")
    page = client.get(status_url(complaint)).content.decode()
    assert "Terima kasih atas masukannya." in page
    assert 'id="closed-note"' in page
    assert 'id="reply-form"' not in page


@pytest.mark.parametrize("who", ["customer", "treasurer", "head", "superuser", "nobody"])
def test_only_pst_staff_answer_or_close(request, who):
    complaint = file_complaint()
    user = request.getfixturevalue(who) if who != "nobody" else None

    with pytest.raises(ComplaintError):
        complaint_answer(complaint=complaint, by=user, text="Jawaban.")
    with pytest.raises(ComplaintError):
        complaint_close(complaint=complaint, by=user, note="")

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.NEW
    assert not complaint.messages.exists()
    assert not OutboundEmail.objects.exclude(template="complaint_received").exists()


def test_an_empty_answer_is_refused(staff):
    complaint = file_complaint()

    with pytest.raises(ComplaintError):
        complaint_answer(complaint=complaint, by=staff, text="   ")


def test_a_double_click_sends_one_answer(staff):
    complaint = file_complaint()

    complaint_answer(complaint=complaint, by=staff, text="Sudah diperbaiki.")
    complaint_answer(complaint=complaint, by=staff, text="Sudah diperbaiki.")

    assert complaint.messages.count() == 1
    assert OutboundEmail.objects.filter(template="complaint_answered").count() == 1


def test_the_filer_may_follow_up_until_closed(client, staff):
    complaint = file_complaint()
    complaint_answer(complaint=complaint, by=staff, text="Data mana yang dimaksud?")
    url = status_url(complaint)

    response = client.post(url, {"text": "Tabel 3.1 halaman 45."})

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.NEW  # waiting for staff again
    follow_up = complaint.messages.get(kind="follow_up")
    assert follow_up.author is None
    assert (follow_up.from_status, follow_up.to_status) == ("answered", "new")
    assert "Tabel 3.1 halaman 45." in client.get(url).content.decode()

    complaint_close(complaint=complaint, by=staff, note="")
    response = client.post(url, {"text": "Satu lagi."}, follow=True)

    assert response.status_code == 200
    assert not ComplaintMessage.objects.filter(text="Satu lagi.").exists()
    with pytest.raises(ComplaintError):
        complaint_reply(complaint=complaint, text="Satu lagi.")


@pytest.mark.django_db
def test_the_receipt_greets_by_name_only_at_the_accounts_own_address(customer):
    own = complaint_submit(
        category="service",
        text="Antrean lama.",
        contact_email=customer.email,
        language="id",
        office=default_office(),
        by=customer,
    )
    other = complaint_submit(
        category="service",
        text="Antrean lama.",
        contact_email="someone@example.org",
        language="id",
        office=default_office(),
        by=customer,
    )

    mails = {m.to: m.body_text for m in OutboundEmail.objects.filter(template="complaint_received")}
    assert customer.full_name in mails[own.contact_email]
    assert customer.full_name not in mails[other.contact_email]


@pytest.mark.django_db
def test_a_double_click_files_one_complaint():
    office = default_office()
    first = complaint_submit(
        category="service",
        text="Antrean lama.",
        contact_email="a@example.org",
        language="id",
        office=office,
    )
    second = complaint_submit(
        category="service",
        text="Antrean lama.",
        contact_email="A@example.org",
        language="id",
        office=office,
    )

    assert first.pk == second.pk and Complaint.objects.count() == 1
    assert OutboundEmail.objects.filter(template="complaint_received").count() == 1
