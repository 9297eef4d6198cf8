"""The IKM report as a PDF, and its delivery to the head of dissemination."""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from offices.documents import letterhead_of
from offices.models import Office
from offices.selectors import portal_office
from silastik.documents import pdf_render
from silastik.links import absolute_reverse
from silastik.mail.services import Attachment, email_queue
from silastik.users.models import User
from silastik.users.roles import Role

from .analysis import IkmAnalysis, Period, ikm_analysis
from .charts import element_chart, trend_chart
from .models import IkmReport
from .services import FeedbackError

# The report is an official document of the office: Indonesian, whoever reads the e-mail.
REPORT_LANGUAGE = "id"
# A second "send" for the same period by the same person this soon is a double click.
RESEND_GRACE = timedelta(minutes=10)


def report_context(analysis: IkmAnalysis) -> dict:
    return {
        "analysis": analysis,
        "element_chart": element_chart(analysis.elements),
        "trend_chart": trend_chart(analysis.months),
    }


def report_render_pdf(
    *, analysis: IkmAnalysis, language: str = REPORT_LANGUAGE, office: Office | None = None
) -> bytes:
    return pdf_render(
        template="documents/ikm_report.html",
        context={
            **report_context(analysis),
            "office": letterhead_of(office) if office else portal_office(),
            "now": timezone.now(),
        },
        language=language,
    )


def report_file_name(period: Period) -> str:
    return f"ikm-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}.pdf"


def _heads() -> QuerySet[User]:
    return User.objects.filter(groups__name=Role.HEAD, is_active=True).order_by("pk")


def report_send(*, period: Period, by: User | None = None) -> IkmReport:
    """Render the report for the period, keep it, and e-mail it to every head of dissemination.

    `by` is the member of staff who sends it; None means the monthly task.
    """
    if by is not None and not by.is_pst_staff:
        raise FeedbackError(_("Only PST staff can send the IKM report."))
    heads = list(_heads())
    if not heads:
        raise FeedbackError(_("There is no active head of dissemination to send the report to."))
    with transaction.atomic():
        if by is not None:
            # One sender at a time: a second click waits here, then finds the first report.
            User.objects.select_for_update().get(pk=by.pk)
            if just_sent := _just_sent(period=period, by=by):
                return just_sent
        return _report_create(period=period, by=by, heads=heads)


def _just_sent(*, period: Period, by: User) -> IkmReport | None:
    return IkmReport.objects.filter(
        start=period.start,
        end=period.end,
        created_by=by,
        created_at__gte=timezone.now() - RESEND_GRACE,
    ).first()


def _report_create(*, period: Period, by: User | None, heads: list[User]) -> IkmReport:
    analysis = ikm_analysis(period=period)
    pdf = report_render_pdf(analysis=analysis)
    current = analysis.current
    report = IkmReport(
        start=period.start,
        end=period.end,
        created_by=by,
        automatic=by is None,
        respondents=current.respondents,
        ikm=current.ikm,
        grade=current.grade.letter if current.grade else "",
        recipients=", ".join(head.email for head in heads),
    )
    report.pdf.save(report_file_name(period), ContentFile(pdf), save=False)
    try:
        _report_save(report, heads=heads, period=period)
    except Exception:
        # No row will point to the file (e.g. another run sent this month a moment ago).
        report.pdf.storage.delete(report.pdf.name)
        raise
    return report


def _report_save(report: IkmReport, *, heads: list[User], period: Period) -> None:
    with transaction.atomic():
        report.save()
        attachment = Attachment(report.pdf.name, report_file_name(period), "application/pdf")
        link = absolute_reverse("ikm:reports")
        report.emails.set(
            email_queue(
                to=head.email,
                template="ikm_report",
                context={"report": report, "head": head, "link": link},
                language=head.language,
                attachment=attachment,
            )
            for head in heads
        )


def last_month(today: date) -> Period:
    first = today.replace(day=1)
    end = first - timedelta(days=1)
    return Period(end.replace(day=1), end)


def reports_send_monthly(*, today: date | None = None) -> IkmReport | None:
    """Send last month's report once, however often the task runs."""
    period = last_month(today or timezone.localdate())
    if IkmReport.objects.filter(automatic=True, start=period.start, end=period.end).exists():
        return None
    try:
        return report_send(period=period)
    except IntegrityError:  # another run sent it a moment ago
        return None
