"""``install_inside_training(window)``: the "see inside training" docks, actions and keys, added to
the lab window with one call.

The docks are views of the window's ``LabModel`` (they subscribe to its events: a new run, a
reset, new rows, a new problem or config, the run state) and act through its ``LabController``.
The session is touched only through ``controller.submit`` (in the worker thread, between
chunks); results come back here through the queued signals of ``_Relay``, as NumPy copies.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QSplitter, QWidget

from gradlab.core.config import Config
from gradlab.core.history import HistoryBatch
from gradlab.core.methods import starting_parameters
from gradlab.core.session import PAUSED_AT_TARGET
from gradlab.model.lab import LabModel
from gradlab.model.problem import Problem
from gradlab.model.rules import needs_new_run
from gradlab.model.run_state import RunState
from gradlab.ui.accessibility import prepare_tree
from gradlab.ui.dock_tabs import build_in_front, whole_tab_titles
from gradlab.ui.inside.actions import InsideActions
from gradlab.ui.inside.code_pane import CodePane
from gradlab.ui.inside.compare_view import CompareView
from gradlab.ui.inside.graph_panel import GraphPanel
from gradlab.ui.inside.landscape_grid import PathRecorder
from gradlab.ui.inside.landscape_start import LandscapeStart
from gradlab.ui.inside.landscape_view import LandscapeView
from gradlab.ui.inside.loss_explorer_view import LossExplorer
from gradlab.ui.inside.phase_text import optimizer_snapshot
from gradlab.ui.inside.phase_view import FitMarks, PhaseView
from gradlab.ui.inside.run_list import RunHistoryView, RunRecorder
from gradlab.ui.inside.stability import EarlyStop, StabilityInfo
from gradlab.ui.widgets import scrolled

if TYPE_CHECKING:
    from gradlab.ui.main_window import MainWindow

DEMO_VARIABLE = "GRADLAB_DEMO"  # phases | landscape | compare: set up a view for screenshots


class _Relay(QObject):
    """Lives in the GUI thread; jobs in the worker thread emit on it (queued connections)."""

    record_ready = Signal(object, object)  # (PhaseRecord, the session's Config)
    not_steppable = Signal(str)  # the session's status when a phase could not run
    optimizer_state = Signal(object)
    coefficients_set = Signal(object, int)  # (coefficients, step count)
    rewound = Signal(bool, int)  # (rewound?, step count now)


class InsideTraining(QObject):
    """The inside-training docks, actions and keys of one window (``window.inside``)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.model: LabModel = window.model
        self.controller = window.controller
        self.relay = _Relay(self)
        self.runs = self.model.runs
        self.path = PathRecorder()
        self._shown: tuple[Config, Problem] | None = None
        self._closed = False

    # ---- building ----

    def build(self) -> Iterator[None]:
        """Build the docks, actions and keys, pausing (a yield) after each view: a window
        built after its first paint runs one part per turn of its event loop."""
        yield from self._build_views()
        self._build_actions()
        self._connect()
        w = self.window
        w.closing.connect(self.shutdown)
        # a dock tab bar may have been made: once for children added in one go
        titles = QTimer(self, singleShot=True, interval=0)
        titles.timeout.connect(self._whole_tab_titles)
        w.child_added.connect(titles.start)
        # the texts after the static texts have switched
        w.language_changed.connect(lambda: QTimer.singleShot(0, self, self.retranslate_ui))
        self._on_new_run()
        QTimer.singleShot(0, self, self._whole_tab_titles)
        demo = os.environ.get(DEMO_VARIABLE, "")
        if demo:
            from gradlab.ui.inside.demo import schedule_demo

            schedule_demo(self, demo)

    def _build_views(self) -> Iterator[None]:
        w = self.window
        self.phase_view = PhaseView()
        yield
        self.code_pane = CodePane()
        yield
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("insideSplitter")
        phase_area = scrolled(self.phase_view)  # a short dock scrolls, never cuts text off
        # the numbers' own boxes scroll sideways; the view follows the dock's width
        phase_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        splitter.addWidget(phase_area)
        splitter.addWidget(self.code_pane)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        self.landscape = LandscapeView()
        yield
        self.compare_view = CompareView(in_parts=True)
        yield from self.compare_view.build()
        yield
        self.run_view = RunHistoryView(self.runs, w.plots.loss, w.plots.fit)
        self.recorder = RunRecorder(self.runs, self.run_view, self.controller.training)
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.inside_dock = w.add_dock(splitter, self.tr("Inside one step"), "insideDock", right)
        self.landscape_dock = w.add_dock(
            scrolled(self.landscape),
            self.tr("Loss landscape"),
            "landscapeDock",
            right,
            self.inside_dock,
        )
        self.compare_dock = w.add_dock(
            scrolled(self.compare_view),
            self.tr("Compare"),
            "compareDock",
            right,
            self.inside_dock,
        )
        build_in_front(self.landscape_dock, self.landscape.dock_visible)  # their plots, then
        build_in_front(self.compare_dock, self.compare_view.dock_visible)
        self.runs_dock = w.add_dock(
            self.run_view, self.tr("Run history"), "runHistoryDock", right, self.inside_dock
        )
        yield
        # a tool of its own, opened from the View menu: six tabs would not fit a 720 px side bar.
        # Closed by default, its dock stands empty until first shown (its pages take ~0.15 s).
        self.loss_explorer: LossExplorer | None = None
        self.loss_dock = w.add_dock(
            QWidget(), self.tr("Loss explorer"), "lossExplorerDock",
            right, self.inside_dock, hidden=True,
        )  # fmt: skip
        build_in_front(self.loss_dock, self._build_loss_explorer)
        self.graph = GraphPanel(self)  # the computation graph, beside the phases
        yield
        if not w.dock_layout_given:  # else the docks already stand where they belong
            self.inside_dock.raise_()
            w.resizeDocks([self.inside_dock], [470], Qt.Orientation.Horizontal)
        self.fit_marks = FitMarks(w.plots.fit)
        lr_box = w.panel.fields["training.lr"].box
        self.stability = StabilityInfo(lr_box, w.plots.loss, self.landscape.note_label)
        self.early_stop = EarlyStop(w)

    def _build_loss_explorer(self, visible: bool = True) -> None:
        """The loss explorer, the first time its dock is shown (its pages take a while)."""
        if visible and self.loss_explorer is None and not self._closed:
            self.loss_explorer = LossExplorer()
            self.loss_dock.setWidget(self.loss_explorer)
            prepare_tree(self.loss_explorer)  # accessible names, as the window's own widgets have

    def _build_actions(self) -> None:
        self.actions = InsideActions(self.window)
        self.actions.add_to_window(
            self.window.menus,
            self.window.controls.toolbar,
            (self.early_stop.checkbox, self.early_stop.tolerance_edit),
        )
        self.step_phase_action, self.rewind_action = self.actions.step_phase, self.actions.rewind
        self.compare_action, self.three_way_action = self.actions.compare, self.actions.three_way
        self.phase_view.set_step_action(self.step_phase_action)
        self.compare_view.set_actions(self.compare_action, self.three_way_action)
        self.window.menus["inside"].addAction(self.compare_view.precision_action)

    def _connect(self) -> None:
        r, e = self.relay, self.model.events
        self.step_phase_action.triggered.connect(self.step_phase)
        self.rewind_action.triggered.connect(self.rewind)
        self.compare_action.triggered.connect(self.compare_optimizers)
        self.three_way_action.triggered.connect(self.three_way_check)
        self.compare_view.gradcheck_button.clicked.connect(self.gradcheck)
        self.compare_view.precision_action.triggered.connect(self.precision_check)
        self.compare_view.precision_method_changed.connect(self.precision_check)
        e.run_started.connect(lambda _config: self._on_new_run())
        e.run_cleared.connect(lambda _none: self._on_new_run())
        e.rows_appended.connect(self._on_batch)
        e.state_changed.connect(self._on_state)
        e.session_ready.connect(self._on_session_ready)
        for event in (e.problem_changed, e.panel_config_changed, e.run_config_changed):
            event.connect(lambda _value: self._show_config())
        self.controller.training.session_ready.connect(self.recorder.new_session)
        r.record_ready.connect(self._on_record)
        r.not_steppable.connect(self._on_not_steppable)
        r.optimizer_state.connect(self.phase_view.show_optimizer_state)
        r.rewound.connect(self._on_rewound)
        self.landscape_start = LandscapeStart(
            self.window, self.landscape, self.path, self.phase_view, r
        )
        self.compare_view.paths_changed.connect(self.landscape.set_overlays)
        self.early_stop.reached.connect(self._on_optimum_reached)
        self.early_stop.checkbox.toggled.connect(self._send_stop_condition)
        self.early_stop.tolerance_edit.editingFinished.connect(self._send_stop_condition)
        controls = self.window.controls
        controls.stop_action.triggered.connect(self.recorder.record_stopped_run)
        controls.reset_action.triggered.connect(self.recorder.record_stopped_run)

    # ---- the model's state ----

    def panel_config(self) -> Config | None:
        return self.model.panel_config

    def display_config(self) -> Config | None:
        """What the code and limits describe: the run's config, or the panel's before a run."""
        return self.model.display_config

    def _on_new_run(self) -> None:
        """A new run or a reset: the path, the phase view and the marks start afresh."""
        config = self.display_config()
        start = self.model.initial_coefficients  # the run's start, from begin_run on
        if start is None and config is not None:  # no run: where the panel's would start
            start = starting_parameters(config)
        self.path.clear(start)
        self.landscape.set_path(self.path.points, self.path.latest)
        self.phase_view.show_idle()
        self.code_pane.highlight_phase(None)
        self.fit_marks.clear()
        self.early_stop.reset()
        self._show_config()

    def _show_config(self) -> None:
        """The code, the limits and the landscape follow the config and problem on screen."""
        if self._closed:
            return
        config, problem = self.display_config(), self.model.problem
        if config is None or problem is None:
            return
        if self._shown is not None and self._shown == (config, problem):
            return
        self._shown = (config, problem)
        self.code_pane.set_config(config)
        self.phase_view.set_config(config)
        self.stability.update(self.panel_config() or config, problem)
        analysis = problem.analysis
        optimum = analysis.optimum_coefficients if analysis is not None else None
        self.landscape.set_problem(config, problem.dataset.x, problem.dataset.y, optimum)
        if self.model.state is RunState.READY:
            self.path.clear(starting_parameters(config))
            self.landscape.set_path(self.path.points, self.path.latest)

    # ---- step phase ----

    def step_phase(self) -> None:
        """Run the next phase of the current step (starting a session first if needed)."""
        w, m = self.window, self.model
        config = self.panel_config()
        if config is None:
            w.statusBar().showMessage(self.tr("Fix the settings marked in red first."), 5000)
            return
        state = m.state
        run = m.run_config
        if state is RunState.PAUSED and run is not None and needs_new_run(run, config):
            if not w.dialogs.confirm(self.tr("These changes need a new run. Start a new run?")):
                return
            state = RunState.READY
        if state in (RunState.READY, RunState.STOPPED, RunState.FAILED):
            self.controller.prepare_run(config)
        elif state is RunState.RUNNING:
            self.controller.pause()
        elif state in (RunState.PAUSED, RunState.FINISHED):  # a new lr, or more steps
            self.model.want(config)
            self.controller.apply_live_changes()
        relay, graph = self.relay, self.graph

        def run_phase(session: Any) -> None:
            if session.done:
                relay.not_steppable.emit(str(session.status))
                return
            record = graph.next_phase(session)  # PhaseStepper's phase, its graph read too
            relay.record_ready.emit(record, session.config)

        self.controller.submit(run_phase)
        if not graph.on_screen:  # the graph dock stays in front when the student chose it
            self.inside_dock.raise_()

    def _on_record(self, record: Any, config: Config) -> None:
        self.phase_view.show_record(record, config)
        self.code_pane.set_config(config)
        self.code_pane.highlight_phase(record.phase)
        if record.phase == "forward":
            self.fit_marks.show(record)

    def _on_not_steppable(self, status: str) -> None:
        def text() -> str:
            if status == "diverged":
                return self.tr("The run diverged: Rewind (Ctrl+Z) to its last good state first.")
            return self.tr("All steps are done: raise Steps and press Start, or Reset.")

        self.phase_view.show_message(text)
        self.window.statusBar().showMessage(text(), 5000)

    # ---- batches, sessions, states ----

    def _on_batch(self, batch: HistoryBatch) -> None:
        rewound_to = batch.rewound_to
        if rewound_to is not None:
            self.path.truncate_after(rewound_to)
            if self.early_stop.reached_at is not None and self.early_stop.reached_at > rewound_to:
                self.early_stop.reset()
        if len(batch.steps):
            self.path.append(batch.steps, batch.coefficients)
        self.landscape.set_path(self.path.points, self.path.latest)
        record = self.phase_view.record
        if record is not None and not record.completes_step and batch.step_count >= record.step:
            step = record.step
            self.phase_view.show_idle(
                lambda: self.tr("Step {step} was finished as a whole step.").format(step=step)
            )
            self.code_pane.highlight_phase(None)
            self.fit_marks.clear()
        problem = self.model.problem
        analysis = problem.analysis if problem is not None else None
        optimum = analysis.optimum_loss if analysis is not None else None
        if self.model.state is RunState.RUNNING or batch.status == PAUSED_AT_TARGET:
            self.early_stop.check(batch, optimum)

    def _on_session_ready(self, start: np.ndarray) -> None:
        self.path.clear(start)
        self.landscape.set_path(self.path.points, self.path.latest)
        self.early_stop.reset()

    def _on_state(self, state: RunState) -> None:
        self.rewind_action.setEnabled(state is RunState.DIVERGED)
        if state in (RunState.FINISHED, RunState.DIVERGED):
            self.recorder.record_in_worker()
        elif state is RunState.PAUSED:
            config = self.model.run_config
            if config is not None and config.training.method == "torch-optim":
                relay = self.relay
                self.controller.submit(lambda s: relay.optimizer_state.emit(optimizer_snapshot(s)))
        self._show_config()

    # ---- rewind, early stop, a new start ----

    def rewind(self) -> None:
        """After a divergence: back to the last good snapshot (session.rewind in the worker)."""
        if self.model.state is not RunState.DIVERGED:
            return
        relay = self.relay
        self.controller.submit(lambda s: relay.rewound.emit(bool(s.rewind()), int(s.step_count)))

    def _on_rewound(self, ok: bool, step: int) -> None:
        if not ok:
            return
        self.window.banner.dismiss()

        def text() -> str:
            return self.tr(
                "Rewound to step {step}, the last good state. Lower the learning rate, then Resume."
            ).format(step=step)

        self.window.statusBar().showMessage(text(), 10_000)
        self.phase_view.show_idle(text)
        self.rewind_action.setEnabled(False)

    def _send_stop_condition(self, *_args: object) -> None:
        """The session itself pauses at the first step within the tolerance, at any speed."""
        on = self.early_stop.enabled
        self.controller.stop_near_optimum(self.early_stop.tolerance() if on else None)

    def _on_optimum_reached(self, step: int, loss: float) -> None:
        total = self.model.total_steps
        tolerance = self.early_stop.tolerance_edit.text()
        self.window.banner.show_message(
            lambda: self.tr(
                "The loss {loss:.8g} is within {tol} of the optimum at step {step:,} (of "
                "{total:,}): the rest of the run would change almost nothing. Paused; Resume "
                "to go on anyway."
            ).format(loss=loss, tol=tolerance, step=step, total=total),
            "info",
        )

    # ---- compare ----

    def compare_optimizers(self) -> None:
        self._in_compare_dock(self.compare_view.start_compare)

    def three_way_check(self) -> None:
        self._in_compare_dock(self.compare_view.start_three_way)

    def gradcheck(self) -> None:
        self._in_compare_dock(self.compare_view.gradcheck.start)

    def precision_check(self) -> None:
        self._in_compare_dock(self.compare_view.start_precision)

    def _in_compare_dock(self, start: Callable[[Config], None]) -> None:
        """Start one of the compare dock's runs from the panel's settings, the dock in front."""
        config = self.panel_config()
        if config is not None:
            start(config)
            self.compare_dock.raise_()

    # ---- closing ----

    def _whole_tab_titles(self) -> None:
        if not self._closed:
            whole_tab_titles(self.window)

    def retranslate_ui(self) -> None:
        """The texts built from numbers (phase values, limits, titles) in the new language."""
        if self._closed:
            return
        record, config = self.phase_view.record, self.phase_view.config
        if record is not None and config is not None:
            self.phase_view.show_record(record, config)
        else:
            self.phase_view.retranslate_message()
        self._shown = None  # write the limits and sentence again
        self.landscape.retranslate_ui()
        self.graph.retranslate_ui()
        self._show_config()

    def shutdown(self) -> None:
        """Stop the compare worker and the pool threads (the window is closing)."""
        if self._closed:
            return
        self._closed = True
        self.compare_view.shutdown()
        if self.loss_explorer is not None:
            self.loss_explorer.shutdown()
        self.landscape.shutdown()
        self.stability.shutdown()
        self.run_view.close_view()


def install_inside_training(window: MainWindow) -> InsideTraining:
    """Add the phase view, code pane, landscape, run history and compare docks, their actions
    and keys to ``window``; returns the installed object (also ``window.inside``). In parts:
    ``InsideTraining(window)``, then run ``build()``."""
    inside = InsideTraining(window)
    for _part in inside.build():
        pass
    return inside
