"""The CNN lab's plots: loss and accuracy per batch, the per-epoch curves with validation, and
per-class accuracy bars (the pictures themselves are drawn by image_grid.ImageGrid).

Rows are only stored when a batch arrives; ``redraw()`` (the lab's ~33 ms timer) draws when
something new came in. Curves are created once and afterwards only get ``setData``.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QWidget

from gradlab.core.cnn.results import CnnBatch
from gradlab.ui.palette import colour as role_colour
from gradlab.ui.palette import text_on
from gradlab.ui.plots.base import LivePlot
from gradlab.ui.plots.title import fit_title
from gradlab.ui.zoom import line_width, marker_size, pt, track_plot

PADDING = 0.04  # as LivePlot.frame: the edge labels show
SMOOTH_BATCHES = 20  # moving average of the noisy per-batch accuracy


class Columns:
    """Rows of floats in arrays that grow by doubling (appending stays cheap)."""

    def __init__(self, width: int) -> None:
        self._data = np.zeros((64, width), dtype=np.float64)
        self.size = 0

    def append(self, rows: np.ndarray) -> None:
        rows = np.asarray(rows, dtype=np.float64).reshape(-1, self._data.shape[1])
        need = self.size + len(rows)
        if need > len(self._data):
            grown = np.zeros((max(need, 2 * len(self._data)), self._data.shape[1]))
            grown[: self.size] = self._data[: self.size]
            self._data = grown
        self._data[self.size : need] = rows
        self.size = need

    def column(self, i: int) -> np.ndarray:
        return self._data[: self.size, i]

    def clear(self) -> None:
        self.size = 0


def moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Mean of the last ``window`` values at each point (fewer at the start), NaNs skipped."""
    finite = np.isfinite(values)
    sums = np.cumsum(np.where(finite, values, 0.0))
    counts = np.cumsum(finite)
    sums[window:] = sums[window:] - sums[:-window]
    counts[window:] = counts[window:] - counts[:-window]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def _legend_symbol(curve: pg.PlotDataItem, colour: str) -> None:
    """The legend draws a symbol with the scatter's default brush, not the per-point one."""
    curve.scatter.setBrush(pg.mkBrush(colour))
    curve.scatter.setPen(pg.mkPen(None))


class TrainingPlots(QWidget):
    """Loss (log) and accuracy over training batches; each epoch's validation as markers."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.loss_plot = LivePlot(
            "cnnLossPlot",
            self.tr("Loss per batch"),
            self.tr("batch"),
            self.tr("loss (log)"),
            x_name=self.tr("batch"),
            y_name=self.tr("loss"),
            log_y=True,
            parent=self,
        )
        self.accuracy_plot = LivePlot(
            "cnnAccuracyPlot",
            self.tr("Accuracy per batch"),
            self.tr("batch"),
            self.tr("accuracy"),
            x_name=self.tr("batch"),
            y_name=self.tr("accuracy"),
            legend_offset=(-6, -6),
            parent=self,
        )
        layout.addWidget(self.loss_plot)
        layout.addWidget(self.accuracy_plot)
        lp, ap = self.loss_plot, self.accuracy_plot
        self.batch_loss = lp.add_curve(self.tr("training loss (batch)"), role_colour("batch"), 1.0)
        self.epoch_loss = lp.add_curve(
            self.tr("training loss (epoch mean)"),
            role_colour("train"),
            symbol="o",
            symbolSize=8,
            symbolBrush=role_colour("train"),
            symbolPen=None,
        )
        self.val_loss = lp.add_curve(
            self.tr("validation loss"),
            role_colour("validation"),
            symbol="s",
            symbolSize=9,
            symbolBrush=role_colour("validation"),
            symbolPen=None,
        )
        self.batch_accuracy = ap.add_curve(None, role_colour("batch"), 1.0)
        self.smooth_accuracy = ap.add_curve(
            self.tr("training accuracy (last {n} batches)").format(n=SMOOTH_BATCHES),
            role_colour("train"),
            2.0,
        )
        self.val_accuracy = ap.add_curve(
            self.tr("validation accuracy"),
            role_colour("validation"),
            symbol="s",
            symbolSize=9,
            symbolBrush=role_colour("validation"),
            symbolPen=None,
        )
        for curve, colour in (
            (self.epoch_loss, role_colour("train")),
            (self.val_loss, role_colour("validation")),
            (self.val_accuracy, role_colour("validation")),
        ):
            _legend_symbol(curve, colour)
        self.batches = Columns(3)  # step, loss, accuracy
        # step at the epoch's end, train loss, val loss, val accuracy, epoch, train accuracy
        self.epochs = Columns(6)
        self.total_steps = 0  # the run's length: the batch plots' x axes end there
        self.dirty = False

    def add_batch(self, batch: CnnBatch) -> None:
        self.total_steps = batch.total_steps
        steps = np.asarray(batch.steps)
        if steps.size:
            self.batches.append(np.column_stack([steps, batch.loss, batch.accuracy]))
            self.dirty = True
        if len(batch.epochs):
            ends = np.asarray(batch.epochs, dtype=np.float64) * batch.batches_per_epoch
            self.epochs.append(
                np.column_stack(
                    [
                        ends,
                        batch.epoch_train_loss,
                        batch.val_loss,
                        batch.val_accuracy,
                        batch.epochs,
                        batch.epoch_train_accuracy,
                    ]
                )
            )
            self.dirty = True

    def redraw(self) -> None:
        if not self.dirty:
            return
        self.dirty = False
        x, loss, accuracy = (self.batches.column(i) for i in range(3))
        ends = self.epochs.column(0)
        lp, ap = self.loss_plot, self.accuracy_plot
        drawn = [lp.set_curve(self.batch_loss, x, loss)]
        drawn.append(lp.set_curve(self.epoch_loss, ends, self.epochs.column(1)))
        drawn.append(lp.set_curve(self.val_loss, ends, self.epochs.column(2)))
        lp.frame([d[0] for d in drawn], [d[1] for d in drawn])
        ap.set_curve(self.batch_accuracy, x, accuracy)
        ap.set_curve(self.smooth_accuracy, x, moving_average(accuracy, SMOOTH_BATCHES))
        ap.set_curve(self.val_accuracy, ends, self.epochs.column(3))
        ap.frame([x, ends], [np.array([0.0, 1.0])])
        for plot in (lp, ap):
            _span_the_run(plot, self.total_steps)

    def clear(self) -> None:
        self.batches.clear()
        self.epochs.clear()
        self.total_steps = 0
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.following = True
        for curve in (
            self.batch_loss,
            self.epoch_loss,
            self.val_loss,
            self.batch_accuracy,
            self.smooth_accuracy,
            self.val_accuracy,
        ):
            curve.setData([], [])
        self.dirty = False


def _span_the_run(plot: LivePlot, total: int) -> None:
    """x from 0 to the run's last batch (``frame`` rounds up to 1, 2 or 5 × 10ⁿ: 250 batches
    would get an axis to 500), unless the student moved the view."""
    if not plot.following or total <= 0:
        return
    view = plot.plotItem.vb
    low, high = view.viewRange()[0]
    pad = PADDING * total
    if abs(low + pad) > 1e-9 * total or abs(high - total - pad) > 1e-9 * total:
        view.setXRange(0, total, padding=PADDING)


class EpochPlots(QWidget):
    """Training and validation, epoch by epoch: loss (log) and accuracy side by side."""

    def __init__(self, source: TrainingPlots, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source  # shares the epoch rows the batch plots collect
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.loss_plot = LivePlot(
            "cnnEpochLossPlot",
            self.tr("Loss per epoch"),
            self.tr("epoch"),
            self.tr("loss (log)"),
            x_name=self.tr("epoch"),
            y_name=self.tr("loss"),
            log_y=True,
            parent=self,
        )
        self.accuracy_plot = LivePlot(
            "cnnEpochAccuracyPlot",
            self.tr("Accuracy per epoch"),
            self.tr("epoch"),
            self.tr("accuracy"),
            x_name=self.tr("epoch"),
            y_name=self.tr("accuracy"),
            legend_offset=(-6, -6),
            parent=self,
        )
        layout.addWidget(self.loss_plot)
        layout.addWidget(self.accuracy_plot)
        self.curves = {}
        for plot, key in ((self.loss_plot, "loss"), (self.accuracy_plot, "accuracy")):
            for name, colour, symbol in (
                ("training", role_colour("train"), "o"),
                ("validation", role_colour("validation"), "s"),
            ):
                curve = plot.plotItem.plot(
                    [],
                    [],
                    pen=pg.mkPen(colour, width=line_width(2)),
                    symbol=symbol,
                    symbolSize=marker_size(8),
                    symbolBrush=colour,
                    symbolPen=None,
                    name=self.tr("training") if name == "training" else self.tr("validation"),
                )
                _legend_symbol(curve, colour)
                self.curves[(key, name)] = curve
        self._drawn = -1

    def redraw(self) -> None:
        rows = self.source.epochs
        if rows.size == self._drawn:
            return
        self._drawn = rows.size
        epoch = rows.column(4)
        series = {
            ("loss", "training"): rows.column(1),
            ("loss", "validation"): rows.column(2),
            ("accuracy", "validation"): rows.column(3),
            ("accuracy", "training"): rows.column(5),
        }
        drawn: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {"loss": [], "accuracy": []}
        for (key, name), values in series.items():
            plot = self.loss_plot if key == "loss" else self.accuracy_plot
            drawn[key].append(plot.set_curve(self.curves[(key, name)], epoch, values))
        self.loss_plot.frame([d[0] for d in drawn["loss"]], [d[1] for d in drawn["loss"]])
        self.accuracy_plot.frame([epoch], [np.array([0.0, 1.0])])

    def clear(self) -> None:
        for curve in self.curves.values():
            curve.setData([], [])
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.following = True
        self._drawn = -1


class ClassAccuracyPlot(pg.PlotWidget):
    """Per-class validation accuracy as horizontal bars, class names on the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, background=role_colour("plot_background"))
        self.setObjectName("cnnClassAccuracy")
        item = self.getPlotItem()
        fit_title(item)
        item.setTitle(self.tr("Accuracy per class"), size=pt(10), color=role_colour("plot_text"))
        track_plot(self)
        item.setLabel("bottom", self.tr("validation accuracy"), color=role_colour("plot_axis"))
        for side in ("left", "bottom"):
            item.getAxis(side).setTextPen(role_colour("plot_axis"))
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        item.getViewBox().invertY(True)
        item.setXRange(0, 1.0, padding=0.02)
        self.bars: pg.BarGraphItem | None = None
        self.labels: list[pg.TextItem] = []
        self.setMinimumSize(220, 200)
        self.values = np.zeros(0)
        self.names: tuple[str, ...] = ()

    def set_accuracy(self, names: tuple[str, ...], values: np.ndarray) -> None:
        item = self.getPlotItem()
        if self.bars is not None:
            item.removeItem(self.bars)
        for label in self.labels:
            item.removeItem(label)
        self.values = np.asarray(values, dtype=np.float64)
        self.names = tuple(names)
        shown = np.nan_to_num(self.values, nan=0.0)
        brushes = [pg.mkBrush(_accuracy_colour(v)) for v in self.values]
        self.bars = pg.BarGraphItem(
            x0=0, y=np.arange(len(shown)), height=0.7, width=shown, brushes=brushes, pen=None
        )
        item.addItem(self.bars)
        self.labels = []
        for i, value in enumerate(self.values):
            text = "–" if math.isnan(value) else f"{value:.0%}"
            inside = shown[i] > 0.75  # long bars carry their number, short ones beside them
            label = pg.TextItem(
                text,
                color=text_on(_accuracy_colour(value)) if inside else role_colour("plot_text"),
                anchor=(1 if inside else 0, 0.5),
            )
            label.setPos(float(shown[i]) + (-0.01 if inside else 0.01), i)
            item.addItem(label)
            self.labels.append(label)
        axis = item.getAxis("left")
        axis.setTicks([list(enumerate(names))])
        widest = max((QFontMetrics(axis.font()).horizontalAdvance(n) for n in names), default=0)
        axis.setWidth(widest + 12)  # pyqtgraph drops labels wider than its axis
        item.setYRange(-0.5, len(names) - 0.5, padding=0.02)
        item.setXRange(0, 1.0, padding=0.02)

    def set_colours(self) -> None:
        """After a theme switch: the bars again, their numbers black or white to suit."""
        if self.names:
            self.set_accuracy(self.names, self.values)


def _accuracy_colour(value: float) -> str:
    if math.isnan(value):
        return role_colour("border")
    # colour-blind safe: bluish green, orange, vermillion (each bar also carries its number)
    return role_colour("good" if value >= 0.8 else ("validation" if value >= 0.5 else "bad"))
