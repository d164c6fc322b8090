"""The live plots: for a polynomial a 2×2 grid, fit and loss on top, coefficients and gradient
below.

For a network the fit takes the whole left column, over the units plot, which shares its x axis
(each unit's bend right under its grey curve; a splitter between them), and loss, parameters
and gradient are stacked on the right. The parameter plot has a choice above it: per-tensor
norms, or the first entries of one tensor (hidden for a polynomial).
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gradlab.core.config import ModelConfig
from gradlab.core.network import layer_names
from gradlab.ui.accessibility import prepare_tree
from gradlab.ui.plots.axes import PairedAxis
from gradlab.ui.plots.coefficients import NORMS, CoefficientPlot
from gradlab.ui.plots.fit import FitPlot
from gradlab.ui.plots.gradient import GradientPlot
from gradlab.ui.plots.loss import LossPlot
from gradlab.ui.plots.units import UnitsPlot

FIT_SHARE, UNITS_SHARE = 60, 40  # of the fit column's height, for a network
ROWS = 6  # grid rows: 3 + 3 for a polynomial's two rows, 2 + 2 + 2 for a network's three
# (row, column, rows spanned) of the fit, loss, parameter and gradient cells
POLYNOMIAL_CELLS = ((0, 0, 3), (0, 1, 3), (3, 0, 3), (3, 1, 3))
NETWORK_CELLS = ((0, 0, 6), (0, 1, 2), (2, 1, 2), (4, 1, 2))


class PlotGrid(QWidget):
    """Holds ``fit``, ``loss``, ``coefficients`` and ``gradient``, and ``units`` (a network's
    first layer, under the fit; hidden for a polynomial)."""

    parameters_chosen = Signal()  # another choice of a network's parameters: redraw
    units_shown = Signal()  # the units plot is on screen again: it skipped frames while hidden

    fit: FitPlot
    loss: LossPlot
    coefficients: CoefficientPlot
    gradient: GradientPlot

    def __init__(self, parent: QWidget | None = None, *, in_parts: bool = False) -> None:
        """``in_parts``: nothing is built until ``build()`` is run (one plot per part)."""
        super().__init__(parent)
        self.setObjectName("plotGrid")
        if not in_parts:
            for _part in self.build():
                pass

    def build(self) -> Iterator[None]:
        """The plots, a pause (yield) after each, then their grid."""
        self.fit = FitPlot(self)
        yield
        self.loss = LossPlot(self)
        yield
        self.coefficients = CoefficientPlot(self)
        yield
        self.gradient = GradientPlot(self)
        yield
        self.fit_cell = QSplitter(Qt.Orientation.Vertical, self)
        self.fit_cell.setObjectName("fitCell")
        self.fit_cell.setChildrenCollapsible(False)
        self.fit_cell.setHandleWidth(4)
        self.fit_cell.addWidget(self.fit)
        self.units_cell = QWidget(self.fit_cell)  # the units plot and its key under it
        # a network's plot: made when a network is first shown (``units``), most windows never
        self._units: UnitsPlot | None = None
        self._units_layout = QVBoxLayout(self.units_cell)
        self._units_layout.setContentsMargins(0, 0, 0, 2)
        self._units_layout.setSpacing(1)
        self.fit_cell.addWidget(self.units_cell)
        self.fit_cell.setStretchFactor(0, FIT_SHARE)
        self.fit_cell.setStretchFactor(1, UNITS_SHARE)
        self.units_cell.hide()
        self.parameter_cell = QWidget(self)
        cell = QVBoxLayout(self.parameter_cell)
        cell.setContentsMargins(0, 0, 0, 0)
        cell.setSpacing(2)
        self.parameter_row = QWidget(self.parameter_cell)
        row = QHBoxLayout(self.parameter_row)
        row.setContentsMargins(4, 0, 4, 0)
        self.parameter_label = QLabel(self.tr("Show:"), self.parameter_row)
        self.parameter_choice = QComboBox(self.parameter_row)
        self.parameter_choice.setObjectName("parameterChoice")
        # its width from the cell, not from its longest item: a small window stays small
        self.parameter_choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.parameter_choice.setMinimumContentsLength(10)
        self.parameter_label.setBuddy(self.parameter_choice)
        row.addWidget(self.parameter_label)
        row.addWidget(self.parameter_choice, 1)
        self.parameter_row.hide()  # a polynomial's few coefficients need no choice
        self.parameter_choice.currentIndexChanged.connect(self._on_parameter_choice)
        cell.addWidget(self.parameter_row)
        cell.addWidget(self.coefficients, 1)
        self.layout_grid = QGridLayout(self)
        self.layout_grid.setContentsMargins(0, 0, 0, 0)
        self.layout_grid.setSpacing(4)
        for number in range(ROWS):
            self.layout_grid.setRowStretch(number, 1)
        self._place(POLYNOMIAL_CELLS)

    def _place(self, cells: tuple[tuple[int, int, int], ...]) -> None:
        grid = self.layout_grid
        widgets: tuple[QWidget, ...] = (
            self.fit_cell,
            self.loss,
            self.parameter_cell,
            self.gradient,
        )
        for widget, (row, column, span) in zip(widgets, cells, strict=True):
            grid.removeWidget(widget)
            grid.addWidget(widget, row, column, span, 1)

    @property
    def units(self) -> UnitsPlot:
        """The first layer's units, under the fit (made on first use)."""
        return self._made_units()

    def _made_units(self) -> UnitsPlot:
        if self._units is None:
            units = self._units = UnitsPlot(self.units_cell)
            self._units_layout.addWidget(units, 1)
            self._units_layout.addWidget(units.key)
            units.setXLink(self.fit)  # a unit's marker right under where its curve bends
            units_axis, fit_axis = (p.getPlotItem().getAxis("left") for p in (units, self.fit))
            if isinstance(units_axis, PairedAxis) and isinstance(fit_axis, PairedAxis):
                units_axis.pair(fit_axis)  # both views start at the same pixel
            units.shown.connect(self.units_shown)
            prepare_tree(units)  # as the window's own widgets were when it was built
        return self._units

    def clear_units(self) -> None:
        """No units drawn (nothing to do before there is a units plot)."""
        if self._units is not None:
            self._units.clear_run()

    @property
    def plots(self) -> tuple[FitPlot, LossPlot, CoefficientPlot, GradientPlot]:
        return self.fit, self.loss, self.coefficients, self.gradient

    def show_units(self, shown: bool) -> None:
        """A network's layout (the units under the fit, three plots on the right) or a
        polynomial's 2×2 grid."""
        if shown == self.units_cell.isVisibleTo(self):
            return
        if shown:
            self._made_units()
        self._place(NETWORK_CELLS if shown else POLYNOMIAL_CELLS)
        self.units_cell.setVisible(shown)
        self.parameter_row.setVisible(shown)
        if shown:
            total = max(self.fit_cell.height(), 1)
            share = total * UNITS_SHARE // (FIT_SHARE + UNITS_SHARE)
            self.fit_cell.setSizes([total - share, share])

    def show_parameters(self, model: ModelConfig | None, *, again: bool = False) -> None:
        """A network's choice of parameters to draw (the same choice kept while it still
        exists); None: a polynomial's coefficients, no choice. ``again``: made anew (in
        another language)."""
        combo = self.parameter_choice
        if model == self.coefficients.network and (model is None or combo.count()) and not again:
            return  # the same network (or none): the choice and the curves stay
        kept = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        if model is not None:
            combo.addItem(self.tr("the norm of each weight and bias tensor"), NORMS)
            for index, name in enumerate(layer_names(model)):
                combo.addItem(self.tr("the first entries of {name}").format(name=name), index)
            found = combo.findData(kept if kept is not None else NORMS)
            combo.setCurrentIndex(max(found, 0))
            view = combo.view()  # its list shows whole items, however narrow the box
            view.setMinimumWidth(view.sizeHintForColumn(0) + 2 * view.frameWidth() + 8)
        combo.blockSignals(False)
        self._name_choice()
        self.coefficients.show_network(model, combo.currentData() if model else NORMS)

    def _name_choice(self) -> None:
        # the box is as wide as its cell, not its longest item: the whole choice on hover
        self.parameter_choice.setToolTip(self.parameter_choice.currentText())

    def _on_parameter_choice(self, _index: int) -> None:
        self._name_choice()
        choice = self.parameter_choice.currentData()
        if self.coefficients.network is None or choice is None:
            return
        self.coefficients.show_network(self.coefficients.network, int(choice))
        self.coefficients.clear_run()  # the old curves go; the next redraw draws the new ones
        self.parameters_chosen.emit()

    def retranslate_ui(self) -> None:
        """Texts the plots made from values (the target's name, the optimum's label)."""
        if not self.window().isVisible():
            return  # a closed window's plots may be half torn down (retranslate_tree skips it too)
        if self.coefficients.network is not None:
            self.show_parameters(self.coefficients.network, again=True)  # the words, the title
        self.fit.retranslate_ui()
        if self._units is not None:
            self._units.retranslate_ui()
        self.loss.retranslate_ui()
        self.gradient.retranslate_ui()

    def clear_run(self) -> None:
        """Forget the run's curves (Reset); the data and optimum stay."""
        self.fit.clear_prediction()
        self.loss.clear_run()
        self.coefficients.clear_run()
        self.gradient.clear_run()
        self.clear_units()
