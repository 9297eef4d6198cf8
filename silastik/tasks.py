from celery import shared_task

from .heartbeats import WORKER, heartbeat_record


@shared_task(ignore_result=True, expires=120)
def worker_heartbeat_task() -> None:
    """Run by a worker every minute (beat's schedule): the worker is alive and keeping up."""
    heartbeat_record(WORKER)


@shared_task(ignore_result=True)
def rate_counters_sweep_task() -> int:
    from .ratelimit import rate_counters_sweep

    return rate_counters_sweep()
