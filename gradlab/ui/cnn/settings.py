"""The CNN lab's stage settings: data, model, loss, optimizer and training, as pages.

One CnnSettings object owns every field; ``config()`` builds a CnnConfig validated by the core,
and each bad field shows the core's own ConfigError message under it (a wrong CIFAR-10 folder
shows the core's DatasetError). No torch here: the model summary is counted from the layer sizes
(the test compares it with the core's torch summary).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gradlab.core.cnn.cifar import find_cifar_folder
from gradlab.core.cnn.config import DATASET_DEFAULTS, CnnConfig
from gradlab.core.cnn.errors import DatasetError
from gradlab.core.config import ConfigError
from gradlab.ui.cnn.plots import ImageGrid
from gradlab.ui.widgets import FieldBox, NumberEdit

# the chapter's CNN (gradlab/core/cnn/model.py): counted here without importing torch
CONV_CHANNELS, HIDDEN, N_OUTPUTS, KERNEL, IMAGE_SIZE = (32, 32, 64), 64, 10, 5, 32
DATA_FIELDS = ("dataset", "data_dir", "n_images", "val_fraction", "seed")  # they change the data
LIVE_FIELDS = ("lr",)  # may change while a run is paused or running


def summary_rows(dataset: str, relu: bool) -> list[tuple[str, str, tuple[int, ...], int]]:
    """(layer, kind, output shape, parameters) of the chapter's CNN for a dataset's input."""
    channels, side = (1 if dataset == "digits" else 3), IMAGE_SIZE
    rows: list[tuple[str, str, tuple[int, ...], int]] = []
    for i, out in enumerate(CONV_CHANNELS, start=1):
        rows.append((f"conv{i}", "Conv2d", (out, side, side), out * (channels * KERNEL**2 + 1)))
        if relu:
            rows.append((f"relu{i}", "ReLU", (out, side, side), 0))
        side //= 2
        rows.append((f"pool{i}", "MaxPool2d", (out, side, side), 0))
        channels = out
    flat = channels * side * side  # computed, not hard-coded: 1024 for 32×32 input
    rows.append(("flatten", "Flatten", (flat,), 0))
    rows.append(("fc1", "Linear", (HIDDEN,), flat * HIDDEN + HIDDEN))
    if relu:
        rows.append(("relu4", "ReLU", (HIDDEN,), 0))
    rows.append(("fc2", "Linear", (N_OUTPUTS,), HIDDEN * N_OUTPUTS + N_OUTPUTS))
    return rows


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
        self.data_page = self._build_data_page()
        self.model_page = self._build_model_page()
        self.loss_page = self._build_loss_page()
        self.optimizer_page = self._build_optimizer_page()
        self.train_form = self._build_train_form()
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
        """Re-set the explanations that depend on the choices."""
        self._update_notes()

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

    # ---- pages ----

    def _page(self, explanation: str) -> tuple[QWidget, QVBoxLayout, QFormLayout]:
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

    def _add(
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

    def _number(self, form, label, name, tooltip, *, integer=False, relevant=lambda: True):
        edit = NumberEdit(f"cnn_{name}Edit", label.lower(), integer=integer)
        self._add(form, label, name, edit, tooltip, edit.value, edit.set_value, relevant)
        return edit

    def _combo(self, form, label, name, tooltip, items):
        combo = QComboBox()
        combo.setObjectName(f"cnn_{name}Combo")
        for text, value in items:
            combo.addItem(text, value)

        def write(value: str) -> None:
            combo.setCurrentIndex(max(combo.findData(value), 0))

        self._add(form, label, name, combo, tooltip, combo.currentData, write)
        return combo

    def _dataset(self) -> str:
        return self.dataset_combo.currentData()

    def _build_data_page(self) -> QWidget:
        page, layout, form = self._page(
            self.tr(
                "Where the images come from, how many are held out for validation, and how "
                "many go into one batch (one update of the parameters)."
            )
        )
        self.dataset_combo = self._combo(
            form,
            self.tr("Dataset"),
            "dataset",
            self.tr("Which images the CNN learns"),
            [
                (self.tr("Shapes (drawn on this PC)"), "shapes"),
                (self.tr("Handwritten digits (UCI, shipped)"), "digits"),
                (self.tr("CIFAR-10 (from a folder)"), "cifar10"),
                (self.tr("The chapter's demo (one image)"), "demo"),
            ],
        )
        self.folder_edit = QLineEdit()
        self.folder_edit.setObjectName("cnn_data_dirEdit")
        self.folder_button = QPushButton(self.tr("Choose…"))
        self.folder_button.setObjectName("cnnChooseFolderButton")
        self.folder_button.clicked.connect(self._choose_folder)
        folder_row = QWidget()
        row = QHBoxLayout(folder_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.folder_button, 0, Qt.AlignmentFlag.AlignTop)
        self._add(
            form,
            self.tr("CIFAR-10 folder"),
            "data_dir",
            self.folder_edit,
            self.tr(
                "The unpacked cifar-10-batches-py folder: data_batch_1 … data_batch_5, "
                "test_batch, batches.meta"
            ),
            self.folder_edit.text,
            self.folder_edit.setText,
            lambda: self._dataset() == "cifar10",
            folder_row,
        )
        self._number(
            form,
            self.tr("Images"),
            "n_images",
            self.tr("How many shapes to draw (a multiple of 10: the same count per class)"),
            integer=True,
            relevant=lambda: self._dataset() == "shapes",
        )
        self._number(
            form,
            self.tr("Validation fraction"),
            "val_fraction",
            self.tr("Share of each class held out to validate on (never trained on)"),
            relevant=lambda: self._dataset() in ("shapes", "digits"),
        )
        self._number(
            form,
            self.tr("Batch size"),
            "batch_size",
            self.tr("Images per training step: the gradient is averaged over a batch"),
            integer=True,
        )
        self._number(
            form,
            self.tr("Seed"),
            "seed",
            self.tr("Same seed, same images, same starting weights, same numbers"),
            integer=True,
        )
        self.dataset_note = QLabel()
        self.dataset_note.setWordWrap(True)
        self.dataset_note.setStyleSheet("color: #555;")
        layout.addWidget(self.dataset_note)
        self.load_data_button = QPushButton(self.tr("Load data and show samples"))
        self.load_data_button.setObjectName("cnnLoadDataButton")
        self.load_data_button.clicked.connect(self.load_data_requested)
        layout.addWidget(self.load_data_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.lock_note = QLabel(
            self.tr(
                "These settings belong to the run: press Reset to change them. The learning "
                "rate can change at any time."
            )
        )
        self.lock_note.setWordWrap(True)
        self.lock_note.setStyleSheet("color: #6d4300;")
        self.lock_note.hide()
        layout.addWidget(self.lock_note)
        layout.addStretch(1)
        self.preview = ImageGrid("cnnSamplePreview", scale=2, caption_lines=1)
        self.preview_info = QLabel()
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setWidget(self.preview)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("<b>Samples with their labels</b>")))
        right.addWidget(self.preview_info)
        right.addWidget(area, 1)
        self.show_samples(None, self.tr("Press “Load data and show samples” (or Start)."))
        outer = QWidget()
        both = QHBoxLayout(outer)
        both.setContentsMargins(0, 0, 0, 0)
        page.setMaximumWidth(460)
        both.addWidget(page, 2)
        both.addLayout(right, 3)
        return outer

    def _build_model_page(self) -> QWidget:
        page, layout, form = self._page(
            self.tr(
                "The chapter's CNN: three blocks of Conv2d(kernel 5, padding 2) + MaxPool2d(2) "
                "with 32, 32 and 64 channels, Flatten, Linear(1024, 64), Linear(64, 10). The "
                "input's channels follow the dataset; the flattened size is computed."
            )
        )
        self.relu_check = QCheckBox(self.tr("ReLU after each convolution and the first Linear"))
        self.relu_check.setObjectName("cnnReluCheck")
        self._add(
            form,
            self.tr("Activation"),
            "relu",
            self.relu_check,
            self.tr("The chapter's model has none"),
            self.relu_check.isChecked,
            self.relu_check.setChecked,
        )
        note = QLabel(
            self.tr(
                "The chapter has no activation between its layers. Without one, every "
                "convolution and Linear layer is linear, so the stack can only learn what max "
                "pooling lets through. Train once with and once without ReLU and compare the "
                "validation accuracy."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        self.summary_table = QTableWidget(0, 4)
        self.summary_table.setObjectName("cnnSummaryTable")
        self.summary_table.setHorizontalHeaderLabels(
            [self.tr("Layer"), self.tr("Type"), self.tr("Output shape"), self.tr("Parameters")]
        )
        self.summary_table.verticalHeader().hide()
        self.summary_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.summary_table, 1)
        self.total_label = QLabel()
        self.total_label.setObjectName("cnnTotalParameters")
        layout.addWidget(self.total_label)
        return page

    def _build_loss_page(self) -> QWidget:
        page, layout, form = self._page(
            self.tr(
                "The loss function turns the network's 10 outputs and the label into one "
                "number that training makes smaller."
            )
        )
        self._combo(
            form,
            self.tr("Loss"),
            "loss",
            self.tr("How a wrong answer is counted"),
            [
                (self.tr("Automatic (cross-entropy for classes, MSE for the demo)"), "auto"),
                (self.tr("Cross-entropy"), "cross-entropy"),
                (self.tr("Mean squared error on one-hot targets (the chapter's)"), "mse"),
            ],
        )
        self.loss_note = QLabel()
        self.loss_note.setWordWrap(True)
        self.loss_note.setStyleSheet("color: #555;")
        layout.addWidget(self.loss_note)
        layout.addStretch(1)
        return page

    def _build_optimizer_page(self) -> QWidget:
        page, layout, form = self._page(
            self.tr(
                "optimizer.step() changes every parameter using its gradient; "
                "the learning rate sets how far."
            )
        )
        self.optimizer_combo = self._combo(
            form,
            self.tr("Optimizer"),
            "optimizer",
            self.tr("The update rule"),
            [(self.tr("SGD (with momentum)"), "sgd"), ("RMSprop", "rmsprop"), ("Adam", "adam")],
        )

        def uses(*names: str) -> Callable[[], bool]:
            return lambda: self.optimizer_combo.currentData() in names

        self._number(
            form,
            self.tr("Learning rate"),
            "lr",
            self.tr("Step size of each update; can change during training"),
        )
        self._number(
            form,
            self.tr("Momentum"),
            "momentum",
            self.tr("0 = plain gradient descent; 0.9 keeps 90% of the last update"),
            relevant=uses("sgd", "rmsprop"),
        )
        self._number(
            form,
            self.tr("RMSprop alpha"),
            "alpha",
            self.tr("Smoothing of the running mean of squared gradients"),
            relevant=uses("rmsprop"),
        )
        self._number(
            form,
            self.tr("Adam beta1"),
            "beta1",
            self.tr("Smoothing of the running mean of gradients"),
            relevant=uses("adam"),
        )
        self._number(
            form,
            self.tr("Adam beta2"),
            "beta2",
            self.tr("Smoothing of the running mean of squared gradients"),
            relevant=uses("adam"),
        )
        self._number(
            form,
            self.tr("Weight decay"),
            "weight_decay",
            self.tr("Pulls every weight a little towards 0 at each step"),
        )
        self.optimizer_note = QLabel()
        self.optimizer_note.setWordWrap(True)
        self.optimizer_note.setStyleSheet("color: #555;")
        layout.addWidget(self.optimizer_note)
        layout.addStretch(1)
        return page

    def _build_train_form(self) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        self._number(
            form,
            self.tr("Epochs"),
            "epochs",
            self.tr("How many times training goes through all training images"),
            integer=True,
        )
        self._number(
            form,
            self.tr("Threads"),
            "threads",
            self.tr("CPU threads torch may use; leave one core for the window"),
            integer=True,
        )
        return box

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

    def _choose_folder(self) -> None:
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
        self.dataset_note.setText(
            {
                "shapes": self.tr(
                    "10 classes of shapes (circle, square, triangle, …) with random "
                    "colours, sizes, positions and noise, 3×32×32. Nothing to download."
                ),
                "digits": self.tr(
                    "1,797 handwritten digits 0–9 (UCI optdigits, CC BY 4.0), shipped "
                    "with GradLab: 8×8 pictures enlarged to 32×32, one channel."
                ),
                "cifar10": self.tr(
                    "CIFAR-10, the chapter's dataset: 50,000 training and 10,000 test "
                    "photos in 10 classes. Choose the folder your teacher unpacked "
                    "from cifar-10-python.tar.gz. Validation uses its test_batch."
                ),
                "demo": self.tr(
                    "The chapter's own demo: one all-ones 3×32×32 image, target "
                    "[1, 2, …, 10], MSE and RMSprop(lr 1e-4), 100 periods. Nothing "
                    "to validate: watch the loss fall from about 38."
                ),
            }[dataset]
        )
        relu = self.relu_check.isChecked()
        rows = summary_rows(dataset, relu)
        self.summary_table.setRowCount(len(rows))
        for r, (name, kind, shape, params) in enumerate(rows):
            for c, text in enumerate((name, kind, " × ".join(map(str, shape)), f"{params:,}")):
                item = QTableWidgetItem(text)
                if c == 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.summary_table.setItem(r, c, item)
        total = sum(row[3] for row in rows)
        self.total_label.setText(self.tr("Total: {n:,} parameters").format(n=total))
        self.total_parameters = total
        loss = self.fields["loss"].read()
        uses = loss if loss != "auto" else ("mse" if dataset == "demo" else "cross-entropy")
        self.loss_note.setText(
            self.tr(
                "Cross-entropy: softmax turns the 10 outputs into probabilities; the loss is "
                "−log(probability of the right class) (maximum likelihood)."
            )
            if uses == "cross-entropy"
            else self.tr(
                "Mean squared error: the 10 outputs are compared with the target (for "
                "classes a one-hot row, 1 for the right class and 0 elsewhere). The "
                "chapter's demo uses nn.MSELoss()."
            )
        )
        self.optimizer_note.setText(
            {
                "sgd": self.tr(
                    "SGD: parameter −= lr × gradient (plus momentum × the last update)."
                ),
                "rmsprop": self.tr(
                    "RMSprop (the chapter's): divides each gradient by the root of "
                    "its running mean square, so every parameter moves about lr."
                ),
                "adam": self.tr(
                    "Adam: RMSprop plus a running mean of the gradients (momentum); "
                    "a good default, lr 1e-3."
                ),
            }[self.optimizer_combo.currentData()]
        )
