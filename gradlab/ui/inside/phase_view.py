"""Inside one training step: which of the chapter's six steps runs now, the numbers that phase
really computed (a PhaseRecord from gradlab.core.phases, never recomputed here) and, for
torch-optim, what the optimizer keeps per coefficient and the step it takes.

The records arrive from the worker thread as NumPy copies (see install.py); this module only
formats them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gradlab.core.config import Config
from gradlab.core.methods.base import PHASES
from gradlab.core.network import FIRST_ENTRIES, parameter_groups, parameter_names
from gradlab.core.phases import PhaseRecord
from gradlab.ui.inside.phase_text import (
    STATE_NAMES,
    change_title,
    chapter_step_text,
    chapter_strip,
    direction_title,
    number,
    optimizer_explanation,
    phase_title,
    record_html,
)
from gradlab.ui.palette import colour
from gradlab.ui.widgets import WrappedLabel
from gradlab.ui.zoom import SMALL, set_font_ratio


def strip_style(kind: str) -> str:
    """The phase strip's label style: "active", "next" (the loop comes round) or "idle"."""
    c = colour
    if kind == "active":
        return (
            f"background: {c('phase_active')}; color: {c('text')};"
            f" border: 1px solid {c('phase_active_border')}; font-weight: 600;"
        )
    if kind == "next":
        return f"background: {c('phase_idle')}; color: {c('text_secondary')};" + (
            f" border: 1px dashed {c('faint')};"
        )
    return f"background: {c('phase_idle')}; color: {c('faint')}; border: 1px solid {c('border')};"


STRIP_PADDING = 10  # pixels around a name in the strip: its padding and border, both sides


def _state_cell(values: np.ndarray, entry: int | slice) -> str:
    """One entry of a column, or the Euclidean norm of a tensor's part of it."""
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    if isinstance(entry, slice):
        part = values[entry]
        return number(float(np.linalg.norm(part)), 4) if part.size else "–"
    return number(values[entry], 4) if entry < values.size else "–"


class PhaseView(QWidget):
    """The chapter strip, the phase's numbers and the optimizer state (torch-optim only)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("phaseView")
        self.record: PhaseRecord | None = None
        self._message: Callable[[], str] | None = None  # the sentence shown between steps
        self.config: Config | None = None
        self._gradients: dict[int, np.ndarray] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)

        top = QHBoxLayout()
        self.step_button = QToolButton(self)
        self.step_button.setObjectName("stepPhaseButton")
        self.step_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.step_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        top.addWidget(self.step_button)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("phaseTitleLabel")
        self.title_label.setStyleSheet("font-weight: 600;")
        # a longer phase title wraps instead of widening the dock (and shrinking the plots)
        self.title_label.setWordWrap(True)
        self.title_label.setMinimumWidth(120)
        self.title_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        top.addWidget(self.title_label, 1)
        layout.addLayout(top)

        # as many columns as the dock's width takes whole names ("4 更新参数", never "4 更新参/数")
        self.strip_grid = strip = QGridLayout()
        strip.setSpacing(2)
        self.strip_labels: list[QLabel] = []
        self.strip = chapter_strip()
        self.strip_columns = 0
        for _phase, text in self.strip:
            label = QLabel(text, self)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            label.setMinimumWidth(1)  # the strip re-flows to fewer columns instead
            self.strip_labels.append(label)
        self._flow_strip()
        layout.addLayout(strip)

        self.chapter_label = QLabel(self)
        self.chapter_label.setObjectName("chapterStepLabel")
        self.chapter_label.setWordWrap(True)
        self.chapter_label.setStyleSheet(f"color: {colour('text_secondary')};")
        layout.addWidget(self.chapter_label)

        self.marks_label = QLabel(
            self.tr(
                "On the fit plot: red dots are this step's predictions ŷ, blue circles the "
                "labels y, dashed lines the errors ŷ − y."
            ),
            self,
        )
        self.marks_label.setObjectName("fitMarksLabel")
        self.marks_label.setWordWrap(True)
        self.marks_label.setStyleSheet(f"color: {colour('muted')};")
        set_font_ratio(self.marks_label, SMALL)
        self.marks_label.hide()
        layout.addWidget(self.marks_label)

        self.values = QTextBrowser(self)
        self.values.setObjectName("phaseValues")
        self.values.setOpenLinks(False)
        self.values.setMinimumHeight(120)
        # numbers and headers never wrap mid-digit: a wide table scrolls sideways instead
        self.values.document().setDefaultStyleSheet("td, th { white-space: nowrap; }")
        self.values.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        set_font_ratio(self.values, 1.1)
        layout.addWidget(self.values, 1)

        self.optimizer_group = QGroupBox(self.tr("Optimizer state (what torch.optim keeps)"), self)
        self.optimizer_group.setObjectName("optimizerStateGroup")
        self.optimizer_group.setMinimumWidth(1)  # its title never widens the dock
        group_layout = QVBoxLayout(self.optimizer_group)
        self.state_table = QTableWidget(self.optimizer_group)
        self.state_table.setObjectName("optimizerStateTable")
        self.state_table.verticalHeader().setVisible(False)
        # rows as tall as their text: a network's blocks need more than two rows in view
        self.state_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.state_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.state_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.state_table.setWordWrap(False)  # a number is one line; the table scrolls sideways
        self.state_table.setHorizontalScrollMode(QTableWidget.ScrollMode.ScrollPerPixel)
        group_layout.addWidget(self.state_table)
        self.state_label = WrappedLabel(self.optimizer_group)
        self.state_label.setObjectName("optimizerStateLabel")
        self.state_label.setWordWrap(True)
        group_layout.addWidget(self.state_label)
        self.optimizer_group.hide()
        layout.addWidget(self.optimizer_group)
        self.show_idle()

    # ---- what is shown ----

    def set_step_action(self, action: QAction) -> None:
        self.step_button.setDefaultAction(action)

    def set_config(self, config: Config) -> None:
        """The method on screen (decides whether the optimizer state is shown)."""
        self.config = config
        self.optimizer_group.setVisible(config.training.method == "torch-optim")

    def show_idle(self, text: Callable[[], str] | None = None) -> None:
        """Between steps: no phase highlighted. ``text`` makes the sentence to show (again
        after a language switch)."""
        self.record = None
        self.marks_label.hide()
        self._mark_strip(None)
        self.title_label.setText(self.tr("Between two steps"))
        self._message = text or (
            lambda: self.tr(
                "Press Step phase (. or Shift+→) to run one phase of the next step: forward, "
                "loss, backward, update, zero the gradients."
            )
        )
        self.chapter_label.setText(self._message())
        self.values.clear()

    def show_message(self, text: Callable[[], str]) -> None:
        self._message = text
        self.chapter_label.setText(text())

    def retranslate_message(self) -> None:
        """Between steps, the sentence shown in the new language."""
        if self.record is None and self._message is not None:
            self.title_label.setText(self.tr("Between two steps"))
            self.chapter_label.setText(self._message())

    def show_record(self, record: PhaseRecord, config: Config) -> None:
        """Show one phase's numbers (values as the core computed them)."""
        self.record = record
        self.set_config(config)
        if record.phase == "backward":  # the update's table shows the gradients it used
            self._gradients = {record.step: record.values["gradients"]}
        index = PHASES.index(record.phase) + 1
        self.title_label.setText(
            self.tr("Step {step} · phase {index} of {count}: {name}").format(
                step=record.step, index=index, count=len(PHASES), name=phase_title(record.phase)
            )
        )
        self.chapter_label.setText(chapter_step_text(record.phase))
        self._mark_strip(record.phase)
        self.marks_label.show()  # the forward pass's marks stay until the step ends
        self.values.setHtml(record_html(record, config))
        if record.phase == "update" and "optimizer_state" in record.values:
            v = record.values
            self.show_optimizer_state(
                {
                    "direction": v.get("direction"),
                    "optimizer": v["optimizer"],
                    "momentum": config.optimizer.momentum,
                    "optimizer_state": v["optimizer_state"],
                    "gradients": self._gradients.get(record.step),
                    "step": v["step"],
                    "lr": v["lr"],
                    "step_count": record.step,
                }
            )

    def show_optimizer_state(self, snapshot: dict[str, Any] | None) -> None:
        """Fill the table from ``optimizer_snapshot`` (or an update record's values)."""
        if snapshot is None:
            return
        rows = self._state_rows()
        state = snapshot["optimizer_state"]
        columns: list[tuple[str, np.ndarray | None]] = [("g", snapshot["gradients"])]
        columns += [(STATE_NAMES.get(key, key), values) for key, values in state.items()]
        direction = snapshot.get("direction")
        columns.append((direction_title(direction), None if direction is None else direction.u))
        columns.append((change_title(direction), snapshot["step"]))
        table = self.state_table
        table.clear()
        table.setColumnCount(len(columns) + 1)
        table.setRowCount(len(rows))
        network = self.config is not None and self.config.model.kind == "mlp"
        first = self.tr("tensor") if network else self.tr("coef.")
        table.setHorizontalHeaderLabels([first] + [name for name, _ in columns])
        for row, (name, entry) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(name))
            for column, (_title, values) in enumerate(columns, start=1):
                text = "–" if values is None else _state_cell(values, entry)
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, column, item)
        self._fit_table_height()
        self.state_label.setText(
            self.tr("After step {step}. ").format(step=snapshot["step_count"])
            + (
                self.tr(
                    "One block per tensor: its length ‖·‖ (the root of its entries' squares, "
                    "summed), then its first {count} entries. "
                ).format(count=FIRST_ENTRIES)
                if network
                else ""
            )
            + (
                optimizer_explanation(direction, snapshot["step"])
                if direction is not None and snapshot["step"] is not None
                else ""
            )
        )

    def _fit_table_height(self) -> None:
        """Between three and six rows in view, measured from the rows themselves (they grow with
        the zoom): a crowded dock never squeezes the table down to its header."""
        table = self.state_table
        table.resizeRowsToContents()
        rows = [table.rowHeight(row) for row in range(table.rowCount())]
        frame = 2 * table.frameWidth() + table.horizontalHeader().sizeHint().height()
        frame += table.horizontalScrollBar().sizeHint().height()
        table.setMinimumHeight(frame + sum(rows[:3]))
        table.setMaximumHeight(frame + sum(rows[:6]))

    def _state_rows(self) -> list[tuple[str, int | slice]]:
        """The table's rows: a polynomial's every coefficient; for a network, each tensor's
        norm and its first entries (hundreds of rows help no one and cost a freeze)."""
        if self.config is None:
            return []
        if self.config.model.kind != "mlp":
            return [(name, index) for index, name in enumerate(self.config.coefficient_names)]
        names = parameter_names(self.config.model)
        rows: list[tuple[str, int | slice]] = []
        for group in parameter_groups(self.config.model):
            shape = "×".join(str(size) for size in group.shape)
            rows.append((f"‖{group.name}‖ ({shape})", group.values))
            start = group.values.start or 0
            end = min(group.values.stop, start + FIRST_ENTRIES)
            rows += [(names[index], index) for index in range(start, end)]
        return rows

    def values_text(self) -> str:
        """What the values panel says, as plain text (tests, screen readers)."""
        return self.values.toPlainText()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._flow_strip()

    def _flow_strip(self) -> None:
        """Lay the strip out in the most columns whose width takes the longest name whole."""
        labels = self.strip_labels
        widest = max(label.fontMetrics().horizontalAdvance(label.text()) for label in labels)
        room = self.contentsRect().width() - 8 + self.strip_grid.spacing()
        fit = max(1, min(len(labels), room // (widest + STRIP_PADDING + self.strip_grid.spacing())))
        rows = -(-len(labels) // fit)
        columns = -(-len(labels) // rows)  # the rows as even as can be
        if columns == self.strip_columns:
            return
        self.strip_columns = columns
        for label in labels:
            self.strip_grid.removeWidget(label)
        for index, label in enumerate(labels):
            self.strip_grid.addWidget(label, index // columns, index % columns)

    def _mark_strip(self, phase: str | None) -> None:
        for (owner, _text), label in zip(self.strip, self.strip_labels, strict=True):
            if phase is not None and owner == phase:
                style = strip_style("active")
            elif phase == "zero_grad" and owner is None:
                style = strip_style("next")  # the loop comes back round
            else:
                style = strip_style("idle")
            label.setStyleSheet(f"QLabel {{ {style} border-radius: 3px; padding: 2px; }}")
        self._flow_strip()  # a language switch changes the names' widths


class FitMarks:
    """The forward pass on the fit plot: the sample points' ŷ (red) and y (blue) joined by their
    error ŷ − y, so the loss phase's numbers have a picture."""

    def __init__(self, fit_plot: Any) -> None:
        item = fit_plot.plotItem
        self.errors = pg.PlotDataItem(
            [], [], pen=pg.mkPen(colour("muted"), width=1.5, style=Qt.PenStyle.DashLine)
        )
        self.labels = pg.ScatterPlotItem(
            size=9, brush=pg.mkBrush(None), pen=pg.mkPen(colour("train"), width=2)
        )
        self.predictions = pg.ScatterPlotItem(
            size=9,
            brush=pg.mkBrush(colour("prediction")),
            pen=pg.mkPen(colour("plot_background"), width=1),
        )
        self.marks = (self.errors, self.labels, self.predictions)
        for mark in self.marks:
            mark.setZValue(20)
            item.addItem(mark)
            # hidden while empty: an empty ScatterPlotItem still paints (in Python) at every
            # repaint of the fit plot, i.e. every frame of a run (measured: 2 paints per frame)
            mark.hide()

    def show(self, record: PhaseRecord) -> None:
        samples = np.array(record.values["samples"], dtype=np.float64).reshape(-1, 3)
        x, prediction, label = samples[:, 0], samples[:, 1], samples[:, 2]
        finite = np.isfinite(prediction)
        self.predictions.setData(x[finite], prediction[finite])
        self.labels.setData(x, label)
        segments_x = np.repeat(x[finite], 2)
        segments_y = np.column_stack([prediction[finite], label[finite]]).ravel()
        self.errors.setData(segments_x, segments_y, connect="pairs")
        for mark in self.marks:
            mark.show()

    def clear(self) -> None:
        for mark in self.marks:
            mark.hide()
        self.predictions.setData([], [])
        self.labels.setData([], [])
        self.errors.setData([], [])

    @property
    def shown(self) -> int:
        """How many sample points are marked (tests)."""
        return len(self.predictions.data)
