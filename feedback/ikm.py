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


# The standard questionnaire's elements (unsur), in the order of the regulation's sample
# questionnaire (facilities before complaints), named as the regulation words them. The names
# carry a context: "Requirements" or "Facilities" elsewhere in the portal are other words.
ELEMENTS: tuple[Element, ...] = (
    Element(
        "u1",
        pgettext_lazy("IKM element", "Requirements"),
        _("How well do the service requirements fit the kind of service?"),
        (_("Not suitable"), _("Less suitable"), _("Suitable"), _("Very suitable")),
    ),
    Element(
        "u2",
        pgettext_lazy("IKM element", "Systems, mechanisms and procedures"),
        _("How easy are the service procedures at this unit?"),
        (_("Not easy"), _("Less easy"), _("Easy"), _("Very easy")),
    ),
    Element(
        "u3",
        pgettext_lazy("IKM element", "Completion time"),
        _("How fast is the service delivered?"),
        (_("Not fast"), _("Less fast"), _("Fast"), _("Very fast")),
    ),
    Element(
        "u4",
        pgettext_lazy("IKM element", "Cost/tariff"),
        _("How reasonable is the cost or tariff of the service?"),
        (_("Very expensive"), _("Rather expensive"), _("Cheap"), _("Free")),
    ),
    Element(
        "u5",
        pgettext_lazy("IKM element", "Product specification by type of service"),
        _("How well does the product delivered match the one in the service standard?"),
        (_("Not suitable"), _("Less suitable"), _("Suitable"), _("Very suitable")),
    ),
    Element(
        "u6",
        pgettext_lazy("IKM element", "Staff competence"),
        _("How competent are the staff in providing the service?"),
        (_("Not competent"), _("Less competent"), _("Competent"), _("Very competent")),
    ),
    Element(
        "u7",
        pgettext_lazy("IKM element", "Staff behaviour"),
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
        pgettext_lazy("IKM element", "Facilities and infrastructure"),
        _("What is the quality of the facilities and infrastructure?"),
        (_("Poor"), _("Fair"), _("Good"), _("Very good")),
    ),
    Element(
        "u9",
        pgettext_lazy("IKM element", "Handling of complaints, suggestions and feedback"),
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


# Each element weighs exactly 1/9. Offices' spreadsheets often type the weight as 0,111: nine
# such weights add up to 0,999, so their index reads 0,1 % lower (99,90 for all fours).
SPREADSHEET_WEIGHT = Decimal("0.111")


def ikm_with_weight(sums: dict[str, int], respondents: int, weight: Decimal) -> Decimal:
    """The index as a spreadsheet that weighs every element `weight` instead of 1/9 computes
    it (from the same exact NRR), to reconcile the report with it."""
    total = sum(sums[code] for code in CODES)
    return _two_decimals(Fraction(total, respondents) * Fraction(weight) * CONVERSION)


def converted_from_sum(total: int, respondents: int) -> Decimal:
    """One element's NRR on the 25–100 scale, rounded as the index is, so that its grade
    matches the number printed next to it."""
    return _two_decimals(Fraction(total * 25, respondents))


def grade_of(ikm: Decimal) -> Grade:
    for floor, grade in GRADES:
        if ikm >= floor:
            return grade
    raise ValueError(f"an IKM is between 25 and 100, not {ikm}")
