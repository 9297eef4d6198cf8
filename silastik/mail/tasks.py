from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def outbox_deliver(message_id: int) -> None:
    # No Celery retries here: a failed message stays pending with its next attempt time, and the
    # periodic sweep hands it out again. That also covers a broker that was down at enqueue time.
    services.outbox_deliver_one(message_id=message_id)


@shared_task(ignore_result=True)
def outbox_flush_task() -> int:
    return services.outbox_flush()
