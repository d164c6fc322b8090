"""The size of the gradient over steps (log axis): it shrinks towards 0 as the fit converges."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from gradlab.model.plot_buffer import GRAD_NORM, PlotBuffer
from gradlab.ui.plots.base import LIVE_WIDTH, LivePlot

GRADIENT_COLOUR = "#6a1b9a"


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
        self.norm = self.add_live_curve(
            self.tr("‖∇loss‖ (gradient length)"), GRADIENT_COLOUR, LIVE_WIDTH
        )

    def draw(self, buffer: PlotBuffer) -> None:
        x, y = self.set_curve(self.norm, *buffer.series(GRAD_NORM, positive=True))
        self.frame([x], [y])

    def clear_run(self) -> None:
        self.follow_data()
        self.norm.setData([], [])
