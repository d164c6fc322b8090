"""Stability and the optimum: the largest stable learning rate next to the lr field and in the loss
plot, the condition number with one sentence on why raw powers of x need a tiny lr and Legendre
features do not, and the optional early stop near the optimum.

The numbers come from the core's analysis (2/λmax of the squared loss's Hessian, λmax/λmin); the
other basis's numbers, for the comparison sentence, are computed on a pool thread.
"""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QObject, QRectF, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QWidget

from gradlab.core.config import Config
from gradlab.core.features import feature_matrix
from gradlab.core.history import HistoryBatch
from gradlab.core.run_labels import OPTIMIZER_NAMES
from gradlab.model.advice import StabilityKind, StabilityRule, stability_rule
from gradlab.model.problem import Problem
from gradlab.ui.palette import colour as role_colour
from gradlab.ui.widgets import parse_float
from gradlab.ui.zoom import SMALL, scaled_font, set_font_ratio, set_text_width

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


def _unbroken(line: str) -> str:
    """``line`` as HTML, with "2/λmax" kept on one line: Chinese text may break between any two
    characters, and a narrow loss plot showed "RMSprop：2/" above "λmax 不适用" (a word
    joiner after each "/" forbids that break)."""
    return html.escape(line).replace("/", "/\u2060")


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
        backing = QColor(role_colour("legend_background"))
        backing.setAlpha(210)
        self.plot_text = pg.TextItem("", anchor=(1, 1), fill=pg.mkBrush(backing))
        self._plot_html: tuple[str, ...] = ("",)  # the note, wide and narrow
        self.plot_text.setFont(scaled_font(SMALL))
        self.plot_text.setParentItem(loss_plot.plotItem.vb)
        # after the view has placed its items (the optimum's label moves with the range)
        self._place_timer = QTimer(self)
        self._place_timer.setSingleShot(True)
        self._place_timer.setInterval(0)
        self._place_timer.timeout.connect(self._place_text)
        loss_plot.plotItem.vb.sigResized.connect(self._place_timer.start)
        loss_plot.plotItem.vb.sigRangeChanged.connect(self._place_timer.start)
        # and when the legend grows or moves (a finished run's faded curve joins it) or the
        # optimum's line moves: neither needs the view's range to change
        loss_plot.legend.geometryChanged.connect(self._place_timer.start)
        loss_plot.optimum_line.sigPositionChanged.connect(self._place_timer.start)
        self.limit: float | None = None
        self.rule: StabilityRule | None = None
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
            self.limit = self.condition = self.rule = None
            self.exceeded = False
            self.lr_label.setText("")
            self._plot_html = ("",)  # or the next placing would draw the old note again
            self.plot_text.setText("")
            self.note_label.setText("")
            return
        self.condition = analysis.condition_number
        self.rule = rule = stability_rule(config, analysis)
        self.limit = rule.limit
        lr = config.training.lr
        self.exceeded = rule.limit is not None and lr > rule.limit
        lr_line, plot_line, tip = self._limit_texts(rule, lr)
        cond = self.tr("condition number {cond:.3g}").format(cond=self.condition)
        if rule.kind is StabilityKind.PLAIN or rule.kind is StabilityKind.MOMENTUM:
            colour = role_colour("bad" if self.exceeded else "good")
        else:
            colour = role_colour("muted")
        self.lr_label.setText(f"{lr_line} · {cond}" + (" ⚠" if self.exceeded else ""))
        self.lr_label.setStyleSheet(f"color: {colour};")
        set_font_ratio(self.lr_label, SMALL)
        self.lr_label.setToolTip(tip)
        self.plot_text.setColor(colour)  # the text's colour, which a theme switch carries
        lines = [*plot_line.split(" · "), cond]
        self._plot_html = tuple(  # two lines; one line per part when the plot is narrow
            f"<div align='right'>{'<br>'.join(_unbroken(line) for line in shown)}</div>"
            for shown in ([" · ".join(lines[:-1]), cond], lines)
        )
        self._place_text()
        self._request_sentence(config, problem)

    def _limit_texts(self, rule: StabilityRule, lr: float) -> tuple[str, str, str]:
        """(next to the lr field, on the loss plot, the tooltip) for the limit that applies."""
        status = self.tr("lr {lr:.3g}: above it!") if self.exceeded else self.tr("lr {lr:.3g}")
        status = status.format(lr=lr)
        plain = rule.plain_limit if rule.plain_limit is not None else math.nan
        curvature_tip = self.tr(
            "λmax is the largest eigenvalue of the squared loss's Hessian, the steepest "
            "curvature of the loss."
        )
        if rule.kind is StabilityKind.PLAIN and rule.limit is not None:
            text = self.tr("stable below {limit:.3g}").format(limit=rule.limit)
            tip = self.tr(
                "2 / λmax: above it, plain gradient descent overshoots further with every step."
            )
            return text, f"{text} · {status}", f"{tip} {curvature_tip}"
        if rule.kind is StabilityKind.MOMENTUM and rule.limit is not None:
            text = self.tr("with momentum {m:g}: stable below {limit:.3g}").format(
                m=rule.momentum, limit=rule.limit
            )
            if rule.nesterov:
                tip = self.tr(
                    "Nesterov momentum β is stable while lr × λmax < 2(1+β)/(1+2β), here "
                    "{limit:.3g}; plain gradient descent would need lr < 2/λmax = {plain:.3g}."
                )
            else:
                tip = self.tr(
                    "Momentum β (heavy ball) is stable while lr × λmax < 2(1+β), here "
                    "{limit:.3g}; plain gradient descent would need lr < 2/λmax = {plain:.3g}."
                )
            tip = tip.format(limit=rule.limit, plain=plain)
            return text, f"{text} · {status}", f"{tip} {curvature_tip}"
        if rule.kind is StabilityKind.ADAPTIVE:
            name = OPTIMIZER_NAMES.get(rule.optimizer, rule.optimizer)
            text = self.tr("{name}: no 2/λmax limit (steps scaled per coefficient)").format(
                name=name
            )
            tip = self.tr(
                "{name} divides each coefficient's step by a running size of that coefficient's "
                "own gradients, so the step's size is set by lr, not by the curvature: the limit "
                "2/λmax = {plain:.3g} of plain gradient descent does not apply. Too large an lr "
                "still makes the coefficients jump around."
            ).format(name=name, plain=plain)
            short = self.tr("{name}: 2/λmax does not apply").format(name=name)
            return text, f"{short} · {status}", tip
        text = self.tr("no fixed limit for this loss or mini-batches")
        tip = self.tr(
            "The limit 2/λmax = {plain:.3g} holds for full-batch gradient descent on the squared "
            "loss only."
        ).format(plain=plain)
        return text, f"{text} · {status}", f"{tip} {curvature_tip}"

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
        """Bottom right of the loss plot, below the optimum line where the training loss never
        goes; else the first place (right or left, at the bottom or above the optimum's label)
        that covers neither that label nor the legend; hidden when the plot has none (a small
        screen: the same words stand under the learning-rate field)."""
        view = self.loss_plot.plotItem.vb
        rect = view.boundingRect()
        item = self.plot_text
        item.setTextWidth(-1)  # the text's own width first, then wrapped to the plot if wider
        for text in self._plot_html:  # a break between two parts, never inside "learning rate"
            item.setHtml(text)
            natural = item.textItem.document().idealWidth()
            if natural <= rect.width() - 8:
                break
        if natural > rect.width() - 8:
            item.setTextWidth(max(rect.width() - 8, 40))  # wraps, never cut off
        width, height = item.boundingRect().width(), item.boundingRect().height()
        label = self._optimum_label_rect()
        legend = self.legend_rect()
        blocked = [r for r in (label, legend) if r is not None]
        bottoms = [rect.bottom() - 4] + ([label.top() - 2] if label is not None else [])
        for bottom in bottoms:
            for right in (rect.right() - 4, rect.left() + 4 + width):
                mine = QRectF(right - width, bottom - height, width, height)
                if rect.contains(mine) and not any(mine.intersects(r) for r in blocked):
                    item.setPos(right, bottom)
                    item.setVisible(bool(self._plot_html[0]))
                    return
        item.setPos(rect.right() - 4, rect.bottom() - 4)
        item.setVisible(False)

    def legend_rect(self) -> QRectF | None:
        """Where the loss plot's legend is drawn, in the view's item coordinates."""
        legend = self.loss_plot.legend
        if not legend.isVisible() or not legend.items:
            return None
        rect: QRectF = legend.mapRectToItem(self.loss_plot.plotItem.vb, legend.boundingRect())
        return rect

    def _optimum_label_rect(self) -> QRectF | None:
        """Where the loss plot's "optimum ..." label is drawn, in the view's item coordinates."""
        line = self.loss_plot.optimum_line
        if not line.isVisible() or not line.label.isVisible():
            return None
        label = line.label
        rect: QRectF = label.mapRectToItem(self.loss_plot.plotItem.vb, label.boundingRect())
        return rect


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
        set_text_width(self.tolerance_edit, "0.000001")
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
