"""The CNN lab's stage settings: data, model, loss, optimizer and training, as pages.

One CnnSettings object owns every field; ``config()`` builds a CnnConfig validated by the core,
and each bad field shows the core's own ConfigError message under it (a wrong CIFAR-10 folder
shows the core's DatasetError). The pages are built in settings_data, settings_model and
settings_training; each registers its fields here (``add_field``, ``add_number``, ``add_combo``).
No torch here: the model summary is counted from the layer sizes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from gradlab.core.cnn.cifar import find_cifar_folder
from gradlab.core.cnn.config import DATASET_DEFAULTS, CnnConfig
from gradlab.core.cnn.errors import DatasetError
from gradlab.core.config import ConfigError
from gradlab.ui.cnn.image_grid import ImageGrid
from gradlab.ui.cnn.settings_data import build_data_page, dataset_note
from gradlab.ui.cnn.settings_model import build_model_page, show_summary
from gradlab.ui.cnn.settings_training import (
    build_loss_page,
    build_optimizer_page,
    build_train_form,
    loss_note,
    optimizer_note,
)
from gradlab.ui.i18n import language_manager
from gradlab.ui.widgets import FieldBox, NumberEdit

DATA_FIELDS = ("dataset", "data_dir", "n_images", "val_fraction", "seed")  # they change the data
LIVE_FIELDS = ("lr",)  # may change while a run is paused or running


@dataclass
class Field:
    name: str  # CnnConfig field (beta1/beta2 are the two halves of "betas")
    box: FieldBox
    read: Callable[[], Any]  # raises ValueError with a student-readable message
    write: Callable[[Any], None]
    relevant: Callable[[], bool]
    form: QFormLayout
    row: QWidget  # what the form shows for this field (the box, or the box with a button)


class CnnSettings(QObject):
    """Every stage's settings; pages: data_page, model_page, loss_page, optimizer_page and
    train_form. ``config_changed`` after a committed valid edit; ``validity_changed`` live."""

    config_changed = Signal(object)
    validity_changed = Signal(bool)
    load_data_requested = Signal()

    # widgets the page builders keep here, for the notes, the lock and the lab (and tests)
    dataset_combo: QComboBox
    folder_edit: QLineEdit
    folder_button: QPushButton
    dataset_note: QLabel
    load_data_button: QPushButton
    lock_note: QLabel
    preview: ImageGrid
    preview_info: QLabel
    relu_check: QCheckBox
    summary_table: QTableWidget
    total_label: QLabel
    loss_note: QLabel
    optimizer_combo: QComboBox
    optimizer_note: QLabel

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, Field] = {}
        self._loading = False
        self._fallback = CnnConfig(threads=1)
        self._current: CnnConfig | None = None
        self._last_emitted: CnnConfig | None = None
        self._errors: dict[str, str] = {}
        self._external: dict[str, str] = {}
        self._valid = True
        self._locked = False
        self.data_page = build_data_page(self)
        self.model_page = build_model_page(self)
        self.loss_page = build_loss_page(self)
        self.optimizer_page = build_optimizer_page(self)
        self.train_form = build_train_form(self)
        self.set_config(CnnConfig(), notify=False)

    # ---- public API ----

    def config(self) -> CnnConfig:
        """The settings as a CnnConfig; ConfigError (first bad field) while any is invalid."""
        if self._current is None:
            name, message = next(iter(self._errors.items()))
            raise ConfigError(name, message)
        return self._current

    def set_config(self, config: CnnConfig, *, notify: bool = True) -> None:
        self._write_all(config.to_dict())
        self._fallback = config
        self.revalidate()
        self._last_emitted = self._current
        if notify and self._current is not None:
            self.config_changed.emit(self._current)

    def is_valid(self) -> bool:
        return self._current is not None

    def errors(self) -> dict[str, str]:
        return dict(self._errors)

    def error_for(self, name: str) -> str | None:
        return self._errors.get(name)

    def field_widget(self, name: str) -> QWidget:
        return self.fields[name].box.field

    def set_external_error(self, name: str, message: str | None) -> None:
        """Mark a field with an error found elsewhere (None clears it)."""
        if message:
            self._external[name] = message
        else:
            self._external.pop(name, None)
        self.revalidate()

    def set_locked(self, locked: bool) -> None:
        """While a run uses the settings only the live ones (the learning rate) stay editable."""
        self._locked = locked
        for name, field in self.fields.items():
            field.box.field.setEnabled(not locked or name in LIVE_FIELDS)
        self.folder_button.setEnabled(not locked)
        self.lock_note.setVisible(locked)

    def retranslate_ui(self) -> None:
        """Re-set the explanations that depend on the choices, and each field's tooltip (which
        its box shows again whenever an error clears)."""
        self._update_notes()
        for field in self.fields.values():
            field.box.set_tooltip(self._tooltip_now(field.box.tooltip))

    def _tooltip_now(self, tooltip: str) -> str:
        # the pages built it translated, in the language of that moment: back to English first
        source = language_manager().translator.source_of(tooltip, ["CnnSettings"]) or tooltip
        return self.tr(source)

    def ask_folder(self, start: str) -> str | None:
        """The CIFAR-10 folder dialog (tests replace this method)."""
        folder = QFileDialog.getExistingDirectory(
            self.data_page, self.tr("Choose the CIFAR-10 folder (python version)"), start
        )
        return folder or None

    def show_samples(self, samples: object | None, message: str = "") -> None:
        """The data page's preview: SamplePictures from the worker, or a message."""
        if samples is None:
            self.preview.show_message(message)
            self.preview_info.setText("")
            return
        captions = [[(label, "#222")] for label in samples.labels]
        self.preview.set_images(samples.pictures, captions)
        self.preview_info.setText(
            self.tr("{train:,} training and {val:,} validation images; the first {n} shown").format(
                train=samples.n_train, val=samples.n_val, n=len(samples.labels)
            )
        )

    # ---- building pages (the settings_* modules) ----

    @staticmethod
    def new_page(explanation: str) -> tuple[QWidget, QVBoxLayout, QFormLayout]:
        """A settings page: the explanation on top, then a form for the fields."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(6, 6, 6, 6)
        note = QLabel(explanation, page)
        note.setWordWrap(True)
        note.setStyleSheet("color: #333;")
        layout.addWidget(note)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)
        return page, layout, form

    def add_field(
        self,
        form: QFormLayout,
        label: str,
        name: str,
        widget: QWidget,
        tooltip: str,
        read: Callable[[], Any],
        write: Callable[[Any], None],
        relevant: Callable[[], bool] = lambda: True,
        row_widget: QWidget | None = None,
    ) -> None:
        """Show ``widget`` in ``form`` as the field ``name``, validated like every other."""
        box = FieldBox(widget, tooltip)
        self.fields[name] = Field(name, box, read, write, relevant, form, row_widget or box)
        if row_widget is not None:
            row_widget.layout().insertWidget(0, box, 1)
        form.addRow(label, row_widget or box)
        if isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(lambda _i: self._edited(commit=True, name=name))
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(lambda _on: self._edited(commit=True, name=name))
        elif isinstance(widget, QLineEdit):
            widget.textChanged.connect(lambda _t: self._edited(commit=False, name=name))
            widget.editingFinished.connect(lambda: self._edited(commit=True, name=name))

    def add_number(self, form, label, name, tooltip, *, integer=False, relevant=lambda: True):
        """A number field (NumberEdit); returns the edit."""
        edit = NumberEdit(f"cnn_{name}Edit", label.lower(), integer=integer)
        self.add_field(form, label, name, edit, tooltip, edit.value, edit.set_value, relevant)
        return edit

    def add_combo(self, form, label, name, tooltip, items):
        """A choice among (text, value) items; returns the combo box."""
        combo = QComboBox()
        combo.setObjectName(f"cnn_{name}Combo")
        for text, value in items:
            combo.addItem(text, value)

        def write(value: str) -> None:
            combo.setCurrentIndex(max(combo.findData(value), 0))

        self.add_field(form, label, name, combo, tooltip, combo.currentData, write)
        return combo

    def _dataset(self) -> str:
        return self.dataset_combo.currentData()

    # ---- reading, validating ----

    def _write_all(self, values: dict[str, Any]) -> None:
        values = dict(values)
        beta1, beta2 = values.pop("betas", (0.9, 0.999))
        values.update(beta1=beta1, beta2=beta2)
        self._loading = True
        try:
            for name, field in self.fields.items():
                if name in values:
                    field.write(values[name])
        finally:
            self._loading = False

    def choose_folder(self) -> None:
        """The data page's Choose… button: ask for the CIFAR-10 folder and take it."""
        folder = self.ask_folder(self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)
            self._edited(commit=True, name="data_dir")

    def _edited(self, *, commit: bool, name: str) -> None:
        if self._loading:
            return
        if name == "dataset":  # each dataset comes with its recommended settings
            keep = {"data_dir", "seed", "threads", "relu"}
            values = {k: v for k, v in self._fallback.to_dict().items() if k in keep}
            base = {**CnnConfig(threads=1).to_dict(), **DATASET_DEFAULTS[self._dataset()]}
            self._write_all({**base, **values, "dataset": self._dataset()})
        self.revalidate()
        if commit and self._current is not None and self._current != self._last_emitted:
            self._last_emitted = self._fallback = self._current
            self.config_changed.emit(self._current)

    def _build(self) -> tuple[CnnConfig | None, dict[str, str]]:
        """Read every field and build a CnnConfig; a bad value is replaced by the last valid
        one and the config built again, so every independent error is marked at once."""
        fallback = self._fallback.to_dict()
        fallback.update(beta1=fallback["betas"][0], beta2=fallback["betas"][1])
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        for name, field in self.fields.items():
            try:
                values[name] = field.read()
            except ValueError as error:
                if field.relevant():
                    errors[name] = str(error)
                values[name] = fallback[name]
        config = None
        for _ in range(len(values) + 1):
            try:
                given = {k: v for k, v in values.items() if k not in ("beta1", "beta2")}
                config = CnnConfig(**given, betas=(values["beta1"], values["beta2"]))
                break
            except ConfigError as error:
                name = error.field
                if name == "betas":
                    name = "beta2" if str(error).startswith("beta2") else "beta1"
                if name not in self.fields or name in errors:
                    errors.setdefault(name, str(error))
                    break
                errors[name] = str(error)
                values[name] = fallback[name]
        if config is not None and config.dataset == "cifar10" and "data_dir" not in errors:
            try:
                find_cifar_folder(config.data_dir)
            except (DatasetError, OSError) as error:
                errors["data_dir"] = str(error)
        for name, message in self._external.items():
            errors.setdefault(name, message)
        return (config if not errors else None), errors

    def revalidate(self) -> None:
        for field in self.fields.values():
            field.form.setRowVisible(field.row, field.relevant())
        config, errors = self._build()
        self._current, self._errors = config, errors
        for name, field in self.fields.items():
            field.box.set_error(errors.get(name) if field.relevant() or name in errors else None)
        self._update_notes()
        valid = config is not None
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)

    def _update_notes(self) -> None:
        dataset = self._dataset()
        self.dataset_note.setText(dataset_note(dataset))
        relu = self.relu_check.isChecked()
        self.total_parameters = show_summary(self.summary_table, self.total_label, dataset, relu)
        self.loss_note.setText(loss_note(self.fields["loss"].read(), dataset))
        self.optimizer_note.setText(optimizer_note(self.optimizer_combo.currentData()))
