"""Feedback per office: a complaint is addressed to an office, a rating belongs to the office
whose service was rated, each office has its own IKM and reports. An office's people see and act
on their own office's only; another office's is not found and nothing changes. National readers
see the offices side by side."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from desk.services import visit_call_next, visit_move
from feedback.complaints.services import (
    ComplaintError,
    complaint_answer,
    complaint_close,
    complaint_submit,
)
from feedback.ikm import CODES
from feedback.models import Complaint, ComplaintStatus, IkmReport, Rating
from feedback.reporting import report_send
from feedback.services import (
    FeedbackError,
    follow_up_close,
    follow_up_reply,
    rating_flag,
    rating_invite,
)
from feedback.tasks import reports_send_monthly_task
from kiosk.rating import visit_rating_submit
from offices.models import CENTRE_CODE
from silastik.mail.models import OutboundEmail
from silastik.users.roles import Role
from tests.desk.conftest import ticket
from tests.factories import PublicationFactory, UserFactory, default_office, office, walk_in_desk
from tests.orders.conftest import submitted

from .conftest import completed_order, rated
from .test_analysis import MIXED, OCTOBER, at, pdf_text

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
LOW = dict.fromkeys(CODES, 3) | {"u3": 2}
OCTOBER_QUERY = {"start": "2026-10-01", "end": "2026-10-31"}


@pytest.fixture
def tana_tidung():
    return office("6503", name="BPS Kabupaten Tana Tidung", time_zone="Asia/Makassar")


@pytest.fixture
def staff_6503(tana_tidung):
    return UserFactory(email="petugas.6503@example.com", roles=[Role.PST_STAFF], office=tana_tidung)


@pytest.fixture
def head_6503(tana_tidung):
    return UserFactory(email="ketua.6503@example.com", roles=[Role.HEAD], office=tana_tidung)


@pytest.fixture
def treasurer_6503(tana_tidung):
    return UserFactory(
        email="bendahara.6503@example.com", roles=[Role.TREASURER], office=tana_tidung
    )


@pytest.fixture
def national_admin(db):
    return UserFactory(email="nasional@example.com", roles=[Role.NATIONAL_ADMIN])


@pytest.fixture
def tana_tidung_book(tana_tidung):
    return PublicationFactory(title="Tana Tidung Dalam Angka", office=tana_tidung)


def complaint_to(office_, **fields) -> Complaint:
    return complaint_submit(
        category="service",
        text=fields.pop("text", "Antrean di loket terlalu lama."),
        contact_email="warga@example.com",
        language="id",
        office=office_,
        **fields,
    )


def admin_urls(complaint: Complaint) -> dict[str, str]:
    return {
        "change": reverse("admin:feedback_complaint_change", args=[complaint.pk]),
        "attachment": reverse("admin:feedback_complaint_attachment", args=[complaint.pk]),
    }


# --- complaints -----------------------------------------------------------------------------------


def test_a_complaint_filed_to_6503_is_seen_and_answered_by_6503_staff_only(
    client, staff, staff_6503, tana_tidung
):
    response = client.post(
        reverse("complaints:new"),
        {
            "office": "6503",
            "category": "service",
            "text": "Petugas tidak menjawab telepon.",
            "contact_email": "warga@example.com",
            "attachment": SimpleUploadedFile("foto.png", PNG),
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.office == tana_tidung
    received = OutboundEmail.objects.get(template="complaint_received")
    assert "BPS Kabupaten Tana Tidung" in received.body_text
    assert "BPS Kabupaten Tana Tidung" in received.body_html
    listing = reverse("admin:feedback_complaint_changelist")

    client.force_login(staff)
    assert complaint.code not in client.get(listing).content.decode()
    for url in admin_urls(complaint).values():
        assert client.get(url).status_code == 404
    answer = reverse("admin:feedback_complaint_act", args=[complaint.pk, "answer"])
    close = reverse("admin:feedback_complaint_act", args=[complaint.pk, "close"])
    assert client.post(answer, {"text": "Dari kantor lain."}).status_code == 404
    assert client.post(close, {"note": ""}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.NEW and not complaint.messages.exists()

    client.force_login(staff_6503)
    assert complaint.code in client.get(listing).content.decode()
    assert client.get(admin_urls(complaint)["attachment"]).status_code == 200
    page = client.get(admin_urls(complaint)["change"]).content.decode()
    assert 'id="answer-form"' in page and "BPS Kabupaten Tana Tidung" in page
    client.post(answer, {"text": "Mohon maaf, kami perbaiki."})
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED
    answered = OutboundEmail.objects.get(template="complaint_answered")
    assert "BPS Kabupaten Tana Tidung" in answered.body_text


def test_the_service_refuses_another_offices_staff_and_changes_nothing(staff, tana_tidung):
    complaint = complaint_to(tana_tidung)

    with pytest.raises(ComplaintError):
        complaint_answer(complaint=complaint, by=staff, text="Bukan kantor saya.")
    with pytest.raises(ComplaintError):
        complaint_close(complaint=complaint, by=staff)

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.NEW and not complaint.messages.exists()
    assert not OutboundEmail.objects.exclude(template="complaint_received").exists()


def test_the_treasurer_and_head_of_another_office_are_refused_too(
    client, treasurer_6503, head_6503
):
    complaint = complaint_to(default_office(), attachment=SimpleUploadedFile("f.png", PNG))
    answer = reverse("admin:feedback_complaint_act", args=[complaint.pk, "answer"])

    client.force_login(treasurer_6503)
    for url in admin_urls(complaint).values():
        assert client.get(url).status_code == 403
    assert client.post(answer, {"text": "x"}).status_code == 403
    client.force_login(head_6503)
    for url in admin_urls(complaint).values():
        assert client.get(url).status_code == 302  # to the back office's login

    assert not complaint.messages.exists()


def test_the_form_lists_active_offices_and_preselects_the_linked_one(client, tana_tidung):
    default_office()
    office("1600", name="BPS Provinsi Sumatera Selatan", is_active=False)

    page = client.get(reverse("complaints:new"), {"kantor": "6503"}).content.decode()
    unknown = client.get(reverse("complaints:new"), {"kantor": "9999"}).content.decode()

    assert '<option value="6503" selected>' in page
    assert 'value="3304"' in page and 'value="1600"' not in page
    offices = unknown.split('name="office"')[1].split("</select>")[0]
    assert "selected" not in offices.replace('value="" selected', "")


def test_an_office_must_be_chosen_and_be_active(client, tana_tidung):
    response = client.post(
        reverse("complaints:new"),
        {"category": "service", "text": "Tanpa kantor.", "contact_email": "a@example.com"},
    )
    tana_tidung.is_active = False
    tana_tidung.save()

    assert response.status_code == 200 and "office" in response.context["form"].errors
    with pytest.raises(ComplaintError):
        complaint_to(None)
    with pytest.raises(ComplaintError):
        complaint_to(tana_tidung)
    assert not Complaint.objects.exists()


def test_a_named_orders_office_wins_over_the_one_chosen(client, customer, publication, tana_tidung):
    order = submitted(customer, publication)  # served by Banjarnegara
    client.force_login(customer)

    linked = client.get(reverse("complaints:new"), {"kantor": "6503", "pesanan": order.pk})
    client.post(
        reverse("complaints:new"),
        {
            "office": "6503",
            "order": order.pk,
            "category": "tariff",
            "text": "Tagihan tidak sesuai.",
            "contact_email": customer.email,
        },
    )

    form = linked.context["form"]
    assert (form.initial["office"], form.initial["order"]) == ("3304", order.pk)
    complaint = Complaint.objects.get()
    assert complaint.office == default_office() == order.office
    status = client.get(reverse("complaints:status", args=[complaint.code])).content.decode()
    assert 'id="complaint-office">BPS Kabupaten Banjarnegara<' in status


def test_another_customers_order_preselects_nothing(client, customer, other_customer, publication):
    foreign = submitted(other_customer, publication)
    client.force_login(customer)

    form = client.get(reverse("complaints:new"), {"pesanan": foreign.pk}).context["form"]

    assert "order" not in form.initial and "office" not in form.initial


def test_the_order_page_links_to_a_complaint_to_its_office(client, customer, publication):
    order = submitted(customer, publication)
    client.force_login(customer)

    page = client.get(order.get_absolute_url()).content.decode()

    assert f"{reverse('complaints:new')}?pesanan={order.pk}" in page


def test_a_superuser_sees_every_offices_complaints_but_cannot_answer(
    client, superuser, tana_tidung
):
    here, there = complaint_to(default_office()), complaint_to(tana_tidung, text="Lain.")
    client.force_login(superuser)

    listing = client.get(reverse("admin:feedback_complaint_changelist")).content.decode()
    page = client.get(admin_urls(there)["change"]).content.decode()

    assert here.code in listing and there.code in listing
    assert "office__id__exact" in listing  # the filter by office
    assert 'id="answer-form"' not in page


# --- ratings --------------------------------------------------------------------------------------


def test_a_rating_belongs_to_the_office_that_served_the_order(customer, tana_tidung_book):
    rating = rated(customer, tana_tidung_book, LOW)

    assert rating.office == tana_tidung_book.office


def test_another_offices_staff_cannot_open_or_follow_up_a_rating(
    client, customer, staff, staff_6503, tana_tidung_book
):
    rating = rated(customer, tana_tidung_book, LOW, comment="Lama sekali.")
    change = reverse("admin:feedback_rating_change", args=[rating.pk])
    listing = reverse("admin:feedback_rating_changelist") + "?follow_up=open"
    client.force_login(staff)

    assert client.get(change).status_code == 404
    assert str(rating.order.number) not in client.get(listing).content.decode()
    for action, data in [("reply", {"text": "Halo"}), ("close", {"outcome": "X"}), ("flag", {})]:
        url = reverse("admin:feedback_rating_act", args=[rating.pk, action])
        assert client.post(url, data).status_code == 404
    for service, kwargs in [
        (follow_up_reply, {"text": "Halo"}),
        (follow_up_close, {"outcome": "Selesai"}),
        (rating_flag, {}),
    ]:
        with pytest.raises(FeedbackError):
            service(rating=rating, by=staff, **kwargs)
    rating.refresh_from_db()
    assert rating.follow_up_open and not rating.messages.exists()
    assert not OutboundEmail.objects.filter(template__startswith="follow_up").exists()

    client.force_login(staff_6503)
    assert str(rating.order.number) in client.get(listing).content.decode()
    reply = reverse("admin:feedback_rating_act", args=[rating.pk, "reply"])
    client.post(reply, {"text": "Mohon maaf atas keterlambatannya."})
    email = OutboundEmail.objects.get(template="follow_up_reply")
    assert "BPS Kabupaten Tana Tidung" in email.body_text


def test_the_treasurer_and_head_of_the_office_cannot_open_its_ratings(
    client, customer, treasurer_6503, head_6503, tana_tidung_book
):
    rating = rated(customer, tana_tidung_book, LOW)
    change = reverse("admin:feedback_rating_change", args=[rating.pk])
    close = reverse("admin:feedback_rating_act", args=[rating.pk, "close"])

    client.force_login(treasurer_6503)
    detail = client.get(change)
    assert detail.status_code == 302 and detail.url == reverse("admin:index")
    assert client.post(close, {"outcome": "Selesai"}).url == change  # refused, back to the page
    client.force_login(head_6503)
    assert client.get(change).url.startswith(reverse("admin:login"))

    rating.refresh_from_db()
    assert rating.follow_up_open


def test_staff_cannot_rate_or_answer_for_a_customer(client, customer, staff, tana_tidung_book):
    rating = rated(customer, tana_tidung_book, LOW)
    client.force_login(staff)

    assert client.get(reverse("feedback:rate", args=[rating.order_id])).status_code == 404
    answer = client.post(reverse("feedback:answer", args=[rating.order_id]), {"text": "Saya."})

    assert answer.status_code == 404 and not rating.messages.exists()


def test_the_invitation_to_rate_comes_from_the_serving_office(customer, tana_tidung_book):
    order = completed_order(customer, tana_tidung_book)

    rating_invite(order=order)

    email = OutboundEmail.objects.get(template="rating_invitation")
    assert "BPS Kabupaten Tana Tidung" in email.body_text
    assert "BPS Kabupaten Banjarnegara" not in email.body_text


def test_a_kiosk_rating_belongs_to_the_office_of_the_visit(staff_6503, tana_tidung):
    visit = ticket(office=tana_tidung)
    called = visit_call_next(desk=walk_in_desk(office=tana_tidung), by=staff_6503)
    visit_move(visit=called, move="start", by=staff_6503)
    visit_move(visit=called, move="finish", by=staff_6503)

    rating = visit_rating_submit(visit=visit, scores=LOW)

    assert rating.office == tana_tidung and rating.visit == visit


# --- the IKM and its reports ----------------------------------------------------------------------


@pytest.fixture
def two_offices(publication, tana_tidung_book):
    """October: Banjarnegara 79,17 (two ratings), Tana Tidung 100 (one)."""
    at(rated(UserFactory(), publication, 3), date(2026, 10, 5))
    at(rated(UserFactory(), publication, MIXED, comment="Sampel lambat."), date(2026, 10, 20))
    there = at(
        rated(UserFactory(), tana_tidung_book, 4, comment="Jauh dari kota."), date(2026, 10, 7)
    )
    # Its staff flagged the comment: it is listed among the follow-ups.
    Rating.objects.filter(pk=there.pk).update(needs_follow_up=True, flagged_by_staff=True)


def test_an_offices_people_see_their_own_office_only(client, staff, head_6503, two_offices):
    client.force_login(staff)
    mine = client.get(reverse("ikm:analysis"), OCTOBER_QUERY).content.decode()
    client.force_login(head_6503)
    theirs = client.get(reverse("ikm:analysis"), OCTOBER_QUERY).content.decode()

    assert 'id="ikm-value">79,17<' in mine and "Jauh dari kota." not in mine
    assert 'id="office-table"' not in mine and 'name="office"' not in mine
    assert 'id="ikm-value">100,00<' in theirs and "Sampel lambat." not in theirs
    assert 'id="analysis-scope">BPS Kabupaten Tana Tidung<' in theirs


@pytest.mark.parametrize("who", ["staff", "head"])
@pytest.mark.parametrize("fmt", ["html", "csv", "pdf"])
@pytest.mark.parametrize("query", [{"office": "6503"}, {"province": "65"}, {"office": "0000"}])
def test_another_offices_figures_are_not_found_in_any_format(
    client, request, two_offices, tana_tidung, who, fmt, query
):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("ikm:analysis"), {**OCTOBER_QUERY, **query, "format": fmt})

    assert response.status_code == 404


def test_the_csv_of_an_office_holds_its_own_ratings_only(client, staff_6503, two_offices):
    client.force_login(staff_6503)

    text = client.get(reverse("ikm:analysis"), {**OCTOBER_QUERY, "format": "csv"}).content.decode()

    assert "Jauh dari kota." in text and "Sampel lambat." not in text
    assert "100.00" in text and "79.17" not in text


def test_the_national_view_lists_the_offices_side_by_side(client, national_admin, two_offices):
    client.force_login(national_admin)

    page = client.get(reverse("ikm:analysis"), OCTOBER_QUERY)

    html = page.content.decode()
    comparison = page.context["comparison"]
    rows = {row.office.code: row.result for row in comparison.rows}
    assert rows["3304"].ikm == Decimal("79.17") and rows["6503"].ikm == Decimal("100.00")
    assert (rows["3304"].respondents, rows["6503"].respondents) == (2, 1)
    assert comparison.total.respondents == 3
    # The total counts every respondent once: not the mean of 79,17 and 100.
    assert comparison.total.ikm == page.context["analysis"].current.ikm == Decimal("86.11")
    assert 'id="office-table"' in html and 'data-office="6503"' in html
    assert page.context["scope"].office is None and page.context["scope"].office_ids is None
    assert "Jauh dari kota." in html and "Sampel lambat." in html
    assert 'id="send-form"' not in html


def test_a_national_reader_filters_by_province_and_chooses_an_office(
    client, national_admin, two_offices
):
    client.force_login(national_admin)

    province = client.get(reverse("ikm:analysis"), {**OCTOBER_QUERY, "province": "33"})
    one = client.get(reverse("ikm:analysis"), {**OCTOBER_QUERY, "office": "6503"})

    codes = [row.office.code for row in province.context["comparison"].rows]
    assert "3304" in codes and "6503" not in codes
    assert province.context["analysis"].current.respondents == 2
    assert one.context["comparison"] is None
    assert 'id="ikm-value">100,00<' in one.content.decode()
    assert one.context["scope"].office.code == "6503"


def test_the_national_csv_and_pdf_hold_the_offices_table(client, national_admin, two_offices):
    client.force_login(national_admin)

    csv = client.get(reverse("ikm:analysis"), {**OCTOBER_QUERY, "format": "csv"})
    pdf = client.get(reverse("ikm:analysis"), {**OCTOBER_QUERY, "format": "pdf"})

    text = csv.content.decode()
    assert "6503,BPS Kabupaten Tana Tidung,1,100.00,A" in text
    assert "3304,BPS Kabupaten Banjarnegara,2,79.17,B" in text
    assert ",3,86.11," in text  # the total
    assert "BPS Kabupaten Tana Tidung" in pdf_text(pdf.content)


def test_the_head_of_the_centre_reads_nationally(client, two_offices):
    head = UserFactory(roles=[Role.HEAD], office=office(CENTRE_CODE))
    client.force_login(head)

    page = client.get(reverse("ikm:analysis"), OCTOBER_QUERY)

    assert page.status_code == 200 and page.context["comparison"].total.respondents == 3


def test_the_national_page_runs_the_same_queries_however_many_offices(
    client, national_admin, two_offices, django_assert_max_num_queries
):
    client.force_login(national_admin)
    with django_assert_max_num_queries(60) as few:
        client.get(reverse("ikm:analysis"), OCTOBER_QUERY)
    for code in ("1600", "1601", "3301", "6501"):
        book = PublicationFactory(office=office(code))
        at(rated(UserFactory(), book, 3), date(2026, 10, 9))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("ikm:analysis"), OCTOBER_QUERY)
    assert len(page.context["comparison"].rows) >= 7


def test_staff_send_their_offices_report_to_its_heads_only(
    client, staff, head, staff_6503, head_6503, two_offices
):
    client.force_login(staff_6503)

    client.post(reverse("ikm:send"), OCTOBER_QUERY)

    report = IkmReport.objects.get()
    assert report.office.code == "6503" and report.ikm == Decimal("100.00")
    assert [email.to for email in report.emails.all()] == [head_6503.email]
    assert "BPS Kabupaten Tana Tidung" in report.emails.get().body_text
    with pytest.raises(FeedbackError):
        report_send(period=OCTOBER, office=default_office(), by=staff_6503)


def test_the_monthly_task_sends_each_office_its_own_report(committed, head, head_6503, two_offices):
    UserFactory(roles=[Role.HEAD], office=office("6501"))  # an office with a head, no ratings
    office("1600")  # an office without a head gets nothing

    with committed():  # one task per office, queued after commit
        assert reports_send_monthly_task(today="2026-11-01") == 3
    with committed():
        assert reports_send_monthly_task(today="2026-11-02") == 0

    reports = {r.office.code: r for r in IkmReport.objects.select_related("office")}
    assert set(reports) == {"3304", "6501", "6503"}
    assert all(
        r.automatic and (r.start, r.end) == (OCTOBER.start, OCTOBER.end) for r in reports.values()
    )
    assert (reports["3304"].ikm, reports["6503"].ikm, reports["6501"].ikm) == (
        Decimal("79.17"),
        Decimal("100.00"),
        None,
    )
    assert [e.to for e in reports["3304"].emails.all()] == [head.email]
    assert [e.to for e in reports["6503"].emails.all()] == [head_6503.email]


def test_an_offices_month_is_on_its_own_clock(head_6503, tana_tidung_book):
    # 23:30 WIB on 31 October is already 00:30 WITA on 1 November in Tana Tidung.
    late = rated(UserFactory(), tana_tidung_book, 4)
    moment = datetime(2026, 10, 31, 23, 30, tzinfo=timezone.get_default_timezone())
    Rating.objects.filter(pk=late.pk).update(created_at=moment)

    report = report_send(period=OCTOBER, office=tana_tidung_book.office)

    assert report.respondents == 0


def test_heads_see_their_offices_reports_only(
    client, staff, head, staff_6503, head_6503, national_admin, two_offices
):
    ours = report_send(period=OCTOBER, office=default_office(), by=staff)
    theirs = report_send(period=OCTOBER, office=staff_6503.office_membership.office, by=staff_6503)

    client.force_login(head)
    listing = client.get(reverse("ikm:reports")).content.decode()
    assert reverse("ikm:report_pdf", args=[ours.pk]) in listing
    assert reverse("ikm:report_pdf", args=[theirs.pk]) not in listing
    assert client.get(reverse("ikm:report_pdf", args=[theirs.pk])).status_code == 404
    client.force_login(staff)
    assert client.get(reverse("ikm:report_pdf", args=[theirs.pk])).status_code == 404
    client.force_login(head_6503)
    assert client.get(reverse("ikm:report_pdf", args=[theirs.pk])).status_code == 200
    client.force_login(national_admin)
    listing = client.get(reverse("ikm:reports")).content.decode()
    assert reverse("ikm:report_pdf", args=[ours.pk]) in listing
    assert reverse("ikm:report_pdf", args=[theirs.pk]) in listing
