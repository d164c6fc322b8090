"""Stability and the optimum: the largest stable learning rate next to the lr field and in the loss
plot, the condition number with one sentence on why raw powers of x need a tiny lr and Legendre
features do not, and the optional early stop near the optimum.

The numbers come from the core's analysis (2/λmax of the squared loss's Hessian, λmax/λmin); the
other basis's numbers, for the comparison sentence, are computed on a pool thread.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QWidget

from gradlab.core.config import Config
from gradlab.core.features import feature_matrix
from gradlab.core.history import HistoryBatch
from gradlab.model.advice import plain_gradient_descent
from gradlab.model.problem import Problem
from gradlab.ui.widgets import parse_float

GOOD_COLOUR = "#2e7d32"
BAD_COLOUR = "#c62828"
NEUTRAL_COLOUR = "#555555"
DEFAULT_TOLERANCE = 1e-6  # the chapter's run is within 1e-6 of the optimum after ~5,500 steps


def basis_numbers(config: Config, x: np.ndarray) -> dict[str, tuple[float, float]]:
    """For raw powers and Legendre features on the same points: (largest stable lr of plain
    gradient descent on the squared loss, condition number), as in gradlab.core.analysis."""
    d, m = config.data, config.model
    numbers = {}
    for basis in ("power", "legendre"):
        features = feature_matrix(x, m.degree, basis, d.x_min, d.x_max)
        hessian = 2.0 * features.T @ features
        if config.training.reduction == "mean":
            hessian /= features.shape[0]
        eigenvalues = np.linalg.eigvalsh(hessian)
        largest, smallest = float(eigenvalues[-1]), float(eigenvalues[0])
        condition = largest / smallest if smallest > 0 else math.inf
        numbers[basis] = (2.0 / largest, condition)
    return numbers


def stability_sentence(config: Config, numbers: dict[str, tuple[float, float]]) -> str:
    """One sentence: why raw powers of x need a tiny learning rate and Legendre features not."""
    power_lr, power_cond = numbers["power"]
    legendre_lr, legendre_cond = numbers["legendre"]
    return QCoreApplication.translate(
        "StabilityInfo",
        "Raw powers 1, x, x², … differ hugely in size on this range, so the loss is a long narrow "
        "valley (condition number {pc:.3g}): plain gradient descent must keep lr below "
        "{plr:.3g} for the steep side and then crawls along the flat one, whereas Legendre "
        "features are nearly orthogonal (condition number {lc:.3g}), so lr up to {llr:.3g} is "
        "stable and every direction converges at a similar pace.",
    ).format(pc=power_cond, plr=power_lr, lc=legendre_cond, llr=legendre_lr)


class _Signals(QObject):
    done = Signal(object, object)  # (key, result)


class _Job(QRunnable):
    def __init__(self, key: object, config: Config, x: np.ndarray, signals: _Signals) -> None:
        super().__init__()
        self.key, self.config, self.x, self.signals = key, config, x, signals

    def run(self) -> None:
        try:
            result: object = basis_numbers(self.config, self.x)
        except Exception as error:  # e.g. a singular design: the sentence is simply left out
            result = error
        try:
            self.signals.done.emit(self.key, result)
        except RuntimeError:  # the window is gone
            pass


class StabilityInfo(QObject):
    """The lr note (``lr_label``), the loss plot's text item and the explanation sentence."""

    def __init__(self, lr_box: QWidget | None, loss_plot: Any, note_label: QLabel) -> None:
        super().__init__(note_label)
        self.note_label = note_label
        self.lr_label = QLabel()
        self.lr_label.setObjectName("stableLrLabel")
        self.lr_label.setWordWrap(True)
        layout = lr_box.layout() if lr_box is not None else None
        if layout is not None:
            layout.addWidget(self.lr_label)  # under the learning-rate field
        self.loss_plot = loss_plot
        self.plot_text = pg.TextItem("", anchor=(1, 1))
        self.plot_text.setParentItem(loss_plot.plotItem.vb)
        loss_plot.plotItem.vb.sigResized.connect(self._place_text)
        self.limit: float | None = None
        self.condition: float | None = None
        self.exceeded = False
        self._numbers: dict[object, object] = {}
        self._pending: object = None
        self._config: Config | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._on_numbers)

    def update(self, config: Config, problem: Problem | None) -> None:
        """Show the limits of ``config`` (its lr against the analysis of ``problem``)."""
        self._config = config
        analysis = problem.analysis if problem is not None else None
        if analysis is None:
            self.limit = self.condition = None
            self.lr_label.setText("")
            self.plot_text.setText("")
            self.note_label.setText("")
            return
        self.limit, self.condition = analysis.max_stable_lr, analysis.condition_number
        lr = config.training.lr
        plain = plain_gradient_descent(config)
        self.exceeded = plain and lr > self.limit
        if plain:
            text = self.tr("stable below {limit:.3g} · condition number {cond:.3g}")
        else:
            text = self.tr(
                "plain gradient descent is stable below {limit:.3g} · condition number {cond:.3g}"
            )
        text = text.format(limit=self.limit, cond=self.condition)
        colour = (BAD_COLOUR if self.exceeded else GOOD_COLOUR) if plain else NEUTRAL_COLOUR
        self.lr_label.setText(text + (" ⚠" if self.exceeded else ""))
        self.lr_label.setStyleSheet(f"color: {colour}; font-size: 8pt;")
        self.lr_label.setToolTip(
            self.tr(
                "2 / λmax, the largest eigenvalue of the squared loss's Hessian: above it, plain "
                "gradient descent overshoots further with every step."
            )
        )
        status = self.tr("lr {lr:.3g}: above it!") if self.exceeded else self.tr("lr {lr:.3g}")
        lines = [
            self.tr("stable below {limit:.3g}").format(limit=self.limit)
            + " · "
            + status.format(lr=lr),
            self.tr("condition number {cond:.3g}").format(cond=self.condition),
        ]
        self.plot_text.setHtml(
            f"<div style='background: rgba(255,255,255,210); color: {colour}; font-size: 8pt;'"
            f" align='right'>{'<br>'.join(lines)}</div>"
        )
        self._place_text()
        self._request_sentence(config, problem)

    def sentence(self) -> str:
        return self.note_label.text()

    def shutdown(self) -> None:
        self._pool.waitForDone(2000)

    def _request_sentence(self, config: Config, problem: Any) -> None:
        # what the points and the Hessian depend on (the data settings fix the points)
        key = (config.data, config.seed, config.model.degree, config.training.reduction)
        if key in self._numbers:
            self._show_sentence(self._numbers[key])
            return
        if self._pending == key:
            return
        self._pending = key
        self._pool.start(_Job(key, config, problem.dataset.x, self._signals))

    def _on_numbers(self, key: object, result: object) -> None:
        self._numbers[key] = result
        if key == self._pending:
            self._pending = None
            self._show_sentence(result)

    def _show_sentence(self, result: object) -> None:
        if isinstance(result, dict) and self._config is not None:
            self.note_label.setText(stability_sentence(self._config, result))
        else:
            self.note_label.setText("")

    def _place_text(self, *_args: object) -> None:
        rect = self.loss_plot.plotItem.vb.boundingRect()
        self.plot_text.setPos(rect.right() - 4, rect.bottom() - 4)


class EarlyStop(QObject):
    """A check box and a tolerance: pause the run once its loss is that close to the optimum.

    The session itself stops at that step (``TrainingSession.pause_when``, sent by the
    controller); this finds the same row in the batches the worker sends, for the banner."""

    reached = Signal(int, float)  # (step, loss) of the first row within the tolerance

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.checkbox = QCheckBox(self.tr("Stop near optimum"), parent)
        self.checkbox.setObjectName("earlyStopCheck")
        self.checkbox.setToolTip(
            self.tr("Pause the run once its loss is within the tolerance of the best possible loss")
        )
        self.tolerance_edit = QLineEdit(f"{DEFAULT_TOLERANCE:g}", parent)
        self.tolerance_edit.setObjectName("earlyStopTolerance")
        self.tolerance_edit.setMaximumWidth(70)
        self.tolerance_edit.setToolTip(self.tr("How close to the optimum loss counts as there"))
        self.reached_at: int | None = None

    @property
    def enabled(self) -> bool:
        return self.checkbox.isChecked()

    def tolerance(self) -> float | None:
        try:
            value = parse_float(self.tolerance_edit.text(), self.tr("tolerance"))
        except ValueError:
            return None
        return value if value > 0 else None

    def reset(self) -> None:
        self.reached_at = None

    def check(self, batch: HistoryBatch, optimum_loss: float | None) -> int | None:
        """The first step of ``batch`` within the tolerance (emits ``reached``), else None."""
        if not self.enabled or self.reached_at is not None or optimum_loss is None:
            return None
        tolerance = self.tolerance()
        loss = np.asarray(batch.loss, dtype=np.float64)
        if tolerance is None or loss.size == 0:
            return None
        with np.errstate(invalid="ignore"):
            close = np.flatnonzero(loss - optimum_loss <= tolerance)
        if close.size == 0:
            return None
        row = int(close[0])
        self.reached_at = int(batch.steps[row])
        self.reached.emit(self.reached_at, float(loss[row]))
        return self.reached_at
