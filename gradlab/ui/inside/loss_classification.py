"""The loss explorer's classification page: logits → softmax → cross-entropy = −log p(correct),
for a small data set, with its likelihood, by the formula and by ``F.cross_entropy``."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
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
    DEFAULT_DATASET,
    ClassificationNumbers,
    VectorError,
    classification_numbers,
    parse_vector,
    torch_classification,
)
from gradlab.ui.inside.loss_words import (
    error_style,
    in_field,
    number,
    plain_plot,
    set_plot_texts,
    vector_error,
    vector_text,
)
from gradlab.ui.palette import curve_colour
from gradlab.ui.zoom import line_width, marker_size

TorchResult = tuple[float, float, np.ndarray]
CURVE = np.linspace(0.01, 1.0, 200)


class ClassificationPage(QWidget):
    """Samples (logits and the correct class), their softmax, cross-entropy and likelihood."""

    numbers_changed = Signal()
    torch_changed = Signal()

    def __init__(self, submit: Callable[..., None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lossClassificationPage")
        self._submit = submit
        self.torch_enabled = False
        self.numbers: ClassificationNumbers | None = None
        self.torch: TorchResult | None = None
        self.torch_error: str | None = None
        self.error: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("Sample"), self), 0, 0)
        grid.addWidget(QLabel(self.tr("Logits (one per class)"), self), 0, 1)
        grid.addWidget(QLabel(self.tr("Correct class"), self), 0, 2)
        self.logit_edits: list[QLineEdit] = []
        self.label_spins: list[QSpinBox] = []
        for row, (logits, label) in enumerate(DEFAULT_DATASET, start=1):
            grid.addWidget(QLabel(str(row), self), row, 0)
            edit = QLineEdit(vector_text(logits), self)
            edit.setObjectName(f"logitsEdit{row}")
            edit.setToolTip(self.tr("Numbers separated by commas or spaces, e.g. 1, 2, 3"))
            edit.textChanged.connect(self._schedule)
            spin = QSpinBox(self)
            spin.setSizePolicy(
                QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed
            )  # never narrower than its digits
            spin.setObjectName(f"classSpin{row}")
            spin.setRange(1, 9)
            spin.setValue(label + 1)
            spin.valueChanged.connect(self._schedule)
            grid.addWidget(edit, row, 1)
            grid.addWidget(spin, row, 2)
            self.logit_edits.append(edit)
            self.label_spins.append(spin)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("lossClassificationError")
        self.error_label.setStyleSheet(error_style())
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.table = QTableWidget(len(DEFAULT_DATASET) + 2, 4, self)
        self.table.setTabKeyNavigation(False)  # Tab moves on to the next control, not cell
        self.table.setObjectName("crossEntropyTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table)
        self.plot = plain_plot("crossEntropyPlot", self)
        self.curve = self.plot.plot([], [], pen=pg.mkPen(curve_colour(3), width=line_width(2)))
        self.points = self.plot.plot(
            [], [], pen=None, symbol="o", symbolSize=marker_size(9), symbolBrush=curve_colour(1)
        )
        self.point_labels: list[pg.TextItem] = []
        layout.addWidget(self.plot, 1)
        self.sentence = QLabel(self)
        self.sentence.setObjectName("crossEntropySentence")
        self.sentence.setWordWrap(True)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.sentence)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.update_numbers)
        self.update_numbers()

    def _schedule(self, *_args: object) -> None:
        self._timer.start()

    def update_numbers(self) -> None:
        self._timer.stop()
        logits, labels = [], []
        try:
            for row, (edit, spin) in enumerate(
                zip(self.logit_edits, self.label_spins, strict=True), start=1
            ):
                try:
                    logits.append(parse_vector(edit.text()))
                except VectorError as error:
                    field = self.tr("Sample {n}").format(n=row)
                    raise _Shown(in_field(field, vector_error(error.message))) from None
                labels.append(spin.value() - 1)
            numbers = classification_numbers(logits, labels)
        except _Shown as error:
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
        numbers = self.numbers
        if not self.torch_enabled or numbers is None or self.torch is not None:
            return
        logits, labels = numbers.logits.tolist(), numbers.labels.tolist()

        def done(result: object) -> None:
            if self.numbers is not numbers:
                return
            if isinstance(result, Exception):
                self.torch_error = str(result)
            else:
                self.torch = result  # type: ignore[assignment]
            self.refresh()
            self.torch_changed.emit()

        self._submit(lambda: torch_classification(logits, labels), done)

    def _show_error(self, text: str) -> None:
        self.error = text
        self.error_label.setText(text)
        self.error_label.show()
        self.numbers_changed.emit()

    def refresh(self) -> None:
        n = self.numbers
        if n is None:
            return
        waiting = "…" if self.torch_error is None else "–"
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("sample"),
                self.tr("softmax probabilities"),
                self.tr("−log p(correct): formula"),
                "F.cross_entropy",
            ]
        )
        rows = []
        for s in range(len(n.logits)):
            torch_each = number(self.torch[2][s]) if self.torch is not None else waiting
            p = n.correct_probability[s]
            rows.append(
                (
                    str(s + 1),
                    vector_text(n.probabilities[s]),
                    f"−log {number(p)} = {number(n.cross_entropy[s])}",
                    torch_each,
                )
            )
        torch_mean = number(self.torch[0]) if self.torch is not None else waiting
        torch_sum = number(self.torch[1]) if self.torch is not None else waiting
        rows.append((self.tr("mean"), "", number(n.mean_cross_entropy), torch_mean))
        rows.append((self.tr("sum"), "", number(n.negative_log_likelihood), torch_sum))
        self.table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self.table.setFixedHeight(  # every row in view
            self.table.horizontalHeader().height()
            + self.table.verticalHeader().length()
            + 2 * self.table.frameWidth()
        )
        self.curve.setData(CURVE, -np.log(CURVE))
        shown = np.clip(n.correct_probability, CURVE[0], 1.0)
        self.points.setData(shown, -np.log(shown))
        for label in self.point_labels:
            self.plot.removeItem(label)
        self.point_labels = []
        for s, p in enumerate(shown, start=1):
            label = pg.TextItem(str(s), color=curve_colour(1), anchor=(0, 1))
            label.setPos(float(p), float(-np.log(p)))
            self.plot.addItem(label)
            self.point_labels.append(label)
        legend = self.plot.getPlotItem().legend
        legend.clear()
        legend.addItem(self.curve, self.tr("cross-entropy = −log p"))
        legend.addItem(self.points, self.tr("the samples"))
        set_plot_texts(
            self.plot,
            self.tr("Cross-entropy −log p: the smaller p(correct), the larger the loss"),
            self.tr("p(correct class)"),
            self.tr("cross-entropy"),
        )
        self.sentence.setText(self.explanation(n))

    def explanation(self, n: ClassificationNumbers) -> str:
        """Likelihood = product of p(correct); −log of it = sum of cross-entropies."""
        product = " × ".join(number(p) for p in n.correct_probability)
        return self.tr(
            "The likelihood of the data set is the product of each sample's p(correct): "
            "{product} = {likelihood}. Its −log is {nll}, the sum of the cross-entropies "
            "(mean {mean} × {count} samples). Raise sample 1's correct logit by 1: the mean "
            "cross-entropy falls to {better_mean} and the likelihood rises to {better}. "
            "Minimising cross-entropy is maximising likelihood: one is −log of the other."
        ).format(
            product=product,
            likelihood=number(n.likelihood),
            nll=number(n.negative_log_likelihood),
            mean=number(n.mean_cross_entropy),
            count=len(n.logits),
            better_mean=number(n.better_mean_cross_entropy),
            better=number(n.better_likelihood),
        )

    def changeEvent(self, event: QEvent) -> None:  # Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            QTimer.singleShot(0, self, self._retranslate)
        super().changeEvent(event)

    def _retranslate(self) -> None:
        if self.error is not None:
            self.update_numbers()  # the error sentence in the new language
        else:
            self.refresh()


class _Shown(ValueError):
    """An error already in the student's language."""
