from celery import shared_task

from silastik.background import RETRY_TEMPORARY

# A reset link is awaited by someone at the screen: sooner retries than the documents' tasks.
RETRY_SOON = {**RETRY_TEMPORARY, "retry_backoff": 10, "retry_backoff_max": 300}


@shared_task(acks_late=True, ignore_result=True, **RETRY_SOON)
def password_reset_send_task(email: str, base_url: str, request_id: str) -> int:
    from .services import password_reset_send  # the services import this module's task

    return password_reset_send(email=email, base_url=base_url, request_id=request_id)
