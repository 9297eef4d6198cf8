"""The outbox on the national administrator's home page (silastik.work): mail that waits or
failed, since e-mail is how every office hears of its work."""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from silastik.users.models import User
from silastik.work import WorkItem, WorkSource, work_source_register

from .models import OutboundEmail


def outbox_work(user: User) -> list[WorkItem]:
    waiting = Q(status=OutboundEmail.Status.PENDING)
    failed = Q(status=OutboundEmail.Status.FAILED)
    row = OutboundEmail.objects.aggregate(
        waiting=Count("pk", filter=waiting),
        waiting_oldest=Min("created_at", filter=waiting),
        failed=Count("pk", filter=failed),
        failed_oldest=Min("created_at", filter=failed),
    )
    url = reverse("admin:mail_outboundemail_changelist")
    return [
        WorkItem(
            label=_("E-mails waiting in the outbox"),
            count=row["waiting"],
            url=f"{url}?status__exact=pending",
            oldest=row["waiting_oldest"],
            position=10,
        ),
        WorkItem(
            label=_("E-mails that failed"),
            count=row["failed"],
            url=f"{url}?status__exact=failed",
            oldest=row["failed_oldest"],
            position=11,
        ),
    ]


def work_sources_register() -> None:
    work_source_register(
        WorkSource(
            roles=frozenset({"national_admin", "superuser"}), section="national", items=outbox_work
        )
    )
