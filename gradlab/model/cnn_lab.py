"""The CNN lab's state and rules, without Qt: its settings, where its run is, the pipeline stage
each strip box shows, and what each worker report or student intent changes.

``CnnLabModel`` holds it all and says what changed through typed events; the Qt controller
(gradlab.ui.cnn.controller) feeds it intents and the worker's reports and carries out the
``Effect``s its transitions return; the views subscribe. Nothing here is prose: outcomes are
enums and values, which the views put into words.

A session belongs to one *generation*: after Reset or a new session, late reports of the old
one are dropped. "Step one batch" and "load the data" need no hook in the worker: the lab steps
one unit at a time until a batch reaches a ``Goal``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from gradlab.core.cnn.config import CnnConfig
from gradlab.core.cnn.results import CnnBatch
from gradlab.model.cnn_pipeline import DONE_STATUSES as _DONE
from gradlab.model.cnn_pipeline import stage_details, stage_statuses
from gradlab.model.events import Event
from gradlab.model.run_state import Control, RunState, enabled_controls

__all__ = [
    "DATA_FIELDS",
    "LIVE_FIELDS",
    "CnnLabModel",
    "Effect",
    "Goal",
    "ResultsRequest",
    "RunEnded",
]

DATA_FIELDS = ("dataset", "data_dir", "n_images", "val_fraction", "seed")  # they change the data
LIVE_FIELDS = ("lr",)  # may change while a run is paused or running
RUN_STATES = frozenset({RunState.PREPARING, RunState.RUNNING, RunState.PAUSED})  # settings locked
RESULT_STATES = frozenset({RunState.PAUSED, RunState.FINISHED, RunState.STOPPED, RunState.DIVERGED})
CNN_CONTROLS = frozenset(Control) - {Control.REWIND}  # a diverged CNN run starts again instead


class Goal(str, Enum):
    """What stepping unit by unit waits for."""

    DATA_LOADED = "data_loaded"  # the data stage is over (the samples can be shown)
    STEP_DONE = "step_done"  # one more training batch (Step one batch)


class Effect(str, Enum):
    """What the controller must do after a transition (the model has no worker)."""

    STEP_AGAIN = "step_again"  # ask the worker for one more unit
    REQUEST_SAMPLES = "request_samples"
    REQUEST_RESULTS = "request_results"  # if the results page is open
    APPLY_LR = "apply_lr"  # a live learning-rate change: ``run_lr`` is the new value
    DATA_STALE = "data_stale"  # the shown samples belong to other data settings


@dataclass(frozen=True)
class RunEnded:
    """A run reached an end by itself: FINISHED, DIVERGED or FAILED, at ``step_count``."""

    state: RunState
    step_count: int
    lr: float
    val_accuracy: float  # after the last validated epoch (NaN: none)


@dataclass(frozen=True)
class ResultsRequest:
    """Ask the worker for the results (``with_pictures``: the validation images too)."""

    key: tuple[int, int, int]
    with_pictures: bool


class CnnLabModel:
    """The CNN lab's settings, run state, pipeline progress and what the worker reported.

    Events: ``state_changed(RunState)``, ``config_changed(CnnConfig)`` (a valid committed
    edit), ``controls_changed(None)`` (what ``enabled_controls()`` or ``stepping`` says may
    differ), ``session_started(generation)``, ``run_started(CnnConfig)``,
    ``rows_appended(CnnBatch)`` (each report of the worker, after the model took it),
    ``pipeline_changed(None)`` (the strip's statuses may differ), ``run_ended(RunEnded)``,
    ``step_done(step_count)``, ``reset(None)``.
    """

    def __init__(self, config: CnnConfig | None = None) -> None:
        self.config: CnnConfig | None = config or CnnConfig()  # None while the settings are bad
        self.settings_error: str | None = None  # why they are bad (the core's message)
        self.state = RunState.READY
        self.generation = 0
        self.live = False  # False after Reset: late reports of the old session are dropped
        self.has_worker = False
        self.session_config: CnnConfig | None = None
        self.has_session = False
        self.session_failed = False
        self.run_exists = False
        self.run_wanted = False  # Start was pressed: run on once the session is ready
        self.goal: Goal | None = None
        self._target_step = 0
        self.latest: CnnBatch | None = None
        self.val_accuracy = math.nan  # after the last validated epoch
        self.samples_requested = False
        self.samples_pending = False
        self.pictures_sent = False
        self.results_key: tuple[int, int, int] | None = None
        self.samples_shown = False  # the data page shows pictures
        self.weights_version = 0
        self.run_lr = 0.0
        self.state_changed: Event[RunState] = Event("state_changed")
        self.config_changed: Event[CnnConfig] = Event("config_changed")
        self.controls_changed: Event[None] = Event("controls_changed")
        self.session_started: Event[int] = Event("session_started")
        self.run_started: Event[CnnConfig] = Event("run_started")
        self.rows_appended: Event[CnnBatch] = Event("rows_appended")
        self.pipeline_changed: Event[None] = Event("pipeline_changed")
        self.run_ended: Event[RunEnded] = Event("run_ended")
        self.step_done: Event[int] = Event("step_done")
        self.reset: Event[None] = Event("reset")

    # ---- what the views ask ----

    @property
    def settings_valid(self) -> bool:
        return self.config is not None

    @property
    def stepping(self) -> bool:
        """True while stepping unit by unit towards a goal."""
        return self.goal is not None

    @property
    def locked(self) -> bool:
        """A run uses the settings: only the live ones stay editable."""
        return self.state in RUN_STATES

    @property
    def has_model(self) -> bool:
        """A session was built and its model can be saved or shown."""
        return self.has_session and not self.session_failed

    def enabled_controls(self) -> frozenset[Control]:
        """The shared table for this state, plus Pause while stepping and Reset while a worker
        holds a session (e.g. one that only loaded the data)."""
        controls = enabled_controls(self.state, settings_valid=self.settings_valid) & CNN_CONTROLS
        if self.state == RunState.PAUSED:
            # Resume needs no valid settings (the run has its own); Pause is no toggle here,
            # since Start reads "Resume" while paused
            controls = (controls | {Control.START}) - {Control.PAUSE}
        if self.stepping:
            controls = (controls - {Control.STEP}) | {Control.PAUSE}
        if self.has_worker:
            controls |= {Control.RESET}
        return controls

    def can_load_data(self) -> bool:
        return self.state == RunState.READY and self.settings_valid and not self.stepping

    def can_load_weights(self) -> bool:
        return self.state not in (RunState.RUNNING, RunState.PREPARING)

    def stale(self) -> bool:
        """An idle session built for settings that have changed since."""
        return self.state == RunState.READY and self.session_config != self.config

    def session_fits(self, config: CnnConfig) -> bool:
        return self.has_worker and self.session_config == config

    def shown_config(self) -> CnnConfig | None:
        """The settings the strip describes: the session's, or the form's before one exists."""
        return self.session_config if self._shows_session() else self.config

    def epochs(self) -> int:
        return self.session_config.epochs if self.session_config else 1

    def pipeline(self) -> tuple[dict[str, str], dict[str, float | int]]:
        """(status, detail) per strip box, from the session's latest report."""
        has = self._shows_session()
        active = self.state == RunState.RUNNING or self.stepping
        config = self.shown_config()
        validates = config is None or not (
            config.dataset == "demo" or (config.dataset != "cifar10" and config.val_fraction == 0)
        )
        batch = self.latest if has else None
        statuses = stage_statuses(batch, has_session=has, active=active, validates=validates)
        if self.session_failed:
            statuses["download"] = "failed"
        elif not has and (self.state == RunState.PREPARING or self.stepping):
            statuses["download"] = "running"
        return statuses, stage_details(batch)

    def _shows_session(self) -> bool:
        return self.has_session and not self.stale()

    # ---- settings ----

    def set_settings(self, config: CnnConfig | None, error: str | None = None) -> None:
        """The form's live reading: its config, or None and the first field's error."""
        self.settings_error = error if config is None else None
        if config == self.config:
            return
        self.config = config
        self.controls_changed.emit(None)
        self.pipeline_changed.emit(None)

    def commit_settings(self, config: CnnConfig) -> set[Effect]:
        """A committed valid edit; returns APPLY_LR for a live change, DATA_STALE when the
        idle session's samples no longer match the data settings."""
        self.config = config
        effects: set[Effect] = set()
        if self.state in RUN_STATES:
            if config.lr != self.run_lr:  # the only setting that changes a run in flight
                self.run_lr = config.lr
                effects.add(Effect.APPLY_LR)
        elif self.state == RunState.READY and self.session_config is not None:
            old, new = self.session_config.to_dict(), config.to_dict()
            if any(old[name] != new[name] for name in DATA_FIELDS):
                effects.add(Effect.DATA_STALE)
        self.config_changed.emit(config)
        self.controls_changed.emit(None)
        self.pipeline_changed.emit(None)
        return effects

    # ---- intents (the controller asks the worker for what these decide) ----

    def new_session(self, config: CnnConfig) -> None:
        """A fresh session is being built for ``config`` (the controller starts the worker)."""
        self.live = True
        self.has_worker = True
        self.generation += 1
        self.session_config = config
        self.has_session = self.session_failed = False
        self.latest = None
        self.val_accuracy = math.nan
        self.samples_requested = self.samples_pending = self.pictures_sent = False
        self.results_key = None
        self.goal = None
        self.session_started.emit(self.generation)
        self.pipeline_changed.emit(None)

    def begin_run(self, config: CnnConfig) -> bool:
        """A run with ``config`` starts; True when it needs a new session (else the idle one,
        built for the same settings, is reused)."""
        reuse = (
            self.state == RunState.READY and self.session_fits(config) and not self.session_failed
        )
        if not reuse:
            self.new_session(config)
        self.run_exists = True
        self.run_lr = config.lr
        self.results_key = None
        self.run_started.emit(config)
        self._set_state(RunState.PAUSED if self.has_session else RunState.PREPARING)
        return not reuse

    def want_run(self) -> None:
        """Start or Resume: run on (the controller resumes the worker)."""
        self.goal = None
        self.run_wanted = True

    def pause(self) -> None:
        self.run_wanted = False
        self.goal = None
        if self.state == RunState.PREPARING:
            self._set_state(RunState.PAUSED)
        self.controls_changed.emit(None)

    def stop(self) -> bool:
        """End training here (the session stays, paused); False when no run is in flight."""
        if self.state not in RUN_STATES:
            return False
        self.run_wanted = False
        self.goal = None
        self._set_state(RunState.STOPPED)
        return True

    def reset_run(self) -> None:
        """Throw the run and its session away; the settings are editable again."""
        self.live = False
        self.has_worker = False
        self.generation += 1
        self.session_config = None
        self.has_session = self.session_failed = self.run_exists = False
        self.run_wanted = False
        self.goal = None
        self.latest = None
        self.val_accuracy = math.nan
        self.reset.emit(None)
        self._set_state(RunState.READY)

    def shutdown(self) -> None:
        self.live = False
        self.has_worker = False

    def seek(self, goal: Goal) -> set[Effect]:
        """Step unit by unit until ``goal``: STEP_AGAIN asks for the first unit; without it the
        goal is met already (or the run ended) and the other effects say what follows."""
        self._target_step = (self.latest.step_count if self.latest is not None else 0) + 1
        if self.latest is not None and (self._reached(goal, self.latest) or self._ended()):
            return self._goal_reached(goal)
        self.goal = goal
        self.controls_changed.emit(None)
        self.pipeline_changed.emit(None)
        return {Effect.STEP_AGAIN}

    def _reached(self, goal: Goal, batch: CnnBatch) -> bool:
        if goal == Goal.DATA_LOADED:
            return batch.stage != "data"
        return batch.step_count >= self._target_step

    def _ended(self) -> bool:
        return self.latest is not None and self.latest.status in _DONE

    def request_samples(self) -> None:
        self.samples_requested = self.samples_pending = True

    def samples_arrived(self) -> None:
        """The data page shows the samples asked for."""
        self.samples_pending = False
        self.samples_shown = True

    def samples_cleared(self) -> None:
        """The data page shows a message instead of samples."""
        self.samples_shown = False

    # ---- the worker's reports ----

    def accepts(self, generation: int) -> bool:
        """An answer for ``generation`` still belongs to the live session."""
        return self.live and generation == self.generation

    def session_ready(self) -> None:
        if self.live:
            self.has_session = True
            self.pipeline_changed.emit(None)

    def batch_arrived(self, batch: CnnBatch, *, worker_idle: bool) -> set[Effect]:
        """A report of the worker; ``worker_idle``: it has no steps left to take."""
        if not self.live:
            return set()
        self.latest = batch
        if len(batch.val_accuracy):
            self.val_accuracy = float(batch.val_accuracy[-1])
        effects: set[Effect] = set()
        if not self.samples_requested and batch.stage != "data" and batch.status != "failed":
            self.request_samples()
            effects.add(Effect.REQUEST_SAMPLES)
        goal = self.goal
        if goal is not None:
            if self._reached(goal, batch) or batch.status in _DONE:
                effects |= self._goal_reached(goal)
            elif worker_idle:
                effects.add(Effect.STEP_AGAIN)
        self.pipeline_changed.emit(None)
        self.rows_appended.emit(batch)
        return effects

    def _goal_reached(self, goal: Goal) -> set[Effect]:
        self.goal = None
        effects: set[Effect] = set()
        batch = self.latest
        if goal == Goal.DATA_LOADED:
            waiting = self.samples_pending or self.samples_shown
            if batch is not None and batch.status != "failed" and not waiting:
                self.request_samples()  # shown before, then cleared by a change undone since
                effects.add(Effect.REQUEST_SAMPLES)
        else:
            self.run_wanted = False
            effects.add(Effect.REQUEST_RESULTS)
            self.step_done.emit(batch.step_count if batch is not None else 0)
        self.controls_changed.emit(None)
        return effects

    def worker_state(self, state: str, *, worker_active: bool) -> set[Effect]:
        """The worker's state report ("preparing", "running", "paused", "finished", "diverged",
        "failed" or "stopped" when its thread ended)."""
        if not self.live or not self.run_exists:
            if state == "stopped" and self.live and not self.has_session:
                self.session_failed = True  # the factory failed (e.g. the folder vanished)
                self.pipeline_changed.emit(None)
            return set()
        if self.state == RunState.STOPPED and state not in _DONE:
            return set()  # the last words of a run the student stopped
        if state == "paused" and self.run_wanted and worker_active:
            return set()  # the session just got ready; "running" follows at once
        if state in ("running", "paused", "preparing"):
            return self._set_state(RunState(state))
        if state in _DONE:
            self.run_wanted = False
            effects = self._set_state(RunState(state))
            step = self.latest.step_count if self.latest is not None else 0
            lr = self.session_config.lr if self.session_config else 0.0
            self.run_ended.emit(RunEnded(RunState(state), step, lr, self.val_accuracy))
            return effects | {Effect.REQUEST_RESULTS}
        if state == "stopped":  # the worker ended by itself: its factory failed
            self.session_failed = True
            return self._set_state(RunState.FAILED)
        return set()

    # ---- results ----

    def results_request(self, *, force: bool = False) -> ResultsRequest | None:
        """What to ask the worker for the results page, or None (nothing new, or no model)."""
        if not self.has_model:
            return None
        if self.state not in RESULT_STATES and not (self.state == RunState.READY and force):
            return None
        step = self.latest.step_count if self.latest is not None else 0
        key = (self.generation, step, self.weights_version)
        if key == self.results_key and not force:
            return None
        self.results_key = key
        pictures, self.pictures_sent = not self.pictures_sent, True
        return ResultsRequest(key, pictures)

    def results_failed(self) -> None:
        """Ask again next time, with the pictures."""
        self.results_key, self.pictures_sent = None, False

    def weights_loaded(self) -> None:
        self.weights_version += 1

    # ---- internals ----

    def _set_state(self, state: RunState) -> set[Effect]:
        self.state = state
        self.state_changed.emit(state)
        self.controls_changed.emit(None)
        self.pipeline_changed.emit(None)
        if state in (RunState.PAUSED, RunState.STOPPED):
            return {Effect.REQUEST_RESULTS}
        return set()
