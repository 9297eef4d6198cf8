"""The desk's daily report, for PST staff and the head of dissemination."""

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from silastik.users.decorators import reads_service_reports, role_required

from .reports import day_csv, day_report

EARLIEST = date(2000, 1, 1)


def _day(value: str | None) -> date:
    """The day asked for; today when none or no valid date was given."""
    today = timezone.localdate()
    try:
        chosen = date.fromisoformat(value) if value else today
    except ValueError:
        return today
    # Between the portal's first year and today: no day before date.min to step back to.
    return min(max(chosen, EARLIEST), today)


@role_required(reads_service_reports)
def day(request: HttpRequest) -> HttpResponse:
    chosen = _day(request.GET.get("day"))
    report = day_report(day=chosen)
    if request.GET.get("format") == "csv":
        response = HttpResponse(day_csv(report), content_type="text/csv; charset=utf-8")
        name = f"loket-{chosen:%Y-%m-%d}.csv"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    today = timezone.localdate()
    return render(
        request,
        "desk/report.html",
        {
            "report": report,
            "previous_day": chosen - timedelta(days=1),
            "next_day": chosen + timedelta(days=1) if chosen < today else None,
            "today": today,
        },
    )
