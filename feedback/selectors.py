"""The IKM of a set of ratings, computed by the database."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, QuerySet

from .ikm import CODES, Grade, grade_of, ikm_from_nrr
from .models import Rating


@dataclass(frozen=True)
class IkmResult:
    respondents: int
    nrr: dict[str, Decimal]
    ikm: Decimal | None
    grade: Grade | None


def ikm_of(ratings: QuerySet[Rating]) -> IkmResult:
    """One aggregate query: per element the mean score (NRR), then the index and its grade."""
    row = ratings.aggregate(n=Count("pk"), **{code: Avg(code) for code in CODES})
    if not row["n"]:
        return IkmResult(0, {}, None, None)
    nrr = {code: Decimal(str(row[code])) for code in CODES}
    ikm = ikm_from_nrr(nrr)
    return IkmResult(row["n"], nrr, ikm, grade_of(ikm))
