"""The four live plots in a 2×2 grid: fit and loss on top, coefficients and gradient below."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

from gradlab.ui.plots.coefficients import CoefficientPlot
from gradlab.ui.plots.fit import FitPlot
from gradlab.ui.plots.gradient import GradientPlot
from gradlab.ui.plots.loss import LossPlot


class PlotGrid(QWidget):
    """Holds ``fit``, ``loss``, ``coefficients`` and ``gradient``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plotGrid")
        self.fit = FitPlot(self)
        self.loss = LossPlot(self)
        self.coefficients = CoefficientPlot(self)
        self.gradient = GradientPlot(self)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.fit, 0, 0)
        layout.addWidget(self.loss, 0, 1)
        layout.addWidget(self.coefficients, 1, 0)
        layout.addWidget(self.gradient, 1, 1)

    @property
    def plots(self) -> tuple[FitPlot, LossPlot, CoefficientPlot, GradientPlot]:
        return self.fit, self.loss, self.coefficients, self.gradient

    def retranslate_ui(self) -> None:
        """Texts the plots made from values (the target's name, the optimum's label)."""
        if not self.window().isVisible():
            return  # a closed window's plots may be half torn down (retranslate_tree skips it too)
        self.fit.retranslate_ui()
        self.loss.retranslate_ui()
        self.gradient.retranslate_ui()

    def clear_run(self) -> None:
        """Forget the run's curves (Reset); the data and optimum stay."""
        self.fit.clear_prediction()
        self.loss.clear_run()
        self.coefficients.clear_run()
        self.gradient.clear_run()
