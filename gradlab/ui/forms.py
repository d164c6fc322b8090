"""The one form-binding framework of both labs: fields bound to the paths of a config, validated
by the core's own rules, every bad field marked at once.

``FieldTable`` is the binding: it holds the fields (each a ``FormField``: how to read, write and
when it matters), reads them into a config through a ``Schema`` (the polynomial lab's Config
by dotted path in gradlab.ui.config_form, the CNN lab's CnnConfig by field name), and says what
happened with ``config_changed`` (a committed valid edit), ``validity_changed`` and
``validated`` (after every reading). Fields are declared as ``FieldSpec`` rows (a declarative
table) or added with the builders (``number``, ``combo``, ``spin``, ``check``, ``add_field``).

Texts are English sources, marked where they are written (``self.tr_noop()`` inside a form
class, which update.sh has lupdate read like ``QT_TR_NOOP``; ``QT_TRANSLATE_NOOP(context, ...)``
in a module-level table): the table shows them translated in its ``context`` and again at
``retranslate_ui()``, so a language switch needs no restart. (``QT_TRANSLATE_NOOP`` here is
typed, unlike PySide6's; lupdate reads either.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from gradlab.core.config import ConfigError
from gradlab.ui.error_text import error_text
from gradlab.ui.widgets import FieldBox, NumberEdit

C = TypeVar("C")


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # lupdate reads this name
    """Marks ``source`` for translation in ``context`` (lupdate files it there) and returns it
    unchanged: for module-level field tables, whose texts a FieldTable shows translated."""
    return source


@dataclass
class FormField:
    """One config value in a form: how to read it, write it, and when it matters."""

    path: str  # where the value lives in the config, e.g. "training.lr" or "lr"
    box: FieldBox
    read: Callable[[], Any]  # raises ValueError with a student-readable message
    write: Callable[[Any], None]
    relevant: Callable[[], bool] = lambda: True  # hidden fields neither show nor block errors
    detail: str | None = None  # set by ``read`` for the error's fixed-width detail
    label: str = ""  # the caption's English source ("Learning rate"); shown translated
    tooltip: str = ""  # the explanation's English source; shown translated
    row: QWidget | None = None  # what the form shows for the field (the box, or a wider row)
    form: QFormLayout | None = None  # the form it is a row of

    def shown(self) -> QWidget:
        return self.row or self.box


@dataclass(frozen=True)
class FieldSpec:
    """One row of a declarative field table (texts are English sources)."""

    path: str
    label: str
    tooltip: str
    kind: str = "number"  # "number", "integer", "combo", "check", "spin"
    name: str = ""  # the input's object name
    items: tuple[tuple[str, str], ...] = ()  # a combo's (text source, value) choices
    when: tuple[str, tuple[Any, ...]] | None = None  # relevant while path's value is one of
    word: str = ""  # names the field in messages (default: the label)
    check_text: str = ""  # a check box's own text


class Schema(Generic[C]):
    """How a form's values (by path) make a config of type ``C``, and its errors their paths."""

    def default(self) -> C:
        raise NotImplementedError

    def values(self, config: C) -> dict[str, Any]:
        """The config's value at each path the form may have."""
        raise NotImplementedError

    def build(self, values: dict[str, Any]) -> C:
        """A config from the values by path; raises ConfigError naming the bad field."""
        raise NotImplementedError

    def error_path(self, error: ConfigError) -> str:
        """The form path a ConfigError is about."""
        return error.field

    def message(self, error: ConfigError) -> str:
        """The error as the form shows it: in the interface's language."""
        return error_text(error)

    def check(self, config: C) -> dict[str, str]:
        """Errors only known beyond the config's own rules (e.g. a folder's contents)."""
        return {}


class FieldTable(QObject, Generic[C]):
    """Fields bound to a config's paths and validated by the core (see the module docstring).

    Every keystroke re-validates (``validity_changed``, ``validated``); committed edits
    (Return, focus out, a choice) that give a valid config emit ``config_changed``.
    ``on_edit(path)`` runs before a field's edit is validated (e.g. to fill in defaults);
    ``before_validate`` shows the rows that matter, ``after_validate`` updates notes.
    """

    config_changed = Signal(object)  # a valid config, after a committed edit or set_config()
    validity_changed = Signal(bool)  # the form became valid / invalid (live)
    validated = Signal(object)  # after every reading: the config, or None while a field is bad

    def __init__(self, schema: Schema[C], context: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.schema = schema
        self.context = context  # the translation context of the texts given to the builders
        self.fields: dict[str, FormField] = {}
        self.on_edit: Callable[[str], None] | None = None
        self.before_validate: Callable[[], None] = self.update_visibility
        self.after_validate: Callable[[], None] | None = None
        self._external: dict[str, str] = {}
        self._errors: dict[str, str] = {}
        self._loading = False
        self._fallback: C = schema.default()
        self._current: C | None = None
        self._last_emitted: C | None = None
        self._valid = True
        self._texts: list[tuple[Callable[[str], None], str]] = []  # (setter, English source)

    # ---- reading and writing ----

    def config(self) -> C:
        """The form as a config; raises ConfigError (first bad field) while anything is invalid."""
        if self._current is None:
            path, message = next(iter(self._errors.items()))
            raise ConfigError(path, message)
        return self._current

    def current(self) -> C | None:
        """The form as a config, or None while a field is bad."""
        return self._current

    def first_error(self) -> str | None:
        return next(iter(self._errors.values()), None)

    def set_config(self, config: C, *, notify: bool = True) -> None:
        """Show ``config`` in the form; emits ``config_changed`` once unless ``notify`` is False."""
        self.write_values(self.schema.values(config))
        self._external.clear()
        self._fallback = config
        self.revalidate()
        self._last_emitted = self._current
        if notify and self._current is not None:
            self.config_changed.emit(self._current)

    def write_values(self, values: Mapping[str, Any]) -> None:
        """Show these values (by path) without validating or emitting anything."""
        self._loading = True
        try:
            for path, field in self.fields.items():
                if path in values:
                    field.write(values[path])
        finally:
            self._loading = False

    def fallback(self) -> C:
        """The last valid config (what a bad field is replaced by while others are checked)."""
        return self._fallback

    def is_valid(self) -> bool:
        return self._current is not None

    def errors(self) -> dict[str, str]:
        """Messages of the fields marked invalid, by path."""
        return dict(self._errors)

    def error_for(self, path: str) -> str | None:
        return self._errors.get(path)

    def field_widget(self, path: str) -> QWidget:
        """The input for a path, e.g. ``"training.lr"`` -> lrEdit."""
        return self.fields[path].box.field

    def set_external_error(self, path: str, message: str | None) -> None:
        """Mark a field with an error found outside the form (None clears it)."""
        if self._external.get(path) == message:
            return
        if message:
            self._external[path] = message
        else:
            self._external.pop(path, None)
        self.revalidate()

    # ---- texts ----

    def translated(self, source: str) -> str:
        return QCoreApplication.translate(self.context, source)

    def show_text(self, setter: Callable[[str], None], source: str) -> None:
        """Pass the English ``source`` to ``setter`` in the interface language, now and again
        at every ``retranslate_ui()``."""
        if source:
            self._texts.append((setter, source))
            setter(self.translated(source))

    def retranslate_ui(self) -> None:
        """Show every text in the current language. Error messages already shown stay until
        the field is validated again."""
        for setter, source in self._texts:
            setter(self.translated(source))

    # ---- building ----

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
        row: QWidget | None = None,
    ) -> FormField:
        """Show ``widget`` as the field ``path`` (in ``row`` if given, e.g. with a button)."""
        parent = form.parentWidget()
        box = FieldBox(widget, "", parent)
        field = FormField(
            path, box, read, write, relevant, label=label, tooltip=tooltip, row=row, form=form
        )
        self.fields[path] = field
        caption = QLabel(parent)
        self.show_text(caption.setText, label)
        self.show_text(caption.setToolTip, tooltip)
        self.show_text(box.set_tooltip, tooltip)
        caption.setBuddy(widget)
        if row is not None:
            layout = row.layout()
            assert isinstance(layout, QBoxLayout)
            layout.insertWidget(0, box, 1)
        form.addRow(caption, field.shown())
        self._connect(widget, path)
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
            parent=form.parentWidget(),
            label_source=word or label,
            context=self.context,  # where lupdate filed the caption
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
        items: list[tuple[str, str]] | tuple[tuple[str, str], ...],
        relevant: Callable[[], bool] = lambda: True,
    ) -> QComboBox:
        """A non-editable combo whose item data are the config values."""
        combo = QComboBox(form.parentWidget())
        combo.setObjectName(name)
        for index, (text, value) in enumerate(items):
            combo.addItem("", value)
            self.show_text(partial(combo.setItemText, index), text)

        def write(value: str) -> None:
            combo.setCurrentIndex(max(combo.findData(value), 0))

        self.add_field(form, label, path, combo, tooltip, combo.currentData, write, relevant)
        return combo

    def spin(
        self,
        form: QFormLayout,
        label: str,
        path: str,
        name: str,
        tooltip: str,
        lo: int,
        hi: int,
        relevant: Callable[[], bool] = lambda: True,
    ) -> QSpinBox:
        spin = QSpinBox(form.parentWidget())
        spin.setObjectName(name)
        spin.setRange(lo, hi)
        spin.setKeyboardTracking(False)  # commit on Return/focus out, not on every digit
        spin.setGroupSeparatorShown(True)
        self.add_field(form, label, path, spin, tooltip, spin.value, spin.setValue, relevant)
        return spin

    def check(
        self,
        form: QFormLayout,
        label: str,
        path: str,
        name: str,
        tooltip: str,
        text: str,
        relevant: Callable[[], bool] = lambda: True,
    ) -> QCheckBox:
        check = QCheckBox(form.parentWidget())
        check.setObjectName(name)
        self.show_text(check.setText, text)
        self.add_field(
            form, label, path, check, tooltip, check.isChecked, check.setChecked, relevant
        )
        return check

    def build(self, form: QFormLayout, specs: tuple[FieldSpec, ...]) -> dict[str, QWidget]:
        """Add a declarative table's fields to ``form``; returns their inputs by path."""
        built: dict[str, QWidget] = {}
        for spec in specs:
            relevant = self._relevance(spec.when)
            if spec.kind in ("number", "integer"):
                field = self.number(
                    form, spec.label, spec.path, spec.name, spec.tooltip, spec.word or None,
                    integer=spec.kind == "integer", relevant=relevant,
                )  # fmt: skip
                built[spec.path] = field.box.field
            elif spec.kind == "combo":
                built[spec.path] = self.combo(
                    form, spec.label, spec.path, spec.name, spec.tooltip, spec.items, relevant
                )
            elif spec.kind == "check":
                built[spec.path] = self.check(
                    form, spec.label, spec.path, spec.name, spec.tooltip, spec.check_text, relevant
                )
            else:
                raise ValueError(f"unknown field kind {spec.kind!r}")
        return built

    def _relevance(self, when: tuple[str, tuple[Any, ...]] | None) -> Callable[[], bool]:
        if when is None:
            return lambda: True
        path, values = when
        return lambda: self.fields[path].read() in values

    def update_visibility(self) -> None:
        """Show only the rows that matter now (each field's ``relevant``)."""
        for field in self.fields.values():
            if field.form is not None:
                field.form.setRowVisible(field.shown(), field.relevant())

    # ---- validating ----

    def _connect(self, widget: QWidget, path: str) -> None:
        if isinstance(widget, QComboBox) and widget.isEditable():
            widget.editTextChanged.connect(lambda _text: self._on_edited(path, commit=False))
            line = widget.lineEdit()
            assert line is not None  # an editable combo has one
            line.editingFinished.connect(lambda: self._on_edited(path, commit=True))
            widget.activated.connect(lambda _index: self._on_edited(path, commit=True))
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(lambda _index: self._on_edited(path, commit=True))
        elif isinstance(widget, QSpinBox):
            widget.valueChanged.connect(lambda _value: self._on_edited(path, commit=True))
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(lambda _on: self._on_edited(path, commit=True))
        elif isinstance(widget, QLineEdit):
            widget.textChanged.connect(lambda _text: self._on_edited(path, commit=False))
            widget.editingFinished.connect(lambda: self._on_edited(path, commit=True))

    def commit_edit(self, path: str) -> None:
        """A field changed by code that counts as the student's committed edit."""
        self._on_edited(path, commit=True)

    def _on_edited(self, path: str, *, commit: bool) -> None:
        if self._loading:
            return
        if self.on_edit is not None:
            self.on_edit(path)
        self.revalidate()
        if commit and self._current is not None and self._current != self._last_emitted:
            self._last_emitted = self._current
            self._fallback = self._current
            self.config_changed.emit(self._current)

    def _build(self) -> tuple[C | None, dict[str, str]]:
        """Read every field and build a config; collect a message per bad field.

        A bad value is replaced by the last valid one and the config is built again, so every
        independent error is marked at once, not only the first the core reports."""
        fallback = self.schema.values(self._fallback)
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        for path, field in self.fields.items():
            try:
                values[path] = field.read()
            except ValueError as error:
                if field.relevant():
                    errors[path] = str(error)
                values[path] = fallback[path]
        substituted = set(errors)
        config: C | None = None
        for _ in range(len(values) + 1):
            try:
                config = self.schema.build(values)
                break
            except ConfigError as error:
                path = self.schema.error_path(error)
                bad = self.fields.get(path)
                if bad is None or path in substituted:
                    errors.setdefault(path, self.schema.message(error))
                    break
                if bad.relevant():
                    errors[path] = self.schema.message(error)
                substituted.add(path)
                values[path] = fallback[path]
        if config is not None:
            for path, message in self.schema.check(config).items():
                errors.setdefault(path, message)
        for path, message in self._external.items():
            errors.setdefault(path, message)
        return (config if not errors else None), errors

    def revalidate(self) -> None:
        """Re-read the form, mark errors at their fields, emit ``validity_changed`` on change."""
        self.before_validate()
        config, errors = self._build()
        self._current, self._errors = config, errors
        for path, field in self.fields.items():
            message = errors.get(path)
            field.box.set_error(message, field.detail if message else None)
        if self.after_validate is not None:
            self.after_validate()
        valid = config is not None
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)
        self.validated.emit(config)
