"""The community satisfaction index (IKM, PermenPANRB 14/2017): nine elements scored 1–4.

Per element NRR = sum of scores / respondents; IKM = (sum of NRR × 1/9) × 25, from 25 to 100.
"""

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ELEMENT_COUNT = 9
CONVERSION = 25


@dataclass(frozen=True)
class Element:
    code: str
    name: object
    question: object
    answers: tuple  # labels for scores 1..4


# The standard questionnaire's elements (unsur), in the regulation's order.
ELEMENTS: tuple[Element, ...] = (
    Element(
        "u1",
        _("Requirements"),
        _("How well do the service requirements fit the kind of service?"),
        (_("Not suitable"), _("Less suitable"), _("Suitable"), _("Very suitable")),
    ),
    Element(
        "u2",
        _("Procedure"),
        _("How easy are the service procedures at this unit?"),
        (_("Not easy"), _("Less easy"), _("Easy"), _("Very easy")),
    ),
    Element(
        "u3",
        _("Service time"),
        _("How fast is the service delivered?"),
        (_("Not fast"), _("Less fast"), _("Fast"), _("Very fast")),
    ),
    Element(
        "u4",
        _("Cost / tariff"),
        _("How reasonable is the cost or tariff of the service?"),
        (_("Very expensive"), _("Rather expensive"), _("Cheap"), _("Free")),
    ),
    Element(
        "u5",
        _("Product specification"),
        _("How well does the product delivered match the one in the service standard?"),
        (_("Not suitable"), _("Less suitable"), _("Suitable"), _("Very suitable")),
    ),
    Element(
        "u6",
        _("Staff competence"),
        _("How competent are the staff in providing the service?"),
        (_("Not competent"), _("Less competent"), _("Competent"), _("Very competent")),
    ),
    Element(
        "u7",
        _("Staff behaviour"),
        _("How polite and friendly are the staff?"),
        (
            _("Not polite and friendly"),
            _("Less polite and friendly"),
            _("Polite and friendly"),
            _("Very polite and friendly"),
        ),
    ),
    Element(
        "u8",
        _("Facilities"),
        _("What is the quality of the facilities and infrastructure?"),
        (_("Poor"), _("Fair"), _("Good"), _("Very good")),
    ),
    Element(
        "u9",
        _("Handling of complaints and suggestions"),
        _("How are users' complaints and suggestions handled?"),
        (
            _("Not available"),
            _("Available but not working"),
            _("Working, not at its best"),
            _("Well managed"),
        ),
    ),
)
CODES = tuple(e.code for e in ELEMENTS)


@dataclass(frozen=True)
class Grade:
    letter: str
    performance: object


# PermenPANRB 14/2017: converted index intervals (two decimals, as published).
GRADES = (
    # The regulation's words for the unit's performance (kinerja unit pelayanan).
    (Decimal("88.31"), Grade("A", pgettext_lazy("IKM grade", "Very good"))),
    (Decimal("76.61"), Grade("B", pgettext_lazy("IKM grade", "Good"))),
    (Decimal("65.00"), Grade("C", pgettext_lazy("IKM grade", "Fair"))),
    (Decimal("25.00"), Grade("D", pgettext_lazy("IKM grade", "Poor"))),
)


def _two_decimals(value: Fraction) -> Decimal:
    """Half up to two decimals, exactly: a true 78,125 is 78,13, never 78,12 from a 1/9 cut
    off at some digit."""
    return Decimal(math.floor(value * 100 + Fraction(1, 2))) / 100


def ikm_from_nrr(nrr: dict[str, Decimal]) -> Decimal:
    """The converted index, rounded to two decimals as the regulation publishes it."""
    total = sum((Fraction(Decimal(nrr[code])) for code in CODES), Fraction(0))
    return _two_decimals(total * CONVERSION / ELEMENT_COUNT)


def ikm_from_sums(sums: dict[str, int], respondents: int) -> Decimal:
    """The index from the elements' score totals: NRR = total / respondents, kept exact."""
    return _two_decimals(Fraction(sum(sums[code] for code in CODES) * 25, 9 * respondents))


def converted_from_sum(total: int, respondents: int) -> Decimal:
    """One element's NRR on the 25–100 scale, rounded as the index is, so that its grade
    matches the number printed next to it."""
    return _two_decimals(Fraction(total * 25, respondents))


def grade_of(ikm: Decimal) -> Grade:
    for floor, grade in GRADES:
        if ikm >= floor:
            return grade
    raise ValueError(f"an IKM is between 25 and 100, not {ikm}")
