"""The IKM analysis for staff and the head, and the reports sent to the head."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silastik.files import private_file_response
from silastik.forms import PeriodForm
from silastik.users.decorators import is_pst_staff, reads_service_reports, role_required

from .analysis import Period, analysis_csv, ikm_analysis
from .forms import AnalysisForm
from .models import IkmReport
from .reporting import last_month, report_context, report_file_name, report_render_pdf, report_send
from .services import FeedbackError


def _presets(today: date) -> list[tuple[str, Period]]:
    this_month = Period(today.replace(day=1), today)
    year = Period(today.replace(month=1, day=1), today)
    previous_year = Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    return [
        (_("This month"), this_month),
        (_("Last month"), last_month(today)),
        (_("This year"), year),
        (_("Last year"), previous_year),
    ]


def _query(query) -> dict[str, str]:
    today = timezone.localdate()
    return {
        "start": query.get("start") or today.replace(month=1, day=1).isoformat(),
        "end": query.get("end") or today.isoformat(),
        "channel": query.get("channel", ""),
        "kind": query.get("kind", ""),
        "format": query.get("format") or "html",
    }


def _download(content: bytes, *, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@role_required(reads_service_reports)
def analysis(request):
    form = AnalysisForm(_query(request.GET))
    context = {"form": form, "presets": _presets(timezone.localdate())}
    if not form.is_valid():
        return render(request, "feedback/analysis.html", {**context, "analysis": None})
    data = form.cleaned_data
    period = Period(data["start"], data["end"])
    result = ikm_analysis(period=period, channel=data["channel"], kind=data["kind"])
    stem = report_file_name(period).removesuffix(".pdf")
    match data["format"]:
        case "csv":
            return _download(
                analysis_csv(result).encode(),
                name=f"{stem}.csv",
                content_type="text/csv; charset=utf-8",
            )
        case "pdf":
            return _download(
                report_render_pdf(analysis=result, language=request.LANGUAGE_CODE),
                name=f"{stem}.pdf",
                content_type="application/pdf",
            )
    query = {k: v for k, v in _query(request.GET).items() if k != "format"}
    return render(
        request,
        "feedback/analysis.html",
        {
            **context,
            **report_context(result),
            "query": urlencode(query),
            "send_form": PeriodForm(initial={"start": period.start, "end": period.end}),
        },
    )


@role_required(is_pst_staff)
@require_POST
def report_send_view(request):
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("ikm:analysis")
    period = Period(form.cleaned_data["start"], form.cleaned_data["end"])
    try:
        report = report_send(period=period, by=request.user)
    except FeedbackError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('ikm:analysis')}?start={period.start}&end={period.end}")
    messages.success(
        request,
        _("The report was sent to %(recipients)s.") % {"recipients": report.recipients},
    )
    return redirect("ikm:reports")


@role_required(reads_service_reports)
def reports(request):
    page = Paginator(IkmReport.objects.select_related("created_by"), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "feedback/reports.html", {"page": page})


@role_required(reads_service_reports)
def report_pdf(request, pk: int):
    report = get_object_or_404(IkmReport, pk=pk)
    period = Period(report.start, report.end)
    return private_file_response(
        name=report.pdf.name,
        filename=report_file_name(period),
        content_type="application/pdf",
        attachment=False,
    )
