"""Small horizontal bar charts for the home page's figures: drawn as SVG rectangles whose width
is an attribute (the pages allow no inline style), with the label and the value as text beside
them, so a long label wraps instead of being clipped and the chart fits a phone."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as people read it ("Rp1.250.000", "3,42")
    width: float = 0.0  # share of the longest bar, 0–100
    tone: str = "primary"  # a Bootstrap colour name for the bar


def bars_scaled(bars: list[Bar], *, top: float | None = None) -> list[Bar]:
    """The bars with their widths against `top` (the largest value when not given)."""
    highest = top if top is not None else max((bar.value for bar in bars), default=0)
    if highest <= 0:
        return [Bar(b.label, b.value, b.shown, 0.0, b.tone) for b in bars]
    return [
        Bar(b.label, b.value, b.shown, round(min(b.value, highest) * 100 / highest, 1), b.tone)
        for b in bars
    ]
