"""The IKM charts' geometry: labels measured in the bundled font fit their column."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation
from PIL import ImageFont

from feedback.analysis import ElementRow, MonthRow
from feedback.charts import (
    BAR,
    FONT_SIZE,
    LABEL_GAP,
    LABEL_MARGIN,
    ROW,
    element_chart,
    label_lines,
    trend_chart,
)
from feedback.ikm import CODES, ELEMENTS, grade_of
from feedback.selectors import ikm_result

FONT = settings.BASE_DIR / "static" / "fonts" / "liberation" / "LiberationSans-Regular.ttf"
# The content width of an A4 page with the report's margins (210 - 22 - 20 mm) in CSS pixels.
A4_CONTENT = round((210 - 22 - 20) / 25.4 * 96)


def rows() -> tuple[ElementRow, ...]:
    return tuple(
        ElementRow(element, Decimal(4), Decimal(3), Decimal(100), grade_of(Decimal(100)))
        for element in ELEMENTS
    )


def measured(text: str) -> float:
    """The width the browser and WeasyPrint give the text: Liberation Sans at the charts' size."""
    return ImageFont.truetype(str(FONT), FONT_SIZE).getlength(text)


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_label_column_is_wide_enough_for_the_longest_label(language):
    with translation.override(language):
        chart = element_chart(rows())
        names = [str(element.name) for element in ELEMENTS]

    assert [" ".join(line for line, _y in bar.labels) for bar in chart.bars] == names
    for bar in chart.bars:
        for line, _y in bar.labels:
            # Right-aligned at label_x: the text starts at label_x - its width, inside the chart.
            assert chart.label_x - measured(line) >= 0, line
        assert chart.label_x == chart.label_width - LABEL_GAP
    # Drawn at its own size on an A4 page, not shrunk.
    assert chart.width <= A4_CONTENT


def test_the_longest_indonesian_name_is_written_whole_on_two_lines():
    with translation.override("id"):
        chart = element_chart(rows())

    complaints = chart.bars[8]
    assert [line for line, _y in complaints.labels] == [
        "Penanganan Pengaduan,",
        "Saran dan Masukan",
    ]
    first, second = (y for _line, y in complaints.labels)
    row_top = complaints.y - (ROW - BAR) // 2
    assert second - first == 12  # a line apart, both inside the element's row
    assert first - FONT_SIZE >= row_top and second + 3 <= row_top + ROW
    # Its first line is the widest of all: the column is as wide as it, and no wider.
    widest = measured("Penanganan Pengaduan,")
    assert 0 <= chart.label_x - widest <= LABEL_MARGIN + 1


def test_a_short_label_stays_on_one_line():
    assert label_lines("Persyaratan") == ("Persyaratan",)
    assert label_lines("Penanganan Pengaduan, Saran dan Masukan") == (
        "Penanganan Pengaduan,",
        "Saran dan Masukan",
    )


def test_the_trend_chart_keeps_the_value_above_an_index_of_100_inside():
    months = (MonthRow(date(2026, 10, 1), ikm_result(1, dict.fromkeys(CODES, 4))),)
    chart = trend_chart(months)

    [point] = chart.points
    assert point.ikm == Decimal("100.00")
    assert point.y - 8 - FONT_SIZE >= 0  # the value's baseline is 8 above, its top inside
