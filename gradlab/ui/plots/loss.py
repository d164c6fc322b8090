"""The loss over steps on a log axis, train and validation, with the optimum as a dashed line."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QWidget

from gradlab.model.plot_buffer import LOSS, VAL_LOSS, PlotBuffer
from gradlab.ui.palette import colour
from gradlab.ui.plots.base import (
    LIVE_WIDTH,
    LivePlot,
    pen,
)
from gradlab.ui.zoom import zoom_manager

OPTIMUM_LABEL_AT = 0.02  # the optimum's label starts this far along its line (of the width)
LABEL_MARGIN = 12  # pixels: the label's own padding and a little room at the plot's edge
LABEL_ABOVE, LABEL_BELOW = (0, 1), (0, 0)  # the label's anchor: its bottom or top at the line


class LossPlot(LivePlot):
    """How far from the data the fit is, step by step (log scale: each grid line is ×10)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "lossPlot",
            self.tr("Loss"),
            self.tr("step"),
            self.tr("loss (log)"),
            x_name=self.tr("step"),
            y_name=self.tr("loss"),
            log_y=True,
            parent=parent,
        )
        self.train = self.add_live_curve(self.tr("training loss"), colour("train"), LIVE_WIDTH)
        self.validation = self.add_live_curve(
            self.tr("validation loss"), colour("validation"), LIVE_WIDTH
        )
        # legend entry for the dashed line; the line itself cannot sit in a legend
        self.optimum_key = self.add_curve(self.tr("optimum"), colour("optimum"), 1.5, dashed=True)
        self.optimum_line = pg.InfiniteLine(
            angle=0,
            movable=False,
            pen=pen(colour("optimum"), 1.5, dashed=True),
            label="",
            labelOpts={
                "position": OPTIMUM_LABEL_AT,
                "color": colour("optimum"),
                "anchors": [LABEL_ABOVE, LABEL_ABOVE],
            },
        )
        self.plotItem.addItem(self.optimum_line)
        # one line or two (see there) for the plot's width and the label's zoomed font
        self.plotItem.vb.sigResized.connect(self._name_optimum)
        zoom_manager().changed.connect(self._name_optimum)  # a bound slot: gone with the plot
        # above its line or below it (see there) as the line moves and the legend changes
        self.plotItem.vb.sigRangeChanged.connect(self._place_optimum_label)
        self.legend.geometryChanged.connect(self._place_optimum_label)
        self.optimum_line.hide()
        self.optimum = 1.0
        # with reduction "sum" the two sets differ in size: the validation curve is drawn per
        # point (its sum / its points) and both names say what they are
        self.val_scale = 1.0
        self._sizes: tuple[str, int, int] | None = None  # (reduction, training, validation)
        self.cache_static(self.optimum_line)

    def set_optimum(self, value: float | None) -> None:
        """The smallest loss possible for this data and model (hidden if not drawable in log)."""
        drawn = value is not None and math.isfinite(value) and value > 0
        self.show_in_legend(self.optimum_key, self.tr("optimum"), drawn)  # none for a network
        if value is None or not drawn:
            self.optimum_line.hide()
            return
        self.optimum_line.show()  # first: a hidden line's label ignores new text
        self.optimum_line.setPos(math.log10(value))  # the view's y is log10(loss)
        self.optimum = value
        self._name_optimum()
        if self.train.xData is None or not len(self.train.xData):
            self.frame([[0, 1]], [[value / 3, value * 3]])  # before a run: around the optimum

    def set_reduction(self, reduction: str, n_train: int, n_val: int) -> None:
        """How the losses are summed up: under "sum" the validation curve is shown per point."""
        self._sizes = (reduction, n_train, n_val)
        self.val_scale = 1.0 / n_val if reduction == "sum" and n_val > 0 else 1.0
        self.rename(self.train, self.train_name())
        self.rename(self.validation, self.validation_name())

    def train_name(self) -> str:
        if self._sizes is not None and self._sizes[0] == "sum" and self._sizes[2] > 0:
            return str(self.tr("training loss (sum over {n} points)")).format(
                n=f"{self._sizes[1]:,}"
            )
        return str(self.tr("training loss"))

    def validation_name(self) -> str:
        if self._sizes is not None and self._sizes[0] == "sum":
            return str(self.tr("validation loss (per point)"))
        return str(self.tr("validation loss"))

    def retranslate_ui(self) -> None:
        """Label the optimum line again in the current language (a language switch)."""
        if self.optimum_line.isVisible():  # a hidden one is labelled when set_optimum shows it
            self._name_optimum()
        self.rename(self.train, self.train_name())
        self.rename(self.validation, self.validation_name())

    def _name_optimum(self, *_args: object) -> None:
        """ "optimum 0.00440" at the line's left end; on two lines where the plot is too narrow
        for one (two docks beside the plots on a 1024 px screen), so it is never cut off at the
        plot's edge."""
        value = f"{self.optimum:.6g}"
        text = self.tr("optimum {value}").format(value=value)
        label = self.optimum_line.label
        room = self.plotItem.vb.width() * (1 - OPTIMUM_LABEL_AT) - LABEL_MARGIN
        if QFontMetricsF(label.textItem.font()).horizontalAdvance(text) > room:
            text = f"{self.tr('optimum')}\n{value}"
        if text != label.format:
            label.setFormat(text)
        self._place_optimum_label()

    def _place_optimum_label(self, *_args: object) -> None:
        """Above its line; below it where the legend covers that place (a narrow plot, whose
        legend spans most of its width)."""
        label = self.optimum_line.label
        if not self.optimum_line.isVisible():
            return
        for anchor in (LABEL_ABOVE, LABEL_BELOW, LABEL_ABOVE):  # neither free: above
            label.anchors = [anchor, anchor]
            label.updatePosition()
            if not self._under_legend(label):
                return

    def _under_legend(self, label: pg.TextItem) -> bool:
        legend, view = self.legend, self.plotItem.vb
        if not legend.isVisible() or not legend.items:
            return False
        mine = label.mapRectToItem(view, label.boundingRect())
        return bool(mine.intersects(legend.mapRectToItem(view, legend.boundingRect())))

    def draw(self, buffer: PlotBuffer) -> None:
        x, y = self.set_curve(self.train, *buffer.series(LOSS, positive=True))
        val_steps, val_loss = buffer.series(VAL_LOSS, positive=True)
        val_x, val_y = self.set_curve(self.validation, val_steps, val_loss * self.val_scale)
        optimum = [self.optimum] if self.optimum_line.isVisible() else []
        self.frame([x, val_x], [y, val_y, optimum])
        self.show_in_legend(self.validation, self.validation_name(), val_x.size > 0)

    def clear_run(self) -> None:
        self.follow_data()
        self.train.setData([], [])
        self.validation.setData([], [])
        self.show_in_legend(self.validation, self.validation_name(), False)
