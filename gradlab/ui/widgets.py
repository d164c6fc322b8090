"""Form building blocks: number fields that read scientific notation (``1e-6``, ``-pi``) and
field boxes that show their own error (gradlab.ui.config_form binds them to a config).
"""

from __future__ import annotations

import html
import math
import re

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gradlab.ui.palette import colour as role_colour

# "pi", "-pi", "2pi", "2*pi", "pi/2", "π": students type the chapter's [-π, π] range this way.
_PI = re.compile(
    r"^(?P<sign>[+-]?)\s*(?P<factor>(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)?\s*\*?\s*pi"
    r"\s*(?:/\s*(?P<divisor>\d+\.?\d*))?$"
)
_PI_MULTIPLES = ((1, 1), (2, 1), (3, 1), (4, 1), (1, 2), (1, 4), (3, 2))


def format_number(value: float) -> str:
    """Short text that reads back as exactly ``value``: ``1e-6``, ``0.5``, ``-pi``, ``200000``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    value = float(value)
    for factor, divisor in _PI_MULTIPLES:
        for sign in (1, -1):
            if value == sign * factor * math.pi / divisor:
                text = ("-" if sign < 0 else "") + (f"{factor}*pi" if factor != 1 else "pi")
                return text + (f"/{divisor}" if divisor != 1 else "")
    for digits in (6, 10, 17):
        text = f"{value:.{digits}g}"
        if float(text) == value:
            break
    # 1e-06 -> 1e-6, 1e+20 -> 1e20: the way a student writes it
    return re.sub(r"e([+-])0*(\d)", lambda m: "e" + m.group(1).replace("+", "") + m.group(2), text)


def parse_float(text: str, label: str) -> float:
    """A finite float from ``text`` (``1e-6``, ``0.5``, ``-pi``, ``pi/2``) or a ValueError."""
    cleaned = text.strip().lower().replace("π", "pi").replace("−", "-").replace("_", "")
    if not cleaned:
        raise ValueError(
            QCoreApplication.translate(
                "NumberEdit", "{label} is empty; type a number such as 0.5 or 1e-6"
            ).format(label=label)
        )
    match = _PI.match(cleaned)
    if match:
        factor = float(match["factor"]) if match["factor"] else 1.0
        value = factor * math.pi / (float(match["divisor"]) if match["divisor"] else 1.0)
        if match["sign"] == "-":
            value = -value
        if math.isfinite(value):
            return value
    try:
        value = float(cleaned)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValueError(
            QCoreApplication.translate(
                "NumberEdit", "{label} must be a number such as 0.5 or 1e-6, got '{text}'"
            ).format(label=label, text=text.strip())
        )
    return value


def parse_int(text: str, label: str) -> int:
    """A whole number from ``text`` (``2000``, ``200_000``, ``2e5``) or a ValueError."""
    cleaned = text.strip().replace("_", "").replace(",", "")
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        value = float(cleaned)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value == int(value)):
        raise ValueError(
            QCoreApplication.translate(
                "NumberEdit", "{label} must be a whole number such as 2000, got '{text}'"
            ).format(label=label, text=text.strip())
        )
    return int(value)


class NumberEdit(QLineEdit):
    """A line edit for one number; accepts scientific notation (1e-6), unlike a spin box.

    ``label`` names the field in error messages ("learning rate"); with ``label_source`` (the
    English text of the field's caption, "Learning rate", marked for lupdate where it was written,
    like ``QT_TR_NOOP``: ConfigForm's ``tr_noop``) other languages name it by that caption's
    translation in ``context``, looked up when the message is made.
    """

    def __init__(
        self,
        object_name: str,
        label: str,
        *,
        integer: bool = False,
        parent: QWidget | None = None,
        label_source: str | None = None,
        context: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.label = label
        self.label_source = label_source
        self.context = context
        self.integer = integer
        self.setMinimumWidth(90)

    def shown_label(self) -> str:
        """The field's name for messages in the interface language."""
        if self.label_source:
            translated = QCoreApplication.translate(self.context, self.label_source)
            if translated != self.label_source:
                return translated
        return self.label  # English keeps the lower-case word

    def value(self) -> float | int:
        """The number typed, or a ValueError whose message names the field."""
        label = self.shown_label()
        return parse_int(self.text(), label) if self.integer else parse_float(self.text(), label)

    def set_value(self, value: float | int) -> None:
        self.setText(str(int(value)) if self.integer else format_number(value))


class FieldBox(QWidget):
    """An input with a message line under it: red for errors, amber for warnings."""

    def __init__(self, field: QWidget, tooltip: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.tooltip = tooltip
        self._error: str | None = None
        self._detail: str | None = None
        self._warning: str | None = None
        field.setToolTip(tooltip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(field)
        self.message_label = QLabel(self)
        self.message_label.setObjectName(f"{field.objectName()}Message")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()
        layout.addWidget(self.message_label)

    @property
    def error(self) -> str | None:
        return self._error

    @property
    def warning(self) -> str | None:
        return self._warning

    def set_error(self, message: str | None, detail: str | None = None) -> None:
        """Mark the field (red border, message under it and as tooltip) or clear the mark.

        ``detail`` is shown in a fixed-width font under the message (e.g. an expression with a
        ``^`` under the bad character)."""
        if (message, detail) == (self._error, self._detail):
            return
        self._error, self._detail = message, detail
        name = self.field.objectName()
        if message:
            self.field.setStyleSheet(
                f"#{name} {{ border: 2px solid {role_colour('error')}; border-radius: 3px; }}"
            )
            self.field.setToolTip(message + (f"\n{detail}" if detail else ""))
        else:
            self.field.setStyleSheet("")
            self.field.setToolTip(self.tooltip)
        self._show_message()

    def set_tooltip(self, tooltip: str) -> None:
        """The field's explanation, shown as its tooltip whenever no error replaces it; a note
        added after it (a lesson's "locked") stays."""
        old, self.tooltip = self.tooltip, tooltip
        if self._error:
            return
        shown = self.field.toolTip()
        note = shown[len(old) :] if old and shown.startswith(old) else ""
        self.field.setToolTip(tooltip + note)

    def set_warning(self, message: str | None) -> None:
        """A hint that does not block (e.g. the learning rate above the stable limit)."""
        self._warning = message or None
        self._show_message()

    def _show_message(self) -> None:
        text = self._error or self._warning or ""
        colour = role_colour("error" if self._error else "warning")
        if self._error and self._detail:  # the detail needs a fixed-width font: rich text
            self.message_label.setTextFormat(Qt.TextFormat.RichText)
            detail = html.escape(self._detail, quote=False)
            text = f"{html.escape(text, quote=False)}<pre style='margin: 2px 0 0 0'>{detail}</pre>"
        else:
            self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setText(text)
        self.message_label.setStyleSheet(f"color: {colour};")
        self.message_label.setVisible(bool(text))


def scrolled(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area: a dock's text is never cut off on a small screen
    (1024×768, or zoomed), it scrolls."""
    area = QScrollArea()
    area.setObjectName(f"{widget.objectName()}Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


class WrappedLabel(QLabel):
    """A word-wrapped label never given fewer lines than its text needs. A form layout sizes a
    wrapped label for one width and may then give it another: its last line was cut off."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:  # Qt's name
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt's name
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self.width() <= 0:
            return
        old = self.minimumHeight()
        self.setMinimumHeight(0)  # QLabel's heightForWidth never answers below the minimum
        needed = self.heightForWidth(self.width())
        self.setMinimumHeight(needed if needed > 0 else old)
