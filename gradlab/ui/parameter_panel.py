"""The parameter panel: the core Config as a form, grouped in the chapter's pipeline order
(data → model → method → loss → optimizer → training).

One ``config()`` / ``set_config()`` pair (from ConfigForm); ``config_changed`` fires when an edit
is committed and the whole form is valid. Bad entries are marked at their field with the core's
own message while the student types. Captions, tooltips and choices are written as English
sources (``self.tr_noop``): the form translates them, and again after a language switch.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QWidget

from gradlab.core.config import (
    MAX_DEGREE,
    MAX_LAYERS,
    MAX_POINTS,
    MAX_WIDTH,
    NAMED_TARGETS,
    Config,
    ConfigError,
)
from gradlab.core.expression import ExpressionError, parse_expression
from gradlab.model.lr_defaults import LrSuggestion
from gradlab.ui.config_form import ConfigForm
from gradlab.ui.lr_suggestion import LrSuggestionBox
from gradlab.ui.method_lines import MethodLines
from gradlab.ui.optimizer_fields import build_optimizer_group
from gradlab.ui.palette import colour
from gradlab.ui.widgets import WrappedLabel, format_number, parse_float


class ParameterPanel(ConfigForm):
    """The experiment's settings, one field per Config value; scrolls when the window is small."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("parameterPanel")
        self._build_data_group()
        self._build_model_group()
        self._build_method_group()
        self._build_loss_group()
        self.optimizer_group = build_optimizer_group(self)
        self._build_training_group()
        self.body_layout.addStretch(1)
        self.floor_width = 290  # the panel is never narrower, even when its rows fit less
        self.set_config(Config(), notify=False)

    def set_lr_warning(self, message: str | None) -> None:
        """A non-blocking note under the learning rate (e.g. above the stable limit)."""
        self.fields["training.lr"].box.set_warning(message)

    def lr_warning(self) -> str | None:
        return self.fields["training.lr"].box.warning

    def show_lr_offer(self, suggestion: LrSuggestion | None, current_lr: float) -> None:
        """Offer a learning rate suited to the method and optimizer (one click to use it); not
        while a lesson has fixed the learning rate."""
        locked = not self.fields["training.lr"].box.field.isEnabled()
        self.lr_suggestion.show_offer(None if locked else suggestion, current_lr)

    def use_suggested_lr(self, lr: float) -> None:
        """Put ``lr`` in the field as if typed and committed."""
        try:
            config = self.config()
        except ConfigError:
            return
        self.set_config(config.with_changes(**{"training.lr": lr}))

    def retranslate_ui(self) -> None:
        """Every text in the current language (the window calls this after a switch)."""
        super().retranslate_ui()
        self._explain_method()
        self.lr_suggestion.retranslate_ui()

    # ---- the groups ----

    def _is_polynomial(self) -> bool:
        return bool(self.fields["model.kind"].read() != "mlp")

    def _is_network(self) -> bool:
        return not self._is_polynomial()

    def build_network_fields(self, form: QFormLayout) -> None:
        """Hidden layers, units per layer and activation: shown for a network only."""
        self.spin(
            form,
            self.tr_noop("Hidden layers"),
            "model.layers",
            "layersSpin",
            self.tr_noop("How many hidden layers between x and the output (1 to 3)."),
            1,
            MAX_LAYERS,
            relevant=self._is_network,
        )
        self.spin(
            form,
            self.tr_noop("Units per layer"),
            "model.hidden",
            "hiddenSpin",
            self.tr_noop("How many hidden units each hidden layer has (1 to 64)."),
            1,
            MAX_WIDTH,
            relevant=self._is_network,
        )
        self.combo(
            form,
            self.tr_noop("Activation"),
            "model.activation",
            "activationCombo",
            self.tr_noop(
                "The hidden units' function: tanh and sigmoid bend smoothly, ReLU makes "
                "kinks, GELU (tanh form) is a smooth ReLU."
            ),
            [("tanh", "tanh"), ("ReLU", "relu"), ("sigmoid", "sigmoid"), ("GELU", "gelu")],
            relevant=self._is_network,
        )

    def _build_data_group(self) -> None:
        form = self.group(self.tr_noop("1 · Data"))
        self.target_combo = QComboBox(self.body)
        self.target_combo.setObjectName("targetCombo")
        self.target_combo.setEditable(True)
        self.target_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.target_combo.addItems(list(NAMED_TARGETS))
        target_edit = self.target_combo.lineEdit()
        assert target_edit is not None  # an editable combo box has one
        self.show_text(
            target_edit.setPlaceholderText,
            self.tr_noop("sin, or an expression in x"),
        )
        self._target = self.add_field(
            form,
            self.tr_noop("Target y ="),
            "data.target",
            self.target_combo,
            self.tr_noop(
                "The curve to learn: pick one (sin is the chapter's) or type an expression "
                "in x such as x**3 - 2*x."
            ),
            self._read_target,
            self.target_combo.setCurrentText,
        )
        range_tip = self.tr_noop(
            "The x interval the points are spread over; type pi for π (the chapter uses -pi to pi)."
        )
        self.number(
            form, self.tr_noop("x from"), "data.x_min", "xMinEdit", range_tip, self.tr_noop("x min")
        )
        self.number(
            form, self.tr_noop("x to"), "data.x_max", "xMaxEdit", range_tip, self.tr_noop("x max")
        )
        self.spin(
            form,
            self.tr_noop("Points"),
            "data.points",
            "pointsSpin",
            self.tr_noop("How many evenly spaced x values to train on (the chapter uses 2000)."),
            2,
            MAX_POINTS,
        )
        self.number(
            form,
            self.tr_noop("Noise"),
            "data.noise",
            "noiseEdit",
            self.tr_noop(
                "Standard deviation of random noise added to each y; 0 means exact values."
            ),
        )
        self.number(
            form,
            self.tr_noop("Validation share"),
            "data.val_fraction",
            "valFractionEdit",
            self.tr_noop(
                "Fraction of the points held back to check the fit on data it never "
                "trained on (0 to 0.9)."
            ),
            self.tr_noop("validation fraction"),
        )
        self.number(
            form,
            self.tr_noop("Plot beyond data"),
            "data.plot_margin",
            "plotMarginEdit",
            self.tr_noop(
                "How far the fit plot reaches past each end of the data, as a share of its "
                "width (0 to 2): 0.5 draws -2π to 2π for data from -π to π, to see how the "
                "model extrapolates."
            ),
            self.tr_noop("plot margin"),
        )

    def _build_model_group(self) -> None:
        form = self.group(self.tr_noop("2 · Model"))
        self.combo(
            form,
            self.tr_noop("Model"),
            "model.kind",
            "modelKindCombo",
            self.tr_noop(
                "The chapter's polynomial, or a small neural network: hidden layers of "
                "units act(w·x + b) and a linear output unit (starts like torch's nn.Linear)."
            ),
            [
                (self.tr_noop("polynomial"), "polynomial"),
                (self.tr_noop("neural network (MLP)"), "mlp"),
            ],
        )
        self.build_network_fields(form)
        self.spin(
            form,
            self.tr_noop("Degree"),
            "model.degree",
            "degreeSpin",
            self.tr_noop(
                "The highest power of x in the polynomial: 3 gives the chapter's cubic "
                "a + b·x + c·x² + d·x³."
            ),
            1,
            MAX_DEGREE,
            relevant=self._is_polynomial,
        )
        self.combo(
            form,
            self.tr_noop("Basis"),
            "model.basis",
            "basisCombo",
            self.tr_noop(
                "Raw powers of x (the chapter's) or Legendre polynomials, which train "
                "with a far larger learning rate."
            ),
            [(self.tr_noop("powers of x"), "power"), (self.tr_noop("Legendre"), "legendre")],
            relevant=self._is_polynomial,
        )
        self.combo(
            form,
            self.tr_noop("Start from"),
            "model.init",
            "initCombo",
            self.tr_noop(
                "Where the parameters start. Random, from the seed: for the polynomial uniform "
                "in [0, 1) like the chapter; for a network torch's nn.Linear start (uniform "
                "within ±1/√inputs of each layer). Or all zero, or values you type."
            ),
            [
                (self.tr_noop("random (seeded)"), "random"),
                (self.tr_noop("zeros"), "zeros"),
                (self.tr_noop("my values"), "values"),
            ],
        )
        values_edit = QLineEdit(self.body)
        values_edit.setObjectName("initValuesEdit")
        values_edit.setPlaceholderText("0.1, 0.5, 0, -0.1")
        self.add_field(
            form,
            self.tr_noop("Start values"),
            "model.init_values",
            values_edit,
            self.tr_noop(
                "The starting coefficients a, b, c, ... separated by commas, one per term."
            ),
            lambda: self._read_values(values_edit.text()),
            lambda v: values_edit.setText(", ".join(format_number(x) for x in v)),
            relevant=lambda: self.fields["model.init"].read() == "values",
        )
        self.number(
            form,
            self.tr_noop("Seed"),
            "seed",
            "seedEdit",
            self.tr_noop(
                "The random seed: the same seed gives the same start, noise and "
                "split, so a run can be repeated."
            ),
            integer=True,
        )
        self.combo(
            form,
            self.tr_noop("Precision"),
            "model.dtype",
            "dtypeCombo",
            self.tr_noop(
                "Number precision: float64 (about 16 digits) or float32 (what neural "
                "networks usually use)."
            ),
            [("float64", "float64"), ("float32", "float32")],
        )

    def _build_method_group(self) -> None:
        form = self.group(self.tr_noop("3 · Method"))
        self.method_combo = self.combo(
            form,
            self.tr_noop("Method"),
            "training.method",
            "methodCombo",
            self.tr_noop(
                "How the gradients are computed and applied: the chapter's three listings, "
                "or listing 2 with a backward written by hand."
            ),
            [
                (self.tr_noop("NumPy, gradients by hand"), "numpy-manual"),
                (self.tr_noop("PyTorch autograd"), "torch-autograd"),
                (self.tr_noop("PyTorch nn + optimizer"), "torch-optim"),
                (self.tr_noop("PyTorch Function, own backward"), "torch-function"),
            ],
        )
        flip = QCheckBox(self.body)
        self.show_text(flip.setText, self.tr_noop("Break the backward: flip ∂loss/∂b"))
        flip.setObjectName("flipBackwardSignCheck")
        self.add_field(
            form,
            "",
            "training.flip_backward_sign",
            flip,
            self.tr_noop(
                "A deliberate bug for a lesson: the hand-written backward returns −∂loss/∂b "
                "instead of ∂loss/∂b. gradcheck and the four-way check catch it."
            ),
            flip.isChecked,
            flip.setChecked,
            relevant=lambda: self.fields["training.method"].read() == "torch-function",
        )
        self.method_lines = MethodLines(self)
        self.method_explanation = WrappedLabel(self.body)
        self.method_explanation.setObjectName("methodExplanation")
        self.method_explanation.setStyleSheet(f"color: {colour('muted')};")
        form.addRow(self.method_explanation)

    def _explain_method(self) -> None:
        method = self.fields["training.method"].read()
        self.method_explanation.setText(self.method_lines.text(method, self._is_network()))

    def _build_loss_group(self) -> None:
        form = self.group(self.tr_noop("4 · Loss"))
        self.combo(
            form,
            self.tr_noop("Loss"),
            "training.loss",
            "lossCombo",
            self.tr_noop(
                "How a wrong prediction is scored: squared error (the chapter's), "
                "absolute error (L1), or Huber (squared near 0, L1 far away)."
            ),
            [
                (self.tr_noop("squared error"), "squared"),
                (self.tr_noop("L1 (absolute)"), "l1"),
                (self.tr_noop("Huber"), "huber"),
            ],
        )
        self.combo(
            form,
            self.tr_noop("Reduction"),
            "training.reduction",
            "reductionCombo",
            self.tr_noop(
                "Add up the errors of all points (sum, the first listings) or average "
                "them (mean, nn.MSELoss's default)."
            ),
            [(self.tr_noop("sum"), "sum"), (self.tr_noop("mean"), "mean")],
        )
        self.number(
            form,
            self.tr_noop("Huber δ"),
            "training.huber_delta",
            "huberDeltaEdit",
            self.tr_noop("Where the Huber loss switches from squared to absolute error."),
            self.tr_noop("Huber delta"),
            relevant=lambda: self.fields["training.loss"].read() == "huber",
        )

    def _build_training_group(self) -> None:
        form = self.group(self.tr_noop("6 · Training"))
        self.number(
            form,
            self.tr_noop("Learning rate"),
            "training.lr",
            "lrEdit",
            self.tr_noop(
                "How far each step moves the coefficients against the gradient; "
                "scientific notation works (1e-6 is the chapter's)."
            ),
        )
        self.lr_suggestion = LrSuggestionBox(self.body)
        lr_layout = self.fields["training.lr"].box.layout()
        assert lr_layout is not None  # FieldBox lays out its field and message
        lr_layout.addWidget(self.lr_suggestion)
        self.lr_suggestion.use_lr.connect(self.use_suggested_lr)
        self.number(
            form,
            self.tr_noop("Steps"),
            "training.steps",
            "stepsEdit",
            self.tr_noop("How many training steps (epochs) to run; 2e5 means 200000."),
            integer=True,
        )
        spin = self.spin(
            form,
            self.tr_noop("Batch size"),
            "training.batch_size",
            "batchSizeSpin",
            self.tr_noop(
                "Points per step: full batch uses them all (the chapter's); "
                "fewer gives stochastic gradient descent."
            ),
            0,
            MAX_POINTS,
        )
        self.show_text(spin.setSpecialValueText, self.tr_noop("full batch"))

    # ---- reading ----

    def _read_target(self) -> str:
        text = self.target_combo.currentText().strip()
        self._target.detail = None
        if text and text not in NAMED_TARGETS:
            try:
                parse_expression(text)
            except ExpressionError as error:
                self._target.detail = error.caret()
                message = self.tr("target: {message}").format(message=error.message)
                raise ValueError(message) from error
        return text

    def _read_values(self, text: str) -> tuple[float, ...]:
        parts = text.replace(";", " ").replace(",", " ").split()
        return tuple(parse_float(part, self.tr("start value")) for part in parts)

    def update_visibility(self) -> None:
        method = self.fields["training.method"].read()
        self._explain_method()
        self.optimizer_group.setVisible(method == "torch-optim")
        super().update_visibility()
