"""Ratings at the kiosk: a walk-in visitor rates today's finished visit with the ticket's PIN."""

import hmac
import re
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from desk.models import Visit, VisitStatus
from desk.services import office_today
from feedback.models import Channel, Rating
from feedback.services import FeedbackError, rating_record, scores_check
from offices.models import Office

# "a-7", "A 007", "A–007": a letter, then the number; dashes, dots and spaces do not matter.
TICKET_SEPARATORS = re.compile(r"[^0-9A-Za-z]")
TICKET = re.compile(r"([A-Z])(\d{1,4})")
COMMENT_MAX_LENGTH = 4000
# Wrong PINs a ticket tolerates before it cannot be rated at the kiosk any more.
PIN_ATTEMPTS = 5


def _not_found() -> FeedbackError:
    # One message for a wrong ticket, a wrong PIN and another day's ticket alike: the kiosk
    # must not tell a guesser which half of the pair was right.
    return FeedbackError(
        _("This ticket number and PIN do not match a visit today. Check both on your ticket.")
    )


def ticket_parse(text: str) -> tuple[str, int] | None:
    """The service letter and number of a ticket as a visitor may type it, or None."""
    match = TICKET.fullmatch(TICKET_SEPARATORS.sub("", text or "").upper())
    if match is None or not int(match[2]):
        return None
    return match[1], int(match[2])


def _rateable(visit: Visit, *, today: date) -> Visit:
    if visit.day != today:
        raise _not_found()
    if visit.status != VisitStatus.DONE:
        raise FeedbackError(_("You can rate your visit once the service at the desk is finished."))
    if Rating.objects.filter(visit=visit).exists() or (
        visit.order_id and Rating.objects.filter(order_id=visit.order_id).exists()
    ):
        # Its desk order rated in the portal is the same service: one answer counts.
        raise FeedbackError(_("This visit has been rated already. Thank you!"))
    return visit


def visit_for_rating(
    *, office: Office, ticket: str, pin: str, now: datetime | None = None
) -> Visit:
    """The office's finished, not yet rated visit of today (its day) with this ticket and PIN;
    FeedbackError otherwise. Every office numbers its own tickets: A-007 is the office's."""
    today = office_today(office, now)
    parsed = ticket_parse(ticket)
    visit = None
    if parsed is not None:
        service, number = parsed
        visit = Visit.objects.filter(
            office=office, day=today, service=service, number=number
        ).first()
    typed = (pin or "").strip().encode()
    if visit is None or visit.pin_failures >= PIN_ATTEMPTS:
        raise _not_found()
    if not hmac.compare_digest(visit.pin.encode(), typed):
        # Counted per ticket, so guessing one visit's PIN from many addresses fails as well.
        Visit.objects.filter(pk=visit.pk).update(pin_failures=F("pin_failures") + 1)
        raise _not_found()
    return _rateable(visit, today=today)


def visit_rating_submit(
    *, visit: Visit, scores: dict[str, int], comment: str = "", now: datetime | None = None
) -> Rating:
    """Save the kiosk's rating of a walk-in visit: once per visit, counted as channel walk-in."""
    scores_check(scores)
    comment = (comment or "").strip()[:COMMENT_MAX_LENGTH]
    now = now or timezone.now()
    try:
        with transaction.atomic():
            locked = (
                Visit.objects.select_for_update(of=("self",))
                .select_related("visitor", "order", "office")
                .get(pk=visit.pk)
            )
            _rateable(locked, today=office_today(locked.office, now))
            # The account of the visitor (linked by a desk order) or of the order, if any:
            # then the rating shows on the order page like an online one.
            customer_id = locked.visitor.user_id or (
                locked.order.customer_id if locked.order_id else None
            )
            # What the visit's desk order held, if it had one: the IKM counts per product kind.
            kinds = locked.order.lines.values_list("kind", flat=True) if locked.order else []
            return rating_record(
                scores=scores,
                comment=comment,
                channel=Channel.WALK_IN,
                kinds=kinds,
                visit=locked,
                office=locked.office,
                customer_id=customer_id,
                created_at=now,
            )
    except IntegrityError as exc:  # the same visit rated a moment ago on a second tablet
        raise FeedbackError(_("This visit has been rated already. Thank you!")) from exc
