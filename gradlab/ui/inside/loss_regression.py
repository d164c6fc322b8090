"""The loss explorer's regression page: the chapter's listing 4 live.

Two vectors (predictions ŷ and targets y, the chapter's [1, 2, 3] and [1, 2, 5]); L1, squared
error and Huber, each summed and averaged, by the formula and by torch's loss modules side by
side; each loss and its slope drawn over one prediction ŷᵢ (click the upper plot to move ŷᵢ).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gradlab.core.loss_explorer import (
    DEFAULT_PREDICTIONS,
    DEFAULT_TARGETS,
    KINDS,
    REDUCTIONS,
    RegressionNumbers,
    VectorError,
    loss_curves,
    parse_vector,
    regression_numbers,
    torch_regression,
)
from gradlab.ui.inside.loss_words import (
    error_style,
    in_field,
    loss_colour,
    number,
    plain_plot,
    set_plot_texts,
    vector_error,
    vector_text,
)
from gradlab.ui.palette import colour, curve_style
from gradlab.ui.zoom import line_width, marker_size

MODULES = {"l1": "L1Loss", "squared": "MSELoss", "huber": "HuberLoss"}
ROWS = [(kind, reduction) for kind in KINDS for reduction in REDUCTIONS]
TorchResult = tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]


class RegressionPage(QWidget):
    """Predictions against targets: the table, the two plots and the sentence."""

    numbers_changed = Signal()  # new formula numbers (or an error) are on screen
    torch_changed = Signal()  # the torch column has been filled for the current inputs

    def __init__(self, submit: Callable[..., None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lossRegressionPage")
        self._submit = submit  # BackgroundJobs.submit
        self.torch_enabled = False
        self.numbers: RegressionNumbers | None = None
        self.torch: TorchResult | None = None
        self.torch_error: str | None = None
        self.error: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        grid = QGridLayout()
        self.predictions_label = QLabel(self.tr("Predictions ŷ"), self)
        self.predictions_edit = QLineEdit(vector_text(DEFAULT_PREDICTIONS), self)
        self.predictions_edit.setObjectName("lossPredictionsEdit")
        self.targets_label = QLabel(self.tr("Targets y"), self)
        self.targets_edit = QLineEdit(vector_text(DEFAULT_TARGETS), self)
        self.targets_edit.setObjectName("lossTargetsEdit")
        for edit in (self.predictions_edit, self.targets_edit):
            edit.setToolTip(self.tr("Numbers separated by commas or spaces, e.g. 1, 2, 3"))
            edit.textChanged.connect(self._schedule)
        grid.addWidget(self.predictions_label, 0, 0)
        grid.addWidget(self.predictions_edit, 0, 1, 1, 3)
        grid.addWidget(self.targets_label, 1, 0)
        grid.addWidget(self.targets_edit, 1, 1, 1, 3)
        grid.addWidget(QLabel(self.tr("Huber's δ"), self), 2, 0)
        self.delta_spin = QDoubleSpinBox(self)
        self.delta_spin.setSizePolicy(
            QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed
        )  # never narrower than its digits
        self.delta_spin.setObjectName("lossDeltaSpin")
        self.delta_spin.setRange(0.1, 10.0)
        self.delta_spin.setSingleStep(0.1)
        self.delta_spin.setValue(1.0)
        self.delta_spin.valueChanged.connect(self._schedule)
        grid.addWidget(self.delta_spin, 2, 1)
        self.index_label = QLabel(self.tr("Vary prediction"), self)
        grid.addWidget(self.index_label, 2, 2)
        self.index_spin = QSpinBox(self)
        self.index_spin.setSizePolicy(
            QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed
        )  # never narrower than its digits
        self.index_spin.setObjectName("lossIndexSpin")
        self.index_spin.setRange(1, len(DEFAULT_PREDICTIONS))
        self.index_spin.setValue(len(DEFAULT_PREDICTIONS))
        # Qt sizes a one-digit spin box a pixel short in the Chinese font: room for two digits
        self.index_spin.setMinimumWidth(self.index_spin.fontMetrics().horizontalAdvance("99") + 30)
        self.index_spin.valueChanged.connect(self._schedule)
        grid.addWidget(self.index_spin, 2, 3)
        grid.addWidget(QLabel(self.tr("Plots show"), self), 3, 0)
        self.reduction_combo = QComboBox(self)
        self.reduction_combo.setObjectName("lossReductionCombo")
        self.reduction_combo.addItem(self.tr("sum"), "sum")
        self.reduction_combo.addItem(self.tr("mean"), "mean")
        self.reduction_combo.currentIndexChanged.connect(self._schedule)
        grid.addWidget(self.reduction_combo, 3, 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout.addLayout(grid)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("lossRegressionError")
        self.error_label.setStyleSheet(error_style())
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)

        self.table = QTableWidget(len(ROWS), 4, self)
        self.table.setTabKeyNavigation(False)  # Tab moves on to the next control, not cell
        self.table.setObjectName("lossTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table)

        self.loss_plot = plain_plot("lossCurvePlot", self)
        self.slope_plot = plain_plot("lossSlopePlot", self)
        self.loss_curves: dict[str, pg.PlotDataItem] = {}
        self.slope_curves: dict[str, pg.PlotDataItem] = {}
        self.markers: dict[str, tuple[pg.PlotDataItem, pg.PlotDataItem]] = {}
        for kind in KINDS:
            shade = loss_colour(kind)
            pen = pg.mkPen(shade, width=line_width(2), style=curve_style(KINDS.index(kind)))
            self.loss_curves[kind] = self.loss_plot.plot([], [], pen=pen)
            self.slope_curves[kind] = self.slope_plot.plot([], [], pen=pen)
            self.markers[kind] = tuple(
                plot.plot(
                    [], [], pen=None, symbol="o", symbolSize=marker_size(8), symbolBrush=shade
                )
                for plot in (self.loss_plot, self.slope_plot)
            )
        self.target_line = pg.InfiniteLine(
            angle=90,
            pen=pg.mkPen(colour("muted"), width=line_width(1), style=Qt.PenStyle.DashLine),
        )
        self.loss_plot.addItem(self.target_line, ignoreBounds=True)
        self.loss_plot.scene().sigMouseClicked.connect(self._on_plot_clicked)
        layout.addWidget(self.loss_plot, 2)
        layout.addWidget(self.slope_plot, 2)
        self.sentence = QLabel(self)
        self.sentence.setObjectName("lossSentence")
        self.sentence.setWordWrap(True)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.sentence)

        self._timer = QTimer(self)  # typing merges into one update
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.update_numbers)
        self.update_numbers()

    # ---- inputs ----

    def _schedule(self, *_args: object) -> None:
        self._timer.start()

    def set_vectors(self, predictions: str, targets: str) -> None:
        """Type these texts into the two fields and update at once (tests, lessons)."""
        self.predictions_edit.setText(predictions)
        self.targets_edit.setText(targets)
        self.update_numbers()

    def _read(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        fields = (
            (self.predictions_edit, self.tr("Predictions")),
            (self.targets_edit, self.tr("Targets")),
        )
        values = []
        for edit, name in fields:
            try:
                values.append(parse_vector(edit.text()))
            except VectorError as error:
                raise _FieldError(in_field(name, vector_error(error.message))) from None
        return values[0], values[1]

    def update_numbers(self) -> None:
        """Read the fields, compute by the formula now and by torch off the GUI thread."""
        self._timer.stop()
        try:
            predictions, targets = self._read()
            self.index_spin.setMaximum(len(predictions))
            index = self.index_spin.value() - 1
            numbers = regression_numbers(predictions, targets, self.delta_spin.value(), index)
        except _FieldError as error:
            self._show_error(str(error))
            return
        except VectorError as error:
            self._show_error(vector_error(error.message))
            return
        self.error = None
        self.error_label.hide()
        self.numbers = numbers
        self.torch, self.torch_error = None, None
        self.refresh()
        self.numbers_changed.emit()
        self.request_torch()

    def request_torch(self) -> None:
        """Ask the torch job for the current inputs (once the explorer has been opened)."""
        numbers = self.numbers
        if not self.torch_enabled or numbers is None or self.torch is not None:
            return
        p, y = tuple(numbers.predictions), tuple(numbers.targets)
        delta, index = numbers.delta, numbers.index

        def done(result: object) -> None:
            if self.numbers is not numbers:
                return  # the inputs changed meanwhile: a newer job is on its way
            if isinstance(result, Exception):
                self.torch_error = str(result)
            else:
                self.torch = result  # type: ignore[assignment]
            self.refresh()
            self.torch_changed.emit()

        self._submit(lambda: torch_regression(p, y, delta, index), done)

    def _show_error(self, text: str) -> None:
        self.error = text
        self.error_label.setText(text)
        self.error_label.show()
        self.numbers_changed.emit()

    # ---- showing ----

    def refresh(self) -> None:
        """Table, plots and sentence from the numbers, in the current language."""
        numbers = self.numbers
        if numbers is None:
            return
        i = numbers.index + 1
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("loss"),
                self.tr("by the formula"),
                self.tr("torch\n(float32)"),
                self.tr("slope ∂/∂ŷ{i}\nformula, torch").format(i=i),
            ]
        )
        terms = {kind: " + ".join(number(t) for t in numbers.terms[kind]) for kind in KINDS}
        for row, (kind, reduction) in enumerate(ROWS):
            module = f'{MODULES[kind]}(reduction="{reduction}")'
            count = len(numbers.terms[kind])
            body = terms[kind] if reduction == "sum" else f"({terms[kind]})/{count}"
            formula = f"{body} = {number(numbers.values[(kind, reduction)])}"
            if self.torch is not None:
                torch_value = number(self.torch[0][(kind, reduction)])
                torch_slope = number(self.torch[1][(kind, reduction)], 4)
            else:
                torch_value = torch_slope = "…" if self.torch_error is None else "–"
            slope = f"{number(numbers.slopes[(kind, reduction)], 4)}, {torch_slope}"
            cells = (module, formula, torch_value, slope)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 2 and self.torch is None:
                    item.setToolTip(self.tr("torch is being loaded; its numbers follow."))
                self.table.setItem(row, column, item)
        # every row in view, no scrolling: the table is what the chapter printed
        self.table.resizeRowsToContents()
        self.table.setFixedHeight(
            self.table.horizontalHeader().height()
            + self.table.verticalHeader().length()
            + 2 * self.table.frameWidth()
        )
        self._draw(numbers)
        self.sentence.setText(self.explanation(numbers))

    def _draw(self, numbers: RegressionNumbers) -> None:
        reduction = self.reduction_combo.currentData()
        grid, losses, slopes = loss_curves(numbers, reduction)
        i = numbers.index
        at = int(np.searchsorted(grid, numbers.predictions[i]))
        names = {
            "l1": "L1",
            "squared": self.tr("squared error"),
            "huber": self.tr("Huber"),
        }
        for plot in (self.loss_plot, self.slope_plot):
            plot.getPlotItem().legend.clear()
        for kind in KINDS:
            self.loss_curves[kind].setData(grid, losses[kind])
            self.slope_curves[kind].setData(grid, slopes[kind])
            self.markers[kind][0].setData([grid[at]], [losses[kind][at]])
            self.markers[kind][1].setData([grid[at]], [slopes[kind][at]])
            self.loss_plot.getPlotItem().legend.addItem(self.loss_curves[kind], names[kind])
            self.slope_plot.getPlotItem().legend.addItem(self.slope_curves[kind], names[kind])
        self.target_line.setValue(float(numbers.targets[i]))
        for plot in (self.loss_plot, self.slope_plot):
            plot.getPlotItem().vb.autoRange(padding=0.05)
        n = i + 1
        reduced = self.tr("sum") if reduction == "sum" else self.tr("mean")
        set_plot_texts(
            self.loss_plot,
            self.tr("Loss ({reduction}) as ŷ{n} moves; click to move it").format(
                reduction=reduced, n=n
            ),
            self.tr("ŷ{n} (dashed: its target y{n})").format(n=n),
            self.tr("loss"),
        )
        set_plot_texts(
            self.slope_plot,
            self.tr("Its slope ∂loss/∂ŷ{n}: what the gradient is made of").format(n=n),
            f"ŷ{n}",
            self.tr("slope"),
        )

    def explanation(self, numbers: RegressionNumbers) -> str:
        """Why L1's slope keeps its size and squared error's grows, with the numbers here."""
        reduction = self.reduction_combo.currentData()
        i = numbers.index
        n = i + 1
        p, y = float(numbers.predictions[i]), float(numbers.targets[i])
        s = {kind: numbers.slopes[(kind, reduction)] for kind in KINDS}
        count = len(numbers.predictions)
        scale = 1.0 if reduction == "sum" else 1.0 / count
        text = self.tr(
            "At ŷ{n} = {p} (target y{n} = {y}) the slopes are: L1 {l1}, squared error "
            "{squared}, Huber {huber}. L1's slope is ±{unit} wherever ŷ{n} ≠ y{n}: its size "
            "never changes, however far off the prediction is. Squared error's slope is "
            "{two}·(ŷ{n} − y{n}): twice as far off, twice as steep, so the gradient grows "
            "with the error. Huber is half the squared error within δ = {delta} of the target "
            "and L1-like (slope ±{band}) beyond it."
        ).format(
            n=n,
            p=number(p),
            y=number(y),
            l1=number(s["l1"]),
            squared=number(s["squared"]),
            huber=number(s["huber"]),
            unit=number(scale),
            two=number(2 * scale),
            delta=number(numbers.delta),
            band=number(numbers.delta * scale),
        )
        if reduction == "mean":
            text += " " + self.tr(
                "With mean, every slope is divided by the {count} points."
            ).format(count=count)
        return text

    def _on_plot_clicked(self, event: Any) -> None:
        """A click on the loss plot moves the chosen prediction there (2 decimals)."""
        view = self.loss_plot.getPlotItem().vb
        if self.numbers is None or not view.sceneBoundingRect().contains(event.scenePos()):
            return
        x = float(view.mapSceneToView(event.scenePos()).x())
        values = list(self.numbers.predictions)
        values[self.numbers.index] = round(x, 2)
        self.predictions_edit.setText(vector_text(values))
        self.update_numbers()

    def changeEvent(self, event: QEvent) -> None:  # Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            QTimer.singleShot(0, self, self._retranslate)
        super().changeEvent(event)

    def _retranslate(self) -> None:
        if self.error is not None:
            self.update_numbers()  # the error sentence in the new language
        else:
            self.refresh()


class _FieldError(ValueError):
    """A field's error, already in the student's language."""
