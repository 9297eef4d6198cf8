"""Reading orders for pages: timelines, what the customer must do, SLA figures, queues."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import ProductKind
from catalog.selection import Selection, SizeEstimate, selection_estimates
from silastik.users.models import User

from .models import (
    Handover,
    Order,
    OrderAction,
    OrderChannel,
    OrderEvent,
    OrderLine,
    OrderLineVariable,
    SppdStatus,
)
from .models import OrderStatus as S
from .sla import (
    CORRECTION_STANDARD_DAYS,
    SLA_STANDARD_DAYS,
    intervals_owned,
    sla_days_used,
    sla_state,
    working_days_between,
)
from .workflow import MOVES, OWNERS, Actor


def cart_of(*, customer: User) -> Order | None:
    """The customer's cart (the order in the draft state), if there is one."""
    return Order.objects.filter(customer=customer, status=S.DRAFT).first()


def line_selections(*, lines: list[OrderLine]) -> dict[int, Selection]:
    """By line id, what the customer chose on each line, as the catalog prices it: one query
    for the chosen variables of all of them."""
    chosen: dict[int, set[int]] = {}
    by_variable = [line.pk for line in lines if line.by_variable]
    if by_variable:
        rows = OrderLineVariable.objects.filter(line_id__in=by_variable).values_list(
            "line_id", "variable_id"
        )
        for line_id, variable_id in rows:
            chosen.setdefault(line_id, set()).add(variable_id)
    return {
        line.pk: Selection(
            variables=frozenset(chosen.get(line.pk, ())),
            regions=tuple(line.regions),
            by_variable=line.by_variable,
        )
        for line in lines
    }


def lines_region_estimates(*, lines: list[OrderLine]) -> dict[int, SizeEstimate]:
    """By line id, the estimate of each microdata line limited to regions, so the cart can say
    where it covers the whole dataset or files whole (no record counts for a chosen region).
    A few queries however many lines; the lines come with `product__dataset`."""
    regional = [line for line in lines if line.kind == ProductKind.MICRODATA and line.regions]
    selections = line_selections(lines=regional)
    items = [(line.product.dataset, selections[line.pk]) for line in regional]
    estimates = selection_estimates(items=items) if items else []
    return {line.pk: estimate for line, estimate in zip(regional, estimates, strict=True)}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    status: str
    note: str


STAFF_ONLY_ACTIONS = (OrderAction.PRODUCT_UPLOADED, OrderAction.SAMPLE_UPLOADED)


def order_timeline(*, order: Order, for_customer: bool = False) -> list[TimelineEntry]:
    entries = []
    for event in order.events.all():
        if for_customer and event.action in STAFF_ONLY_ACTIONS:
            continue
        if event.from_status != event.to_status and event.action in MOVES:
            # A move is titled as its button was ("Send the offer"), a note by its action.
            title = str(MOVES[event.action].label)
        else:
            title = event.get_action_display()
        entries.append(TimelineEntry(event.at, title, event.get_to_status_display(), event.note))
    return entries


def customer_next_step(*, order: Order) -> str:
    """What the customer is expected to do now, in a sentence."""
    status = order.status
    if status == S.NEEDS_INFO:
        return _("Answer the staff's question below.")
    if order.sppd_status == SppdStatus.PENDING and status in (
        S.OFFERED,
        S.PAYMENT_REVIEW,
        S.AWAITING_DELIVERY,
    ):
        returned = _sppd_returned_reason(order)
        if returned:
            return _("Your signed agreement was sent back: %(reason)s Upload it again.") % {
                "reason": returned
            }
    if status == S.OFFERED:
        steps = [_("Check the offer: invoice, sample data and agreement.")]
        steps.append(_("Pay the invoice.") if order.total else _("Accept the offer."))
        if order.sppd_status == SppdStatus.PENDING and order.channel == OrderChannel.WALK_IN:
            steps.append(_("Sign the data use agreement at the PST desk."))
        elif order.sppd_status == SppdStatus.PENDING:
            steps.append(
                _("Sign the data use agreement and upload it, or post two signed originals.")
            )
        return " ".join(steps)
    if status == S.AWAITING_DELIVERY and order.sppd_status == SppdStatus.PENDING:
        return _("Sign the data use agreement: the data are delivered once it has arrived.")
    if status == S.AWAITING_DELIVERY and order.sppd_status == SppdStatus.UPLOADED:
        return _(
            "The office is checking your signed agreement; the data follow once it is accepted."
        )
    if status == S.COMPLETED and order.handover and order.handover != Handover.DOWNLOAD:
        return _("Check the products you received at the desk and tell us if something is wrong.")
    if status == S.COMPLETED:
        return _("Download your products, check them and tell us if something is wrong.")
    if OWNERS.get(status) in (Actor.STAFF, Actor.TREASURER):
        return _("Nothing for now: the office is working on your order.")
    return ""


def _sppd_returned_reason(order: Order) -> str:
    """Why staff sent the signed agreement back, if that is the agreement's last news."""
    last = (
        order.events.filter(action__in=[*SPPD_RECEIVED, OrderAction.SPPD_RETURNED])
        .order_by("-at", "-pk")
        .values_list("action", "note")
        .first()
    )
    return last[1] if last and last[0] == OrderAction.SPPD_RETURNED else ""


def _owned_by_office(status: str) -> bool:
    return OWNERS.get(status) in (Actor.STAFF, Actor.TREASURER)


AWAITING_SPPD = "awaiting_sppd"  # paid, but the customer still owes the signed agreement
SPPD_RECEIVED = (OrderAction.SPPD_UPLOADED, OrderAction.SPPD_ORIGINALS)


def _ownership_changes(order: Order, events: list[OrderEvent]) -> list[tuple]:
    """Status changes, with "awaiting delivery" split by whether the signed SPPD is in: until
    it arrives, it is the customer's move and the office's clock stands still."""
    needs_sppd = order.sppd_status != SppdStatus.NOT_NEEDED
    received, status, changes = False, None, []
    for event in events:
        if event.action in SPPD_RECEIVED:
            received = True
        elif event.action == OrderAction.SPPD_RETURNED:
            received = False  # sent back: the customer's move again
        elif event.from_status != event.to_status:
            status = event.to_status
            if event.action == OrderAction.OFFER:
                received = False  # a new offer has a new agreement to sign
        else:
            continue
        waiting = status == S.AWAITING_DELIVERY and needs_sppd and not received
        changes.append((event.at, AWAITING_SPPD if waiting else status))
    return changes


def order_sla_days(
    *, order: Order, events: list[OrderEvent] | None = None, now: datetime | None = None
) -> int:
    """Working days the office has held the order (customer's turns do not count)."""
    now = now or timezone.now()
    events = events if events is not None else list(order.events.all())
    changes = _ownership_changes(order, events)
    intervals = intervals_owned(changes=changes, owned=_owned_by_office, now=now)
    return sla_days_used(intervals=intervals, now=now)


def order_sla(
    *, order: Order, events: list[OrderEvent] | None = None, now: datetime | None = None
) -> tuple[int, str]:
    used = order_sla_days(order=order, events=events, now=now)
    return used, sla_state(used=used, standard=SLA_STANDARD_DAYS)


@dataclass(frozen=True)
class LateOrder:
    order: Order
    used: int
    standard: int
    state: str


def orders_needing_attention(
    *, now: datetime | None = None, office_id: int | None = None
) -> list[LateOrder]:
    """Orders the office holds that are near or past their standard: 10 working days for a
    request, 5 for a correction (counted from the report); of one office when given."""
    now = now or timezone.now()
    office_states = [s for s, owner in OWNERS.items() if owner in (Actor.STAFF, Actor.TREASURER)]
    held = Order.objects.filter(status__in=office_states)
    if office_id is not None:
        held = held.filter(office_id=office_id)
    orders = held.select_related("customer").prefetch_related("events", "lines__corrections")
    found = []
    for order in orders:
        if order.status == S.CORRECTING:
            reported = max(
                (
                    c.reported_at
                    for line in order.lines.all()
                    for c in line.corrections.all()
                    if c.resolved_at is None
                ),
                default=order.status_changed_at,
            )
            used, standard = working_days_between(start=reported, end=now), CORRECTION_STANDARD_DAYS
        else:
            used, standard = (
                order_sla_days(order=order, events=list(order.events.all()), now=now),
                SLA_STANDARD_DAYS,
            )
        state = sla_state(used=used, standard=standard)
        if state != "ok":
            found.append(LateOrder(order, used, standard, state))
    return sorted(found, key=lambda late: (-late.used, late.order.pk))
