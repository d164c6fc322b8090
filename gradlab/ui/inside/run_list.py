"""Run history: every finished, stopped or diverged run kept in the core's RunList, listed with a
check box each; checked runs show as faded curves in the loss and fit plots, named in the loss
plot's legend by what differed from the run before (worded in run_words, in the student's
language)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gradlab.core.config import Config
from gradlab.core.prediction import model_prediction
from gradlab.core.runs import RunList, RunListChange, RunRecord
from gradlab.model.plot_buffer import LOSS, PlotBuffer
from gradlab.ui.inside.run_words import run_title, state_name
from gradlab.ui.palette import colour, curve_colour
from gradlab.ui.zoom import line_width

FADED_ALPHA = 120
FIT_POINTS = 300
# the live curves use blue, vermillion and green: earlier runs take the other curve colours
RUN_CURVES = (3, 4, 5, 6, 7)


def run_colour(run_id: int) -> QColor:
    faded = QColor(curve_colour(RUN_CURVES[(run_id - 1) % len(RUN_CURVES)]))
    faded.setAlpha(FADED_ALPHA)
    return faded


def loss_series(record: RunRecord) -> tuple[np.ndarray, np.ndarray]:
    """(steps, loss) of a run, decimated like the live plot (min/max per bucket)."""
    buffer = PlotBuffer(record.final_coefficients.size)
    buffer.append(record.history)
    return buffer.series(LOSS, positive=True)


def fit_series(record: RunRecord) -> tuple[np.ndarray, np.ndarray]:
    """The run's final model (polynomial or network) over its own x range."""
    d = record.config.data
    grid = np.linspace(d.x_min, d.x_max, FIT_POINTS)
    with np.errstate(all="ignore"):
        values = model_prediction(record.config, record.final_coefficients, grid)
    return grid, values


def describe(record: RunRecord, title: str) -> str:
    """One line of the list: "#2  Adam lr=1e-2  ·  finished, 5,000 steps · 8.8172"."""
    loss = record.final_loss
    loss_text = f"{loss:.6g}" if math.isfinite(loss) else str(loss)
    status = QCoreApplication.translate("RunWords", "{state}, {steps} steps").format(
        state=state_name(record.status), steps=f"{record.step_count:,}"
    )
    return f"#{record.id}  {title}  ·  {status} · {loss_text}"


class RunHistoryView(QWidget):
    """The run list and the faded curves it controls (``loss_plot``/``fit_plot`` are LivePlots)."""

    def __init__(
        self, runs: RunList, loss_plot: Any, fit_plot: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("runHistoryView")
        self.runs = runs
        self.loss_plot, self.fit_plot = loss_plot, fit_plot
        self.curves: dict[int, tuple[pg.PlotDataItem, pg.PlotDataItem]] = {}
        self.live_run: int | None = None  # the run still on screen as live curves
        self._bases: dict[int, Config | None] = {}  # each run's predecessor, named by its title
        # each run's title in the current language: a run and its predecessor never change, and
        # the list and legend ask for every title whenever any run comes, goes or goes live
        self._titles: dict[int, tuple[Config, str]] = {}
        # what each run's faded curves show now (shown, legend name): a run that comes, goes
        # or goes live changes one or two of them, not the other 49 runs' legend entries
        self._drawn: dict[int, tuple[bool, str]] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        hint = QLabel(
            self.tr(
                "Finished and stopped runs are kept here. Tick a run to show it as a faded curve "
                "in the loss and fit plots."
            ),
            self,
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {colour('muted')};")
        layout.addWidget(hint)
        self.list = QListWidget(self)
        self.list.setObjectName("runHistoryList")
        self.list.itemChanged.connect(self._on_item_changed)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.setObjectName("removeRunButton")
        self.remove_button.clicked.connect(self._remove_selected)
        self.clear_button = QPushButton(self.tr("Clear all"), self)
        self.clear_button.setObjectName("clearRunsButton")
        self.clear_button.clicked.connect(self.runs.clear)
        row.addWidget(self.remove_button)
        row.addWidget(self.clear_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.memory_label = QLabel(self)  # what the kept runs' rows take
        self.memory_label.setObjectName("runHistoryMemory")
        self.memory_label.setStyleSheet(f"color: {colour('muted')};")
        layout.addWidget(self.memory_label)
        self._unsubscribe = runs.subscribe(self._on_change)
        self._rebuild()

    # ---- public ----

    def set_live_run(self, run_id: int | None) -> None:
        """Hide this run's faded curves while its live curves are on screen."""
        self.live_run = run_id
        self._update_visibility()

    def visible_curves(self) -> list[int]:
        """Ids of runs whose faded curves are drawn now."""
        return [rid for rid, (loss, _fit) in self.curves.items() if loss.isVisible()]

    def set_checked(self, run_id: int, checked: bool) -> None:
        self.runs.set_visible(run_id, checked)

    def title(self, record: RunRecord) -> str:
        """The run's name in the current language: what it changed from the run before it."""
        cached = self._titles.get(record.id)
        if cached is not None and cached[0] is record.config:
            return cached[1]
        title = run_title(record.config, self._bases.get(record.id))
        self._titles[record.id] = (record.config, title)
        return title

    def changeEvent(self, event: QEvent) -> None:  # Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._titles.clear()
            self.list.blockSignals(True)
            self.list.clear()  # every entry again, in the new language
            self.list.blockSignals(False)
            self._rebuild()
        super().changeEvent(event)

    def close_view(self) -> None:
        self._unsubscribe()

    # ---- internals ----

    def _on_change(self, change: RunListChange) -> None:
        if change.kind == "replaced":  # an opened session's runs may reuse the ids on screen
            self._forget(list(self.curves))
        if change.kind != "visibility":
            self._rebuild()
            return
        # a check box changed: keep the items (one may be emitting right now), update them
        self.list.blockSignals(True)
        for row in range(self.list.count()):
            item = self.list.item(row)
            run_id = item.data(Qt.ItemDataRole.UserRole)
            if run_id in self.runs:
                visible = self.runs.get(run_id).visible
                item.setCheckState(Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)
        self._update_visibility()

    def _forget(self, run_ids: list[int]) -> None:
        """Take these runs' curves, legend entries, list items and remembered titles away."""
        for run_id in run_ids:
            for curve, plot in zip(
                self.curves.pop(run_id, ()), (self.loss_plot, self.fit_plot), strict=False
            ):
                plot.show_in_legend(curve, "", False)
                plot.plotItem.removeItem(curve)
                # deleted by the GUI thread's event loop: never by a garbage collection that
                # happens to run in the worker thread (a QObject destroyed there can deadlock)
                curve.deleteLater()
            self._drawn.pop(run_id, None)
            self._bases.pop(run_id, None)
            self._titles.pop(run_id, None)
        gone = set(run_ids)
        self.list.blockSignals(True)
        for row in reversed(range(self.list.count())):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) in gone:
                self.list.takeItem(row)
        self.list.blockSignals(False)

    def _rebuild(self) -> None:
        """Runs came or went: theirs are made or taken away; the other runs' stay as they are."""
        records = {record.id: record for record in self.runs}
        self._forget([run_id for run_id in self.curves if run_id not in records])
        for run_id, record in records.items():
            if run_id not in self.curves:
                self.curves[run_id] = self._make_curves(record)
            if run_id not in self._bases:  # what it changed from the run listed before it
                earlier = [r for r in records.values() if r.id < run_id]
                self._bases[run_id] = earlier[-1].config if earlier else None
        self.list.blockSignals(True)
        for row, record in enumerate(reversed(list(records.values()))):  # newest first
            item = self.list.item(row)
            if item is None or item.data(Qt.ItemDataRole.UserRole) != record.id:
                self.list.insertItem(row, self._item(record))
        self.list.blockSignals(False)
        self._update_visibility()
        self.show_memory()

    def show_memory(self) -> None:
        """The run count and the memory their histories take, in the label under the list."""
        self.memory_label.setText(
            self.tr("Runs kept: {count} · their history: {size} MB").format(
                count=len(self.runs), size=f"{self.runs.nbytes / 1e6:.1f}"
            )
        )

    def _item(self, record: RunRecord) -> QListWidgetItem:
        """The run's entry: its title and what became of it, its tick box, its colour."""
        item = QListWidgetItem(describe(record, self.title(record)))
        item.setData(Qt.ItemDataRole.UserRole, record.id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if record.visible else Qt.CheckState.Unchecked)
        swatch = QPixmap(14, 14)
        swatch.fill(QColor(curve_colour(RUN_CURVES[(record.id - 1) % len(RUN_CURVES)])))
        item.setIcon(QIcon(swatch))
        item.setToolTip(
            self.tr("{label}: {status} after {steps} steps, final loss {loss}").format(
                label=self.title(record),
                status=state_name(record.status),
                steps=f"{record.step_count:,}",
                loss=f"{record.final_loss:.6g}",
            )
        )
        return item

    def _make_curves(self, record: RunRecord) -> tuple[pg.PlotDataItem, pg.PlotDataItem]:
        colour = run_colour(record.id)
        pen = pg.mkPen(colour, width=line_width(1.5))  # made during a run: at the zoom
        loss_curve = self.loss_plot.plotItem.plot([], [], pen=pen)
        loss_curve.setZValue(-5)  # under the live curves
        self.loss_plot.set_curve(loss_curve, *loss_series(record))
        fit_curve = self.fit_plot.plotItem.plot([], [], pen=pen)
        fit_curve.setZValue(-5)
        self.fit_plot.set_curve(fit_curve, *fit_series(record))
        return loss_curve, fit_curve

    def _update_visibility(self) -> None:
        for record in self.runs:
            curves = self.curves.get(record.id)
            if curves is None:
                continue
            shown = record.visible and record.id != self.live_run
            name = f"#{record.id} {self.title(record)}"  # the language may have changed
            if self._drawn.get(record.id) == (shown, name):
                continue
            self._drawn[record.id] = (shown, name)
            for curve in curves:
                curve.setVisible(shown)
            self.loss_plot.show_in_legend(curves[0], name, shown)
            if shown:
                self.loss_plot.rename(curves[0], name)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        run_id = item.data(Qt.ItemDataRole.UserRole)
        if run_id in self.runs:
            self.runs.set_visible(run_id, item.checkState() == Qt.CheckState.Checked)

    def _remove_selected(self) -> None:
        for item in self.list.selectedItems():
            run_id = item.data(Qt.ItemDataRole.UserRole)
            if run_id in self.runs:
                self.runs.remove(run_id)


class RunRecorder(QObject):
    """Puts every finished, stopped or diverged run of ``controller`` into ``runs``, once.

    A finished or diverged run is snapshotted in the worker (``submit``), where the session is
    safe to read; a stopped or replaced one once its worker has been shut down.
    """

    run_ready = Signal(object, int, int)  # (RunRecord, session token, step count)

    def __init__(self, runs: RunList, view: RunHistoryView, controller: Any) -> None:
        super().__init__(view)
        self.runs, self.view, self.controller = runs, view, controller
        self.session: Any = None
        self.token = 0  # counts sessions, so late results of an old one are recognised
        self.recorded: dict[int, int] = {}  # session token -> step count already in the list
        self.run_ready.connect(self._on_run_ready)

    def new_session(self, session: object) -> None:
        """A new session replaces the current one (whose worker is shut down): keep the old."""
        self._record_current()
        self.session = session
        self.token += 1
        self.view.set_live_run(None)

    def record_in_worker(self) -> None:
        """The run finished or diverged: snapshot it between two chunks of the worker."""
        signal, token, base = self.run_ready, self.token, self._base_config()

        def record(session: Any) -> None:
            signal.emit(
                RunRecord.from_session(session, base_config=base), token, int(session.step_count)
            )

        self.controller.submit(record)

    def record_stopped_run(self) -> None:
        """After Stop or Reset: the worker has ended, so the session can be read here."""
        if not self.controller.running:
            self._record_current()
            self.view.set_live_run(None)

    def _base_config(self) -> Config | None:
        records = list(self.runs)
        return records[-1].config if records else None

    def _record_current(self) -> None:
        session = self.session
        if session is None or session.step_count == 0:
            return
        if self.recorded.get(self.token) == session.step_count:
            return
        try:
            record = RunRecord.from_session(session, base_config=self._base_config())
        except ValueError:  # nothing recordable (e.g. no finite state): leave it out
            return
        self._on_run_ready(record, self.token, int(session.step_count))

    def _on_run_ready(self, record: RunRecord, token: int, step_count: int) -> None:
        if self.recorded.get(token) == step_count or step_count == 0:
            return
        self.recorded[token] = step_count
        stored = self.runs.add(record)
        if token == self.token:
            self.view.set_live_run(stored.id)  # its live curves are still on screen
