"""The IKM analysis and the reports sent to the heads. An office's staff and head see their own
office only (another office's report is not found); national readers (the national roles and
the people of the centre) see any office, a province's or all of them side by side."""

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from offices.models import Office
from offices.selectors import (
    office_filter,
    office_of,
    portal_office,
    reads_nationally,
    user_is_national,
)
from silastik.files import private_file_response
from silastik.forms import PeriodForm
from silastik.users.decorators import is_pst_staff, reads_service_reports, role_required
from silastik.users.models import User

from .analysis import Period, analysis_csv, ikm_analysis, offices_compare
from .forms import AnalysisForm
from .models import IkmReport
from .reporting import last_month, report_context, report_file_name, report_render_pdf, report_send
from .services import FeedbackError


def reads_ikm(user: User) -> bool:
    """The staff who make the IKM and the heads they report to, of an office; national roles."""
    return reads_service_reports(user) or user_is_national(user)


@dataclass(frozen=True)
class Scope:
    """Which offices an analysis covers, and how the page and the documents name them."""

    office_ids: list[int] | None  # None: every office
    label: str
    office: Office | None = None  # the one office analysed
    letterhead: Office | None = None
    compares: bool = False  # the offices are listed side by side

    @property
    def office_code(self) -> str:
        return self.office.code if self.office else ""

    @property
    def zone(self) -> ZoneInfo | None:
        """One office's figures are read on its own clock; several offices' on the portal's."""
        return self.office.zone if self.office else None


def _own_scope(user: User) -> Scope:
    office = office_of(user)
    if office is None:  # a back-office account without an office reads nothing
        raise Http404
    return Scope([office.pk], office.name, office, office)


def _national_scope(user: User, *, code: str, province: str, offices: list[Office]) -> Scope:
    by_code = {office.code: office for office in offices}
    if code:
        office = by_code[code]
        return Scope([office.pk], office.name, office, office)
    if province:
        head_office = by_code.get(f"{province}00")
        return Scope(
            [office.pk for office in offices if office.code.startswith(province)],
            head_office.name if head_office else province,
            letterhead=head_office,
            compares=True,
        )
    return Scope(None, _("All offices"), letterhead=office_of(user), compares=True)


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
        "province": query.get("province", ""),
        "office": query.get("office", ""),
        "format": query.get("format") or "html",
    }


def _download(content: bytes, *, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@role_required(reads_ikm)
def analysis(request):
    query = _query(request.GET)
    national = reads_nationally(request.user)
    offices = list(Office.objects.order_by("code")) if national else None
    own = None if national else _own_scope(request.user)
    # Another office's figures are nobody else's business: not found, as its reports are.
    if own is not None and (query["province"] or query["office"] not in ("", own.office_code)):
        raise Http404
    form = AnalysisForm(query, offices=offices)
    context = {"form": form, "presets": _presets(timezone.localdate())}
    if not form.is_valid():
        return render(request, "feedback/analysis.html", {**context, "analysis": None})
    data = form.cleaned_data
    scope = own or _national_scope(
        request.user, code=data["office"], province=data["province"], offices=offices or []
    )
    with timezone.override(scope.zone or timezone.get_current_timezone()):
        return _analysis_response(request, scope=scope, data=data, context=context)


def _analysis_response(request, *, scope: Scope, data: dict, context: dict) -> HttpResponse:
    period = Period(data["start"], data["end"])
    filters = {"period": period, "channel": data["channel"], "kind": data["kind"]}
    result = ikm_analysis(**filters, offices=scope.office_ids)
    comparison = offices_compare(**filters, offices=scope.office_ids) if scope.compares else None
    stem = report_file_name(period).removesuffix(".pdf")
    match data["format"]:
        case "csv":
            return _download(
                analysis_csv(result, scope=scope.label, comparison=comparison).encode(),
                name=f"{stem}.csv",
                content_type="text/csv; charset=utf-8",
            )
        case "pdf":
            pdf = report_render_pdf(
                analysis=result,
                language=request.LANGUAGE_CODE,
                office=scope.letterhead or portal_office(),
                scope="" if scope.office else scope.label,
                comparison=comparison,
            )
            return _download(pdf, name=f"{stem}.pdf", content_type="application/pdf")
    query = {k: v for k, v in _query(request.GET).items() if k != "format"}
    own = office_of(request.user)
    return render(
        request,
        "feedback/analysis.html",
        {
            **context,
            **report_context(result),
            "scope": scope,
            "comparison": comparison,
            "query": urlencode(query),
            "office_query": urlencode(
                {k: v for k, v in query.items() if k not in ("office", "province")}
            ),
            # Staff send their own office's report, from its own page.
            "may_send": request.user.is_pst_staff and own is not None and scope.office == own,
            "send_form": PeriodForm(initial={"start": period.start, "end": period.end}),
        },
    )


@role_required(is_pst_staff)
@require_POST
def report_send_view(request):
    office = office_of(request.user)
    if office is None:
        raise Http404
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("ikm:analysis")
    period = Period(form.cleaned_data["start"], form.cleaned_data["end"])
    try:
        report = report_send(period=period, office=office, by=request.user)
    except FeedbackError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('ikm:analysis')}?start={period.start}&end={period.end}")
    messages.success(
        request,
        _("The report was sent to %(recipients)s.") % {"recipients": report.recipients},
    )
    return redirect("ikm:reports")


def _reports_of(user: User) -> QuerySet[IkmReport]:
    """The reports of the person's office; every office's for national readers."""
    reports = IkmReport.objects.select_related("office", "created_by")
    return reports if reads_nationally(user) else office_filter(reports, user=user)


@role_required(reads_ikm)
def reports(request):
    page = Paginator(_reports_of(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/reports.html",
        {"page": page, "national": reads_nationally(request.user)},
    )


@role_required(reads_ikm)
def report_pdf(request, pk: int):
    report = get_object_or_404(_reports_of(request.user), pk=pk)
    period = Period(report.start, report.end)
    return private_file_response(
        name=report.pdf.name,
        filename=report_file_name(period),
        content_type="application/pdf",
        attachment=False,
    )
