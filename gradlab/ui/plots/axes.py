"""Axis items whose tick labels stay readable: whole decades on a log axis, and labels that
never run into each other on a narrow plot (a 300 px step axis up to 20,000)."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetricsF

LABEL_GAP_EMS = 1.0  # free space between two tick labels, in the tick font's height


class SpacedAxis(pg.AxisItem):
    """A linear axis whose labelled ticks are far enough apart for their text.

    pyqtgraph chooses the tick spacing from the axis's length in pixels alone, so on a narrow
    plot "5000", "10000" and "15000" overlap into "5000100001 5000". Here the major spacing
    grows (1, 2, 5 × 10^k) until the widest label of that spacing fits with a gap; minor
    ticks keep no text."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.setStyle(maxTextLevel=0)

    def tickStrings(  # pyqtgraph names the override
        self, values: list[float], scale: float, spacing: float
    ) -> list[str]:
        """Thousands of steps as ``50k`` and millions as ``1.5M``: a 180 px plot (1024×768
        beside both docks) then still shows 0, 100k and 200k, not "0" alone."""
        if spacing * scale >= 1000 and not self.logMode:
            return [short_number(v * scale, spacing * scale) for v in values]
        strings: list[str] = super().tickStrings(values, scale, spacing)
        return strings

    def tickSpacing(  # pyqtgraph names the override
        self, minVal: float, maxVal: float, size: float
    ) -> list[tuple[float, float]]:
        levels: list[tuple[float, float]] = super().tickSpacing(minVal, maxVal, size)
        span = maxVal - minVal
        vertical = self.orientation in ("left", "right")  # stacked labels: pyqtgraph's is fine
        if vertical or not levels or size <= 0 or not math.isfinite(span) or span <= 0:
            return levels
        metrics = QFontMetricsF(self.style["tickFont"] or QFont(self.font()))
        gap = LABEL_GAP_EMS * metrics.height()
        major = levels[0][0]
        for _ in range(40):  # each try at least doubles the spacing: 40 is far beyond need
            room = self._widest_label(minVal, maxVal, major, metrics) + gap
            if span / major * room <= size:
                break
            major = _next_nice(major)
        if major == levels[0][0]:
            return levels
        return [(major, 0.0), (major / (5 if _leading_digit(major) != 2 else 4), 0.0)]

    def _widest_label(
        self, low: float, high: float, spacing: float, metrics: QFontMetricsF
    ) -> float:
        first = math.ceil(low / spacing) * spacing
        values = [first + i * spacing for i in range(int((high - first) / spacing) + 1)]
        strings = self.tickStrings(values[:50], self.scale, spacing) if values else []
        return max((metrics.horizontalAdvance(s) for s in strings), default=0.0)


def short_number(value: float, spacing: float) -> str:
    """A tick's text when the ticks are thousands apart: ``50k``, ``1.5M`` (``0`` for zero)."""
    if value == 0:
        return "0"
    if spacing >= 1e6:
        return f"{value / 1e6:g}M"
    return f"{value / 1e3:g}k"


def _leading_digit(value: float) -> int:
    leading: int = round(value / 10 ** math.floor(math.log10(value)))
    return leading


def _next_nice(value: float) -> float:
    """The next of 1, 2, 5, 10, 20, 50, ... after ``value``."""
    power = 10 ** math.floor(math.log10(value))
    for factor in (2, 5, 10):
        if factor * power > value * (1 + 1e-9):
            return float(factor * power)
    return float(20 * power)


class LogAxis(pg.AxisItem):
    """A log axis labelled by whole decades, then 2× and 5× when there is room; the other
    minor ticks get no text (pyqtgraph would pile 2..9 labels up unreadably)."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.setStyle(maxTextLevel=1)

    def logTickValues(  # pyqtgraph names the override
        self, minVal: float, maxVal: float, size: float, stdTicks: list[tuple[float, list[float]]]
    ) -> list[tuple[float | None, list[float]]]:
        ticks: list[tuple[float | None, list[float]]] = super().logTickValues(
            minVal, maxVal, size, stdTicks
        )
        if any(spacing is not None for spacing, _values in ticks):
            return ticks  # many decades: pyqtgraph's own decade levels are fine
        decades = [float(v) for v in range(math.ceil(minVal), math.floor(maxVal) + 1)]
        minor = [v for _spacing, values in ticks for v in values if v not in decades]
        digit = {v: round(10 ** (v - math.floor(v))) for v in minor}
        two_five = [v for v in minor if digit[v] in (2, 5)]
        rest = [v for v in minor if digit[v] not in (2, 5)]
        levels = [(1.0, decades)] if decades else []
        return [*levels, (None, two_five), (None, rest)]


class PairedAxis(pg.AxisItem):
    """A vertical axis that can be paired with another plot's: both then take the wider one's
    width, so that two plots stacked with a linked x range start their views at the same pixel
    (pyqtgraph lines up the x values, but a wider axis, such as a taller Chinese label, hid the
    left end of one view: the units strip's markers there went missing under the fit plot)."""

    partner: PairedAxis | None = None  # a class default: pyqtgraph sizes the axis in __init__
    natural_width = 0.0

    def pair(self, other: PairedAxis) -> None:
        self.partner, other.partner = other, self
        self._updateWidth()

    def _updateWidth(self) -> None:  # pyqtgraph's: it sizes the axis from its text
        super()._updateWidth()
        self.natural_width = self.minimumWidth()
        partner = self.partner
        if partner is None:
            return
        width = max(self.natural_width, partner.natural_width)
        for axis in (self, partner):
            if axis.minimumWidth() != width or axis.maximumWidth() != width:
                axis.setMinimumWidth(width)
                axis.setMaximumWidth(width)
