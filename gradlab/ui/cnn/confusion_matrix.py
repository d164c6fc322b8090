"""ConfusionMatrixView: the results page's confusion matrix, drawn with QPainter; a click on a
cell asks for the validation images in it.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from gradlab.ui.palette import colour, text_on


def mix(background: QColor, colour_: QColor, strength: float) -> QColor:
    """``colour_`` laid over ``background`` with opacity ``strength`` (0..1)."""
    below = (background.red(), background.green(), background.blue())
    channels = zip(below, (colour_.red(), colour_.green(), colour_.blue()), strict=True)
    return QColor(*(round(b + (c - b) * strength) for b, c in channels))


class ConfusionMatrixView(QWidget):
    """Rows: true class; columns: predicted class. Right answers green, mistakes red, each
    cell's colour by its share of the row; click a cell to see its images."""

    cell_clicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cnnConfusion")
        self.matrix = np.zeros((0, 0), dtype=np.int64)
        self.names: tuple[str, ...] = ()
        self.selected: tuple[int, int] | None = None
        self.setMinimumSize(300, 300)
        self.setMouseTracking(True)

    def set_matrix(self, matrix: np.ndarray, names: tuple[str, ...]) -> None:
        self.matrix, self.names = np.asarray(matrix, dtype=np.int64), tuple(names)
        self.selected = None
        self.update()

    def select(self, true_class: int | None, predicted: int | None = None) -> None:
        self.selected = None if true_class is None else (true_class, predicted or 0)
        self.update()

    def _small_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(6.5, font.pointSizeF() * 0.8))
        return font

    def _layout(self) -> tuple[int, int, float]:
        """(left, top, cell size) of the grid inside the widget: room for the longest name."""
        k = max(len(self.names), 1)
        metrics = QFontMetrics(self._small_font())
        widest = max((metrics.horizontalAdvance(n) for n in self.names), default=40)
        left, top, bottom = widest + 24, 22, round(widest * 0.72) + 14
        cell = max(8.0, min((self.width() - left - 6) / k, (self.height() - top - bottom) / k))
        return left, top, cell

    def cell_rect(self, true_class: int, predicted: int) -> QRect:
        left, top, cell = self._layout()
        x, y = left + predicted * cell, top + true_class * cell
        return QRect(round(x), round(y), round(cell), round(cell))

    def cell_at(self, point: QPoint) -> tuple[int, int] | None:
        left, top, cell = self._layout()
        col, row = math.floor((point.x() - left) / cell), math.floor((point.y() - top) / cell)
        k = len(self.names)
        return (row, col) if 0 <= row < k and 0 <= col < k else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hit = self.cell_at(event.position().toPoint())
        if hit is not None and event.button() == Qt.MouseButton.LeftButton:
            self.select(*hit)
            self.cell_clicked.emit(*hit)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self.cell_at(event.position().toPoint())
        if hit is None:
            self.setToolTip("")
        else:
            t, p = hit
            self.setToolTip(
                self.tr("true {true}, predicted {pred}: {n} images").format(
                    true=self.names[t], pred=self.names[p], n=int(self.matrix[t, p])
                )
            )
        super().mouseMoveEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        k = len(self.names)
        if not k:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        left, top, cell = self._layout()
        painter.setFont(self._small_font())
        rows = np.maximum(self.matrix.sum(axis=1), 1)
        text, background = QColor(colour("text")), QColor(colour("base"))
        painter.fillRect(self.rect(), background)
        painter.setPen(text)
        painter.drawText(
            QRect(left, 2, round(cell * k), 16), Qt.AlignmentFlag.AlignCenter, self.tr("predicted")
        )
        for t in range(k):
            for p in range(k):
                rect = self.cell_rect(t, p)
                share = self.matrix[t, p] / rows[t]
                # blue right, vermillion wrong: told apart with any colour vision
                base = QColor(colour("matrix_right" if t == p else "matrix_wrong"))
                # square root: a few mistakes must show, not fade into the background
                strength = min(1.0, share * 1.6 if t == p else math.sqrt(share) * 1.5)
                fill = mix(background, base, strength)
                painter.fillRect(rect, fill)
                painter.setPen(QColor(text_on(fill.name())))
                if self.matrix[t, p]:
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(self.matrix[t, p]))
        painter.setPen(QColor(colour("matrix_grid")))
        for i in range(k + 1):
            painter.drawLine(
                left, round(top + i * cell), round(left + k * cell), round(top + i * cell)
            )
            painter.drawLine(
                round(left + i * cell), top, round(left + i * cell), round(top + k * cell)
            )
        painter.setPen(text)
        for i, name in enumerate(self.names):
            painter.drawText(
                QRect(0, round(top + i * cell), left - 4, round(cell)),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
            painter.save()
            painter.translate(left + (i + 0.5) * cell, top + k * cell + 4)
            painter.rotate(-45)
            painter.drawText(QRect(-200, -8, 200, 16), Qt.AlignmentFlag.AlignRight, name)
            painter.restore()
        painter.save()
        painter.translate(10, top + k * cell / 2)
        painter.rotate(-90)
        painter.drawText(QRect(-40, -8, 80, 16), Qt.AlignmentFlag.AlignCenter, self.tr("true"))
        painter.restore()
        if self.selected is not None:
            painter.setPen(QColor(colour("highlight")))
            pen = painter.pen()
            pen.setWidth(3)
            painter.setPen(pen)
            painter.drawRect(self.cell_rect(*self.selected).adjusted(1, 1, -1, -1))
