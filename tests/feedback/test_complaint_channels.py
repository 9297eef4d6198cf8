"""Complaints from every channel: staff enter what came by the suggestion box, e-mail, WhatsApp,
telephone or LAPOR!, with the channel recorded; anyone may file without an e-mail address and
follow the complaint by its code."""

import pytest
from django.urls import reverse

from feedback.complaints.services import ComplaintError, complaint_answer, complaint_record
from feedback.models import Complaint
from silastik.mail.models import OutboundEmail
from tests.factories import UserFactory, default_office, office

pytestmark = pytest.mark.django_db

RECORD = reverse("admin:feedback_complaint_record")
FORM = {
    "channel": "box",
    "category": "facilities",
    "text": "Kursi ruang tunggu kurang, banyak yang berdiri.",
    "contact_name": "Pak Darto",
    "contact_email": "",
    "contact_phone": "0812 2233 4455",
    "language": "id",
}


def test_staff_enter_a_complaint_from_the_suggestion_box(client, staff):
    client.force_login(staff)
    assert (
        'id="complaint-record"'
        in client.get(reverse("admin:feedback_complaint_changelist")).content.decode()
    )

    response = client.post(RECORD, FORM)

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:feedback_complaint_change", args=[complaint.pk])
    assert (complaint.channel, complaint.entered_by, complaint.office) == (
        "box",
        staff,
        default_office(),
    )
    assert complaint.contact_phone == "0812 2233 4455" and complaint.contact_email == ""
    page = client.get(response["Location"]).content.decode()
    assert "Kotak saran di loket" in page and 'id="no-email"' in page
    assert not OutboundEmail.objects.exists()  # nobody to write to


@pytest.mark.parametrize("channel", ["email", "whatsapp", "phone", "lapor", "in_person"])
def test_every_channel_is_recorded_and_filterable(client, staff, channel):
    client.force_login(staff)

    client.post(RECORD, {**FORM, "channel": channel, "contact_email": "warga@example.com"})

    assert Complaint.objects.get().channel == channel
    listed = client.get(reverse("admin:feedback_complaint_changelist") + f"?channel={channel}")
    assert listed.context["cl"].result_count == 1
    # With an address, the filer gets the tracking code like a web filer.
    assert OutboundEmail.objects.filter(to="warga@example.com", template="complaint_received")


def test_a_complaint_entered_without_text_is_refused_with_the_form(client, staff):
    client.force_login(staff)

    response = client.post(RECORD, {**FORM, "text": ""})

    assert response.status_code == 400 and not Complaint.objects.exists()
    assert "errorlist" in response.content.decode()


def test_the_web_form_is_not_a_channel_staff_enter(staff):
    with pytest.raises(ComplaintError):
        complaint_record(
            office=default_office(), by=staff, channel="web", category="other", text="x"
        )


def test_only_the_offices_staff_enter_complaints_for_it(client, treasurer, customer):
    far = UserFactory(email="far@example.com", roles=["pst_staff"], office=office("6503"))
    for who in (treasurer, customer):
        client.force_login(who)
        assert client.post(RECORD, FORM).status_code in (302, 403)
    with pytest.raises(ComplaintError):
        complaint_record(
            office=default_office(), by=far, channel="box", category="other", text="Antre."
        )
    assert not Complaint.objects.exists()


def test_anyone_may_file_without_an_email_and_is_told_to_keep_the_code(client):
    response = client.post(
        reverse("complaints:new"),
        {
            "office": default_office().code,
            "category": "service",
            "text": "Antrean lama sekali.",
            "contact_email": "",
            "contact_name": "",
            "website": "",
        },
    )

    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.contact_email == "" and complaint.channel == "web"
    thanks = client.get(response["Location"]).content.decode()
    assert complaint.code in thanks and 'id="code-only"' in thanks
    assert not OutboundEmail.objects.exists()


def test_an_answer_without_an_email_waits_on_the_status_page(client, staff):
    complaint = complaint_record(
        office=default_office(), by=staff, channel="phone", category="other", text="Harga peta?"
    )

    complaint_answer(complaint=complaint, by=staff, text="Rp30.000 per kecamatan.")

    assert not OutboundEmail.objects.exists()
    page = client.get(reverse("complaints:status", args=[complaint.code])).content.decode()
    assert "Rp30.000 per kecamatan." in page


def test_a_double_tap_without_an_email_files_one_complaint(client):
    form = {
        "office": default_office().code,
        "category": "service",
        "text": "Antrean lama sekali.",
        "contact_email": "",
        "contact_name": "",
        "website": "",
    }
    client.post(reverse("complaints:new"), form)
    client.post(reverse("complaints:new"), form)

    assert Complaint.objects.count() == 1


def test_a_double_click_of_staff_enters_one_complaint(client, staff):
    client.force_login(staff)

    client.post(RECORD, FORM)
    client.post(RECORD, FORM)

    assert Complaint.objects.count() == 1


def test_two_filers_without_an_email_at_one_address_get_two_codes():
    # A kiosk or a carrier's NAT: one address, two people, the same words.
    from django.test import Client

    form = {
        "office": default_office().code,
        "category": "service",
        "text": "Antrean lama sekali.",
        "contact_email": "",
        "contact_name": "",
        "website": "",
    }
    for _ in range(2):
        Client().post(reverse("complaints:new"), form)

    assert Complaint.objects.count() == 2
    assert len(set(Complaint.objects.values_list("code", flat=True))) == 2
