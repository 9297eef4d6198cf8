"""The desk's daily report: an office's day for its PST staff and head; for the national roles
one office's day, or every office's side by side (of one province, if chosen) with the total."""

import re
from datetime import date, timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header

from offices.models import Office, OfficeLevel
from offices.selectors import office_of, reads_nationally, user_is_national
from silastik.users.decorators import reads_service_reports, role_required

from .reports import day_csv, day_report, offices_day, offices_day_csv
from .services import office_today

EARLIEST = date(2000, 1, 1)
PROVINCE = re.compile(r"[0-9]{2}")


def reads_desk_reports(user) -> bool:
    """The office's staff and head read their office's; the national roles every office's."""
    return reads_service_reports(user) or user_is_national(user)


def _day(value: str | None, today: date) -> date:
    """The day asked for; today when none or no valid date was given."""
    try:
        chosen = date.fromisoformat(value) if value else today
    except ValueError:
        return today
    # Between the portal's first year and today: no day before date.min to step back to.
    return min(max(chosen, EARLIEST), today)


def _csv(content: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _office_asked(request: HttpRequest) -> Office | None:
    """The office whose day is shown: the person's own (asking for another is not found); for
    the national roles the one chosen, or None for all side by side."""
    code = request.GET.get("office", "")
    if reads_nationally(request.user):
        return get_object_or_404(Office, code=code) if code else None
    own = office_of(request.user)
    if own is None or (code and code != own.code):
        raise Http404
    return own


@role_required(reads_desk_reports)
def day(request: HttpRequest) -> HttpResponse:
    office = _office_asked(request)
    if office is None:
        return _offices_day(request)
    today = office_today(office)
    chosen = _day(request.GET.get("day"), today)
    # Times and hours on the office's own clock.
    with timezone.override(office.zone):
        report = day_report(office=office, day=chosen)
        if request.GET.get("format") == "csv":
            return _csv(day_csv(report), f"loket-{office.code}-{chosen:%Y-%m-%d}.csv")
        return render(
            request,
            "desk/report.html",
            {
                "report": report,
                "previous_day": chosen - timedelta(days=1),
                "next_day": chosen + timedelta(days=1) if chosen < today else None,
                "today": today,
                # National readers keep the office they chose while paging through days.
                "office_query": f"&office={office.code}" if reads_nationally(request.user) else "",
            },
        )


def _offices_day(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    chosen = _day(request.GET.get("day"), today)
    province = request.GET.get("province", "")
    if not PROVINCE.fullmatch(province):
        province = ""
    offices = Office.objects.filter(is_active=True).order_by("code")
    if province:
        offices = offices.filter(code__startswith=province)
    report = offices_day(offices=offices, day=chosen, province=province)
    if request.GET.get("format") == "csv":
        scope = f"-{province}" if province else ""
        return _csv(offices_day_csv(report), f"loket{scope}-{chosen:%Y-%m-%d}.csv")
    return render(
        request,
        "desk/report_offices.html",
        {
            "report": report,
            "provinces": Office.objects.filter(level=OfficeLevel.PROVINCE).order_by("code"),
            "previous_day": chosen - timedelta(days=1),
            "next_day": chosen + timedelta(days=1) if chosen < today else None,
            "today": today,
            "province_query": f"&province={province}" if province else "",
        },
    )
