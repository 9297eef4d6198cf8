"""The complaints desk in the back office: read-only records, answers and closing by PST staff."""

import pytest
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from feedback.complaints.services import complaint_reply, complaint_submit
from feedback.models import Complaint, ComplaintStatus
from silastik.mail.models import OutboundEmail
from tests.factories import default_office
from tests.orders.conftest import submitted

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def file_complaint(**overrides) -> Complaint:
    fields = {
        "category": "tariff",
        "text": "Tarif peta per desa terlalu mahal untuk mahasiswa.",
        "contact_email": "mahasiswa@example.com",
        "language": "id",
        "office": default_office(),
        **overrides,
    }
    return complaint_submit(**fields)


def change_url(complaint: Complaint) -> str:
    return reverse("admin:feedback_complaint_change", args=[complaint.pk])


def act_url(complaint: Complaint, action: str) -> str:
    return reverse("admin:feedback_complaint_act", args=[complaint.pk, action])


def attachment_url(complaint: Complaint) -> str:
    return reverse("admin:feedback_complaint_attachment", args=[complaint.pk])


def test_staff_list_complaints_with_filters_and_search(
    client, staff, customer, publication, django_assert_max_num_queries
):
    order = submitted(customer, publication)
    for i in range(8):
        complaint = file_complaint(by=customer, order=order if i % 2 else None)
        complaint_reply(complaint=complaint, text="Tambahan.")
    target = file_complaint(contact_email="khusus@example.com", category="facilities")
    client.force_login(staff)
    url = reverse("admin:feedback_complaint_changelist")

    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()

    assert all(c.code in page for c in Complaint.objects.all())
    assert "?status__exact=new" in page
    assert "?category__exact=facilities" in page
    found = client.get(url, {"q": "khusus@example.com"}).content.decode()
    assert target.code in found
    assert found.count("PGD-") < page.count("PGD-")
    assert target.code in client.get(url, {"q": target.code}).content.decode()
    facilities = client.get(url, {"category__exact": "facilities"}).context["cl"].result_count
    assert facilities == 1


def test_the_detail_page_shows_the_thread_and_the_forms(client, staff):
    complaint = file_complaint(ip="203.0.113.5")
    complaint_reply(complaint=complaint, text="Mohon segera dijawab.")
    client.force_login(staff)

    page = client.get(change_url(complaint)).content.decode()

    assert complaint.text in page
    assert "Mohon segera dijawab." in page
    assert "mahasiswa@example.com" in page
    assert "203.0.113.5" in page
    assert act_url(complaint, "answer") in page
    assert act_url(complaint, "close") in page
    # Read-only: there is no form that saves the complaint itself.
    assert 'name="_save"' not in page


def test_staff_answer_and_close_through_the_back_office(client, staff):
    complaint = file_complaint()
    client.force_login(staff)

    response = client.post(act_url(complaint, "answer"), {"text": "Ada tarif Rp0 untuk riset."})

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED
    assert OutboundEmail.objects.get(template="complaint_answered").to == "mahasiswa@example.com"

    client.post(act_url(complaint, "close"), {"note": ""})

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED
    page = client.get(change_url(complaint)).content.decode()
    assert act_url(complaint, "answer") not in page


def test_an_empty_answer_shows_the_form_again(client, staff):
    complaint = file_complaint()
    client.force_login(staff)

    response = client.post(act_url(complaint, "answer"), {"text": ""})

    assert response.status_code == 400
    assert not complaint.messages.exists()


def test_a_refused_move_is_shown_as_a_message(client, staff):
    complaint = file_complaint()
    client.force_login(staff)
    client.post(act_url(complaint, "close"), {"note": "Selesai."}, follow=True)

    response = client.post(act_url(complaint, "answer"), {"text": "Terlambat."}, follow=True)

    assert [m.level for m in response.context["messages"]] == [messages.ERROR]
    assert not complaint.messages.filter(kind="answer").exists()


def test_the_treasurer_can_neither_see_nor_answer(client, treasurer):
    complaint = file_complaint(attachment=SimpleUploadedFile("foto.png", PNG))
    client.force_login(treasurer)

    assert client.get(change_url(complaint)).status_code == 403
    assert client.post(act_url(complaint, "answer"), {"text": "Saya jawab."}).status_code == 403
    assert client.get(attachment_url(complaint)).status_code == 403
    assert client.get(reverse("admin:feedback_complaint_changelist")).status_code == 403
    assert not complaint.messages.exists()


def test_customers_and_the_head_are_sent_to_the_admin_login(client, customer, head):
    complaint = file_complaint(attachment=SimpleUploadedFile("foto.png", PNG))
    for user in (customer, head):
        client.force_login(user)

        for response in (
            client.post(act_url(complaint, "answer"), {"text": "Saya jawab."}),
            client.get(attachment_url(complaint)),
        ):
            assert response.status_code == 302
            assert reverse("admin:login") in response.url
    assert not complaint.messages.exists()


def test_a_superuser_may_look_but_not_answer(client, superuser):
    complaint = file_complaint()
    client.force_login(superuser)

    page = client.get(change_url(complaint)).content.decode()

    assert complaint.text in page
    assert act_url(complaint, "answer") not in page
    assert client.post(act_url(complaint, "answer"), {"text": "Halo."}).status_code == 403


def test_staff_open_the_attachment_through_the_checked_view(client, staff):
    complaint = file_complaint(attachment=SimpleUploadedFile("foto loket.png", PNG))
    client.force_login(staff)

    assert attachment_url(complaint) in client.get(change_url(complaint)).content.decode()
    response = client.get(attachment_url(complaint))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"] == 'inline; filename="foto loket.png"'


def test_no_attachment_is_not_found(client, staff):
    complaint = file_complaint()
    client.force_login(staff)

    assert client.get(attachment_url(complaint)).status_code == 404
