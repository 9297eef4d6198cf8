import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def ratings_remind_task() -> int:
    from .services import ratings_remind

    return ratings_remind()


@shared_task(acks_late=True, ignore_result=True)
def reports_send_monthly_task() -> int | None:
    from .reporting import reports_send_monthly
    from .services import FeedbackError

    try:
        report = reports_send_monthly()
    except FeedbackError as exc:  # no head account yet: nothing to send to, try next month
        log.warning("Monthly IKM report not sent: %s", exc.message)
        return None
    return report.pk if report else None
