"""The coefficients a, b, c, ... over steps, each with a dashed line at its optimal value."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from gradlab.core.config import COEFFICIENT_NAMES, MAX_DEGREE
from gradlab.model.plot_buffer import PlotBuffer
from gradlab.ui.palette import colour, curve_colour, curve_style
from gradlab.ui.plots.base import LIVE_WIDTH, LivePlot, pen
from gradlab.ui.plots.live_curve import LiveCurve
from gradlab.ui.zoom import pt


class CoefficientPlot(LivePlot):
    """One colour and line style per coefficient (colour-blind safe: the style tells them apart
    without the colour); curves for all ten are made once and shown as needed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "coeffPlot",
            self.tr("Coefficients"),
            self.tr("step"),
            self.tr("value"),
            x_name=self.tr("step"),
            y_name=self.tr("value"),
            grid=False,  # the dashed optimum lines are the reference
            parent=parent,
        )
        self.curves: list[LiveCurve] = []
        self.optimum_lines: list[pg.InfiniteLine] = []
        for index in range(MAX_DEGREE + 1):
            shade = curve_colour(index)
            curve = self.add_live_curve(None, shade, LIVE_WIDTH, style=curve_style(index))
            # the optimum: a thin line, dotted when the curve is solid, dashed otherwise
            dotted = curve_style(index) == curve_style(0)
            style = Qt.PenStyle.DotLine if dotted else Qt.PenStyle.DashLine
            line = pg.InfiniteLine(angle=0, movable=False, pen=pen(shade, 1, style=style))
            self.plotItem.addItem(line)
            self.cache_static(line)
            self.curves.append(curve)
            self.optimum_lines.append(line)
        self.known = [False] * len(self.optimum_lines)  # which lines have an optimum value
        self.count = 0
        self.set_count(4)

    def set_count(self, count: int, names: tuple[str, ...] = ()) -> None:
        """Show ``count`` coefficients (degree + 1), named a, b, c, ... in the legend (or by
        ``names``: a network's first parameters, W1[0,0], ...)."""
        count = min(count, len(self.curves))
        self.count = count
        # a network's weights and biases are not a polynomial's coefficients
        title = self.tr("Parameters (the first ones)") if names else self.tr("Coefficients")
        self.getPlotItem().setTitle(title, size=pt(10), color=colour("plot_text"))
        self.legend.clear()
        for index, (curve, line) in enumerate(zip(self.curves, self.optimum_lines, strict=True)):
            visible = index < count
            curve.setVisible(visible)
            line.setVisible(visible and self.known[index])
            if visible:
                self.legend.addItem(curve, names[index] if names else COEFFICIENT_NAMES[index])

    def set_optimum(self, values: np.ndarray | None) -> None:
        """Dashed lines at the least-squares (or robust) optimal coefficients."""
        for index, line in enumerate(self.optimum_lines):
            known = values is not None and index < len(values) and bool(np.isfinite(values[index]))
            self.known[index] = known
            if values is not None and known:
                line.setPos(float(values[index]))
            line.setVisible(bool(known) and index < self.count)
        if self.curves[0].xData is None or not len(self.curves[0].xData):
            self.frame([[0, 1]], [self._optimum_values()])  # before a run: the optimum

    def draw(self, buffer: PlotBuffer) -> None:
        xs, ys = [], []
        for index in range(min(self.count, buffer.n_coefficients)):
            x, y = self.set_curve(self.curves[index], *buffer.coefficient_series(index))
            xs.append(x)
            ys.append(y)
        self.frame(xs, [*ys, self._optimum_values()])

    def _optimum_values(self) -> list[float]:
        return [
            float(line.value())
            for index, line in enumerate(self.optimum_lines[: self.count])
            if self.known[index]
        ]

    def clear_run(self) -> None:
        self.follow_data()
        for curve in self.curves:
            curve.setData([], [])
