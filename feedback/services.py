"""Ratings: given once, by the order's customer, after completion; followed up by the staff of
the office whose service was rated."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import ProductKind
from desk.models import Visit
from offices.models import Office
from offices.selectors import works_at
from orders.models import Order
from orders.models import OrderStatus as S
from silastik.errors import ApplicationError, text_within
from silastik.links import absolute_reverse, absolute_url
from silastik.mail.models import OutboundEmail
from silastik.mail.services import email_queue
from silastik.users.models import User

from .ikm import CODES
from .models import FollowUpMessage, Rating, RatingInvitation
from .selectors import ratings_of_order

LOW_SCORES = (1, 2)
# One reminder, a week after the invitation; none for invitations older than the window.
REMINDER_AFTER = timedelta(days=7)
REMINDER_WINDOW = timedelta(days=60)
REMIND_BATCH = 500
MESSAGE_MAX_LENGTH = 5000
# A rating's comment, online and at the kiosk (feedback.forms.RatingForm says the same).
COMMENT_MAX_LENGTH = 4000


class FeedbackError(ApplicationError):
    """A rating, follow-up or IKM report move that is not allowed; nothing was changed."""


def follow_up_needed(*, scores: dict[str, int], flagged: bool = False) -> bool:
    """Any element scored 1 or 2, or a comment staff flagged, needs someone to act on it."""
    return flagged or any(score in LOW_SCORES for score in scores.values())


def scores_check(scores: dict[str, int]) -> None:
    if sorted(scores) != sorted(CODES) or any(s not in (1, 2, 3, 4) for s in scores.values()):
        raise FeedbackError(_("Score every element from 1 to 4."))


def rating_office(*, order: Order | None = None, visit: Visit | None = None) -> Office:
    """The office whose service is rated: the one the visit was made to, or the one that served
    the order."""
    office = visit.office if visit is not None else order.office if order is not None else None
    if not isinstance(office, Office):
        raise FeedbackError(_("It is not known which office gave this service."))
    return office


def rating_record(
    *,
    scores: dict[str, int],
    comment: str,
    channel: str,
    kinds: Iterable[str],
    order: Order | None = None,
    visit: Visit | None = None,
    office: Office | None = None,
    customer_id: int | None = None,
    created_at: datetime | None = None,
) -> Rating:
    """The one way a rating is written, online and at the kiosk (callers check and lock): the
    office whose service it rates (by default worked out from the order or the visit), the
    nine scores, the comment, whether it needs a follow-up, and the product kinds it rates."""
    scores_check(scores)
    text_within(comment, COMMENT_MAX_LENGTH, error=FeedbackError)
    kinds = set(kinds)
    return Rating.objects.create(
        office=office or rating_office(order=order, visit=visit),
        order=order,
        visit=visit,
        customer_id=customer_id,
        channel=channel,
        created_at=created_at or timezone.now(),
        comment=comment,
        needs_follow_up=follow_up_needed(scores=scores),
        **{f"with_{kind}": kind in kinds for kind in ProductKind.values},
        **scores,
    )


def rating_submit(*, order: Order, by: User, scores: dict[str, int], comment: str = "") -> Rating:
    if order.customer_id != by.pk:
        raise FeedbackError(_("Only the customer of this order can rate it."))
    scores_check(scores)
    try:
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            if locked.status != S.COMPLETED:
                raise FeedbackError(_("An order can be rated once it is completed."))
            # Rated at the kiosk after a desk visit for this order counts as rated.
            if ratings_of_order(locked).exists():
                raise FeedbackError(_("This order has been rated already."))
            return rating_record(
                scores=scores,
                comment=comment.strip(),
                # A desk order rated later in the portal still rates the walk-in service.
                channel=locked.channel,
                kinds=locked.lines.values_list("kind", flat=True),
                order=locked,
                office=rating_office(order=locked),
                customer_id=by.pk,
            )
    except IntegrityError as exc:  # a second click a moment later
        raise FeedbackError(_("This order has been rated already.")) from exc


def _require_office_staff(*, rating: Rating, by: User, message: str) -> None:
    """Only the PST staff of the office whose service was rated act on its rating."""
    if not by.is_pst_staff:
        raise FeedbackError(message)
    if not works_at(by, rating.office_id):
        raise FeedbackError(_("Only the staff of the office whose service was rated can do this."))


def rating_flag(*, rating: Rating, by: User) -> Rating:
    """Staff flag a comment that needs an answer even though the scores are good."""
    _require_office_staff(rating=rating, by=by, message=_("Only PST staff can flag a rating."))
    if rating.follow_up_closed_at is not None:
        raise FeedbackError(_("The follow-up of this rating is closed."))
    Rating.objects.filter(pk=rating.pk).update(flagged_by_staff=True, needs_follow_up=True)
    rating.refresh_from_db()
    return rating


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise FeedbackError(message)
    if len(text) > MESSAGE_MAX_LENGTH:
        raise FeedbackError(
            _("Write at most %(count)s characters.") % {"count": MESSAGE_MAX_LENGTH}
        )
    return text


def _rate(order: Order) -> str:
    return absolute_reverse("feedback:rate", order.pk)


def _email_customer(*, order: Order, template: str, **context: object) -> OutboundEmail:
    """To the order's customer, from the office that served the order."""
    customer = order.customer
    return email_queue(
        to=customer.email,
        template=template,
        context={
            "order": order,
            "office": order.office,
            "link": absolute_url(order.get_absolute_url()),
            **context,
        },
        language=customer.language,
    )


def _email_respondent(*, rating: Rating, template: str, **context: object) -> OutboundEmail | None:
    """Write to whoever gave the rating: the order's customer, or the walk-in visitor at the
    address of their account or of the guest book. None when there is no address."""
    if rating.order is not None:
        return _email_customer(
            order=rating.order, template=template, office=rating.office, **context
        )
    to = rating.respondent_email
    visit = rating.visit
    if not to or visit is None:
        return None
    # The order page is where a customer answers; a visitor without one answers by e-mail.
    order = visit.order
    if order is not None and order.customer_id != rating.customer_id:
        order = None
    return email_queue(
        to=to,
        template=f"walk_in_{template}",
        context={
            "visit": visit,
            "office": rating.office,
            "name": rating.respondent_name,
            "link": absolute_url(order.get_absolute_url()) if order else "",
            **context,
        },
        language=rating.customer.language if rating.customer else settings.LANGUAGE_CODE,
    )


def _rated_at_desk() -> Exists:
    """The order was rated at the kiosk after one of its desk visits."""
    return Exists(Rating.objects.filter(visit__order_id=OuterRef("order_id")))


# --- invitations --------------------------------------------------------------------------


def rating_invite(*, order: Order) -> RatingInvitation | None:
    """Invite the customer to rate a newly completed order, once per order."""
    if ratings_of_order(order).exists():  # the visitor rated the desk visit already
        return None
    invitation, created = RatingInvitation.objects.get_or_create(order=order)
    if not created:
        return None
    _email_customer(
        order=order, template="rating_invitation", reminder=False, rate_link=_rate(order)
    )
    return invitation


def ratings_remind(*, now: datetime | None = None) -> int:
    """Send the one reminder to customers who have not rated a week after the invitation."""
    now = now or timezone.now()
    due = list(
        RatingInvitation.objects.filter(
            reminded_at__isnull=True,
            invited_at__lte=now - REMINDER_AFTER,
            invited_at__gt=now - REMINDER_WINDOW,
            order__status=S.COMPLETED,
            order__rating__isnull=True,
        )
        .exclude(_rated_at_desk())
        .values_list("pk", flat=True)[:REMIND_BATCH]
    )
    sent = 0
    for pk in due:
        with transaction.atomic():
            # Compare-and-swap: a second sweep running at the same time finds nothing to do.
            # The conditions again: someone may have rated since the list was read.
            claimed = (
                RatingInvitation.objects.filter(
                    pk=pk,
                    reminded_at__isnull=True,
                    order__status=S.COMPLETED,
                    order__rating__isnull=True,
                )
                .exclude(_rated_at_desk())
                .update(reminded_at=now)
            )
            if not claimed:
                continue
            invitation = RatingInvitation.objects.select_related(
                "order__customer", "order__office"
            ).get(pk=pk)
            _email_customer(
                order=invitation.order,
                template="rating_invitation",
                reminder=True,
                rate_link=_rate(invitation.order),
            )
            sent += 1
    return sent


# --- follow-up ----------------------------------------------------------------------------


def _locked_open(rating: Rating) -> Rating:
    locked = (
        Rating.objects.select_for_update(of=("self",))
        .select_related(
            "office",
            "order__customer",
            "order__office",
            "customer",
            "visit__visitor",
            "visit__order",
        )
        .get(pk=rating.pk)
    )
    if not locked.needs_follow_up:
        raise FeedbackError(_("This rating does not need a follow-up."))
    if locked.follow_up_closed_at is not None:
        raise FeedbackError(_("The follow-up of this rating is closed."))
    return locked


def _repeated(*, rating: Rating, by: User, text: str) -> FollowUpMessage | None:
    """The same message again from the same person: a second click, not a second message."""
    last = rating.messages.order_by("-created_at", "-pk").first()
    if last is not None and last.author_id == by.pk and last.text == text:
        return last
    return None


def follow_up_reply(*, rating: Rating, by: User, text: str) -> FollowUpMessage:
    """Staff write to the customer: the message is e-mailed and kept in the rating's thread."""
    _require_office_staff(rating=rating, by=by, message=_("Only PST staff can answer a rating."))
    text = _required(text, _("Write the message to the customer."))
    with transaction.atomic():
        locked = _locked_open(rating)
        if not locked.respondent_email:
            raise FeedbackError(
                _(
                    "This visitor left no e-mail address, so no message can be sent. "
                    "Close the follow-up with what was done."
                )
            )
        if repeated := _repeated(rating=locked, by=by, text=text):
            return repeated
        email = _email_respondent(rating=locked, template="follow_up_reply", text=text)
        return FollowUpMessage.objects.create(rating=locked, author=by, text=text, email=email)


def follow_up_answer(*, rating: Rating, by: User, text: str) -> FollowUpMessage:
    """The customer writes back in the portal while the follow-up is open."""
    if rating.customer_id != by.pk:
        raise FeedbackError(_("Only the customer of this order can answer here."))
    text = _required(text, _("Write your message."))
    with transaction.atomic():
        locked = _locked_open(rating)
        if repeated := _repeated(rating=locked, by=by, text=text):
            return repeated
        return FollowUpMessage.objects.create(rating=locked, author=by, text=text)


def follow_up_close(*, rating: Rating, by: User, outcome: str) -> Rating:
    """Staff close the follow-up with what was done; the customer is told if they have an
    e-mail address (a walk-in visitor may have left only a phone number)."""
    _require_office_staff(rating=rating, by=by, message=_("Only PST staff can close a follow-up."))
    outcome = _required(outcome, _("Write what was done about this rating."))
    with transaction.atomic():
        locked = _locked_open(rating)
        locked.follow_up_closed_at = timezone.now()
        locked.follow_up_closed_by = by
        locked.follow_up_outcome = outcome
        locked.save(
            update_fields=["follow_up_closed_at", "follow_up_closed_by", "follow_up_outcome"]
        )
        _email_respondent(rating=locked, template="follow_up_closed", outcome=outcome)
    return locked
