from celery import shared_task

from .services import notifications_digest_send


@shared_task(ignore_result=True)
def notifications_digest_task() -> int:
    return notifications_digest_send()
