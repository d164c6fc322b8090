"""The CNN lab's stage settings: data, model, loss, optimizer and training, as pages.

One CnnSettings object owns a ``FieldTable`` (gradlab.ui.forms, the form framework the
polynomial lab's panel uses too) over a CnnConfig; ``config()`` builds one validated by the
core, and each bad field shows the core's message under it (a wrong CIFAR-10 folder shows why,
in the interface language). The pages are built in settings_data, settings_model and
settings_training from declarative field tables. No torch here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from gradlab.core.cnn.config import DATASET_DEFAULTS, CnnConfig
from gradlab.core.config import ConfigError
from gradlab.model.cnn_data import FolderProblem, FolderTrouble, cifar_folder_problem
from gradlab.model.cnn_lab import LIVE_FIELDS
from gradlab.model.cnn_results import SamplePictures, class_names_in
from gradlab.text.errors import dataset_text
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
from gradlab.ui.dialogs import Dialogs
from gradlab.ui.error_text import error_text
from gradlab.ui.forms import FieldTable, Schema
from gradlab.ui.i18n import current_language
from gradlab.ui.palette import colour

CONTEXT = "CnnSettings"  # the translation context of every settings text


def folder_problem_text(problem: FolderProblem) -> str:
    """Why a CIFAR-10 folder cannot be used, in the interface language (the wording the
    command line uses too: gradlab.text.errors)."""
    if problem.trouble == FolderTrouble.NOT_A_FOLDER:
        return dataset_text("cifar_no_folder", {"folder": problem.folder}, current_language())
    values = {
        "folder": problem.folder,
        "missing": ", ".join(problem.missing),
        "binary": problem.binary_version,
    }
    return dataset_text("cifar_incomplete", values, current_language())


class CnnSchema(Schema[CnnConfig]):
    """A CnnConfig by field name; Adam's betas are two fields, beta1 and beta2."""

    def default(self) -> CnnConfig:
        return CnnConfig(threads=1)

    def values(self, config: CnnConfig) -> dict[str, Any]:
        values = config.to_dict()
        beta1, beta2 = values.pop("betas", (0.9, 0.999))
        return {**values, "beta1": beta1, "beta2": beta2}

    def build(self, values: dict[str, Any]) -> CnnConfig:
        given = {k: v for k, v in values.items() if k not in ("beta1", "beta2")}
        return CnnConfig(**given, betas=(values["beta1"], values["beta2"]))

    def error_path(self, error: ConfigError) -> str:
        if error.field == "betas":
            return "beta2" if str(error).startswith("beta2") else "beta1"
        return error.field

    def message(self, error: ConfigError) -> str:
        return error_text(error)  # the wording the command line uses too

    def check(self, config: CnnConfig) -> dict[str, str]:
        if config.dataset != "cifar10":
            return {}
        problem = cifar_folder_problem(config.data_dir)
        return {"data_dir": folder_problem_text(problem)} if problem else {}


class CnnSettings(QObject):
    """Every stage's settings; pages: data_page, model_page, loss_page, optimizer_page and
    train_form. ``config_changed`` after a committed valid edit; ``validity_changed`` live;
    ``validated`` after every reading (the config, or None while a field is bad)."""

    config_changed = Signal(object)
    validity_changed = Signal(bool)
    validated = Signal(object)
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

    def __init__(self, dialogs: Dialogs, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialogs = dialogs
        self.table: FieldTable[CnnConfig] = FieldTable(CnnSchema(), CONTEXT, self)
        self.fields = self.table.fields
        self.total_parameters = 0
        self._samples: SamplePictures | None = None
        self.data_page = build_data_page(self)
        self.model_page = build_model_page(self)
        self.loss_page = build_loss_page(self)
        self.optimizer_page = build_optimizer_page(self)
        self.train_form = build_train_form(self)
        self.table.on_edit = self._on_edit
        self.table.after_validate = self._update_notes
        self.table.config_changed.connect(self.config_changed)
        self.table.validity_changed.connect(self.validity_changed)
        self.table.validated.connect(self.validated)
        self.set_config(CnnConfig(), notify=False)

    # ---- public API ----

    def config(self) -> CnnConfig:
        """The settings as a CnnConfig; ConfigError (first bad field) while any is invalid."""
        return self.table.config()

    def current(self) -> CnnConfig | None:
        return self.table.current()

    def first_error(self) -> str | None:
        return self.table.first_error()

    def set_config(self, config: CnnConfig, *, notify: bool = True) -> None:
        self.table.set_config(config, notify=notify)

    def is_valid(self) -> bool:
        return self.table.is_valid()

    def errors(self) -> dict[str, str]:
        return self.table.errors()

    def error_for(self, name: str) -> str | None:
        return self.table.error_for(name)

    def field_widget(self, name: str) -> QWidget:
        return self.table.field_widget(name)

    def set_external_error(self, name: str, message: str | None) -> None:
        """Mark a field with an error found elsewhere (None clears it)."""
        self.table.set_external_error(name, message)

    def revalidate(self) -> None:
        self.table.revalidate()

    def set_locked(self, locked: bool) -> None:
        """While a run uses the settings only the live ones (the learning rate) stay editable."""
        for name, field in self.fields.items():
            field.box.field.setEnabled(not locked or name in LIVE_FIELDS)
        self.folder_button.setEnabled(not locked)
        self.lock_note.setVisible(locked)

    def retranslate_ui(self) -> None:
        """Every text in the current language: captions, tooltips, choices, explanations, the
        notes that depend on the choices, and the samples' labels."""
        self.table.retranslate_ui()
        self._update_notes()
        if self._samples is not None:
            self.show_samples(self._samples)

    def choose_folder(self) -> None:
        """The data page's Choose… button: ask for the CIFAR-10 folder and take it."""
        folder = self.dialogs.ask_folder(
            QCoreApplication.translate("CnnSettings", "Choose the CIFAR-10 folder (python version)")
        )
        if folder:
            self.folder_edit.setText(folder)
            self.table.commit_edit("data_dir")

    def samples_message(self, reason: str) -> str:
        """What the preview says while it shows no samples: "reset", "loading" or "stale"."""
        return {
            "loading": QCoreApplication.translate("CnnLabWidget", "Loading the data…"),
            "stale": QCoreApplication.translate(
                "CnnLabWidget", "The data settings changed: load the data again to see samples."
            ),
        }.get(
            reason,
            QCoreApplication.translate(
                "CnnLabWidget", "Press “Load data and show samples” (or Start)."
            ),
        )

    def show_samples(self, samples: SamplePictures | None, message: str = "") -> None:
        """The data page's preview: SamplePictures from the worker, or a message."""
        self._samples = samples
        if samples is None:
            self.preview.show_message(message)
            self.preview_info.setText("")
            return
        labels = class_names_in(current_language(), samples.labels, samples.labels_zh)
        captions = [[(label, colour("text"))] for label in labels]
        self.preview.set_images(samples.pictures, captions)
        self.preview_info.setText(
            QCoreApplication.translate(
                "CnnSettings",
                "{train:,} training and {val:,} validation images; {n} shown, the classes in turn",
            ).format(train=samples.n_train, val=samples.n_val, n=len(labels))
        )

    # ---- building pages (the settings_* modules) ----

    def new_page(self, explanation: str) -> tuple[QWidget, QVBoxLayout, QFormLayout]:
        """A settings page: the explanation (an English source) on top, then a form."""
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(6, 6, 6, 6)
        note = QLabel(page)
        self.table.show_text(note.setText, explanation)
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {colour('text_secondary')};")
        layout.addWidget(note)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)
        return page, layout, form

    def _dataset(self) -> str:
        return str(self.dataset_combo.currentData())

    # ---- reading ----

    def _on_edit(self, path: str) -> None:
        if path == "dataset":  # each dataset comes with its recommended settings
            keep = {"data_dir", "seed", "threads", "relu"}
            values = {k: v for k, v in self.table.fallback().to_dict().items() if k in keep}
            base = {**CnnConfig(threads=1).to_dict(), **DATASET_DEFAULTS[self._dataset()]}
            chosen = {**base, **values, "dataset": self._dataset()}
            beta1, beta2 = chosen.pop("betas", (0.9, 0.999))
            self.table.write_values({**chosen, "beta1": beta1, "beta2": beta2})

    def _update_notes(self) -> None:
        dataset = self._dataset()
        self.dataset_note.setText(dataset_note(dataset))
        relu = self.relu_check.isChecked()
        self.total_parameters = show_summary(self.summary_table, self.total_label, dataset, relu)
        self.loss_note.setText(loss_note(str(self.fields["loss"].read()), dataset))
        self.optimizer_note.setText(optimizer_note(str(self.optimizer_combo.currentData())))
