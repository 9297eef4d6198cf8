import logging

from celery import shared_task

from .reporting import reports_send_monthly
from .services import FeedbackError, ratings_remind

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def ratings_remind_task() -> int:
    return ratings_remind()


@shared_task(acks_late=True, ignore_result=True)
def reports_send_monthly_task() -> int | None:
    try:
        report = reports_send_monthly()
    except FeedbackError as exc:  # no head account yet: nothing to send to, try next month
        log.warning("Monthly IKM report not sent: %s", exc.message)
        return None
    return report.pk if report else None
