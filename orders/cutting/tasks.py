from celery import shared_task
from django.conf import settings


# The run's own clock (CUT_TIME_LIMIT_SECONDS) stops a long cut cleanly; Celery's hard limit,
# a minute later, ends a worker stuck inside a reader. A worker lost either way leaves the run
# "running" without a sign of life, and staff may start it again (services.line_cut_start).
@shared_task(ignore_result=True, time_limit=settings.CUT_TIME_LIMIT_SECONDS + 60)
def line_cut(run_id: int) -> None:
    from .services import cut_execute  # the services queue this task

    cut_execute(run_id=run_id)
