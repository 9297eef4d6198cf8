"""Geometry of the IKM charts; templates draw them as SVG (the page and the PDF alike).

The charts are drawn in a fixed coordinate system (viewBox) that the page and the PDF scale down
to the width they have, so nothing here depends on the screen. What must fit is the text: the
element names are measured in the font both draw them in (Liberation Sans, bundled with the
project, loaded by the page's CSS and the PDF's @font-face) at the charts' font size."""

import functools
import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.staticfiles import finders
from PIL import ImageFont

from .analysis import ElementRow, MonthRow
from .ikm import GRADES

FONT_FILE = "fonts/liberation/LiberationSans-Regular.ttf"
FONT_SIZE = 11  # the charts' font-size, in viewBox units
# When the font file cannot be found: a width per character above Liberation Sans's average
# (only its widest capitals exceed it), so that the labels still fit.
FALLBACK_EM = 0.62

# Element chart: one row per element, NRR on a 0–4 scale. A label longer than WRAP_AT goes
# onto two lines, LINE apart; the label column is as wide as the widest line, LABEL_MARGIN
# from the left edge and LABEL_GAP from its bar.
ROW, BAR, PLOT, RIGHT, TOP = 32, 16, 240, 56, 20
WRAP_AT, LINE, LABEL_MARGIN, LABEL_GAP = 140, 12, 4, 8
SCALE = Decimal(4)
# Trend chart: one point per month, the index on its 25–100 scale; TREND_TOP leaves room for
# the value printed above a point at 100.
SLOT, TREND_TOP, TREND_PLOT, TREND_BOTTOM, TREND_LEFT = 48, 24, 180, 36, 44
LOWEST, HIGHEST = Decimal(25), Decimal(100)


@functools.cache
def _font() -> ImageFont.FreeTypeFont | None:
    path = finders.find(FONT_FILE)
    return ImageFont.truetype(path, FONT_SIZE) if path else None


def text_width(text: str) -> float:
    """How wide the text is in the charts' font and size, in viewBox units."""
    font = _font()
    if font is None:
        return len(text) * FONT_SIZE * FALLBACK_EM
    return font.getlength(text)


def label_lines(text: str) -> tuple[str, ...]:
    """The label on one line, or on two broken where the longer of them is shortest."""
    words = text.split()
    if text_width(text) <= WRAP_AT or len(words) < 2:
        return (text,)
    breaks = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    return min(breaks, key=lambda lines: max(text_width(line) for line in lines))


@dataclass(frozen=True)
class ElementBar:
    row: ElementRow
    y: int
    text_y: int
    width: int
    previous_x: int | None
    low: bool  # graded C or D: drawn in the warning colour
    labels: tuple[tuple[str, int], ...]  # the element's name: (line, baseline y)


@dataclass(frozen=True)
class ElementChart:
    bars: tuple[ElementBar, ...]
    ticks: tuple[tuple[int, int], ...]  # (value, x)
    width: int
    height: int
    label_width: int
    bar_height: int
    plot_bottom: int

    @property
    def label_x(self) -> int:
        """Where the labels end (they are drawn right-aligned)."""
        return self.label_width - LABEL_GAP


def _label_baselines(lines: tuple[str, ...], middle: int) -> tuple[tuple[str, int], ...]:
    # 4 below the middle centres a line of 11-unit text on it; two lines sit LINE apart.
    first = middle + 4 - (len(lines) - 1) * LINE // 2
    return tuple((line, first + i * LINE) for i, line in enumerate(lines))


def element_chart(rows: tuple[ElementRow, ...]) -> ElementChart:
    """Call it in the language the chart is shown in: the labels are measured as they read."""
    lines = [label_lines(str(row.element.name)) for row in rows]
    widest = max((text_width(line) for label in lines for line in label), default=0)
    label = math.ceil(LABEL_MARGIN + widest + LABEL_GAP)
    bars = []
    for i, (row, label_text) in enumerate(zip(rows, lines, strict=True)):
        y = TOP + i * ROW
        width = round(row.nrr * PLOT / SCALE) if row.nrr is not None else 0
        previous_x = (
            label + round(row.previous * PLOT / SCALE) if row.previous is not None else None
        )
        low = row.grade is not None and row.grade.letter in ("C", "D")
        middle = y + ROW // 2
        bars.append(
            ElementBar(
                row,
                y + (ROW - BAR) // 2,
                middle + 4,
                width,
                previous_x,
                low,
                _label_baselines(label_text, middle),
            )
        )
    ticks = tuple((value, label + value * PLOT // 4) for value in range(5))
    return ElementChart(
        bars=tuple(bars),
        ticks=ticks,
        width=label + PLOT + RIGHT,
        height=TOP + len(rows) * ROW + 8,
        label_width=label,
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
