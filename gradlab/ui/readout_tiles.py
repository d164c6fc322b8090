"""The readout bar's tiles (a small caption above a live number), in as many columns as fit.

On a wide window the tiles stand in one row; where that row would be wider than the room (the
lab column at 1024 px, a large zoom) they wrap into two or three rows instead of widening the
window past the screen. A caption breaks only between words (English "Coefficient / distance"),
never inside a Chinese word ("高出最优值" stays one line).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

SPACING = 12  # pixels between two columns


def caption_width(caption: QLabel) -> int:
    """The width of the caption's longest word (it may break between words only)."""
    metrics = caption.fontMetrics()
    words = caption.text().split() or [""]
    return max(metrics.horizontalAdvance(word) for word in words) + 2


class TileGrid(QWidget):
    """Tiles in a grid whose column count follows the width it is given."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readoutTiles")
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(SPACING)
        self.grid.setVerticalSpacing(0)
        self.tiles: list[tuple[QLabel, QWidget]] = []
        self.columns = 0

    def add_tile(self, caption: QLabel, value: QWidget) -> None:
        self.tiles.append((caption, value))
        self._arrange(len(self.tiles))

    def _counts(self) -> list[int]:
        """Column counts to try, widest first: one row, two rows, three rows."""
        n = len(self.tiles)
        return sorted({max(1, math.ceil(n / rows)) for rows in (1, 2, 3)}, reverse=True)

    def need(self, columns: int) -> int:
        """The width the tiles take in ``columns`` columns."""
        widths = [0] * columns
        for index, (caption, value) in enumerate(self.tiles):
            column = index % columns
            shown = max(value.sizeHint().width(), value.minimumWidth())
            widths[column] = max(widths[column], caption_width(caption), shown)
        return sum(widths) + SPACING * (columns - 1)

    def minimumSizeHint(self) -> QSize:  # Qt names the override
        counts = self._counts()
        height = super().minimumSizeHint().height()
        return QSize(self.need(counts[-1]), height)

    def _arrange(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for caption, value in self.tiles:
            self.grid.removeWidget(caption)
            self.grid.removeWidget(value)
        for column in range(len(self.tiles) + 1):
            self.grid.setColumnStretch(column, 0)
        for index, (caption, value) in enumerate(self.tiles):
            row, column = divmod(index, columns)
            self.grid.addWidget(caption, 2 * row, column)
            self.grid.addWidget(value, 2 * row + 1, column)
        self.grid.setColumnStretch(columns, 1)  # the tiles keep to the left
        self.updateGeometry()

    def fit(self) -> None:
        """As many columns as the width takes (at least the narrowest arrangement)."""
        for caption, _value in self.tiles:
            caption.setMinimumWidth(caption_width(caption))
        counts = self._counts()
        fitting = [c for c in counts if self.need(c) <= self.width()]
        self._arrange(fitting[0] if fitting else counts[-1])

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt names the override
        super().resizeEvent(event)
        self.fit()

    def event(self, event: QEvent) -> bool:
        # a number grew, a caption changed language or a zoom changed the fonts
        if event.type() == QEvent.Type.LayoutRequest:
            self.fit()
        return super().event(event)
