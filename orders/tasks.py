from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction

from .documents import sppd_render_pdf
from .models import Order, SppdStatus


def sppd_file_name(*, order: Order) -> str:
    return f"sppd-{order.number.replace('/', '-')}.pdf"


@shared_task(acks_late=True, ignore_result=True)
def sppd_render(order_id: int) -> None:
    """Render the order's data use agreement and make it the current one. Running it again
    replaces the document, so a re-delivered task or a corrected order leaves one file."""
    order = Order.objects.select_related("customer").get(pk=order_id)
    if order.sppd_status == SppdStatus.NOT_NEEDED:
        return
    pdf = sppd_render_pdf(order=order)
    with transaction.atomic():
        # The lock keeps two runs from each deleting the other's file.
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.sppd_status == SppdStatus.NOT_NEEDED:
            return
        # Delete first, so the new file gets the plain name instead of a suffixed copy.
        if order.sppd_document:
            order.sppd_document.delete(save=False)
        order.sppd_document.save(sppd_file_name(order=order), ContentFile(pdf), save=False)
        order.save(update_fields=["sppd_document"])
