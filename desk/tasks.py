from celery import shared_task

from .services import visits_close_stale


@shared_task(ignore_result=True)
def visits_close_stale_task() -> int:
    return visits_close_stale()
