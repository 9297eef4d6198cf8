"""What waits for an office's PST staff, for their home page (silastik.work): each queue of the
back-office order list with its count and its oldest order, in one query, and the orders near
or past their standard."""

from datetime import date

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from offices.selectors import office_of
from silastik.users.models import User
from silastik.work import (
    FiguresPanel,
    WorkItem,
    WorkSource,
    figures_panel_register,
    work_source_register,
)
from silastik.work.charts import Bar, bars_scaled

from .models import (
    Conversation,
    ConversationStatus,
    Order,
    OrderAction,
    OrderEvent,
    SppdStatus,
)
from .models import OrderStatus as S
from .selectors import orders_needing_attention
from .sla import SLA_STANDARD_DAYS

ANSWERED = Exists(OrderEvent.objects.filter(order=OuterRef("pk"), action=OrderAction.ANSWER))

# The staff's queues: the order list's filter (orders.admin.QueueFilter) names them the same.
STAFF_QUEUES: dict[str, Q] = {
    "new": Q(status=S.SUBMITTED, answered=False),
    "answered": Q(status=S.SUBMITTED, answered=True),
    "revise": Q(status=S.REVISING),
    "prepare": Q(status=S.PREPARING),
    "agreements": Q(sppd_status=SppdStatus.UPLOADED) & ~Q(status__in=[S.CANCELLED, S.EXPIRED]),
    "deliver": Q(status=S.AWAITING_DELIVERY)
    & ~Q(sppd_status__in=[SppdStatus.PENDING, SppdStatus.UPLOADED]),
    "correct": Q(status=S.CORRECTING),
    "links": Q(status=S.COMPLETED, link_requested_at__isnull=False),
}


def _labels() -> dict[str, tuple[str, str]]:
    """Each queue's label and the standard it is held to, in the reader's language."""
    ten, five = _("10 working days"), _("5 working days")
    return {
        "new": (_("New requests"), ten),
        "answered": (_("Answers from customers"), ten),
        "revise": (_("Offers to revise"), ten),
        "prepare": (_("Orders to prepare"), ten),
        "agreements": (_("Signed agreements to check"), ""),
        "deliver": (_("Deliveries waiting"), ten),
        "correct": (_("Corrections"), five),
        "links": (_("New download links asked for"), _("30 days after completion")),
    }


def staff_work(user: User) -> list[WorkItem]:
    office = office_of(user)
    if office is None:
        return []
    orders = Order.objects.filter(office=office).annotate(answered=ANSWERED)
    figures = orders.aggregate(
        **{f"{key}_count": Count("pk", filter=q) for key, q in STAFF_QUEUES.items()},
        **{
            f"{key}_oldest": Min(
                "link_requested_at" if key == "links" else "status_changed_at", filter=q
            )
            for key, q in STAFF_QUEUES.items()
        },
    )
    late = orders_needing_attention(office_id=office.pk)
    overdue = {late_order.order.pk for late_order in late if late_order.state == "late"}
    url = reverse("admin:orders_order_changelist")
    items = [
        WorkItem(
            label=label,
            count=figures[f"{key}_count"],
            url=f"{url}?queue={key}",
            oldest=figures[f"{key}_oldest"],
            standard=standard,
            position=position,
        )
        for position, (key, (label, standard)) in enumerate(_labels().items())
    ]
    waiting = Conversation.objects.filter(
        office=office, status=ConversationStatus.OPEN, waiting_for_office=True
    ).aggregate(n=Count("pk"), oldest=Min("last_message_at"))
    conversations = reverse("admin:orders_conversation_changelist")
    items.append(
        WorkItem(
            label=_("Messages waiting for an answer"),
            count=waiting["n"],
            url=f"{conversations}?status__exact=open&waiting_for_office__exact=1",
            oldest=waiting["oldest"],
            position=len(items),
        )
    )
    items.append(
        WorkItem(
            label=_("Near or past the standard"),
            count=len(late),
            url=f"{url}?queue=late",
            oldest=min((o.order.status_changed_at for o in late), default=None),
            standard=_("10 working days; corrections 5"),
            late=len(overdue),
            position=len(items),
        )
    )
    return items


SLA_MONTHS = 6


def _first_of_month_back(today: date, count: int) -> date:
    month, year = today.month - (count - 1), today.year
    while month < 1:
        month, year = month + 12, year - 1
    return date(year, month, 1)


def sla_figures(request: HttpRequest) -> dict:
    """Orders completed per month on the office's clock, and how many within the 10-working-day
    standard (the working days are kept on the order at completion): one query."""
    office = office_of(request.user)
    if office is None:
        return {}
    zone = office.zone
    today = timezone.localdate(timezone=zone)
    start = _first_of_month_back(today, SLA_MONTHS)
    rows = (
        Order.objects.filter(office=office, completed_at__date__gte=start)
        .annotate(month=TruncMonth("completed_at", tzinfo=zone))
        .values("month")
        .annotate(
            n=Count("pk"), on_time=Count("pk", filter=Q(working_days_used__lte=SLA_STANDARD_DAYS))
        )
        .order_by("month")
    )
    bars = []
    for row in rows:
        share = round(row["on_time"] * 100 / row["n"]) if row["n"] else 0
        tone = "success" if share >= 90 else "warning" if share >= 70 else "danger"
        label = formats.date_format(row["month"], "M Y")
        bars.append(Bar(label, share, f"{share}% ({row['on_time']}/{row['n']})", tone=tone))
    this_month = next((b for b in bars if b.label == formats.date_format(today, "M Y")), None)
    return {
        "sla": {
            "month_share": this_month.shown if this_month else "—",
            "open_late": len(orders_needing_attention(office_id=office.pk)),
            "bars": bars_scaled(bars, top=100),
            "standard": SLA_STANDARD_DAYS,
        }
    }


def work_sources_register() -> None:
    work_source_register(
        WorkSource(roles=frozenset({"pst_staff"}), section="staff", items=staff_work)
    )
    figures_panel_register(
        FiguresPanel(
            roles=frozenset({"head"}),
            section="head",
            template="work/_sla.html",
            context=sla_figures,
            position=1,
        )
    )
