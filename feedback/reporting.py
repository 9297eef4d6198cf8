"""The IKM report as a PDF, and its delivery to an office's heads of dissemination: each office
reports on its own service to its own heads, in its own time zone."""

from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from offices.documents import letterhead_of
from offices.models import Office
from offices.selectors import offices_active, portal_office, works_at
from silastik.documents import pdf_render
from silastik.links import absolute_reverse
from silastik.mail.services import Attachment, email_queue
from silastik.users.models import User
from silastik.users.roles import Role

from .analysis import IkmAnalysis, OfficeComparison, Period, ikm_analysis
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
    *,
    analysis: IkmAnalysis,
    language: str = REPORT_LANGUAGE,
    office: Office | None = None,
    scope: str = "",
    comparison: OfficeComparison | None = None,
    now: datetime | None = None,
) -> bytes:
    """`office` heads the letter (the portal's office by default); `scope` names the offices the
    analysis covers when it is not that one office, `comparison` lists them side by side.

    The report of one office is signed by its head of dissemination (blanks to fill in by hand
    when it has none); a report on several offices is not signed (see the template)."""
    office = office or portal_office()
    signed = not scope and comparison is None
    # The charts measure their labels as they read: in the document's language.
    with translation.override(language):
        charts = report_context(analysis)
    return pdf_render(
        template="documents/ikm_report.html",
        context={
            **charts,
            "office": letterhead_of(office) if office else None,
            "scope": scope,
            "comparison": comparison,
            "signed": signed,
            "head": office_heads(office).first() if signed and office else None,
            # The moment of the report: the computed-at line and the signature's date.
            "now": now or timezone.now(),
        },
        language=language,
        time_zone=office.time_zone if office else "",
    )


def report_file_name(period: Period) -> str:
    return f"ikm-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}.pdf"


def office_heads(office: Office) -> QuerySet[User]:
    """The office's active heads of dissemination: its reports go to them and no one else."""
    return User.objects.filter(
        groups__name=Role.HEAD, is_active=True, office_membership__office=office
    ).order_by("pk")


def report_send(*, period: Period, office: Office, by: User | None = None) -> IkmReport:
    """Render the office's report for the period, keep it, and e-mail it to the office's heads
    of dissemination.

    `by` is a member of the office's staff who sends it; None means the monthly task.
    """
    if by is not None and not by.is_pst_staff:
        raise FeedbackError(_("Only PST staff can send the IKM report."))
    if by is not None and not works_at(by, office.pk):
        raise FeedbackError(_("Only the office's own PST staff can send its IKM report."))
    heads = list(office_heads(office))
    if not heads:
        raise FeedbackError(_("There is no active head of dissemination to send the report to."))
    # The office's months and days are those of its own clock (WIB, WITA or WIT).
    with timezone.override(office.zone), transaction.atomic():
        if by is not None:
            # One sender at a time: a second click waits here, then finds the first report.
            User.objects.select_for_update().get(pk=by.pk)
            if just_sent := _just_sent(period=period, office=office, by=by):
                return just_sent
        return _report_create(period=period, office=office, by=by, heads=heads)


def _just_sent(*, period: Period, office: Office, by: User) -> IkmReport | None:
    return IkmReport.objects.filter(
        office=office,
        start=period.start,
        end=period.end,
        created_by=by,
        created_at__gte=timezone.now() - RESEND_GRACE,
    ).first()


def _report_create(
    *, period: Period, office: Office, by: User | None, heads: list[User]
) -> IkmReport:
    analysis = ikm_analysis(period=period, offices=[office.pk])
    pdf = report_render_pdf(analysis=analysis, office=office)
    current = analysis.current
    report = IkmReport(
        office=office,
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
                context={"report": report, "office": report.office, "head": head, "link": link},
                language=head.language,
                attachment=attachment,
            )
            for head in heads
        )


def month_of(day: date) -> Period:
    """The calendar month the day is in."""
    first = day.replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    return Period(first, after - timedelta(days=1))


def last_month(today: date) -> Period:
    return month_of(today.replace(day=1) - timedelta(days=1))


def offices_due_monthly(*, period: Period) -> QuerySet[Office]:
    """Active offices with an active head that have not had the period's monthly report yet."""
    heads = User.objects.filter(
        office_membership__office=OuterRef("pk"), groups__name=Role.HEAD, is_active=True
    )
    sent = IkmReport.objects.filter(
        office=OuterRef("pk"), automatic=True, start=period.start, end=period.end
    )
    return offices_active().filter(Exists(heads)).exclude(Exists(sent)).order_by("code")


def report_send_monthly(*, office: Office, period: Period) -> IkmReport | None:
    """Send the office's monthly report once, however often the task runs."""
    if IkmReport.objects.filter(
        office=office, automatic=True, start=period.start, end=period.end
    ).exists():
        return None
    try:
        return report_send(period=period, office=office)
    except IntegrityError:  # another run sent it a moment ago
        return None


def reports_send_monthly(*, today: date | None = None) -> list[IkmReport]:
    """Send last month's report of every office that has a head to send it to, once each. An
    office without a head is caught up on a later day, once it has one."""
    period = last_month(today or timezone.localdate())
    sent = []
    for office in offices_due_monthly(period=period):
        try:
            report = report_send_monthly(office=office, period=period)
        except FeedbackError:  # its head left a moment ago
            continue
        if report is not None:
            sent.append(report)
    return sent
