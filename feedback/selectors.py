"""The IKM of a set of ratings, computed by the database."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum

from orders.models import Order

from .ikm import CODES, Grade, converted_from_sum, grade_of, ikm_from_sums
from .models import FollowUpMessage, Rating


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    nrr: dict[str, Decimal]
    ikm: Decimal | None
    grade: Grade | None
    converted: dict[str, Decimal] = field(default_factory=dict)


EMPTY = IkmResult(0, {}, None, None)


def ikm_result(respondents: int, sums: dict[str, int]) -> IkmResult:
    """NRR, index and grade from the elements' score totals (integers, so nothing is lost)."""
    if not respondents:
        return EMPTY
    ikm = ikm_from_sums(sums, respondents)
    return IkmResult(
        respondents,
        {code: Decimal(sums[code]) / respondents for code in CODES},
        ikm,
        grade_of(ikm),
        {code: converted_from_sum(sums[code], respondents) for code in CODES},
    )


def ikm_of(ratings: QuerySet[Rating]) -> IkmResult:
    """One aggregate query: per element the total score, then NRR, the index and its grade."""
    row = ratings.aggregate(n=Count("pk"), **{code: Sum(code) for code in CODES})
    return ikm_result(row["n"], {code: row[code] for code in CODES})


def ratings_of_order(order: Order) -> QuerySet[Rating]:
    """The order's own rating and those given at the kiosk for the desk visits it came from."""
    return Rating.objects.filter(Q(order=order) | Q(visit__order=order))


def rating_of(*, order: Order) -> Rating | None:
    """The order's rating with its thread, for the order page: its own one, else the latest
    one given at the kiosk after a desk visit for this order."""
    return (
        ratings_of_order(order)
        .select_related("visit")
        .order_by(F("order_id").asc(nulls_last=True), "-created_at")
        .prefetch_related(
            Prefetch("messages", FollowUpMessage.objects.select_related("author", "rating"))
        )
        .first()
    )
