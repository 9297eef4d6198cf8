import logging
from datetime import date

from celery import shared_task
from django.utils import timezone

from offices.models import Office
from silastik.background import enqueue_on_commit

from .reporting import last_month, month_of, offices_due_monthly, report_send_monthly
from .services import FeedbackError, ratings_remind

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def ratings_remind_task() -> int:
    return ratings_remind()


@shared_task(ignore_result=True)
def reports_send_monthly_task(today: str | None = None) -> int:
    """Last month's IKM report, once per office: each office due gets a task of its own, so a
    network of hundreds of offices renders its PDFs side by side and one failure stops no other.
    Runs daily: an office that had no head on the 1st is caught up once it has one."""
    period = last_month(date.fromisoformat(today) if today else timezone.localdate())
    due = list(offices_due_monthly(period=period).values_list("pk", flat=True))
    for office_id in due:
        enqueue_on_commit(report_send_monthly_task, office_id, period.start.isoformat())
    return len(due)


@shared_task(acks_late=True, ignore_result=True)
def report_send_monthly_task(office_id: int, month: str) -> int | None:
    office = Office.objects.filter(pk=office_id, is_active=True).first()
    if office is None:
        return None
    try:
        report = report_send_monthly(office=office, period=month_of(date.fromisoformat(month)))
    except FeedbackError as exc:  # its head left since: caught up once it has one again
        log.warning("Monthly IKM report of %s not sent: %s", office.code, exc.message)
        return None
    return report.pk if report else None
