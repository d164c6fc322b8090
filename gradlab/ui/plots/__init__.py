"""The live pyqtgraph plots: fit, loss, coefficients and gradient, each a LivePlot."""

from gradlab.ui.plots.base import LivePlot
from gradlab.ui.plots.coefficients import CoefficientPlot
from gradlab.ui.plots.fit import FitPlot
from gradlab.ui.plots.gradient import GradientPlot
from gradlab.ui.plots.grid import PlotGrid
from gradlab.ui.plots.live_curve import LiveCurve
from gradlab.ui.plots.live_view import LiveView
from gradlab.ui.plots.loss import LossPlot

__all__ = [
    "CoefficientPlot",
    "FitPlot",
    "GradientPlot",
    "LiveCurve",
    "LivePlot",
    "LiveView",
    "LossPlot",
    "PlotGrid",
]
