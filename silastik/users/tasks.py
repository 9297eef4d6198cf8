from celery import shared_task

from silastik.background import TEMPORARY_ERRORS


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=TEMPORARY_ERRORS,
    max_retries=5,
    retry_backoff=10,
    retry_backoff_max=300,
)
def password_reset_send_task(email: str, base_url: str, request_id: str) -> int:
    from .services import password_reset_send  # the services import this module's task

    return password_reset_send(email=email, base_url=base_url, request_id=request_id)
