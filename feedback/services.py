"""Ratings: given once, by the order's customer, after completion."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from orders.models import Order
from orders.models import OrderStatus as S

from .ikm import CODES
from .models import Rating

LOW_SCORES = (1, 2)


class FeedbackError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def follow_up_needed(*, scores: dict[str, int], flagged: bool = False) -> bool:
    """Any element scored 1 or 2, or a comment staff flagged, needs someone to act on it."""
    return flagged or any(score in LOW_SCORES for score in scores.values())


def rating_submit(*, order: Order, by, scores: dict[str, int], comment: str = "") -> Rating:
    if order.customer_id != by.pk:
        raise FeedbackError(_("Only the customer of this order can rate it."))
    if sorted(scores) != sorted(CODES) or any(s not in (1, 2, 3, 4) for s in scores.values()):
        raise FeedbackError(_("Score every element from 1 to 4."))
    try:
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            if locked.status != S.COMPLETED:
                raise FeedbackError(_("An order can be rated once it is completed."))
            if Rating.objects.filter(order=locked).exists():
                raise FeedbackError(_("This order has been rated already."))
            return Rating.objects.create(
                order=locked,
                customer=by,
                comment=comment.strip(),
                needs_follow_up=follow_up_needed(scores=scores),
                **scores,
            )
    except IntegrityError as exc:  # a second click a moment later
        raise FeedbackError(_("This order has been rated already.")) from exc


def rating_flag(*, rating: Rating, by) -> Rating:
    """Staff flag a comment that needs an answer even though the scores are good."""
    if not by.is_pst_staff:
        raise FeedbackError(_("Only PST staff can flag a rating."))
    Rating.objects.filter(pk=rating.pk).update(flagged_by_staff=True, needs_follow_up=True)
    rating.refresh_from_db()
    return rating
