"""Compare optimizers and the four-way check, each trained in lockstep by a second
TrainingController (its own worker thread) running the core's LockstepRun.

- Compare optimizers: SGD, SGD+momentum, RMSprop and Adam from the same data and start, each at
  a learning rate suited to it (gradlab.model.lr_defaults) or all at one chosen rate; their loss
  curves overlay here (distinct line styles as well as colours) and their paths on the loss
  landscape (``paths_changed``).
- Four-way check: the chapter's three methods (NumPy by hand, autograd, nn + optim with plain
  SGD) and the custom Function with a hand-written backward, step by step, with the largest
  coefficient and gradient difference per step.
- gradcheck on the experiment's custom Function (``gradcheck_panel``).
- float32 vs float64: one method in both precisions step by step (``precision_view``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gradlab.core.compare import (
    COMPARE_CHOICES,
    DEFAULT_COMPARISON,
    LockstepBatch,
    compare_optimizers,
    three_way_run,
)
from gradlab.core.config import Config, ConfigError
from gradlab.core.precision import precision_run
from gradlab.model.lr_defaults import LrSuggestion, compare_learning_rates
from gradlab.model.problem import build_problem
from gradlab.ui.controller import TrainingController
from gradlab.ui.error_text import error_text
from gradlab.ui.inside.compare_series import RunSeries, most_different
from gradlab.ui.inside.gradcheck_panel import GradcheckPanel
from gradlab.ui.inside.precision_view import PrecisionPage, precision_numbers
from gradlab.ui.inside.run_words import method_display_name
from gradlab.ui.lr_suggestion import short_reason
from gradlab.ui.palette import colour, curve_colour
from gradlab.ui.plots.base import LIVE_WIDTH, LivePlot
from gradlab.ui.widgets import format_number
from gradlab.ui.worker_text import describe_failure
from gradlab.ui.zoom import keep_items_whole, line_width

DEFAULT_STEPS = 2000  # the chapter's torch listings run 2000 epochs
SUITED = "suited"  # each optimizer at the rate its rule gives here (gradlab.model.lr_defaults)
LEARNING_RATES = (SUITED, None, 1e-4, 1e-3, 5e-3, 1e-2, 1e-1)  # None: the experiment's own
REDRAW_MS = 100
DIFF_ROLES = ("train", "prediction")
# the compared runs (curve colours by index): no vermillion, which the live run's path uses
RUN_CURVES = (2, 0, 3, 4, 5, 6)
# curves that lie on top of each other stay apart: a wide solid line under narrower patterns
RUN_STYLES = (
    (Qt.PenStyle.SolidLine, 2.0),
    (Qt.PenStyle.DashLine, 2.0),
    (Qt.PenStyle.SolidLine, 4.0),
    (Qt.PenStyle.DotLine, 2.5),
    (Qt.PenStyle.DashDotLine, 2.0),
    (Qt.PenStyle.DashDotDotLine, 2.0),
)


class CompareView(QWidget):
    """The compare dock: its controls, the loss overlay and the three-way difference plot."""

    paths_changed = Signal(
        object
    )  # [(label, colour, coefficients (k, p))]: the landscape overlays them
    finished = Signal(str)  # "compare" or "three-way", once a lockstep run has ended

    def __init__(self, parent: QWidget | None = None, *, in_parts: bool = False) -> None:
        super().__init__(parent)  # in_parts: built by running ``build()``, a plot per part
        for _part in () if in_parts else self.build():
            pass

    def build(self) -> Iterator[None]:
        """The controls and loss plot, the difference plot, the precision page (yields)."""
        self.setObjectName("compareView")
        self.controller = TrainingController(self)
        self.controller.batch_ready.connect(self._on_batch)
        self.controller.state_changed.connect(self._on_state)
        self.controller.failed.connect(lambda f: self._on_failed(describe_failure(f)))
        self.controller.session_ready.connect(lambda _session: self.controller.resume())
        self.mode: str | None = None  # "compare" | "three-way" | "precision" while one is shown
        self.labels: tuple[str, ...] = ()
        self.series: list[RunSeries] = []
        self.diff_steps: list[np.ndarray] = []
        self.coefficient_difference: list[np.ndarray] = []
        self.gradient_difference: list[np.ndarray] = []
        self._dirty = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        self.compare_button = QToolButton(self)
        self.compare_button.setObjectName("compareButton")
        self.three_way_button = QToolButton(self)
        self.three_way_button.setObjectName("threeWayButton")
        self.precision_action = QAction(self.tr("float32 vs float64"), self)
        self.precision_action.setObjectName("precisionAction")
        self.precision_action.setToolTip(
            self.tr("Run one method in float32 and in float64 side by side: why do they differ?")
        )
        self.precision_button = QToolButton(self)
        self.precision_button.setObjectName("precisionButton")
        self.precision_button.setDefaultAction(self.precision_action)
        self.precision_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for button in (self.compare_button, self.three_way_button):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            row.addWidget(button)
        self.gradcheck = GradcheckPanel(self)
        self.gradcheck_button = self.gradcheck.button
        self.gradcheck_label = self.gradcheck.label
        self.gradcheck_done = self.gradcheck.done
        row.addWidget(self.gradcheck_button)
        row.addStretch(1)
        layout.addLayout(row)
        row = QHBoxLayout()  # a second row keeps the dock narrow enough to share the screen
        row.addWidget(QLabel(self.tr("steps"), self))
        self.steps_spin = QSpinBox(self)
        self.steps_spin.setObjectName("compareStepsSpin")
        self.steps_spin.setRange(1, 1_000_000)
        self.steps_spin.setValue(DEFAULT_STEPS)
        row.addWidget(self.steps_spin)
        row.addWidget(QLabel(self.tr("lr"), self))
        self.lr_combo = QComboBox(self)
        self.lr_combo.setObjectName("compareLrCombo")
        self.lr_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for lr in LEARNING_RATES:
            if lr == SUITED:
                text = self.tr("suited to each")
            else:
                text = self.tr("the experiment's") if lr is None else f"{lr:g}"
            self.lr_combo.addItem(text, lr)
        self.lr_combo.setToolTip(
            self.tr(
                "Suited to each: every optimizer at the rate its rule gives on this problem. "
                "Any other choice: the same learning rate for all, which shows how differently "
                "each rule turns one rate into steps."
            )
        )
        keep_items_whole(self.lr_combo)
        row.addWidget(self.lr_combo)
        row.addWidget(self.precision_button)  # here: four buttons in one row widen the dock
        row.addStretch(1)
        layout.addLayout(row)

        self.stack = QStackedWidget(self)
        self.loss_plot = LivePlot(
            "compareLossPlot",
            self.tr("Optimizers from the same start"),
            self.tr("step"),
            self.tr("loss (log)"),
            x_name=self.tr("step"),
            y_name=self.tr("loss"),
            log_y=True,
        )
        self.loss_curves = [self.loss_plot.add_curve(None, curve_colour(i), 2) for i in RUN_CURVES]
        for curve, tint, (style, width) in zip(
            self.loss_curves, [curve_colour(i) for i in RUN_CURVES], RUN_STYLES, strict=True
        ):
            curve.setPen(pg.mkPen(tint, width=line_width(width), style=style))
        self.rates: dict[str, LrSuggestion] | None = None  # the suited rates of the last compare
        yield
        self.diff_plot = LivePlot(
            "threeWayPlot",
            self.tr("Four ways, step by step: largest difference"),
            self.tr("step"),
            self.tr("difference (log)"),
            x_name=self.tr("step"),
            y_name=self.tr("difference"),
            log_y=True,
        )
        self.diff_curves = [
            self.diff_plot.add_curve(self.tr("coefficients"), colour(DIFF_ROLES[0]), LIVE_WIDTH),
            self.diff_plot.add_curve(self.tr("gradients"), colour(DIFF_ROLES[1]), LIVE_WIDTH),
        ]
        self.stack.addWidget(self.loss_plot)
        self.stack.addWidget(self.diff_plot)
        yield
        self.precision = PrecisionPage(self)
        self.stack.addWidget(self.precision)
        self._precision_base: Config | None = None
        layout.addWidget(self.stack, 1)
        self.sentence = QLabel(self)
        self.sentence.setObjectName("compareSentence")
        self.sentence.setWordWrap(True)
        layout.addWidget(self.sentence)
        layout.addWidget(self.gradcheck_label)
        self.sentence.setText(
            self.tr(
                "Compare optimizers trains SGD, SGD+momentum, RMSprop and Adam from the same "
                "start, each at a learning rate suited to it (or one rate for all: see lr). "
                "Four-way check runs the chapter's three methods and a Function with a "
                "hand-written backward side by side."
            )
        )
        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self._redraw)
        self.timer.start()

    # ---- starting ----

    def set_actions(self, compare_action: Any, three_way_action: Any) -> None:
        self.compare_button.setDefaultAction(compare_action)
        self.three_way_button.setDefaultAction(three_way_action)

    def base_config(self, config: Config) -> Config:
        """The experiment's config with this dock's step count and learning rate."""
        changes: dict[str, object] = {"training.steps": self.steps_spin.value()}
        lr = self.lr_combo.currentData()
        if lr is not None and lr != SUITED:
            changes["training.lr"] = float(lr)
        return config.with_changes(**changes)

    def start_compare(self, config: Config) -> None:
        """Train the four optimizers from ``config``'s data, start and loss in lockstep."""
        base = self.base_config(config)
        self.rates = None
        if self.lr_combo.currentData() == SUITED:
            try:
                analysis = build_problem(base).analysis
            except ConfigError as error:
                self.sentence.setText(error_text(error))
                return
            self.rates = compare_learning_rates(base, DEFAULT_COMPARISON, analysis)
        lrs = None if self.rates is None else {name: s.lr for name, s in self.rates.items()}
        self._begin("compare")
        self.sentence.setText(self.tr("Training four optimizers in lockstep…"))
        self.controller.start(lambda: compare_optimizers(base, DEFAULT_COMPARISON, lrs))

    def start_three_way(self, config: Config) -> None:
        """Run the four methods with plain gradient descent, step by step."""
        base = self.base_config(config)
        self._begin("three-way")
        self.sentence.setText(self.tr("Running the four methods side by side…"))
        self.controller.start(lambda: three_way_run(base))

    def start_precision(self, config: Config) -> None:
        """Run the page's method in float32 and float64 from ``config``, step by step."""
        base = self.base_config(config)
        method = self.precision.method
        self._precision_base = base.with_changes(**{"training.method": method})
        self._begin("precision")
        self.sentence.setText(self.tr("Running float32 and float64 side by side…"))
        self.controller.start(lambda: precision_run(base, method))

    def stop(self) -> None:
        self.controller.shutdown()

    def shutdown(self) -> None:
        """Stop the lockstep worker and its thread (window closing)."""
        self.timer.stop()
        self.controller.shutdown()
        self.precision.shutdown()

    def drawn_curves(self) -> int:
        """How many loss curves hold data (tests)."""
        return sum(1 for c in self.loss_curves if c.xData is not None and len(c.xData))

    # ---- results ----

    def _begin(self, mode: str) -> None:
        self.mode = mode
        self.labels = ()
        self.series = []
        self.diff_steps, self.coefficient_difference, self.gradient_difference = [], [], []
        for curve in self.loss_curves + self.diff_curves:
            curve.setData([], [])
        for curve in self.loss_curves:
            self.loss_plot.show_in_legend(curve, "", False)
        self.loss_plot.follow_data()
        self.diff_plot.follow_data()
        self.precision.clear()
        pages = {"compare": self.loss_plot, "three-way": self.diff_plot}
        self.stack.setCurrentWidget(pages.get(mode, self.precision))
        self.paths_changed.emit([])

    def _on_batch(self, batch: object) -> None:
        if not isinstance(batch, LockstepBatch):
            return
        if not self.series:
            self.labels = batch.labels
            self.series = [RunSeries() for _ in batch.labels]
        for series, run in zip(self.series, batch.runs, strict=True):
            series.add(run)
        if len(batch.diff_steps):
            self.diff_steps.append(batch.diff_steps)
            self.coefficient_difference.append(batch.coefficient_difference)
            self.gradient_difference.append(batch.gradient_difference)
        self._dirty = True

    def _on_state(self, state: str) -> None:
        if state in ("finished", "diverged") and self.mode is not None:
            self._redraw()
            self._summarise()
            self.finished.emit(self.mode)
            QTimer.singleShot(0, self.controller.shutdown)  # all rows are in: free the thread

    def _on_failed(self, message: str) -> None:
        self.sentence.setText(message)

    def _redraw(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        if self.mode == "compare":
            xs: list[np.ndarray] = []
            ys: list[np.ndarray] = []
            paths: list[tuple[str, str, np.ndarray]] = []
            for curve, label, series in zip(
                self.loss_curves, self.labels, self.series, strict=False
            ):
                steps, loss, coefficients = series.arrays()
                x, y = self.loss_plot.set_curve(curve, steps, loss)
                self.loss_plot.show_in_legend(curve, label, True)
                xs.append(x)
                ys.append(y)
                paths.append((label, curve_colour(RUN_CURVES[len(paths)]), coefficients))
            self.loss_plot.frame(xs, ys)
            self.paths_changed.emit(paths)
        elif self.mode == "precision" and self.series and self.diff_steps:
            runs = [series.arrays() for series in self.series]
            self.precision.draw(
                precision_numbers(
                    self.precision.method,
                    runs,
                    np.concatenate(self.diff_steps),
                    np.concatenate(self.coefficient_difference),
                )
            )
        elif self.mode == "three-way" and self.diff_steps:
            steps = np.concatenate(self.diff_steps)
            coefficient = np.concatenate(self.coefficient_difference)
            gradient = np.concatenate(self.gradient_difference)
            x1, y1 = self.diff_plot.set_curve(self.diff_curves[0], steps, coefficient)
            x2, y2 = self.diff_plot.set_curve(self.diff_curves[1], steps, gradient)
            self.diff_plot.frame([x1, x2], [y1, y2])

    def _summarise(self) -> None:
        if self.mode == "precision":
            self.precision.summarise(self.sentence, self._precision_base)
        elif self.mode == "three-way":
            self.sentence.setText(self.three_way_sentence())
        elif self.mode == "compare":
            finals = []
            for label, series in zip(self.labels, self.series, strict=False):
                _steps, loss, _c = series.arrays()
                finite = loss[np.isfinite(loss)]
                finals.append(f"{label} {finite[-1]:.4g}" if finite.size else f"{label} –")
            self.sentence.setText(self.compare_sentence(", ".join(finals)))

    def compare_sentence(self, finals: str) -> str:
        """Which learning rates the optimizers ran at and why, and their final losses."""
        if self.rates is not None:
            rates = "; ".join(
                f"{COMPARE_CHOICES[name][0]} {format_number(s.lr)} ({short_reason(s)})"
                for name, s in self.rates.items()
            )
            return self.tr(
                "Same data, same start, each optimizer at a learning rate suited to it: "
                "{rates}. Final losses: {finals}. Their paths are drawn on the loss landscape."
            ).format(rates=rates, finals=finals)
        return self.tr(
            "Same data, same start, the same learning rate for all; final losses: {finals}. "
            "One rate for all shows how differently each rule turns it into steps: a rate that "
            "suits one optimizer can be far too small or too large for another. Their paths "
            "are drawn on the loss landscape."
        ).format(finals=finals)

    def most_different_method(self) -> str | None:
        """The checked method whose coefficients part furthest from NumPy by hand's (its name as
        the panel shows it), when that is more than rounding; None when all agree."""
        worst = most_different(self.labels, self.series)
        if worst is None:
            return None
        shown = Config().with_changes(**{"training.method": worst, "optimizer.name": "sgd"})
        return method_display_name(shown)

    def three_way_sentence(self) -> str:
        """ "autograd computes what we derived by hand: …" with the largest differences."""
        if not self.diff_steps:
            return self.tr("No steps were compared.")
        coefficient = float(np.max(np.concatenate(self.coefficient_difference)))
        gradient = float(np.max(np.concatenate(self.gradient_difference)))
        steps = int(np.concatenate(self.diff_steps)[-1])
        if not (math.isfinite(coefficient) and math.isfinite(gradient)):
            return self.tr("The methods diverged; lower the learning rate to compare them.")
        worst = self.most_different_method()
        if worst is not None:
            return self.tr(
                "The methods disagree: their gradients differ by up to {gradient:.3g}, far "
                "more than rounding. {method} is the one that differs from NumPy by hand: its "
                "backward is wrong. gradcheck shows which coefficient."
            ).format(gradient=gradient, method=worst)
        return self.tr(
            "Autograd computes what we derived by hand: over {steps} steps the four methods' "
            "coefficients differ by at most {coefficient:.2g} and their gradients by at most "
            "{gradient:.2g} (rounding in the last digits of float64)."
        ).format(steps=steps, coefficient=coefficient, gradient=gradient)
