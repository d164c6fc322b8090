"""The parameter panel: the core Config as a form, grouped in the chapter's pipeline order.

One ``config()`` / ``set_config()`` pair; ``config_changed`` fires when an edit is committed
(Return, focus out, a combo choice) and the whole form is valid. Every keystroke re-validates
with the core's own rules (building a Config and reading ConfigError.field), so a bad entry is
marked at its field with the core's message while the student types.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gradlab.core.config import (
    GROUPS,
    MAX_DEGREE,
    MAX_POINTS,
    NAMED_TARGETS,
    Config,
    ConfigError,
)
from gradlab.core.expression import ExpressionError, parse_expression
from gradlab.ui.widgets import FieldBox, NumberEdit, format_number, parse_float

# Which optimizer uses which hyperparameter (torch.optim's own signatures).
OPTIMIZER_FIELDS = {
    "sgd": ("momentum", "nesterov", "weight_decay"),
    "rmsprop": ("momentum", "alpha", "eps", "weight_decay"),
    "adam": ("beta1", "beta2", "eps", "weight_decay"),
    "adamw": ("beta1", "beta2", "eps", "weight_decay"),
    "adagrad": ("eps", "weight_decay"),
}


@dataclass
class _Field:
    """One config value in the form: how to read it, write it, and when it matters."""

    path: str
    box: FieldBox
    read: Callable[[], Any]  # raises ValueError with a student-readable message
    write: Callable[[Any], None]
    relevant: Callable[[], bool] = lambda: True
    detail: str | None = None  # e.g. the expression with a caret under the error


def _get(config: Config, path: str) -> Any:
    group, _, name = path.partition(".")
    return getattr(getattr(config, group), name) if name else getattr(config, group)


class ParameterPanel(QScrollArea):
    """The experiment's settings; scrolls when the window is small."""

    config_changed = Signal(object)  # a valid Config, after a committed edit or set_config()
    validity_changed = Signal(bool)  # the form became valid / invalid (live, per keystroke)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("parameterPanel")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fields: dict[str, _Field] = {}
        self._external: dict[str, str] = {}
        self._errors: dict[str, str] = {}
        self._loading = False
        self._fallback = Config()
        self._current: Config | None = None
        self._last_emitted: Config | None = None
        self._valid = True
        body = QWidget(self)
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(6, 6, 6, 6)
        self._build_data_group()
        self._build_model_group()
        self._build_method_group()
        self._build_loss_group()
        self._build_optimizer_group()
        self._build_training_group()
        self._layout.addStretch(1)
        self.setWidget(body)
        self.setMinimumWidth(300)
        self.set_config(Config(), notify=False)

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
            for field in self._fields.values():
                field.write(_get(config, field.path))
        finally:
            self._loading = False
        self._external.clear()
        self._fallback = config
        self._revalidate()
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
        return self._fields[path].box.field

    def set_external_error(self, path: str, message: str | None) -> None:
        """Mark a field with an error found outside the form (e.g. the target is not finite on
        the chosen x range, which only building the dataset reveals)."""
        if message:
            self._external[path] = message
        else:
            self._external.pop(path, None)
        self._revalidate()

    def set_lr_warning(self, message: str | None) -> None:
        """A non-blocking note under the learning rate (above the stable limit)."""
        self._fields["training.lr"].box.set_warning(message)

    def lr_warning(self) -> str | None:
        return self._fields["training.lr"].box.warning

    # ---- building the form ----

    def _group(self, title: str) -> QFormLayout:
        group = QGroupBox(title, self)
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._layout.addWidget(group)
        return form

    def _add(
        self,
        form: QFormLayout,
        label: str,
        path: str,
        widget: QWidget,
        tooltip: str,
        read: Callable[[], Any],
        write: Callable[[Any], None],
        relevant: Callable[[], bool] = lambda: True,
    ) -> _Field:
        box = FieldBox(widget, tooltip, self)
        field = _Field(path, box, read, write, relevant)
        self._fields[path] = field
        caption = QLabel(label, self)
        caption.setToolTip(tooltip)
        caption.setBuddy(widget)
        form.addRow(caption, box)
        self._connect(widget)
        return field

    def _number(
        self,
        form: QFormLayout,
        label: str,
        path: str,
        name: str,
        tooltip: str,
        word: str,
        *,
        integer: bool = False,
        relevant: Callable[[], bool] = lambda: True,
    ) -> _Field:
        edit = NumberEdit(name, word, integer=integer, parent=self)
        return self._add(form, label, path, edit, tooltip, edit.value, edit.set_value, relevant)

    def _combo(
        self,
        form: QFormLayout,
        label: str,
        path: str,
        name: str,
        tooltip: str,
        items: list[tuple[str, str]],
    ) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        for text, value in items:
            combo.addItem(text, value)

        def write(value: str) -> None:
            combo.setCurrentIndex(max(combo.findData(value), 0))

        self._add(form, label, path, combo, tooltip, combo.currentData, write)
        return combo

    def _spin(
        self, form: QFormLayout, label: str, path: str, name: str, tooltip: str, lo: int, hi: int
    ) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(lo, hi)
        spin.setKeyboardTracking(False)  # commit on Return/focus out, not on every digit
        spin.setGroupSeparatorShown(True)
        self._add(form, label, path, spin, tooltip, spin.value, spin.setValue)
        return spin

    def _build_data_group(self) -> None:
        form = self._group(self.tr("1 · Data"))
        self.target_combo = QComboBox(self)
        self.target_combo.setObjectName("targetCombo")
        self.target_combo.setEditable(True)
        self.target_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.target_combo.addItems(list(NAMED_TARGETS))
        self.target_combo.lineEdit().setPlaceholderText(self.tr("sin, or an expression in x"))
        self._target_field = self._add(
            form,
            self.tr("Target y ="),
            "data.target",
            self.target_combo,
            self.tr(
                "The curve to learn: pick one (sin is the chapter's) or type an expression "
                "in x such as x**3 - 2*x."
            ),
            self._read_target,
            self.target_combo.setCurrentText,
        )
        range_tip = self.tr(
            "The x interval the points are spread over; type pi for π (the chapter uses -pi to pi)."
        )
        self._number(form, self.tr("x from"), "data.x_min", "xMinEdit", range_tip, self.tr("x min"))
        self._number(form, self.tr("x to"), "data.x_max", "xMaxEdit", range_tip, self.tr("x max"))
        self._spin(
            form,
            self.tr("Points"),
            "data.points",
            "pointsSpin",
            self.tr("How many evenly spaced x values to train on (the chapter uses 2000)."),
            2,
            MAX_POINTS,
        )
        self._number(
            form,
            self.tr("Noise"),
            "data.noise",
            "noiseEdit",
            self.tr("Standard deviation of random noise added to each y; 0 means exact values."),
            self.tr("noise"),
        )
        self._number(
            form,
            self.tr("Validation share"),
            "data.val_fraction",
            "valFractionEdit",
            self.tr(
                "Fraction of the points held back to check the fit on data it "
                "never trained on (0 to 0.9)."
            ),
            self.tr("validation fraction"),
        )

    def _build_model_group(self) -> None:
        form = self._group(self.tr("2 · Model"))
        self._spin(
            form,
            self.tr("Degree"),
            "model.degree",
            "degreeSpin",
            self.tr(
                "The highest power of x in the polynomial: 3 gives the chapter's "
                "cubic a + b·x + c·x² + d·x³."
            ),
            1,
            MAX_DEGREE,
        )
        self._combo(
            form,
            self.tr("Basis"),
            "model.basis",
            "basisCombo",
            self.tr(
                "Raw powers of x (the chapter's) or Legendre polynomials, which "
                "train with a far larger learning rate."
            ),
            [(self.tr("powers of x"), "power"), (self.tr("Legendre"), "legendre")],
        )
        self._combo(
            form,
            self.tr("Start from"),
            "model.init",
            "initCombo",
            self.tr(
                "Where the coefficients start: random in [0, 1) like the chapter, "
                "all zero, or values you type."
            ),
            [
                (self.tr("random in [0, 1)"), "random"),
                (self.tr("zeros"), "zeros"),
                (self.tr("my values"), "values"),
            ],
        )
        values_edit = QLineEdit(self)
        values_edit.setObjectName("initValuesEdit")
        values_edit.setPlaceholderText("0.1, 0.5, 0, -0.1")
        self._add(
            form,
            self.tr("Start values"),
            "model.init_values",
            values_edit,
            self.tr("The starting coefficients a, b, c, ... separated by commas, one per term."),
            lambda: self._read_values(values_edit.text()),
            lambda v: values_edit.setText(", ".join(format_number(x) for x in v)),
            relevant=lambda: self._fields["model.init"].read() == "values",
        )
        self._number(
            form,
            self.tr("Seed"),
            "seed",
            "seedEdit",
            self.tr(
                "The random seed: the same seed gives the same start, noise and "
                "split, so a run can be repeated."
            ),
            self.tr("seed"),
            integer=True,
        )
        self._combo(
            form,
            self.tr("Precision"),
            "model.dtype",
            "dtypeCombo",
            self.tr(
                "Number precision: float64 (exact to ~16 digits) or float32 (what "
                "neural networks usually use)."
            ),
            [("float64", "float64"), ("float32", "float32")],
        )

    def _build_method_group(self) -> None:
        form = self._group(self.tr("3 · Method"))
        self.method_combo = self._combo(
            form,
            self.tr("Method"),
            "training.method",
            "methodCombo",
            self.tr("How the gradients are computed and applied: the chapter's three listings."),
            [
                (self.tr("NumPy, gradients by hand"), "numpy-manual"),
                (self.tr("PyTorch autograd"), "torch-autograd"),
                (self.tr("PyTorch nn + optimizer"), "torch-optim"),
            ],
        )
        self.method_explanation = QLabel(self)
        self.method_explanation.setObjectName("methodExplanation")
        self.method_explanation.setWordWrap(True)
        self.method_explanation.setStyleSheet("color: palette(placeholder-text);")
        form.addRow(self.method_explanation)

    def _method_text(self, method: str) -> str:
        return {
            "numpy-manual": self.tr(
                "The chain rule written out by hand in NumPy, then coefficient −= lr × gradient."
            ),
            "torch-autograd": self.tr(
                "The same loop on torch tensors: loss.backward() computes the gradients for you."
            ),
            "torch-optim": self.tr(
                "An nn.Linear model, a loss module and torch.optim: "
                "optimizer.step() does the update."
            ),
        }.get(method, "")

    def _build_loss_group(self) -> None:
        form = self._group(self.tr("4 · Loss"))
        self._combo(
            form,
            self.tr("Loss"),
            "training.loss",
            "lossCombo",
            self.tr(
                "How a wrong prediction is scored: squared error (the chapter's), "
                "absolute error (L1), or Huber (squared near 0, L1 far away)."
            ),
            [
                (self.tr("squared error"), "squared"),
                (self.tr("L1 (absolute)"), "l1"),
                (self.tr("Huber"), "huber"),
            ],
        )
        self._combo(
            form,
            self.tr("Reduction"),
            "training.reduction",
            "reductionCombo",
            self.tr(
                "Add up the errors of all points (sum, the first listings) or "
                "average them (mean, nn.MSELoss's default)."
            ),
            [(self.tr("sum"), "sum"), (self.tr("mean"), "mean")],
        )
        self._number(
            form,
            self.tr("Huber δ"),
            "training.huber_delta",
            "huberDeltaEdit",
            self.tr("Where the Huber loss switches from squared to absolute error."),
            self.tr("Huber delta"),
            relevant=lambda: self._fields["training.loss"].read() == "huber",
        )

    def _build_optimizer_group(self) -> None:
        form = self._group(self.tr("5 · Optimizer"))
        self.optimizer_group = form.parentWidget()
        self._combo(
            form,
            self.tr("Optimizer"),
            "optimizer.name",
            "optimizerCombo",
            self.tr(
                "The torch.optim algorithm that turns gradients into updates "
                "(the chapter's third listing uses RMSprop)."
            ),
            [
                ("SGD", "sgd"),
                ("RMSprop", "rmsprop"),
                ("Adam", "adam"),
                ("AdamW", "adamw"),
                ("Adagrad", "adagrad"),
            ],
        )

        def uses(name: str) -> Callable[[], bool]:
            return lambda: self._uses_optimizer_field(name)

        tips = {
            "momentum": self.tr(
                "Keeps a share of the previous update, so steps build up speed "
                "along a consistent direction (0 = none)."
            ),
            "weight_decay": self.tr(
                "Pulls every coefficient slightly towards 0 at each step (0 = none)."
            ),
            "alpha": self.tr(
                "How slowly RMSprop's running average of squared gradients "
                "forgets (close to 1 = long memory)."
            ),
            "beta1": self.tr("Adam's memory for the average gradient (momentum), usually 0.9."),
            "beta2": self.tr("Adam's memory for the average squared gradient, usually 0.999."),
            "eps": self.tr("A tiny number added to avoid dividing by zero."),
        }
        for name, label, widget_name, word in (
            ("momentum", self.tr("Momentum"), "momentumEdit", self.tr("momentum")),
            ("weight_decay", self.tr("Weight decay"), "weightDecayEdit", self.tr("weight decay")),
            ("alpha", self.tr("Alpha"), "alphaEdit", self.tr("alpha")),
            ("beta1", self.tr("Beta 1"), "beta1Edit", self.tr("beta1")),
            ("beta2", self.tr("Beta 2"), "beta2Edit", self.tr("beta2")),
            ("eps", self.tr("Epsilon"), "epsEdit", self.tr("eps")),
        ):
            self._number(
                form, label, f"optimizer.{name}", widget_name, tips[name], word, relevant=uses(name)
            )
        check = QCheckBox(self.tr("Nesterov"), self)
        check.setObjectName("nesterovCheck")
        self._add(
            form,
            "",
            "optimizer.nesterov",
            check,
            self.tr(
                "Nesterov momentum looks ahead before computing the gradient; "
                "needs momentum above 0."
            ),
            check.isChecked,
            check.setChecked,
            relevant=uses("nesterov"),
        )

    def _uses_optimizer_field(self, name: str) -> bool:
        if self._fields["training.method"].read() != "torch-optim":
            return False
        return name in OPTIMIZER_FIELDS.get(self._fields["optimizer.name"].read(), ())

    def _build_training_group(self) -> None:
        form = self._group(self.tr("6 · Training"))
        self._number(
            form,
            self.tr("Learning rate"),
            "training.lr",
            "lrEdit",
            self.tr(
                "How far each step moves the coefficients along the gradient; "
                "scientific notation works (1e-6 is the chapter's)."
            ),
            self.tr("learning rate"),
        )
        self._number(
            form,
            self.tr("Steps"),
            "training.steps",
            "stepsEdit",
            self.tr("How many training steps (epochs) to run; 2e5 means 200000."),
            self.tr("steps"),
            integer=True,
        )
        spin = self._spin(
            form,
            self.tr("Batch size"),
            "training.batch_size",
            "batchSizeSpin",
            self.tr(
                "Points per step: full batch uses them all (the chapter's); a "
                "smaller number gives stochastic gradient descent."
            ),
            0,
            MAX_POINTS,
        )
        spin.setSpecialValueText(self.tr("full batch"))

    # ---- reading and validating ----

    def _read_target(self) -> str:
        text = self.target_combo.currentText().strip()
        self._target_field.detail = None
        if text and text not in NAMED_TARGETS:
            try:
                parse_expression(text)
            except ExpressionError as error:
                self._target_field.detail = error.caret()
                raise ValueError(
                    self.tr("target: {message}").format(message=error.message)
                ) from error
        return text

    def _read_values(self, text: str) -> tuple[float, ...]:
        parts = [p for p in text.replace(";", ",").replace(",", " ").split() if p]
        return tuple(parse_float(p, self.tr("start value")) for p in parts)

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
        self._revalidate()
        if commit and self._current is not None and self._current != self._last_emitted:
            self._last_emitted = self._current
            self._fallback = self._current
            self.config_changed.emit(self._current)

    def _build(self) -> tuple[Config | None, dict[str, str]]:
        """Read every field; mark the bad ones; the Config if all is well."""
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}
        for path, field in self._fields.items():
            try:
                values[path] = field.read()
            except ValueError as error:
                if field.relevant():
                    errors[path] = str(error)
                values[path] = _get(self._fallback, path)
        substituted = set(errors)
        config: Config | None = None
        for _ in range(len(values) + 1):
            try:
                config = Config().with_changes(**values)
                break
            except ConfigError as error:
                field = self._fields.get(error.field)
                if field is None or error.field in substituted:
                    errors.setdefault(error.field, str(error))
                    break
                if field.relevant():
                    errors[error.field] = str(error)
                substituted.add(error.field)
                values[error.field] = _get(self._fallback, error.field)
        for path, message in self._external.items():
            errors.setdefault(path, message)
        return (config if not errors else None), errors

    def _revalidate(self) -> None:
        self._update_visibility()
        config, errors = self._build()
        self._current, self._errors = config, errors
        for path, field in self._fields.items():
            message = errors.get(path)
            detail = field.detail if message and path == "data.target" else None
            field.box.set_error(message, detail)
        valid = config is not None
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)

    def _update_visibility(self) -> None:
        method = self._fields["training.method"].read()
        self.method_explanation.setText(self._method_text(method))
        self.optimizer_group.setVisible(method == "torch-optim")
        for field in self._fields.values():
            form = field.box.parentWidget().layout()
            if isinstance(form, QFormLayout):
                form.setRowVisible(field.box, field.relevant())


# Every config path must have a field: a new Config field without one would be silently lost.
_ALL_PATHS = {f"{g}.{f.name}" for g, cls in GROUPS.items() for f in fields(cls)} | {"seed"}


def config_paths() -> set[str]:
    """The dotted paths of every Config value (the panel has one field for each)."""
    return set(_ALL_PATHS)
