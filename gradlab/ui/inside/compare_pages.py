"""The compare dock's two plot pages: the compared optimizers' loss curves, and the four-way
check's largest differences. Each is a LivePlot made when first needed (``CompareView``)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt

from gradlab.ui.palette import colour, curve_colour
from gradlab.ui.plots.base import LIVE_WIDTH, LivePlot
from gradlab.ui.zoom import line_width

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


class CompareLossPage(LivePlot):
    """The loss of each compared optimizer from the same start (``curves``, in run order)."""

    def __init__(self) -> None:
        super().__init__(
            "compareLossPlot",
            self.tr("Optimizers from the same start"),
            self.tr("step"),
            self.tr("loss (log)"),
            x_name=self.tr("step"),
            y_name=self.tr("loss"),
            log_y=True,
        )
        self.curves = [self.add_curve(None, curve_colour(i), 2) for i in RUN_CURVES]
        for curve, index, (style, width) in zip(self.curves, RUN_CURVES, RUN_STYLES, strict=True):
            curve.setPen(pg.mkPen(curve_colour(index), width=line_width(width), style=style))


class DifferencePage(LivePlot):
    """The four-way check: the largest coefficient and gradient difference at each step."""

    def __init__(self) -> None:
        super().__init__(
            "threeWayPlot",
            self.tr("Four ways, step by step: largest difference"),
            self.tr("step"),
            self.tr("difference (log)"),
            x_name=self.tr("step"),
            y_name=self.tr("difference"),
            log_y=True,
        )
        self.curves = [
            self.add_curve(self.tr("coefficients"), colour(DIFF_ROLES[0]), LIVE_WIDTH),
            self.add_curve(self.tr("gradients"), colour(DIFF_ROLES[1]), LIVE_WIDTH),
        ]
