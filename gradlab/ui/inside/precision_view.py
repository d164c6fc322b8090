"""The compare dock's "float32 vs float64" page: one method run in single and in double
precision in lockstep, the growing difference of their losses and coefficients, and why.

The runs come from ``gradlab.core.precision.precision_run`` (trained by the compare dock's own
worker); this page draws their differences and words the explanation from the numbers drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gradlab.core.config import METHODS, Config
from gradlab.core.precision import (
    DEFAULT_PRECISION_METHOD,
    SummationOrders,
    digits,
    machine_epsilon,
    summation_orders,
)
from gradlab.ui.inside.jobs import BackgroundJobs
from gradlab.ui.palette import curve_colour
from gradlab.ui.plots.base import LIVE_WIDTH, LivePlot


@dataclass(frozen=True)
class PrecisionNumbers:
    """What the sentence quotes, all read from the arrays the plot draws."""

    method: str
    steps: np.ndarray
    loss: np.ndarray  # (2, k): float32's, float64's
    loss_difference: np.ndarray
    relative_loss_difference: np.ndarray
    coefficient_difference: np.ndarray
    final_float32: np.ndarray  # the float32 run's coefficients after its last step


def precision_numbers(
    method: str,
    runs: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
    coefficient_steps: np.ndarray,
    coefficient_difference: np.ndarray,
) -> PrecisionNumbers | None:
    """From the two runs' (steps, loss, coefficients) and the lockstep's coefficient
    differences (all with increasing steps), on the steps all three hold; None before any."""
    (s32, l32, c32), (s64, l64, _c64) = runs
    steps = np.intersect1d(np.intersect1d(s32, s64), coefficient_steps)  # rows of all three
    if not steps.size:
        return None
    i, j = np.searchsorted(s32, steps), np.searchsorted(s64, steps)
    k = np.searchsorted(coefficient_steps, steps)
    loss = np.vstack([l32[i], l64[j]])
    with np.errstate(all="ignore"):
        difference = np.abs(loss[0] - loss[1])
        relative = difference / np.abs(loss[1])
    return PrecisionNumbers(
        method=method,
        steps=steps,
        loss=loss,
        loss_difference=difference,
        relative_loss_difference=relative,
        coefficient_difference=coefficient_difference[k],
        final_float32=c32[-1],
    )


class PrecisionPage(QWidget):
    """The method choice, the difference plot; the dock's sentence says why."""

    method_changed = Signal()  # the student chose another method: run the comparison again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("precisionPage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("method"), self))
        self.method_combo = QComboBox(self)
        self.method_combo.setObjectName("precisionMethodCombo")
        names = {
            "torch-autograd": self.tr("PyTorch autograd (listing 2)"),
            "numpy-manual": self.tr("NumPy, gradients by hand (listing 1)"),
            "torch-optim": self.tr("PyTorch nn + optimizer (listing 3)"),
            "torch-function": self.tr("PyTorch Function, own backward"),
        }
        for method in sorted(METHODS, key=lambda m: m != DEFAULT_PRECISION_METHOD):
            self.method_combo.addItem(names.get(method, method), method)
        self.method_combo.setToolTip(
            self.tr(
                "The method run twice from the same start, once in float32 and once in "
                "float64; changing it runs the comparison again"
            )
        )
        self.method_combo.currentIndexChanged.connect(lambda _i: self.method_changed.emit())
        row.addWidget(self.method_combo, 1)
        layout.addLayout(row)
        self.plot = LivePlot(
            "precisionPlot",
            self.tr("float32 against float64, step by step"),
            self.tr("step"),
            self.tr("difference (log)"),
            x_name=self.tr("step"),
            y_name=self.tr("difference"),
            log_y=True,
        )
        self.loss_curve = self.plot.add_curve(
            self.tr("loss (relative)"), curve_colour(1), LIVE_WIDTH + 1
        )
        self.coefficient_curve = self.plot.add_curve(
            self.tr("coefficients (largest)"), curve_colour(0), LIVE_WIDTH + 1
        )
        layout.addWidget(self.plot, 1)
        self.numbers: PrecisionNumbers | None = None
        self.orders: SummationOrders | None = None
        self.jobs = BackgroundJobs(self)
        self._label: QLabel | None = None  # where the sentence is shown, once summarised

    @property
    def method(self) -> str:
        return str(self.method_combo.currentData())

    def clear(self) -> None:
        self.numbers, self.orders, self._label = None, None, None
        for curve in (self.loss_curve, self.coefficient_curve):
            curve.setData([], [])
        self.plot.follow_data()

    def draw(self, numbers: PrecisionNumbers | None) -> None:
        self.numbers = numbers
        if numbers is None:
            return
        x1, y1 = self.plot.set_curve(
            self.loss_curve, numbers.steps, numbers.relative_loss_difference
        )
        x2, y2 = self.plot.set_curve(
            self.coefficient_curve, numbers.steps, numbers.coefficient_difference
        )
        self.plot.frame([x1, x2], [y1, y2])

    def summarise(self, label: QLabel, base: Config | None) -> None:
        """The sentence into ``label`` now, and again once the float32 loss has been summed in
        two orders (off the GUI thread: the data may be large)."""
        self._label = label
        label.setText(self.sentence())
        numbers = self.numbers
        if numbers is None or base is None or not np.all(np.isfinite(numbers.final_float32)):
            return
        config = base.with_changes(**{"model.dtype": "float32"})
        coefficients = numbers.final_float32.copy()

        def done(result: object) -> None:
            if self.numbers is numbers and self._label is label:
                if isinstance(result, SummationOrders):
                    self.orders = result
                label.setText(self.sentence())

        self.jobs.submit(lambda: summation_orders(config, coefficients), done)

    def shutdown(self) -> None:
        self.jobs.shutdown()

    def changeEvent(self, event: QEvent) -> None:  # Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            QTimer.singleShot(0, self, self._retranslate)
        super().changeEvent(event)

    def _retranslate(self) -> None:
        if self._label is not None:
            self._label.setText(self.sentence())

    def sentence(self) -> str:
        """Why the two runs differ, every number read from the arrays drawn."""
        n = self.numbers
        if n is None or not n.steps.size:
            return self.tr("No steps were compared.")
        last = len(n.steps) - 1
        if not np.all(np.isfinite(n.loss[:, last])):
            return self.tr("The runs diverged; lower the learning rate to compare them.")
        text = self.tr(
            "float32 (single precision) keeps about {d32} significant digits (machine epsilon "
            "{e32:.3g}), float64 (double precision) about {d64} ({e64:.3g}); torch computes in "
            "float32 unless told otherwise, as the chapter's listing 2 does. Same method, same "
            "start: after step {first} the losses differ by {l1:.3g} (relative {r1:.2g}) and "
            "the coefficients by {c1:.2g}, because the data and the coefficients are rounded "
            "to float32 before anything is computed. After step {n} the losses differ by "
            "{ln:.3g} (relative {rn:.2g}) and the coefficients by {cn:.2g}."
        ).format(
            d32=digits("float32"),
            e32=machine_epsilon("float32"),
            d64=digits("float64"),
            e64=machine_epsilon("float64"),
            first=int(n.steps[0]),
            l1=float(n.loss_difference[0]),
            r1=float(n.relative_loss_difference[0]),
            c1=float(n.coefficient_difference[0]),
            n=int(n.steps[last]),
            ln=float(n.loss_difference[last]),
            rn=float(n.relative_loss_difference[last]),
            cn=float(n.coefficient_difference[last]),
        )
        first, now = float(n.coefficient_difference[0]), float(n.coefficient_difference[last])
        if first > 0 and now > first:
            text += " " + self.tr(
                "The coefficients' difference grew {ratio:.3g}-fold: each step starts from the "
                "previous step's rounded result, so the rounding errors are carried along and "
                "add up."
            ).format(ratio=now / first)
        else:
            text += " " + self.tr(
                "Here the difference did not grow: each step's rounding errors partly cancel "
                "the earlier ones, and both runs head for the same optimum."
            )
        orders = self.orders
        if orders is not None and math.isfinite(orders.exact):
            text += " " + self.tr(
                "The order of summation matters as well: at the float32 run's final "
                "coefficients, its {terms} float32 loss terms added one by one give {seq:.9g}, "
                "added pairwise (as NumPy and torch add) {pair:.9g}, a difference of "
                "{order:.2g}; added exactly, {exact:.9g}."
            ).format(
                terms=orders.terms,
                seq=orders.one_by_one,
                pair=orders.pairwise,
                order=orders.order_difference,
                exact=orders.exact,
            )
        return text
