from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def invoice_render(invoice_id: int) -> None:
    from .rendering import invoice_store_pdf

    invoice_store_pdf(invoice_id=invoice_id)


@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(Exception,),
    max_retries=5,
    retry_backoff=30,
    retry_backoff_max=600,
)
def receipt_issue(payment_id: int) -> None:
    """Issue the receipt of a confirmed payment and e-mail it; running twice leaves one."""
    from .rendering import receipt_issue_once

    receipt_issue_once(payment_id=payment_id)


@shared_task(ignore_result=True)
def orders_expired_notify(order_ids: list[int]) -> None:
    from orders.models import Order
    from orders.services import _notify

    for order in Order.objects.filter(pk__in=order_ids).select_related("customer"):
        _notify(order=order, note="")


@shared_task(ignore_result=True)
def invoices_expire_task() -> int:
    from .services import invoices_expire

    return invoices_expire()
