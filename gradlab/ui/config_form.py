"""ConfigForm binds form fields to dotted Config paths and validates them with the core's own
rules; its subclasses (the parameter panel) only say which fields there are.

ConfigForm's texts (group titles, labels, tooltips, choices) are English sources, marked where
they are written with ``self.tr_noop()``, which update.sh has lupdate read like ``QT_TR_NOOP``
in the writing class's context. The form shows them translated and, at ``retranslate_ui()``,
again in the new language, so a language switch needs no restart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
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
from gradlab.ui.widgets import FieldBox, NumberEdit


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
