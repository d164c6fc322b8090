"""A plot title that never widens its plot: on two lines where one does not fit.

pyqtgraph's title (a ``LabelItem``) asks its layout for the whole width of its text. A long title
("Loss over b and d (a, c held at their current values)") in a narrow dock then made the plot
wider than its widget: the right end of the view, its legend and the title itself were cut off
at the widget's edge, and a student had to scroll the dock sideways to read them (1024 x 768).
``FittedTitle`` asks for no width; where its text is wider than the room it is given, it breaks
it into two balanced lines (at a space, before a bracket, or between two Chinese characters) and
makes the title row tall enough for them. Its ``text`` stays the unbroken text: whoever sets it
again (a zoom step, a new language, a theme) passes the whole title, which is then fitted anew.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetricsF

# pyqtgraph's title row is 30 px tall for one line (PlotItem.setTitle)
ONE_LINE_ROW = 30
ROW_PADDING = 6  # px above and below the lines of a two-line title
TEXT_MARGIN = 12  # px: QTextDocument's margins around the text, and a little air
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def break_points(text: str) -> list[tuple[str, str]]:
    """Every (first line, second line) the title may be broken into."""
    splits = []
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        if after == " ":
            continue  # broken at the space itself, one step on
        if before == " " or after in "(（" or (_CJK.match(before) and _CJK.match(after)):
            first, second = text[:i].rstrip(), text[i:].lstrip()
            if first and second:
                splits.append((first, second))
    return splits


def fit_lines(text: str, room: float, width_of: Callable[[str], float]) -> list[str]:
    """``text`` on one line if it fits ``room``, else the two lines whose longer one is the
    shortest (still two lines if even those are too wide: the least cut)."""
    if room <= 0 or width_of(text) <= room:
        return [text]
    splits = break_points(text)
    if not splits:
        return [text]
    first, second = min(splits, key=lambda pair: max(width_of(pair[0]), width_of(pair[1])))
    return [first, second]


class FittedTitle(pg.LabelItem):
    """The title label of one ``pg.PlotItem`` (installed by ``fit_title``)."""

    def __init__(self, plot_item: pg.PlotItem, **options: Any) -> None:
        self._plot_item = plot_item
        self._fitting = False
        self._fitted_width = -1.0
        super().__init__("", parent=plot_item, **options)

    def setText(self, text: str, **args: Any) -> None:  # pyqtgraph's name
        self._fitting = True
        try:
            lines = fit_lines(text, self._room(), self._width_of(args))
            super().setText("<br>".join(lines), **args)
            self.text = text  # the whole title: set again, it is fitted again
            self._fitted_width = self.width()
            self.setMinimumWidth(0)  # the plot's width decides; the title follows
            self._fit_row(len(lines))
        finally:
            self._fitting = False

    def resizeEvent(self, ev: Any) -> None:  # pyqtgraph's name (also called by setText)
        super().resizeEvent(ev)
        if not self._fitting and self.isVisible() and abs(self.width() - self._fitted_width) > 1:
            self.setText(self.text)  # the room changed: one line or two, anew

    def _room(self) -> float:
        return self.width() - TEXT_MARGIN if self.width() > 0 else 0.0

    def _width_of(self, args: dict[str, Any]) -> Callable[[str], float]:
        font = QFont(self.item.font())
        size = str(args.get("size", self.opts.get("size", "")))
        if size.endswith("pt"):
            font.setPointSizeF(float(size[:-2]))
        metrics = QFontMetricsF(font)
        return metrics.horizontalAdvance

    def _fit_row(self, lines: int) -> None:
        """The title row tall enough for its lines (pyqtgraph fixes it at one line's 30 px)."""
        if not self.text.strip() or not self.isVisible() or self.maximumHeight() == 0:
            return  # no title (setTitle(None)): pyqtgraph's empty row stays
        text_height = self.item.boundingRect().height()
        height = max(ONE_LINE_ROW, text_height + (ROW_PADDING if lines > 1 else 0))
        self.setMaximumHeight(height)
        self._plot_item.layout.setRowFixedHeight(0, height)


def fit_title(plot_item: pg.PlotItem) -> FittedTitle:
    """Give ``plot_item`` a title that fits its width (see the module docstring)."""
    old = plot_item.titleLabel
    if isinstance(old, FittedTitle):
        return old
    title = FittedTitle(plot_item, **old.opts)
    title.setVisible(old.isVisible())
    title.setMaximumHeight(old.maximumHeight())
    plot_item.layout.removeItem(old)
    old.setParentItem(None)
    if old.scene() is not None:
        old.scene().removeItem(old)
    plot_item.layout.addItem(title, 0, 1)
    plot_item.titleLabel = title
    if old.text.strip():
        title.setText(old.text)
    return title
