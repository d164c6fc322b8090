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
from gradlab.ui.accessibility import prepare_tree
from gradlab.ui.controller import TrainingController
from gradlab.ui.error_text import error_text
from gradlab.ui.flow_layout import FlowLayout
from gradlab.ui.inside.compare_pages import RUN_CURVES, CompareLossPage, DifferencePage
from gradlab.ui.inside.compare_series import RunSeries, most_different
from gradlab.ui.inside.gradcheck_panel import GradcheckPanel
from gradlab.ui.inside.precision_view import PrecisionPage, precision_numbers
from gradlab.ui.inside.run_words import method_display_name
from gradlab.ui.lr_suggestion import short_reason
from gradlab.ui.palette import curve_colour
from gradlab.ui.widgets import format_number
from gradlab.ui.worker_text import describe_failure
from gradlab.ui.zoom import keep_items_whole

DEFAULT_STEPS = 2000  # the chapter's torch listings run 2000 epochs
SUITED = "suited"  # each optimizer at the rate its rule gives here (gradlab.model.lr_defaults)
LEARNING_RATES = (SUITED, None, 1e-4, 1e-3, 5e-3, 1e-2, 1e-1)  # None: the experiment's own
REDRAW_MS = 100


class CompareView(QWidget):
    """The compare dock: its controls, the loss overlay and the three-way difference plot."""

    paths_changed = Signal(
        object
    )  # [(label, colour, coefficients (k, p))]: the landscape overlays them
    finished = Signal(str)  # "compare" or "three-way", once a lockstep run has ended
    precision_method_changed = Signal()  # another method on the precision page: run it again

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
        # the buttons and fields wrap onto more rows in a narrow dock: in one row, they made
        # the dock's content wider than the dock, and cut off the plot under them
        row = FlowLayout()
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
        self.steps_spin = QSpinBox(self)
        self.steps_spin.setObjectName("compareStepsSpin")
        self.steps_spin.setRange(1, 1_000_000)
        self.steps_spin.setValue(DEFAULT_STEPS)
        row.addWidget(_labelled(QLabel(self.tr("steps"), self), self.steps_spin, self))
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
        row.addWidget(_labelled(QLabel(self.tr("lr"), self), self.lr_combo, self))
        row.addWidget(self.precision_button)
        layout.addLayout(row)

        # the pages (a pyqtgraph plot each, ~25 ms apiece) are made when the dock first comes to
        # the front (``dock_visible``) or a page is used: behind the phases' tab, most windows
        # never show it
        self.stack = QStackedWidget(self)
        self._loss_page: CompareLossPage | None = None
        self._diff_page: DifferencePage | None = None
        self._precision_page: PrecisionPage | None = None
        self.rates: dict[str, LrSuggestion] | None = None  # the suited rates of the last compare
        self._precision_base: Config | None = None
        yield
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

    # ---- the pages, made on first use ----

    @property
    def loss_plot(self) -> CompareLossPage:
        return self._loss()

    @property
    def loss_curves(self) -> list[pg.PlotDataItem]:
        return self._loss().curves

    @property
    def diff_plot(self) -> DifferencePage:
        return self._diff()

    @property
    def diff_curves(self) -> list[pg.PlotDataItem]:
        return self._diff().curves

    @property
    def precision(self) -> PrecisionPage:
        if self._precision_page is None:
            page = self._precision_page = PrecisionPage(self)
            page.method_changed.connect(self.precision_method_changed)
            self._add_page(page)
        return self._precision_page

    def _loss(self) -> CompareLossPage:
        if self._loss_page is None:
            self._loss_page = CompareLossPage()
            self._add_page(self._loss_page, first=True)
        return self._loss_page

    def _diff(self) -> DifferencePage:
        if self._diff_page is None:
            self._diff_page = DifferencePage()
            self._add_page(self._diff_page)
        return self._diff_page

    def _add_page(self, page: QWidget, *, first: bool = False) -> None:
        """A page made late joins the stack (the loss page in front while none is chosen)
        with the accessible names the window's own widgets were given when it was built."""
        self.stack.addWidget(page)
        if first and self.mode is None:
            self.stack.setCurrentWidget(page)
        prepare_tree(page)

    def dock_visible(self, visible: bool) -> None:
        """Its dock came to the front: the loss page, in front before any comparison. (Qt keeps
        a dock behind another's tab "visible", so a show event would make it in every window.)"""
        if visible:
            self._loss()

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
        if self._precision_page is not None:
            self._precision_page.shutdown()

    def drawn_curves(self) -> int:
        """How many loss curves hold data (tests)."""
        if self._loss_page is None:
            return 0
        return sum(1 for c in self._loss_page.curves if c.xData is not None and len(c.xData))

    # ---- results ----

    def _begin(self, mode: str) -> None:
        self.mode = mode
        self.labels = ()
        self.series = []
        self.diff_steps, self.coefficient_difference, self.gradient_difference = [], [], []
        loss, diff = self._loss_page, self._diff_page
        if loss is not None:
            for curve in loss.curves:
                curve.setData([], [])
                loss.show_in_legend(curve, "", False)  # its legend names the runs once they come
            loss.follow_data()
        if diff is not None:
            for curve in diff.curves:
                curve.setData([], [])
            diff.follow_data()
        if self._precision_page is not None:
            self._precision_page.clear()
        pages = {"compare": self._loss, "three-way": self._diff}
        self.stack.setCurrentWidget(pages[mode]() if mode in pages else self.precision)
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


def _labelled(label: QLabel, field: QWidget, parent: QWidget) -> QWidget:
    """A label and its field, kept together on one row of the flow."""
    pair = QWidget(parent)
    row = QHBoxLayout(pair)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(label)
    row.addWidget(field)
    return pair
