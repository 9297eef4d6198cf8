from celery import shared_task

from orders import tasks as orders_tasks
from silastik.background import RETRY_TEMPORARY

from .rendering import invoice_store_pdf, receipt_issue_once


# Only an outage is worth another try; a bug fails at once, and the sweep (billing_recover)
# hands out what is still to do.
@shared_task(acks_late=True, ignore_result=True, **RETRY_TEMPORARY)
def invoice_render(invoice_id: int, only_missing: bool = False) -> None:
    """The invoice's PDF; `only_missing` (a sweep's task) leaves one that exists alone."""
    from .models import Invoice

    if only_missing and Invoice.objects.filter(pk=invoice_id).exclude(pdf="").exists():
        return
    invoice_store_pdf(invoice_id=invoice_id)


@shared_task(acks_late=True, ignore_result=True, **RETRY_TEMPORARY)
def receipt_issue(payment_id: int) -> None:
    """Issue the receipt of a confirmed payment and e-mail it; running twice leaves one."""
    receipt_issue_once(payment_id=payment_id)


@shared_task(ignore_result=True)
def billing_recover_task() -> int:
    from .services import billing_recover  # the services import this module's tasks

    return billing_recover()


@shared_task(ignore_result=True)
def invoices_expire_task() -> int:
    # Imported here: the services enqueue this module's tasks, so a module-level import
    # would make the two modules import each other.
    from .services import invoices_expire

    return invoices_expire()


@shared_task(ignore_result=True)
def orders_expired_notify(order_ids: list[int]) -> None:
    """Moved to orders.tasks; kept for one release so that notifications queued by workers of
    the previous version still reach the customers."""
    orders_tasks.orders_expired_notify(order_ids)
