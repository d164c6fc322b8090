"""The computation graph dock: the GraphView, fed from the worker thread.

Phase steps read the graph in the same worker job as the phase (``next_phase``); while a run
goes on, the latest step's graph is read at most about once a second, and once more when the
run pauses or ends, and only while the dock is on screen: a hidden dock costs nothing per batch.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal

from gradlab.core.autograd_graph import latest_graph, next_phase_with_graph
from gradlab.core.graph_data import ComputationGraph
from gradlab.core.history import HistoryBatch
from gradlab.core.phases import PhaseRecord
from gradlab.model.run_state import RunState
from gradlab.ui.inside.graph_view import GraphView

if TYPE_CHECKING:
    from gradlab.ui.inside.install import InsideTraining

REFRESH_SECONDS = 1.0  # while running: the graph of the latest step, at most this often


class _GraphRelay(QObject):
    graph_ready = Signal(object)  # a ComputationGraph (or None) read with a phase step


class GraphPanel(QObject):
    """The "Computation graph" dock of the inside-training views."""

    def __init__(self, inside: InsideTraining) -> None:
        super().__init__(inside)
        self.window, self.model = inside.window, inside.model
        self.training = inside.controller.training
        self.view = GraphView()
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.dock = self.window.add_dock(
            self.view, self.tr("Computation graph"), "graphDock", right, inside.inside_dock
        )
        self.relay = _GraphRelay(self)
        self._waiting: ComputationGraph | None = None  # arrived while the dock was hidden
        self._asked_at = -REFRESH_SECONDS
        self._asking = False
        self._state = self.model.state
        self.relay.graph_ready.connect(self._on_graph)
        self.dock.visibilityChanged.connect(self._on_visibility)
        events = self.model.events
        events.run_started.connect(lambda _config: self._clear())
        events.run_cleared.connect(lambda _none: self._clear())
        events.rows_appended.connect(self._on_batch)
        events.state_changed.connect(self._on_state)

    @property
    def on_screen(self) -> bool:
        """True while the student can see the graph (not behind another dock's tab)."""
        return self.view.isVisible() and not self.view.visibleRegion().isEmpty()

    def next_phase(self, session: Any) -> PhaseRecord:
        """In the worker thread: run the next phase and send its graph to the view."""
        record, graph = next_phase_with_graph(session)
        self.relay.graph_ready.emit(graph)
        return record

    # ---- graphs arriving ----

    def _on_graph(self, graph: ComputationGraph | None, *, animate: bool = True) -> None:
        if graph is None:
            return
        if not self.on_screen:
            self._waiting = graph  # drawn when the dock is shown
            return
        self._waiting = None
        self.view.show_graph(graph, animate=animate)

    def _on_latest(self, graph: ComputationGraph | None) -> None:
        self._asking = False
        if self.model.state is RunState.READY:
            return  # reset meanwhile
        self._on_graph(graph, animate=False)

    def _ask_latest(self) -> None:
        if self._asking:
            return
        self._asking = True
        self._asked_at = time.monotonic()
        self.training.submit(latest_graph, self._on_latest)

    # ---- the model's events ----

    def _on_batch(self, batch: HistoryBatch) -> None:
        if not len(batch.steps) or not self.on_screen:
            return  # nothing per batch for a hidden dock
        if self.model.state is RunState.RUNNING:
            if time.monotonic() - self._asked_at >= REFRESH_SECONDS:
                self._ask_latest()

    def _on_state(self, state: RunState) -> None:
        was, self._state = self._state, state
        if was is RunState.RUNNING and state is not RunState.RUNNING and self.on_screen:
            self._ask_latest()  # the run paused or ended: its last step, exactly

    def _on_visibility(self, visible: bool) -> None:
        if not visible:
            return
        if self._waiting is not None:
            self._on_graph(self._waiting, animate=False)
        elif self.view.graph is None and self.model.step_count and self.model.state.has_session:
            self._ask_latest()

    def _clear(self) -> None:
        self._waiting = None
        self.view.clear()

    def retranslate_ui(self) -> None:
        self.dock.setWindowTitle(self.tr("Computation graph"))
        self.view.retranslate()
