"""A layout that places its widgets in rows like words, starting a new row where one is full.

A row of buttons in a ``QHBoxLayout`` asks for the width of all of them: in a dock beside the
plots on a 1024 x 768 screen, that made the dock's whole content wider than the dock, and the
plot under the buttons was cut off at the dock's edge (its title, its legend). In a
``FlowLayout`` the row asks only for its widest widget and takes the height it needs for the
width it gets (``heightForWidth``, which ``QScrollArea`` honours). Qt's own "Flow Layout"
example, in Python.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QStyle, QWidget


class FlowLayout(QLayout):
    """Widgets left to right, wrapped onto as many rows as the width needs."""

    def __init__(self, parent: QWidget | None = None, spacing: int = -1) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:  # Qt's name
        self._items.append(item)

    def count(self) -> int:  # Qt's name
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # Qt's name
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # Qt's name
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # Qt's name
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # Qt's name
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:  # Qt's name
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # Qt's name: the widest widget, the rest wraps
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _gap(self, item: QLayoutItem, orientation: Qt.Orientation) -> int:
        if self._spacing >= 0:
            return self._spacing
        widget = item.widget()
        style = widget.style() if widget is not None else None
        if style is None:
            return 6
        gap = style.layoutSpacing(
            QSizePolicy.ControlType.PushButton,
            QSizePolicy.ControlType.PushButton,
            orientation,
        )
        if gap < 0:  # the style leaves it to the widgets' own spacing
            metric = (
                QStyle.PixelMetric.PM_LayoutHorizontalSpacing
                if orientation == Qt.Orientation.Horizontal
                else QStyle.PixelMetric.PM_LayoutVerticalSpacing
            )
            gap = style.pixelMetric(metric, None, widget)
        return max(gap, 0)

    def _place(self, rect: QRect, *, move: bool) -> int:
        """Lay the items out in ``rect`` (only measure unless ``move``); the height used."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, row_height = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():  # a hidden widget takes no place
                continue
            hint = item.sizeHint()
            gap_x = self._gap(item, Qt.Orientation.Horizontal)
            gap_y = self._gap(item, Qt.Orientation.Vertical)
            if x + hint.width() > area.right() + 1 and row_height > 0:  # full: the next row
                x, y = area.x(), y + row_height + gap_y
                row_height = 0
            if move:
                width = min(hint.width(), max(area.width(), item.minimumSize().width()))
                item.setGeometry(QRect(QPoint(x, y), QSize(width, hint.height())))
            x += hint.width() + gap_x
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y() + margins.bottom()
