"""The PNBP revenue report for the treasurer and the head of dissemination."""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy

from offices.models import Office
from offices.selectors import office_of, reads_nationally, report_office_ids
from silastik.forms import PeriodForm
from silastik.users.decorators import reads_revenue, role_required

from .reports import MonthRow, RevenueReport, revenue_csv, revenue_report, revenue_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RevenueFilterForm(PeriodForm):
    format = forms.ChoiceField(
        choices=[("html", "HTML"), ("csv", "CSV"), ("xlsx", "Excel")], required=False
    )
    # For national readers: one office, or the offices of one province (two digits).
    office = forms.RegexField(
        label=gettext_lazy("Office code"), regex=r"^[0-9]{4}$", required=False, max_length=4
    )
    province = forms.RegexField(
        label=gettext_lazy("Province code"), regex=r"^[0-9]{2}$", required=False, max_length=2
    )

    def __init__(self, *args, national: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not national:
            del self.fields["office"]
            del self.fields["province"]


def _filter_data(query) -> dict[str, str]:
    """The request's filter, with the current year to date where a date is missing."""
    today = timezone.localdate()
    return {
        "start": query.get("start") or today.replace(month=1, day=1).isoformat(),
        "end": query.get("end") or today.isoformat(),
        "format": query.get("format") or "html",
        "office": query.get("office") or "",
        "province": query.get("province") or "",
    }


@dataclass(frozen=True)
class Bar:
    month: date
    total: int
    x: int
    y: int
    height: int
    label_x: int


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    baseline: int
    bar_width: int


SLOT, BAR, TOP, PLOT, BOTTOM = 96, 56, 24, 200, 40


def revenue_chart(months: tuple[MonthRow, ...]) -> Chart:
    """Geometry of the per-month bar chart, drawn as SVG by the template."""
    highest = max((month.total for month in months), default=0)
    bars = []
    for i, month in enumerate(months):
        height = round(month.total * PLOT / highest) if highest else 0
        x = i * SLOT + (SLOT - BAR) // 2
        bars.append(Bar(month.month, month.total, x, TOP + PLOT - height, height, x + BAR // 2))
    return Chart(
        bars=tuple(bars),
        width=max(len(months) * SLOT, SLOT),
        height=TOP + PLOT + BOTTOM,
        baseline=TOP + PLOT,
        bar_width=BAR,
    )


def _download(content: bytes, *, report: RevenueReport, extension: str, content_type: str):
    response = HttpResponse(content, content_type=content_type)
    whose = f"{report.scope_code}-" if report.scope_code else ""
    filename = f"pnbp-{whose}{report.start:%Y-%m-%d}-{report.end:%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@role_required(reads_revenue)
def revenue(request):
    national = reads_nationally(request.user)
    own = office_of(request.user)
    asked = request.GET.get("office", "")
    if not national and (
        request.GET.get("province") or (asked and asked != getattr(own, "code", ""))
    ):
        raise Http404  # another office's figures are not found, as on the other reports
    form = RevenueFilterForm(_filter_data(request.GET), national=national)
    if not form.is_valid():
        return render(request, "billing/revenue.html", {"form": form, "report": None})
    data = form.cleaned_data
    # An office's treasurer and head read their office's revenue; the national readers every
    # office side by side.
    office_ids = report_office_ids(
        request.user, office=data.get("office", ""), province=data.get("province", "")
    )
    chosen = own if not national else Office.objects.filter(code=data.get("office")).first()
    report = revenue_report(
        start=data["start"],
        end=data["end"],
        office_ids=office_ids,
        by_office=national,
        scope=f"{chosen.code} {chosen.name}" if chosen else "",
        scope_code=chosen.code if chosen else "",
    )
    match form.cleaned_data["format"]:
        case "csv":
            return _download(
                revenue_csv(report).encode(),
                report=report,
                extension="csv",
                content_type="text/csv; charset=utf-8",
            )
        case "xlsx":
            return _download(
                revenue_xlsx(report), report=report, extension="xlsx", content_type=XLSX
            )
    return render(
        request,
        "billing/revenue.html",
        {"form": form, "report": report, "chart": revenue_chart(report.months)},
    )
