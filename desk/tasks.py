from celery import shared_task


@shared_task(ignore_result=True)
def visits_close_stale_task() -> int:
    from .services import visits_close_stale

    return visits_close_stale()
