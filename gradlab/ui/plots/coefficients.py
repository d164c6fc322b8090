"""The coefficients a, b, c, ... over steps, each with a dashed line at its optimal value.

For a network (hundreds of parameters) it becomes a parameter plot: by default the Euclidean
norm of each weight and bias tensor (‖W1‖, ‖b1‖, ...), or, chosen above the plot, the first
entries of one tensor. Title and legend say which.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from gradlab.core.config import COEFFICIENT_NAMES, MAX_DEGREE, ModelConfig
from gradlab.core.network import layer_names, layer_table, parameter_names
from gradlab.model.plot_buffer import PlotBuffer
from gradlab.ui.palette import colour, curve_colour, curve_style
from gradlab.ui.plots.base import LIVE_WIDTH, LivePlot, pen
from gradlab.ui.plots.live_curve import LiveCurve
from gradlab.ui.zoom import pt

NORMS = -1  # the network choice "each tensor's norm"; 0, 1, ...: that tensor's first entries


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
        self.network: ModelConfig | None = None  # a network's shape, None for a polynomial
        self.choice = NORMS
        self.first = 0  # the flat index of the first parameter drawn (a chosen tensor's)
        self.set_count(4)

    def show_network(self, model: ModelConfig | None, choice: int = NORMS) -> None:
        """A network's parameters as ``choice`` says (NORMS, or tensor k of W1, b1, W2, ...);
        None: a polynomial's coefficients."""
        was = self.network
        self.network, self.choice = model, choice
        self.first = 0
        if model is None:
            if was is not None:
                self.set_count(self.count)  # a, b, c, ... and "Coefficients" again
            return
        tensors = layer_names(model)
        if choice == NORMS or not 0 <= choice < len(tensors):
            self.choice = NORMS
            names = tuple(f"‖{name}‖" for name in tensors)
            title = self.tr("Parameters: norm of each tensor")
            self.set_count(len(names), names, title)
            return
        layer = layer_table(model)[choice // 2]
        span = layer.weight if choice % 2 == 0 else layer.bias
        total = span.stop - span.start
        shown = min(total, len(self.curves))
        self.first = span.start
        names = parameter_names(model)[span.start : span.start + shown]
        title = self.tr("Parameters: {name}, first {n} of {total}").format(
            n=shown, name=tensors[choice], total=total
        )
        self.set_count(shown, names, title)

    def retranslate_ui(self) -> None:
        """A network's title is made from values: made again in the new language."""
        if self.network is not None:
            self.show_network(self.network, self.choice)

    def set_count(self, count: int, names: tuple[str, ...] = (), title: str = "") -> None:
        """Show ``count`` coefficients (degree + 1), named a, b, c, ... in the legend (or by
        ``names``: a network's norms or parameters, under its ``title``)."""
        count = min(count, len(self.curves))
        self.count = count
        # a network's weights and biases are not a polynomial's coefficients: its own title
        title = title or self.tr("Coefficients")
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

    def draw(self, buffer: PlotBuffer, norms: PlotBuffer | None = None) -> None:
        """The curves from ``buffer`` (a network's norms from ``norms``)."""
        if self.network is not None and self.choice == NORMS:
            if norms is None:
                return
            buffer, first = norms, 0
        else:
            first = self.first
        xs, ys = [], []
        for index in range(min(self.count, buffer.n_coefficients - first)):
            series = buffer.coefficient_series(first + index)
            x, y = self.set_curve(self.curves[index], *series)
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
