"""The size of the gradient over steps (log axis): it shrinks towards 0 as the fit converges.

NumPy by hand with the squared loss over the full batch in float64 runs on a fast path that
computes the same steps exactly in closed form, so its gradient keeps falling (to 1e-26 and
below) where the listing's own float64 sums stop, at the rounding floor near the optimum. For
that case the curve is named as the exact gradient and the floor is drawn as a dotted line.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from gradlab.core.config import Config
from gradlab.core.features import feature_matrix
from gradlab.model.plot_buffer import GRAD_NORM, PlotBuffer
from gradlab.model.problem import Problem
from gradlab.ui.palette import colour
from gradlab.ui.plots.base import LIVE_WIDTH, LivePlot, pen


def runs_exact_fast_path(config: Config) -> bool:
    """True when the NumPy method steps in closed form (as gradlab.core.methods.numpy_manual
    does for the squared loss, full batch, float64)."""
    t = config.training
    return (
        t.method == "numpy-manual"
        and t.loss == "squared"
        and t.batch_size == 0
        and config.model.dtype == "float64"
    )


def listing_gradient_floor(config: Config, problem: Problem) -> float | None:
    """‖∇loss‖ at the optimum as the listing computes it in float64 (Xᵀ · 2(Xθ* − y)): the
    rounding floor its gradient stops at, where the exact gradient is ~0."""
    analysis = problem.analysis
    if analysis is None:
        return None
    d, m = config.data, config.model
    X = feature_matrix(problem.dataset.x, m.degree, m.basis, d.x_min, d.x_max)
    y = problem.dataset.y
    with np.errstate(all="ignore"):
        gradient = X.T @ (2.0 * (X @ analysis.optimum_coefficients - y))
        if config.training.reduction == "mean":
            gradient /= X.shape[0]
        floor = float(np.linalg.norm(gradient))
    return floor if math.isfinite(floor) and floor > 0 else None


class GradientPlot(LivePlot):
    """‖∇loss‖, the length of the gradient vector over all coefficients."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "gradPlot",
            self.tr("Gradient"),
            self.tr("step"),
            self.tr("gradient norm (log)"),
            x_name=self.tr("step"),
            y_name="‖∇‖",
            log_y=True,
            parent=parent,
        )
        self.floor: float | None = None
        self.norm = self.add_live_curve(self.curve_name(), colour("gradient"), LIVE_WIDTH)
        self.floor_line = pg.InfiniteLine(
            angle=0,
            movable=False,
            pen=pen(colour("floor"), 1, style=Qt.PenStyle.DotLine),
            label="",
            labelOpts={"position": 0.02, "color": colour("floor"), "anchors": [(0, 1), (0, 1)]},
        )
        self.plotItem.addItem(self.floor_line, ignoreBounds=True)
        self.floor_line.hide()
        self.plotItem.vb.sigResized.connect(self._fit_floor_label)

    def curve_name(self) -> str:
        if self.floor is not None:
            return str(self.tr("‖∇loss‖ (exact)"))
        return str(self.tr("‖∇loss‖ (gradient length)"))

    def set_floor(self, floor: float | None) -> None:
        """The listing's float64 floor, when the curve is the fast path's exact gradient."""
        self.floor = floor
        self.rename(self.norm, self.curve_name())
        if floor is None:
            self.floor_line.hide()
            self.floor_line.setToolTip("")
            return
        self.floor_line.show()  # first: a hidden line's label ignores new text
        self.floor_line.setPos(math.log10(floor))
        self._name_floor()

    def _name_floor(self) -> None:
        if self.floor is None:
            return
        # two short lines: a narrow plot (1280×720 with a wide dock) clips one long line
        name = self.tr("the listing's float64 floor")
        self.floor_line.label.setFormat(f"{name}\n{self.floor:.2g}")
        self.floor_line.setToolTip(
            self.tr(
                "The listing computes the gradient as sums of float64 products, which stop "
                "near {value} at the optimum (rounding). The curve is the exact gradient of "
                "the same steps, computed in closed form, so it keeps falling below that."
            ).format(value=f"{self.floor:.2g}")
        )

        self._fit_floor_label()

    def _fit_floor_label(self, *_args: object) -> None:
        """The floor's label wraps to the plot's width rather than run off its right edge."""
        label = self.floor_line.label
        room = self.plotItem.vb.boundingRect().width() - 12
        label.setTextWidth(-1)
        if label.textItem.document().idealWidth() > room:
            label.setTextWidth(max(room, 40))

    def retranslate_ui(self) -> None:
        self.rename(self.norm, self.curve_name())
        self._name_floor()

    def draw(self, buffer: PlotBuffer) -> None:
        x, y = self.set_curve(self.norm, *buffer.series(GRAD_NORM, positive=True))
        self.frame([x], [y])

    def clear_run(self) -> None:
        self.follow_data()
        self.norm.setData([], [])
