"""``LabController``: turns the student's intents into worker calls and the worker's signals into
``LabModel`` transitions. It owns the training thread (through ``TrainingController``) and asks
through ``Dialogs`` before throwing a run away; it draws nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from gradlab.core.config import Config, ConfigError
from gradlab.core.history import HistoryBatch
from gradlab.model.lab import Intent, LabModel
from gradlab.model.rules import LiveChanges, StartPlan, needs_new_run, plan_start, plan_step
from gradlab.model.run_state import RunState
from gradlab.ui.controller import TrainingController
from gradlab.ui.dialogs import Dialogs

SessionFactory = Callable[[Config], Any]
Job = Callable[[Any], object]


def make_session(config: Config) -> Any:
    """The default session factory; runs in the worker thread (torch is imported there)."""
    from gradlab.core.session import TrainingSession

    return TrainingSession(config)


def live_change_jobs(changes: LiveChanges) -> list[Job]:
    """What to submit to a paused session so it takes on ``changes``."""
    jobs: list[Job] = []
    lr, steps, optimizer = changes.lr, changes.steps, dict(changes.optimizer)
    if lr is not None:
        jobs.append(lambda session: session.set_learning_rate(lr))
    if steps is not None:  # never below the steps already done
        jobs.append(lambda session: session.set_total_steps(max(steps, session.step_count)))
    if optimizer:
        jobs.append(lambda session: session.set_optimizer_hyperparameters(**optimizer))
    return jobs


def stop_condition_job(tolerance: float | None) -> Job:
    """Give the session its stop condition near the optimum of its own data (None clears it)."""
    if tolerance is None:
        return lambda session: session.pause_when(None)
    return lambda session: session.pause_when(session.analysis.optimum_loss, tolerance)


class LabController(QObject):
    """The polynomial lab's controller; see the module docstring."""

    failed = Signal(object)  # what the worker reported (shown by the banner)
    invalid_settings = Signal(object)  # Start/Step with a field in error: the ConfigError
    preparing_torch = Signal()  # a torch run is being prepared (the first one imports torch)

    def __init__(self, model: LabModel, dialogs: Dialogs, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.dialogs = dialogs
        self.session_factory: SessionFactory = make_session
        self.training = TrainingController(self)
        self.panel_error: ConfigError | None = None
        # the panel's current settings, typed but not yet committed ones included
        self.read_settings: Callable[[], Config] = lambda: self._last_settings()
        self.new_run_question: Callable[[], str] = lambda: self.tr(
            "These changes need a new run, which starts again from step 0 and "
            "clears the plots. Start a new run?"
        )
        t = self.training
        t.session_ready.connect(self._on_session_ready)
        t.batch_ready.connect(self._on_batch)
        t.state_changed.connect(self._on_state)
        t.failed.connect(self._on_failed)

    # ---- the panel ----

    def settings_changed(self, config: Config | None, error: ConfigError | None = None) -> None:
        """The panel's settings changed (``config`` None while ``error`` marks a field)."""
        self.panel_error = error
        m = self.model
        m.set_panel_config(config)
        if config is None:
            return
        if m.run_config is None:
            return
        if needs_new_run(m.run_config, config):
            if self._confirm_new_run():
                self.reset()
            return
        m.want(config)
        if m.state is RunState.RUNNING:
            self.apply_live_changes()

    def _confirm_new_run(self) -> bool:
        """Ask; if the student declines, the panel goes back to the run's settings."""
        if self.dialogs.confirm(self.new_run_question()):
            return True
        m = self.model
        kept = m.wanted or m.run_config
        if kept is not None:
            m.revert_panel(kept)
        return False

    def _last_settings(self) -> Config:
        config = self.model.panel_config
        if config is None:
            raise self.panel_error or ConfigError(
                "", "the settings are not valid", message_id="settings_invalid"
            )
        return config

    def _panel_config(self) -> Config | None:
        """The settings an intent uses now (None, and a message, while a field is in error)."""
        try:
            config = self.read_settings()
        except ConfigError as error:
            self.invalid_settings.emit(error)
            return None
        if config != self.model.panel_config:
            self.model.set_panel_config(config)
        return config

    # ---- the controls ----

    def start(self) -> None:
        """Start/Resume (F5): resume a paused run, extend a finished one, or begin a new run."""
        config = self._panel_config()
        if config is None:
            return
        m = self.model
        plan = plan_start(m.state, m.run_config, config, m.step_count)
        if plan is StartPlan.QUEUE:
            m.pending = Intent("resume")
        elif plan is StartPlan.CONFIRM_NEW_RUN:
            if self._confirm_new_run():
                self.begin_run(config, Intent("resume"))
        elif plan is StartPlan.CONTINUE:
            m.want(config)
            self.apply_live_changes()
            self.training.resume()
        elif plan is StartPlan.NEW_RUN:
            self.begin_run(config, Intent("resume"))

    def toggle_pause(self) -> None:
        """Pause (Space): pause a run (or a long Step ×N), or resume a paused one."""
        m = self.model
        worker = self.training.worker
        if m.state is RunState.RUNNING or (worker is not None and worker.active):
            self.training.pause()
        elif m.state is RunState.PREPARING:
            m.pending = Intent("idle")  # stay paused once ready
        elif m.state is RunState.PAUSED:
            self.start()

    def step(self, n: int = 1) -> None:
        """Do exactly ``n`` steps, then pause; starts a session first if there is none."""
        config = self._panel_config()
        if config is None:
            return
        m = self.model
        plan = plan_step(m.state, m.run_config, config)
        if plan is StartPlan.QUEUE:
            m.pending = Intent("step", n)
        elif plan is StartPlan.CONFIRM_NEW_RUN:
            if self._confirm_new_run():
                self.begin_run(config, Intent("step", n))
        elif plan is StartPlan.CONTINUE:
            m.want(config)
            self.apply_live_changes()
            self.training.step(n)
        elif plan is StartPlan.NEW_RUN:
            self.begin_run(config, Intent("step", n))

    def stop(self) -> None:
        """End the run; its plots stay. The final batch still arrives and is drawn."""
        if not self.training.running:
            return
        self.model.pending = None
        self.training.shutdown()
        self.model.stop()

    def reset(self) -> None:
        """Back to step 0 with the panel's settings; clears the run's plots."""
        self.training.shutdown()
        self.model.reset()

    def set_speed(self, steps_per_second: float | None) -> None:
        self.training.set_speed(steps_per_second)

    def use_learning_rate(self, lr: float) -> None:
        """The banner's suggestion: reset and put ``lr`` in the panel."""
        m = self.model
        base = m.run_config or m.panel_config
        if base is None:
            return
        self.reset()
        m.revert_panel(base.with_changes(**{"training.lr": lr}))

    # ---- for the inside-training docks ----

    def begin_run(self, config: Config, then: Intent) -> None:
        """A new session for ``config`` in a fresh thread; ``then`` follows once it is ready."""
        self.training.shutdown()
        self.model.begin_run(config, then)
        factory = self.session_factory  # read here: the lambda runs in the worker thread
        self.training.start(lambda: factory(config))
        if config.training.method.startswith("torch"):
            self.preparing_torch.emit()

    def prepare_run(self, config: Config) -> None:
        """Start a paused session for ``config`` without taking a step."""
        self.begin_run(config, Intent("idle"))

    def apply_live_changes(self) -> None:
        """Send the wanted learning rate, step count and optimizer settings to the session."""
        for job in live_change_jobs(self.model.take_live_changes()):
            self.training.submit(job)

    def stop_near_optimum(self, tolerance: float | None) -> None:
        """Pause the run at the first step whose loss is within ``tolerance`` of the optimum
        (None: run on). The session stops there itself, at any speed."""
        self.model.stop_tolerance = tolerance
        if self.has_session:
            self.training.submit(stop_condition_job(tolerance))

    def submit(self, job: Job) -> None:
        """Run ``job(session)`` in the worker thread between chunks."""
        self.training.submit(job)

    def pause(self) -> None:
        self.training.pause()

    @property
    def has_session(self) -> bool:
        return self.training.worker is not None and self.model.state.has_session

    def shutdown(self) -> None:
        """Stop the worker and join its thread (the window is closing)."""
        self.model.pending = None
        self.training.shutdown()

    # ---- worker signals ----

    def _on_session_ready(self, session: Any) -> None:
        if self.model.state is RunState.READY:
            return
        try:  # the worker is paused now, so reading the starting point is safe
            initial: np.ndarray | None = np.array(session.coefficients, dtype=np.float64)
        except Exception:
            initial = None
        if self.model.stop_tolerance is not None:  # before any step: the worker runs jobs first
            self.training.submit(stop_condition_job(self.model.stop_tolerance))
        intent = self.model.session_ready(initial)
        if intent is None:
            return
        if intent.action == "resume":
            self.training.resume()
        elif intent.action == "step":
            self.training.step(intent.n)

    def _on_batch(self, batch: HistoryBatch) -> None:
        self.model.append(batch)

    def _on_state(self, state: str) -> None:
        self.model.worker_state(RunState(state))

    def _on_failed(self, failure: object) -> None:
        if self.model.state is not RunState.READY:
            self.failed.emit(failure)
