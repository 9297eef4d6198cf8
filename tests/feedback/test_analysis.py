"""The IKM analysis: figures by hand, the page, CSV and PDF, and the reports to the head."""

import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from feedback.analysis import Period, ikm_analysis, service_figures
from feedback.ikm import CODES
from feedback.models import IkmReport, Rating
from feedback.reporting import report_render_pdf, report_send, reports_send_monthly
from feedback.services import FeedbackError
from orders.models import Order
from silastik.mail.models import OutboundEmail
from silastik.mail.services import outbox_deliver_one
from tests.factories import UserFactory, default_office
from tests.services import need

from .conftest import rated, submitted

pytestmark = pytest.mark.django_db

OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))
MIXED = dict(zip(CODES, [4, 4, 3, 3, 2, 4, 4, 3, 3], strict=True))


def at(rating: Rating, day: date, channel: str = "online") -> Rating:
    moment = timezone.make_aware(datetime(day.year, day.month, day.day, 10))
    Rating.objects.filter(pk=rating.pk).update(created_at=moment, channel=channel)
    return rating


@pytest.fixture
def october(publication, dataset):
    """Two ratings in October (79,17 by hand, grade B) and one of 100 in September."""
    at(rated(UserFactory(), publication, 3), date(2026, 10, 5))
    at(rated(UserFactory(), dataset, MIXED, comment="Sampel lambat."), date(2026, 10, 20))
    at(rated(UserFactory(), publication, 4), date(2026, 9, 15))


def pdf_text(pdf: bytes) -> str:
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode()


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (OCTOBER, Period(date(2026, 9, 1), date(2026, 9, 30))),
        (
            Period(date(2026, 1, 1), date(2026, 12, 31)),
            Period(date(2025, 1, 1), date(2025, 12, 31)),
        ),
        (
            Period(date(2026, 1, 1), date(2026, 2, 28)),
            Period(date(2025, 11, 1), date(2025, 12, 31)),
        ),
        (Period(date(2026, 3, 10), date(2026, 3, 19)), Period(date(2026, 2, 28), date(2026, 3, 9))),
        # A month so far against the same days of the month before; a year so far likewise.
        (
            Period(date(2026, 11, 1), date(2026, 11, 22)),
            Period(date(2026, 10, 1), date(2026, 10, 22)),
        ),
        (Period(date(2026, 3, 1), date(2026, 3, 30)), Period(date(2026, 2, 1), date(2026, 2, 28))),
        (
            Period(date(2026, 1, 1), date(2026, 11, 22)),
            Period(date(2025, 1, 1), date(2025, 11, 22)),
        ),
    ],
)
def test_the_previous_period_has_the_same_length(period, previous):
    assert period.previous() == previous


def test_a_period_computed_by_hand(october):
    result = ikm_analysis(period=OCTOBER)

    assert result.current.respondents == 2
    assert result.current.ikm == Decimal("79.17") and result.current.grade.letter == "B"
    assert result.previous.ikm == Decimal("100.00")
    assert result.change == Decimal("-20.83")
    weakest = result.weakest[0]
    assert weakest.element.code == "u5" and weakest.nrr == Decimal("2.5")
    assert weakest.grade.letter == "D"  # 2,5 × 25 = 62,5
    assert result.follow_up_count == 1
    assert [r.comment for r in result.follow_ups] == ["Sampel lambat."]


def test_channels_and_product_kinds_split_the_respondents(october, publication):
    at(rated(UserFactory(), publication, 1), date(2026, 10, 9), channel="walk_in")

    result = ikm_analysis(period=OCTOBER)
    by_channel = {group.key: group.result for group in result.by_channel}
    by_kind = {group.key: group.result for group in result.by_kind}

    assert by_channel["online"].ikm == Decimal("79.17")
    assert by_channel["walk_in"].ikm == Decimal("25.00")
    assert by_kind["publication"].respondents == 2 and by_kind["microdata"].respondents == 1
    assert by_kind["map"].respondents == 0
    walk_in = ikm_analysis(period=OCTOBER, channel="walk_in")
    assert walk_in.current.respondents == 1
    microdata = ikm_analysis(period=OCTOBER, kind="microdata")
    assert microdata.current.ikm == Decimal("83.33")  # 30 / 9 × 25


def test_service_figures_count_the_standard_and_the_median(customer, publication):
    moment = timezone.make_aware(datetime(2026, 10, 10, 9))
    for days in (3, 8, 12, 15):
        order = submitted(UserFactory(), publication)
        Order.objects.filter(pk=order.pk).update(completed_at=moment, working_days_used=days)

    figures = service_figures(period=OCTOBER)

    assert (figures.completed, figures.within_standard) == (4, 2)
    assert figures.share_within == Decimal("50.0")
    assert figures.median_days == Decimal(10)
    assert service_figures(period=OCTOBER, kind="microdata").completed == 0


def test_the_page_for_staff_shows_the_index_with_charts(client, staff, october):
    client.force_login(staff)

    page = client.get(reverse("ikm:analysis"), {"start": "2026-10-01", "end": "2026-10-31"})

    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="ikm-value">79,17<' in html
    assert 'id="element-chart"' in html and 'id="trend-chart"' in html
    assert "Sampel lambat." in html and 'id="send-form"' in html


def test_the_head_reads_the_page_but_cannot_send(client, head, october):
    client.force_login(head)

    html = client.get(reverse("ikm:analysis"), {"start": "2026-10-01", "end": "2026-10-31"})
    send = client.post(reverse("ikm:send"), {"start": "2026-10-01", "end": "2026-10-31"})

    assert html.status_code == 200 and 'id="send-form"' not in html.content.decode()
    assert send.status_code == 404 and not IkmReport.objects.exists()


@pytest.mark.parametrize("who", ["customer", "treasurer"])
def test_customers_and_the_treasurer_do_not_see_the_analysis(client, who, customer, treasurer):
    client.force_login(customer if who == "customer" else treasurer)

    assert client.get(reverse("ikm:analysis")).status_code == 404
    assert client.get(reverse("ikm:reports")).status_code == 404


def test_a_reversed_period_is_refused_with_a_message(client, staff):
    client.force_login(staff)

    page = client.get(reverse("ikm:analysis"), {"start": "2026-10-31", "end": "2026-10-01"})

    assert "Akhir periode tidak boleh sebelum awalnya." in page.content.decode()


def test_the_page_runs_the_same_queries_however_many_ratings(
    client, staff, publication, django_assert_max_num_queries
):
    client.force_login(staff)
    query = {"start": "2026-10-01", "end": "2026-10-31"}
    at(rated(UserFactory(), publication, 3), date(2026, 10, 5))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("ikm:analysis"), query)
    for day in range(1, 20):
        at(rated(UserFactory(), publication, MIXED, comment="Komentar"), date(2026, 10, day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("ikm:analysis"), query).status_code == 200


def test_the_csv_holds_the_index_and_the_elements(client, staff, october):
    client.force_login(staff)

    response = client.get(
        reverse("ikm:analysis"), {"start": "2026-10-01", "end": "2026-10-31", "format": "csv"}
    )

    text = response.content.decode()
    assert response["Content-Disposition"].startswith("attachment")
    assert "79.17" in text and "100.00" in text and "Sampel lambat." in text
    assert ",2.50,4.00,-1.50,D\r\n" in text  # product specification: NRR, previous, change


def test_the_report_pdf_states_the_index_and_grade(october):
    text = pdf_text(report_render_pdf(analysis=ikm_analysis(period=OCTOBER)))

    assert "79,17" in text
    assert "Mutu B · Baik" in text
    assert "Sampel lambat." in text


def test_staff_send_the_report_to_the_head_with_the_pdf(client, staff, head, october):
    client.force_login(staff)

    response = client.post(reverse("ikm:send"), {"start": "2026-10-01", "end": "2026-10-31"})

    assert response.status_code == 302
    report = IkmReport.objects.get()
    assert (report.created_by, report.ikm, report.grade) == (staff, Decimal("79.17"), "B")
    email = report.emails.get()
    assert email.to == head.email and email.attachment.name == report.pdf.name
    assert outbox_deliver_one(message_id=email.pk)
    sent = mail.outbox[-1]
    (name, content, kind) = sent.attachments[0]
    assert name == "ikm-2026-10-01-2026-10-31.pdf" and kind == "application/pdf"
    assert "79,17" in pdf_text(content)


def test_without_a_head_account_nothing_is_sent(staff, october):
    with pytest.raises(FeedbackError):
        report_send(period=OCTOBER, office=default_office(), by=staff)

    assert not IkmReport.objects.exists()
    assert not OutboundEmail.objects.filter(template__startswith="ikm").exists()


def test_the_monthly_task_sends_last_month_once(head, october):
    [report] = reports_send_monthly(today=date(2026, 11, 1))

    assert (report.start, report.end, report.automatic) == (OCTOBER.start, OCTOBER.end, True)
    assert report.created_by is None and report.office == default_office()
    assert reports_send_monthly(today=date(2026, 11, 2)) == []
    assert IkmReport.objects.count() == 1


def test_the_head_sees_every_report_and_opens_its_pdf(client, head, staff, october):
    report = report_send(period=OCTOBER, office=default_office(), by=staff)
    client.force_login(head)

    listing = client.get(reverse("ikm:reports")).content.decode()
    pdf = client.get(reverse("ikm:report_pdf", args=[report.pk]))

    assert "79,17" in listing
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_customers_cannot_open_a_report(client, customer, staff, head, october):
    report = report_send(period=OCTOBER, office=default_office(), by=staff)
    client.force_login(customer)

    assert client.get(reverse("ikm:report_pdf", args=[report.pk])).status_code == 404


def test_csv_cells_typed_by_customers_cannot_be_formulas(client, staff, publication):
    at(
        rated(UserFactory(), publication, 2, comment='=HYPERLINK("http://x","y")'),
        date(2026, 10, 3),
    )
    client.force_login(staff)

    text = client.get(
        reverse("ikm:analysis"), {"start": "2026-10-01", "end": "2026-10-31", "format": "csv"}
    ).content.decode()

    assert "'=HYPERLINK" in text and ',"=HYPERLINK' not in text


def test_open_follow_ups_are_listed_first(staff, publication):
    closed = at(rated(UserFactory(), publication, 2, comment="Lama."), date(2026, 10, 25))
    Rating.objects.filter(pk=closed.pk).update(
        follow_up_closed_at=timezone.now(), follow_up_outcome="Sudah."
    )
    still_open = at(rated(UserFactory(), publication, 2, comment="Mahal."), date(2026, 10, 2))

    listed = ikm_analysis(period=OCTOBER).follow_ups

    assert [r.pk for r in listed] == [still_open.pk, closed.pk]


def test_a_double_click_sends_the_report_once(client, staff, head, october):
    client.force_login(staff)
    form = {"start": "2026-10-01", "end": "2026-10-31"}

    client.post(reverse("ikm:send"), form)
    client.post(reverse("ikm:send"), form)

    assert IkmReport.objects.count() == 1
    assert OutboundEmail.objects.filter(template="ikm_report").count() == 1


def test_a_month_held_back_is_sent_on_a_later_day(staff, october):
    assert reports_send_monthly(today=date(2026, 11, 1)) == []  # no head account on the 1st
    UserFactory(roles=["head"])

    [report] = reports_send_monthly(today=date(2026, 11, 3))

    assert (report.start, report.end) == (OCTOBER.start, OCTOBER.end)
    assert reports_send_monthly(today=date(2026, 11, 4)) == []


def test_the_outbox_shows_a_report_email_to_the_national_roles_only(client, staff, head, october):
    report = report_send(period=OCTOBER, office=default_office(), by=staff)
    url = reverse("admin:mail_outboundemail_change", args=[report.emails.get().pk])
    client.force_login(staff)
    assert client.get(url).status_code == 403  # every office's mail is there
    client.force_login(UserFactory(roles=["national_admin"], office=False))

    page = client.get(url)

    assert page.status_code == 200
    assert "ikm-2026-10-01-2026-10-31.pdf" in page.content.decode()
