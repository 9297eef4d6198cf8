"""What the office's treasurer is told (silastik.notifications): a transfer proof to verify, a
walk-in invoice whose cash will be brought to them."""

from django.urls import reverse
from django.utils.translation import gettext_noop

from offices.selectors import office_people
from silastik.notifications.services import notify
from silastik.users.roles import Role

from .models import Invoice, Payment


def treasurer_notify_proof(*, payment: Payment) -> None:
    order = payment.invoice.order
    notify(
        recipients=office_people(office_id=order.office_id, role=Role.TREASURER),
        event=f"payment-proof:{payment.pk}",
        message=gettext_noop("A transfer proof for %(invoice)s (%(number)s) is waiting: verify it"),
        params={"invoice": payment.invoice.number, "number": order.number or ""},
        link=reverse("admin:billing_payment_change", args=[payment.pk]),
    )


def treasurer_notify_walk_in_invoice(*, invoice: Invoice) -> None:
    order = invoice.order
    notify(
        recipients=office_people(office_id=order.office_id, role=Role.TREASURER),
        event=f"walk-in-invoice:{invoice.pk}",
        message=gettext_noop(
            "Walk-in invoice %(invoice)s for %(payer)s is issued: the visitor comes to pay"
        ),
        params={"invoice": invoice.number, "payer": invoice.payer_name},
        link=reverse("admin:billing_invoice_change", args=[invoice.pk]),
    )
