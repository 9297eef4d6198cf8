"""Geometry of the IKM charts; templates draw them as SVG (the page and the PDF alike)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .analysis import ElementRow, MonthRow
from .ikm import GRADES

# Element chart: one row per element, NRR on a 0–4 scale.
ROW, BAR, LABEL, PLOT, RIGHT, TOP = 30, 16, 250, 320, 56, 20
SCALE = Decimal(4)
# Trend chart: one point per month, the index on its 25–100 scale.
SLOT, TREND_TOP, TREND_PLOT, TREND_BOTTOM, TREND_LEFT = 64, 16, 180, 36, 44
LOWEST, HIGHEST = Decimal(25), Decimal(100)


@dataclass(frozen=True)
class ElementBar:
    row: ElementRow
    y: int
    text_y: int
    width: int
    previous_x: int | None
    low: bool  # graded C or D: drawn in the warning colour


@dataclass(frozen=True)
class ElementChart:
    bars: tuple[ElementBar, ...]
    ticks: tuple[tuple[int, int], ...]  # (value, x)
    width: int
    height: int
    label_width: int
    bar_height: int
    plot_bottom: int


def element_chart(rows: tuple[ElementRow, ...]) -> ElementChart:
    bars = []
    for i, row in enumerate(rows):
        y = TOP + i * ROW
        width = round(row.nrr * PLOT / SCALE) if row.nrr is not None else 0
        previous_x = (
            LABEL + round(row.previous * PLOT / SCALE) if row.previous is not None else None
        )
        low = row.grade is not None and row.grade.letter in ("C", "D")
        bars.append(ElementBar(row, y + (ROW - BAR) // 2, y + ROW // 2 + 4, width, previous_x, low))
    ticks = tuple((value, LABEL + value * PLOT // 4) for value in range(5))
    return ElementChart(
        bars=tuple(bars),
        ticks=ticks,
        width=LABEL + PLOT + RIGHT,
        height=TOP + len(rows) * ROW + 8,
        label_width=LABEL,
        bar_height=BAR,
        plot_bottom=TOP + len(rows) * ROW,
    )


@dataclass(frozen=True)
class TrendPoint:
    month: date
    ikm: Decimal
    respondents: int
    x: int
    y: int


@dataclass(frozen=True)
class TrendChart:
    points: tuple[TrendPoint, ...]
    polyline: str
    bands: tuple[tuple[str, int], ...]  # (grade letter, y of its floor)
    width: int
    height: int
    left: int
    baseline: int


def _y(value: Decimal) -> int:
    return TREND_TOP + round((HIGHEST - value) * TREND_PLOT / (HIGHEST - LOWEST))


def trend_chart(months: tuple[MonthRow, ...]) -> TrendChart:
    points = tuple(
        TrendPoint(
            month.month,
            month.result.ikm,
            month.result.respondents,
            TREND_LEFT + i * SLOT + SLOT // 2,
            _y(month.result.ikm),
        )
        for i, month in enumerate(months)
        if month.result.ikm is not None
    )
    return TrendChart(
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        bands=tuple((grade.letter, _y(floor)) for floor, grade in GRADES if floor > LOWEST),
        width=TREND_LEFT + max(len(points), 1) * SLOT + 8,
        height=TREND_TOP + TREND_PLOT + TREND_BOTTOM,
        left=TREND_LEFT,
        baseline=TREND_TOP + TREND_PLOT,
    )
