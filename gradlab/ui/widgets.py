"""Form building blocks: number fields that read scientific notation (``1e-6``, ``-pi``), field
boxes that show their own error, and ConfigForm, which binds fields to dotted Config paths and
validates them with the core's own rules.

ConfigForm's texts (group titles, labels, tooltips, choices) are English sources, marked where
they are written with ``self.tr_noop()``, which update.sh has lupdate read like ``QT_TR_NOOP``
in the writing class's context. The form shows them translated and, at ``retranslate_ui()``,
again in the new language, so a language switch needs no restart.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gradlab.core.config import Config, ConfigError

# "pi", "-pi", "2pi", "2*pi", "pi/2", "π": students type the chapter's [-π, π] range this way.
_PI = re.compile(
    r"^(?P<sign>[+-]?)\s*(?P<factor>(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)?\s*\*?\s*pi"
    r"\s*(?:/\s*(?P<divisor>\d+\.?\d*))?$"
)
_PI_MULTIPLES = ((1, 1), (2, 1), (3, 1), (4, 1), (1, 2), (1, 4), (3, 2))

ERROR_COLOUR = "#c62828"
WARNING_COLOUR = "#8a5a00"


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
    English text of the field's caption, "Learning rate") other languages name it by that
    caption's translation in ``context``, looked up when the message is made.
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
                f"#{name} {{ border: 2px solid {ERROR_COLOUR}; border-radius: 3px; }}"
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
        colour = ERROR_COLOUR if self._error else WARNING_COLOUR
        if self._error and self._detail:  # the detail needs a fixed-width font: rich text
            self.message_label.setTextFormat(Qt.TextFormat.RichText)
            detail = html.escape(self._detail, quote=False)
            text = f"{html.escape(text, quote=False)}<pre style='margin: 2px 0 0 0'>{detail}</pre>"
        else:
            self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setText(text)
        self.message_label.setStyleSheet(f"color: {colour};")
        self.message_label.setVisible(bool(text))


@dataclass
class FormField:
    """One config value in a form: how to read it, write it, and when it matters."""

    path: str  # dotted Config path, e.g. "training.lr"
    box: FieldBox
    read: Callable[[], Any]  # raises ValueError with a student-readable message
    write: Callable[[Any], None]
    relevant: Callable[[], bool] = lambda: True  # hidden fields neither show nor block errors
    detail: str | None = None  # set by ``read`` for the error's fixed-width detail
    label: str = ""  # the caption's English source ("Learning rate"); shown translated
    tooltip: str = ""  # the explanation's English source; shown translated


def config_value(config: Config, path: str) -> Any:
    """The value at a dotted path: ``config_value(c, "training.lr")``, ``"seed"``."""
    group, _, name = path.partition(".")
    return getattr(getattr(config, group), name) if name else getattr(config, group)


class ConfigForm(QScrollArea):
    """A scrollable form of fields bound to dotted Config paths, validated by the core.

    Subclasses add fields with ``add_field``/``number``/``combo``/``spin`` and may override
    ``update_visibility``. Every keystroke re-validates (``validity_changed``); committed edits
    (Return, focus out, a choice) that give a valid Config emit ``config_changed``. Texts given
    to these builders are English sources (see the module's docstring).
    """

    config_changed = Signal(object)  # a valid Config, after a committed edit or set_config()
    validity_changed = Signal(bool)  # the form became valid / invalid (live)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fields: dict[str, FormField] = {}
        self._external: dict[str, str] = {}
        self._errors: dict[str, str] = {}
        self._loading = False
        self._fallback = Config()
        self._current: Config | None = None
        self._last_emitted: Config | None = None
        self._valid = True
        self._texts: list[tuple[Callable[[str], None], str]] = []  # (setter, English source)
        self.body = QWidget(self)
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(6, 6, 6, 6)
        self.setWidget(self.body)

    # ---- public API ----

    def config(self) -> Config:
        """The form as a Config; raises ConfigError (first bad field) while anything is invalid."""
        if self._current is None:
            path, message = next(iter(self._errors.items()))
            raise ConfigError(path, message)
        return self._current

    def set_config(self, config: Config, *, notify: bool = True) -> None:
        """Show ``config`` in the form; emits ``config_changed`` once unless ``notify`` is False."""
        self._loading = True
        try:
            for field in self.fields.values():
                field.write(config_value(config, field.path))
        finally:
            self._loading = False
        self._external.clear()
        self._fallback = config
        self.revalidate()
        self._last_emitted = self._current
        if notify and self._current is not None:
            self.config_changed.emit(self._current)

    def is_valid(self) -> bool:
        return self._current is not None

    def errors(self) -> dict[str, str]:
        """Messages of the fields marked invalid, by dotted config path."""
        return dict(self._errors)

    def error_for(self, path: str) -> str | None:
        return self._errors.get(path)

    def field_widget(self, path: str) -> QWidget:
        """The input for a dotted config path, e.g. ``"training.lr"`` -> lrEdit."""
        return self.fields[path].box.field

    def set_external_error(self, path: str, message: str | None) -> None:
        """Mark a field with an error found outside the form (e.g. the target is not finite on
        the chosen x range, which only building the dataset reveals); None clears it."""
        if self._external.get(path) == message:
            return
        if message:
            self._external[path] = message
        else:
            self._external.pop(path, None)
        self.revalidate()

    @staticmethod
    def tr_noop(source: str) -> str:
        """Marks an English text for translation (lupdate files it under the calling class) and
        returns it unchanged, for the builders below, which show it translated."""
        return source

    def translated(self, source: str) -> str:
        """A text marked with ``tr_noop`` in the interface language."""
        return self.tr(source)

    def show_text(self, setter: Callable[[str], None], source: str) -> None:
        """Pass the English ``source`` to ``setter`` in the interface language, now and again
        at every ``retranslate_ui()`` (e.g. ``show_text(edit.setPlaceholderText, ...)``)."""
        if source:
            self._texts.append((setter, source))
            setter(self.translated(source))

    def retranslate_ui(self) -> None:
        """Show every text in the current language (after a language switch). Error messages
        already shown stay until the field is validated again."""
        for setter, source in self._texts:
            setter(self.translated(source))

    # ---- building ----

    def group(self, title: str) -> QFormLayout:
        """A titled group box with a form layout, appended to the panel."""
        group = QGroupBox(self.body)
        self.show_text(group.setTitle, title)
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.body_layout.addWidget(group)
        return form

    def add_field(
        self,
        form: QFormLayout,
        label: str,
        path: str,
        widget: QWidget,
        tooltip: str,
        read: Callable[[], Any],
        write: Callable[[Any], None],
        relevant: Callable[[], bool] = lambda: True,
    ) -> FormField:
        box = FieldBox(widget, "", self.body)
        field = FormField(path, box, read, write, relevant, label=label, tooltip=tooltip)
        self.fields[path] = field
        caption = QLabel(self.body)
        self.show_text(caption.setText, label)
        self.show_text(caption.setToolTip, tooltip)
        self.show_text(box.set_tooltip, tooltip)
        caption.setBuddy(widget)
        form.addRow(caption, box)
        self._connect(widget)
        return field

    def number(
        self,
        form: QFormLayout,
        label: str,
        path: str,
        name: str,
        tooltip: str,
        word: str | None = None,
        *,
        integer: bool = False,
        relevant: Callable[[], bool] = lambda: True,
    ) -> FormField:
        """A NumberEdit; ``word`` names it in messages (default: the label in lower case)."""
        edit = NumberEdit(
            name,
            word or label.lower(),
            integer=integer,
            parent=self.body,
            label_source=word or label,
            context=type(self).__name__,  # where lupdate filed the caption
        )
        return self.add_field(
            form, label, path, edit, tooltip, edit.value, edit.set_value, relevant
        )

    def combo(
        self,
        form: QFormLayout,
        label: str,
        path: str,
        name: str,
        tooltip: str,
        items: list[tuple[str, str]],
    ) -> QComboBox:
        """A non-editable combo whose item data are the config values."""
        combo = QComboBox(self.body)
        combo.setObjectName(name)
        for index, (text, value) in enumerate(items):
            combo.addItem("", value)
            self.show_text(lambda shown, i=index: combo.setItemText(i, shown), text)

        def write(value: str) -> None:
            combo.setCurrentIndex(max(combo.findData(value), 0))

        self.add_field(form, label, path, combo, tooltip, combo.currentData, write)
        return combo

    def spin(
        self, form: QFormLayout, label: str, path: str, name: str, tooltip: str, lo: int, hi: int
    ) -> QSpinBox:
        spin = QSpinBox(self.body)
        spin.setObjectName(name)
        spin.setRange(lo, hi)
        spin.setKeyboardTracking(False)  # commit on Return/focus out, not on every digit
        spin.setGroupSeparatorShown(True)
        self.add_field(form, label, path, spin, tooltip, spin.value, spin.setValue)
        return spin

    def update_visibility(self) -> None:
        """Show only the rows that matter now (each field's ``relevant``)."""
        for field in self.fields.values():
            form = field.box.parentWidget().layout()
            if isinstance(form, QFormLayout):
                form.setRowVisible(field.box, field.relevant())

    # ---- validating ----

    def _connect(self, widget: QWidget) -> None:
        if isinstance(widget, QComboBox) and widget.isEditable():
            widget.editTextChanged.connect(lambda _text: self._on_edited(commit=False))
            widget.lineEdit().editingFinished.connect(lambda: self._on_edited(commit=True))
            widget.activated.connect(lambda _index: self._on_edited(commit=True))
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(lambda _index: self._on_edited(commit=True))
        elif isinstance(widget, QSpinBox):
            widget.valueChanged.connect(lambda _value: self._on_edited(commit=True))
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(lambda _on: self._on_edited(commit=True))
        elif isinstance(widget, QLineEdit):
            widget.textChanged.connect(lambda _text: self._on_edited(commit=False))
            widget.editingFinished.connect(lambda: self._on_edited(commit=True))

    def _on_edited(self, *, commit: bool) -> None:
        if self._loading:
            return
        self.revalidate()
        if commit and self._current is not None and self._current != self._last_emitted:
            self._last_emitted = self._current
            self._fallback = self._current
            self.config_changed.emit(self._current)

    def _build(self) -> tuple[Config | None, dict[str, str]]:
        """Read every field and build a Config; collect a message per bad field.

        A bad value is replaced by the last valid one and the Config is built again, so every
        independent error is marked at once, not only the first the core reports."""
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        for path, field in self.fields.items():
            try:
                values[path] = field.read()
            except ValueError as error:
                if field.relevant():
                    errors[path] = str(error)
                values[path] = config_value(self._fallback, path)
        substituted = set(errors)
        config: Config | None = None
        for _ in range(len(values) + 1):
            try:
                config = Config().with_changes(**values)
                break
            except ConfigError as error:
                field = self.fields.get(error.field)
                if field is None or error.field in substituted:
                    errors.setdefault(error.field, str(error))
                    break
                if field.relevant():
                    errors[error.field] = str(error)
                substituted.add(error.field)
                values[error.field] = config_value(self._fallback, error.field)
        for path, message in self._external.items():
            errors.setdefault(path, message)
        return (config if not errors else None), errors

    def revalidate(self) -> None:
        """Re-read the form, mark errors at their fields, emit ``validity_changed`` on change."""
        self.update_visibility()
        config, errors = self._build()
        self._current, self._errors = config, errors
        for path, field in self.fields.items():
            message = errors.get(path)
            field.box.set_error(message, field.detail if message else None)
        valid = config is not None
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)
