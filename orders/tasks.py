from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from silastik.background import RETRY_TEMPORARY
from silastik.links import absolute_reverse
from silastik.mail.models import OutboundEmail
from silastik.mail.services import email_queue
from silastik.users.roles import Role

from .documents import sppd_render_pdf
from .models import Order, SppdStatus
from .notifications import order_customer_notify
from .selectors import orders_needing_attention


def sppd_file_name(*, order: Order) -> str:
    return f"sppd-{order.number.replace('/', '-')}.pdf"


@shared_task(acks_late=True, ignore_result=True, **RETRY_TEMPORARY)
def sppd_render(order_id: int, only_missing: bool = False) -> None:
    """Render the order's data use agreement and make it the current one, while the order has
    an offered agreement (not once it is cancelled, expired or being corrected). Running it
    again replaces the document, so a re-delivered task or a corrected order leaves one file;
    `only_missing` (a sweep's task) leaves one that exists alone, such as one the customer
    downloaded meanwhile."""
    from .services import SPPD_SHOWN  # the services import this module's tasks

    order = Order.objects.select_related("customer", "office").get(pk=order_id)
    if not _sppd_wanted(order, only_missing=only_missing, shown=SPPD_SHOWN):
        return
    pdf = sppd_render_pdf(order=order)
    with transaction.atomic():
        # The lock keeps two runs from each deleting the other's file.
        order = Order.objects.select_for_update().get(pk=order_id)
        if not _sppd_wanted(order, only_missing=only_missing, shown=SPPD_SHOWN):
            return
        # Delete first, so the new file gets the plain name instead of a suffixed copy.
        if order.sppd_document:
            order.sppd_document.delete(save=False)
        order.sppd_document.save(sppd_file_name(order=order), ContentFile(pdf), save=False)
        order.save(update_fields=["sppd_document"])


def _sppd_wanted(order: Order, *, only_missing: bool, shown: tuple) -> bool:
    if order.sppd_status == SppdStatus.NOT_NEEDED or order.status not in shown:
        return False
    return not (only_missing and order.sppd_document)


@shared_task(ignore_result=True)
def sla_remind() -> int:
    """Daily: tell PST staff which orders are near or past the service standard. Once a day per
    person, however often the task runs."""
    late = orders_needing_attention()
    if not late:
        return 0
    today = timezone.localdate()
    already = set(
        OutboundEmail.objects.filter(template="sla_reminder", created_at__date=today).values_list(
            "to", flat=True
        )
    )
    sent = 0
    staff = get_user_model().objects.filter(groups__name=Role.PST_STAFF, is_active=True)
    for person in staff.exclude(email__in=already):
        email_queue(
            to=person.email,
            template="sla_reminder",
            context={
                "person": person,
                "late": late,
                "admin_url": absolute_reverse("admin:orders_order_changelist"),
            },
            language=person.language,
        )
        sent += 1
    return sent


@shared_task(ignore_result=True)
def orders_expired_notify(order_ids: list[int]) -> None:
    """Tell the customers of offers that expired unpaid (orders.services.orders_expire)."""
    for order in Order.objects.filter(pk__in=order_ids).select_related("customer"):
        order_customer_notify(order=order, note="")


@shared_task(ignore_result=True)
def orders_recover_task() -> int:
    from .services import orders_recover  # the services import this module's tasks

    return orders_recover()


# The worker finds tasks in each app's tasks module; the cuts' live in a package of their own.
from .cutting.tasks import line_cut  # noqa: E402, F401
