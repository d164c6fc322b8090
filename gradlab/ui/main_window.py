"""The lab window: parameter panel (left dock), read-outs and 2×2 live plots (centre), the run
toolbar, a status bar, and the glue between the controls, the panel and the training controller.

Worker batches go to the LiveView (plots/live_view.py), which redraws on a 33 ms timer only when
something new arrived. Changing settings mid-run: the learning rate, step count and optimizer
hyperparameters apply on resume; anything else asks (``confirm_reset``) before a new run.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from gradlab.core.config import Config, ConfigError
from gradlab.ui.controller import TrainingController
from gradlab.ui.controls import RunControls, live_change_jobs
from gradlab.ui.parameter_panel import ParameterPanel, needs_new_run
from gradlab.ui.plot_buffer import PlotBuffer
from gradlab.ui.plots import PlotGrid
from gradlab.ui.plots.live_view import LiveView
from gradlab.ui.plots.problem import Problem
from gradlab.ui.readouts import Banner, ReadoutBar, divergence_message, lr_warning
from gradlab.ui.widgets import format_number


def make_session(config: Config) -> object:
    """The default session factory; runs in the worker thread (torch is imported there)."""
    from gradlab.core.session import TrainingSession

    return TrainingSession(config)


class MainWindow(QMainWindow):
    """GradLab's polynomial lab. Public parts other panes use: ``controller``, ``panel``,
    ``plots``, ``readouts``, ``banner``, ``controls``, ``buffer``, ``menus``, ``add_dock()``,
    ``run_state``, ``redraw_count`` and ``confirm_reset()`` (tests replace it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("GradLab — watch gradient descent fit a polynomial"))
        self.run_state = "ready"  # ready|preparing|running|paused|finished|diverged|stopped
        self.session_factory: Callable[[Config], object] = make_session
        self.controller = TrainingController(self)
        self._run_config: Config | None = None  # what the current session runs with
        self._wanted: Config | None = None  # the run config plus live changes not yet applied
        self._pending: tuple[str, int] | None = None  # what to do once the session is ready
        self._session_live = False  # False after Reset: late signals of the old run are dropped
        self._applying = False  # the window itself is writing the panel: ignore its signals
        self._skip_first_pause = False

        self.panel = ParameterPanel()
        self.plots = PlotGrid()
        self.readouts = ReadoutBar()
        self.banner = Banner()
        self.controls = RunControls(self)
        self.view = LiveView(self.plots, self.readouts, self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.controls.toolbar)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(6)
        layout.addWidget(self.banner)
        layout.addWidget(self.readouts)
        layout.addWidget(self.plots, 1)
        self.setCentralWidget(central)
        self.setDockNestingEnabled(True)
        self.menus = self._build_menus()
        self.panel_dock = self.add_dock(
            self.panel, self.tr("Experiment"), "parameterDock", Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.state_label = QLabel(self)
        self.state_label.setObjectName("stateLabel")
        self.statusBar().addPermanentWidget(self.state_label)

        self._connect()
        self.plots.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # click a plot to leave a field
        self._show_problem(self.panel.config())
        self._set_state("ready")

    # ---- state other panes and tests read ----

    @property
    def redraw_count(self) -> int:
        """Redraws actually done (the benchmark reads it)."""
        return self.view.redraw_count

    @property
    def buffer(self) -> PlotBuffer:
        """The current run's drawable history."""
        return self.view.buffer

    @property
    def problem(self) -> Problem | None:
        """Dataset, analysis and reference curves of the config on screen."""
        return self.view.problem

    @property
    def step_count(self) -> int:
        """Steps done in the current run (as last reported by the worker)."""
        return self.view.step_count

    @property
    def run_config(self) -> Config | None:
        """The config the current run uses, with the live changes applied so far."""
        return self._run_config

    def showEvent(self, event: QShowEvent) -> None:
        """Start with the focus on the plots, so Space and → work before any click."""
        super().showEvent(event)
        if QApplication.focusWidget() is None or not self.isAncestorOf(QApplication.focusWidget()):
            self.plots.setFocus()

    # ---- layout helpers for other panes ----

    def add_dock(
        self,
        widget: QWidget,
        title: str,
        object_name: str,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
        tabify_with: QDockWidget | None = None,
    ) -> QDockWidget:
        """Put ``widget`` in a dock (named for saveState) with a toggle in the View menu."""
        dock = QDockWidget(title, self)
        dock.setObjectName(object_name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        if tabify_with is not None:
            self.tabifyDockWidget(tabify_with, dock)
        self.menus["view"].addAction(dock.toggleViewAction())
        return dock

    def _build_menus(self) -> dict[str, object]:
        bar = self.menuBar()
        menus = {
            "file": bar.addMenu(self.tr("&File")),
            "run": bar.addMenu(self.tr("&Run")),
            "view": bar.addMenu(self.tr("&View")),
        }
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menus["file"].addAction(quit_action)
        for action in self.controls.actions.values():
            menus["run"].addAction(action)
        menus["view"].addAction(self.controls.toolbar.toggleViewAction())
        return menus

    def _connect(self) -> None:
        c = self.controls
        c.start_action.triggered.connect(self.start)
        c.pause_action.triggered.connect(lambda _checked=False: self.toggle_pause())
        c.step_action.triggered.connect(lambda: self.step(1))
        c.step_n_action.triggered.connect(lambda: self.step(c.step_count()))
        c.stop_action.triggered.connect(self.stop)
        c.reset_action.triggered.connect(self.reset)
        c.speed_changed.connect(self.controller.set_speed)
        self.controller.set_speed(c.speed())
        self.panel.config_changed.connect(self._on_config_changed)
        self.panel.validity_changed.connect(self._on_validity_changed)
        self.controller.session_ready.connect(self._on_session_ready)
        self.controller.batch_ready.connect(self._on_batch)
        self.controller.state_changed.connect(self._on_state)
        self.controller.failed.connect(self._on_failed)

    # ---- the controls ----

    def start(self) -> None:
        """Start/Resume (F5): resume a paused run, extend a finished one, or begin a new run."""
        config = self._panel_config()
        if config is None:
            return
        state = self.run_state
        if state == "preparing":
            self._pending = ("resume", 0)
        elif state == "paused":
            if self._reconcile(config) == "new-run":
                self._begin_run(config, ("resume", 0))
            else:
                self._apply_live_changes()
                self.controller.resume()
        elif (
            state == "finished"
            and config.training.steps > self.step_count
            and (not needs_new_run(self._run_config, config))
        ):
            self._wanted = config
            self._apply_live_changes()
            self.controller.resume()
        elif state in ("ready", "stopped", "finished", "diverged"):
            self._begin_run(config, ("resume", 0))

    def toggle_pause(self) -> None:
        """Pause (Space): pause a run (or a long Step ×N), or resume a paused one."""
        worker = self.controller.worker
        if self.run_state == "running" or (worker is not None and worker.active):
            self.controller.pause()
        elif self.run_state == "paused":
            self.start()
        self._update_controls()

    def step(self, n: int = 1) -> None:
        """Do exactly ``n`` steps, then pause; starts a session first if there is none."""
        config = self._panel_config()
        if config is None:
            return
        if self.run_state == "paused":
            if self._reconcile(config) == "new-run":
                self._begin_run(config, ("step", n))
            else:
                self._apply_live_changes()
                self.controller.step(n)
        elif self.run_state in ("ready", "stopped"):
            self._begin_run(config, ("step", n))
        elif self.run_state == "preparing":
            self._pending = ("step", n)

    def stop(self) -> None:
        """End the run; its plots stay. The final batch still arrives and is drawn."""
        if not self.controller.running:
            return
        self._pending = None
        self.controller.shutdown()
        self._set_state("stopped")

    def reset(self) -> None:
        """Back to step 0 with the panel's settings; clears the run's plots."""
        self.controller.shutdown()
        self._session_live = False
        self._pending = None
        self._run_config = self._wanted = None
        self.view.clear_run(None)
        self.banner.dismiss()
        config = self._panel_config(quiet=True)
        if config is not None:
            self._show_problem(config)
        self._set_state("ready")

    def confirm_reset(self, text: str) -> bool:
        """Ask before throwing a run away (tests replace this method)."""
        answer = QMessageBox.question(
            self,
            self.tr("Start a new run?"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    # ---- runs and settings ----

    def _panel_config(self, *, quiet: bool = False) -> Config | None:
        try:
            return self.panel.config()
        except ConfigError as error:
            if not quiet:
                self.statusBar().showMessage(str(error), 5000)
            return None

    def _begin_run(self, config: Config, then: tuple[str, int]) -> None:
        self.controller.shutdown()
        self.view.clear_run(config)
        self.banner.dismiss()
        self._show_problem(config)
        self._run_config = self._wanted = config
        self._pending = then
        self._session_live = True
        self._skip_first_pause = False
        factory = self.session_factory  # read here: the lambda runs in the worker thread
        self.controller.start(lambda: factory(config))
        self._set_state("preparing")
        if config.training.method.startswith("torch"):
            self.statusBar().showMessage(
                self.tr(
                    "Preparing the run: the first PyTorch run of a session loads PyTorch, "
                    "which takes a few seconds…"
                ),
                10_000,
            )

    def _reconcile(self, config: Config) -> str:
        """Compare the panel with the run: "same", "live" (apply on resume), "new-run" (the
        student agreed to start over) or "kept" (they declined; the panel is put back)."""
        if self._run_config is None:
            return "new-run"
        if needs_new_run(self._run_config, config):
            text = self.tr(
                "These changes need a new run, which starts again from step 0 and "
                "clears the plots. Start a new run?"
            )
            if self.confirm_reset(text):
                return "new-run"
            self._applying = True
            try:
                self.panel.set_config(self._wanted or self._run_config, notify=False)
            finally:
                self._applying = False
            return "kept"
        self._wanted = config
        return "same" if config == self._run_config else "live"

    def _apply_live_changes(self) -> None:
        """Send the learning rate, step count and optimizer settings to the paused session."""
        run, wanted = self._run_config, self._wanted
        if run is None or wanted is None or run == wanted:
            return
        for job in live_change_jobs(run, wanted):
            self.controller.submit(job)
        self.view.total_steps = wanted.training.steps
        self._run_config = wanted
        self.view.config = wanted
        self.view.mark_dirty()

    def _on_config_changed(self, config: Config) -> None:
        if self._applying:
            return
        self._update_lr_warning(config)
        if self._run_config is None:
            self._show_problem(config)
        else:
            outcome = self._reconcile(config)
            if outcome == "new-run":
                self.reset()
            elif outcome == "live" and self.run_state == "running":
                self._apply_live_changes()
        self._update_controls()

    def _on_validity_changed(self, valid: bool) -> None:
        if valid:
            self._update_lr_warning(self.panel.config(), compute=False)
        self._update_controls()

    # ---- worker signals ----

    def _on_session_ready(self, session: object) -> None:
        if not self._session_live:
            return
        self.statusBar().clearMessage()
        try:  # the worker is paused now, so reading the starting point is safe
            self.view.initial_coefficients = np.array(session.coefficients, dtype=np.float64)
        except Exception:
            self.view.initial_coefficients = None
        self.view.mark_dirty()
        action, n = self._pending or ("", 0)
        self._pending = None
        if action == "resume":
            self._skip_first_pause = True  # the worker's "paused" is already on its way
            self.controller.resume()
        elif action == "step":
            self.controller.step(n)

    def _on_batch(self, batch: object) -> None:
        if self._session_live:
            self.view.add_batch(batch)

    def _on_state(self, state: str) -> None:
        if not self._session_live:
            return
        if state == "paused" and (self._pending is not None or self._skip_first_pause):
            self._skip_first_pause = False
            return  # the session just got ready; the pending Start follows at once
        if self.run_state == "stopped" and state != "stopped":
            return  # the last words of a stopped worker
        self._set_state(state)
        if state == "diverged":
            self._show_divergence()
        elif state == "finished":
            self.statusBar().showMessage(self.tr("Finished: all steps done."), 5000)

    def _on_failed(self, message: str) -> None:
        if self._session_live:
            self.banner.show_message(message, "error")

    # ---- state, banner, drawing ----

    def _set_state(self, state: str) -> None:
        self.view.set_running(state == "running")
        self.run_state = state
        self.state_label.setText(self.controls.state_text(state))
        self._update_controls()

    def _update_controls(self) -> None:
        self.controls.update_state(self.run_state, config_valid=self.panel.is_valid())

    def _show_divergence(self) -> None:
        config = self._run_config or self.panel.config()
        analysis = self.problem.analysis if self.problem is not None else None
        text, suggestion = divergence_message(config, analysis, self.view.diverged_at)
        if suggestion is None:
            self.banner.show_message(text, "warning")
            return
        self.banner.show_message(
            text,
            "warning",
            self.tr("Use lr = {lr}").format(lr=format_number(suggestion)),
            lambda: self._use_learning_rate(suggestion),
        )

    def _use_learning_rate(self, lr: float) -> None:
        config = (self._run_config or self.panel.config()).with_changes(**{"training.lr": lr})
        self.reset()
        self._applying = True
        try:
            self.panel.set_config(config, notify=False)
        finally:
            self._applying = False
        self._update_lr_warning(config)
        self._update_controls()

    def _update_lr_warning(self, config: Config, *, compute: bool = True) -> None:
        try:
            problem = self.view.problems.get(config, compute=compute)
        except ConfigError:  # bad data: _show_problem marks it at its field
            problem = None
        if problem is not None or compute:
            analysis = problem.analysis if problem is not None else None
            self.panel.set_lr_warning(lr_warning(config, analysis))

    def _show_problem(self, config: Config) -> None:
        """Draw what a config fixes before any step; data errors are marked in the panel."""
        try:
            self.view.show_problem(config)
        except ConfigError as error:
            self.panel.set_external_error(error.field, str(error))
            self._update_controls()
            return
        for path in ("data.target", "data.val_fraction", "data.x_min", "data.x_max"):
            self.panel.set_external_error(path, None)
        self._update_lr_warning(config)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop the worker and join its thread (within a second) before the window goes."""
        self.view.timer.stop()
        self._session_live = False
        self.controller.shutdown()
        super().closeEvent(event)
