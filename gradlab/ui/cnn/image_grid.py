"""ImageGrid: pictures in a grid with coloured captions (the data page's samples, the results'
validation images and mistakes, filters and feature maps). It only draws NumPy pictures.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from gradlab.ui.palette import colour as role_colour


class ImageGrid(QWidget):
    """Pictures in a grid that wraps to the width, each with coloured caption lines under it;
    marked cells get a red frame, the chosen one a blue frame. Clicks give the cell index."""

    clicked = Signal(int)

    PAD = 4
    MAX_CAPTION_EMS = 12  # a cell widens for its caption up to this many line heights, then elides

    def __init__(
        self,
        object_name: str,
        scale: int = 2,
        caption_lines: int = 1,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.scale = scale
        self.caption_lines = caption_lines
        self.pictures: list[QImage] = []
        self.captions: list[list[tuple[str, str]]] = []
        self.marks = np.zeros(0, dtype=bool)
        self.chosen: int | None = None
        self.message = ""
        self._size = (0, 0)
        self._caption_width = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setMinimumHeight(40)

    def set_images(
        self,
        pictures: np.ndarray,
        captions: list[list[tuple[str, str]]] | None = None,
        marks: np.ndarray | None = None,
        *,
        scale: int | None = None,
    ) -> None:
        """(n, h, w, 3) uint8 pictures; captions[i] is a list of (text, colour) lines."""
        pictures = np.ascontiguousarray(pictures, dtype=np.uint8)
        if scale is not None:
            self.scale = scale
        n = len(pictures)
        self._size = (int(pictures.shape[1]), int(pictures.shape[2])) if n else (0, 0)
        self.pictures = [_qimage(p) for p in pictures]
        self.captions = captions or [[] for _ in range(n)]
        self._measure_captions()
        self.marks = np.zeros(n, dtype=bool) if marks is None else np.asarray(marks, dtype=bool)
        self.chosen = None
        self.message = ""
        self._fit_height()
        self.update()

    def show_message(self, text: str) -> None:
        """No pictures; ``text`` in their place."""
        self.pictures, self.captions, self.marks = [], [], np.zeros(0, dtype=bool)
        self.message = text
        self._fit_height()
        self.update()

    def choose(self, index: int | None) -> None:
        self.chosen = index
        self.update()

    def _measure_captions(self) -> None:
        """The cells' width for their captions, in the caption font of now."""
        metrics = QFontMetrics(self.caption_font())
        widest = max(
            (metrics.horizontalAdvance(text) for lines in self.captions for text, _ in lines),
            default=0,
        )
        self._caption_width = min(widest + 4, self.max_caption()) if self.caption_lines else 0

    def changeEvent(self, event: QEvent) -> None:  # Qt's name
        """A zoom changes the font: the captions are measured again and the cells follow."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._measure_captions()
            self._fit_height()
            self.update()

    def cell_size(self) -> tuple[int, int]:
        h, w = self._size
        width = max(w * self.scale, 56 if self.caption_lines else 0, self._caption_width)
        height = h * self.scale + self.PAD + self.caption_lines * self.line_height() + self.PAD
        return width + self.PAD, height

    def caption_font(self) -> QFont:
        """The captions' font: a little smaller than the widget's."""
        font = QFont(self.font())
        font.setPointSizeF(max(6.5, font.pointSizeF() * 0.8))
        return font

    def line_height(self) -> int:
        """One caption line's height: the caption font's, so the lines grow with the zoom."""
        return QFontMetrics(self.caption_font()).lineSpacing()

    def max_caption(self) -> int:
        """The widest a caption may make its cell, in pixels (it scales with the font too)."""
        return self.MAX_CAPTION_EMS * self.line_height()

    def shown_caption(self, text: str) -> str:
        """A caption as drawn: whole unless it is wider than ``max_caption()`` (then elided)."""
        metrics = QFontMetrics(self.caption_font())
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, self.cell_size()[0] - 2)

    def columns(self) -> int:
        return max(1, self.width() // max(1, self.cell_size()[0]))

    def cell_rect(self, i: int) -> QRect:
        cw, ch = self.cell_size()
        cols = self.columns()
        return QRect((i % cols) * cw, (i // cols) * ch, cw, ch)

    def index_at(self, point: QPoint) -> int | None:
        cw, ch = self.cell_size()
        col, row = point.x() // max(cw, 1), point.y() // max(ch, 1)
        i = row * self.columns() + col
        return i if col < self.columns() and 0 <= i < len(self.pictures) else None

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        if not self.pictures:
            return 40
        columns = max(1, width // max(1, self.cell_size()[0]))
        return -(-len(self.pictures) // columns) * self.cell_size()[1]

    def sizeHint(self) -> QSize:
        return QSize(400, self.heightForWidth(400))

    def _fit_height(self) -> None:
        self.setMinimumHeight(self.heightForWidth(max(self.width(), 1)))
        self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().toPoint())
        if index is not None and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(index)
        super().mousePressEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        if not self.pictures:
            painter.setPen(QColor(role_colour("muted")))
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.message
            )
            return
        h, w = self._size
        painter.setFont(self.caption_font())
        for i, picture in enumerate(self.pictures):
            cell = self.cell_rect(i)
            left = cell.x() + (cell.width() - w * self.scale) // 2
            target = QRect(left, cell.y() + self.PAD // 2, w * self.scale, h * self.scale)
            if self.marks.size and self.marks[i]:
                painter.fillRect(target.adjusted(-2, -2, 2, 2), QColor(role_colour("bad")))
            if self.chosen == i:
                painter.fillRect(target.adjusted(-3, -3, 3, 3), QColor(role_colour("highlight")))
            painter.drawImage(target, picture)
            for line, (text, colour) in enumerate(self.captions[i][: self.caption_lines]):
                painter.setPen(QColor(colour))
                top = target.bottom() + 2 + line * self.line_height()
                text = self.shown_caption(text)
                painter.drawText(
                    QRect(cell.x(), top, cell.width(), self.line_height()),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    text,
                )


def _qimage(picture: np.ndarray) -> QImage:
    """An (h, w, 3) uint8 array as a QImage that owns its pixels."""
    h, w = picture.shape[:2]
    return QImage(picture.tobytes(), w, h, 3 * w, QImage.Format.Format_RGB888).copy()
