"""``LabModel``: the polynomial lab's own state, without Qt.

It holds the panel's config, the run's config (with the live changes applied so far), the run
state, the problem on screen (data + analysis), the plotted history and what is pending, and it
emits typed events when any of them changes. The controller drives it from worker signals and
user intents; the views subscribe. Every transition is a plain method, tested without a window.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from gradlab.core.config import Config
from gradlab.core.history import HistoryBatch
from gradlab.core.methods import starting_parameters
from gradlab.core.network import layer_norms, layer_table
from gradlab.core.runs import RunList
from gradlab.model.events import Event
from gradlab.model.plot_buffer import PlotBuffer
from gradlab.model.problem import Problem, ProblemCache
from gradlab.model.rules import LiveChanges, live_changes
from gradlab.model.run_state import RunState


@dataclass(frozen=True)
class Intent:
    """What to do once the session being prepared is ready: "resume", "step" (n) or "idle"."""

    action: str
    n: int = 0


class LabEvents:
    """The lab model's events; views connect to the ones they show."""

    def __init__(self) -> None:
        self.state_changed: Event[RunState] = Event("state_changed")
        self.panel_config_changed: Event[Config | None] = Event("panel_config_changed")
        self.problem_changed: Event[Problem | None] = Event("problem_changed")
        self.run_started: Event[Config] = Event("run_started")  # a new run: history cleared
        self.run_cleared: Event[None] = Event("run_cleared")  # Reset: no run any more
        self.session_ready: Event[np.ndarray] = Event("session_ready")  # starting coefficients
        self.rows_appended: Event[HistoryBatch] = Event("rows_appended")
        self.rewound: Event[int] = Event("rewound")  # the step the run went back to
        self.run_config_changed: Event[Config] = Event("run_config_changed")  # live changes
        self.coefficients_set: Event[np.ndarray] = Event("coefficients_set")  # a new start
        self.panel_reverted: Event[Config] = Event("panel_reverted")  # put the panel back


class LabModel:
    """The polynomial lab's state; see the module docstring."""

    def __init__(self, panel_config: Config | None = None) -> None:
        self.events = LabEvents()
        self.problems = ProblemCache()
        self.runs = RunList()
        self.panel_config: Config | None = panel_config or Config()
        self.state = RunState.READY
        self.problem: Problem | None = None
        self.run_config: Config | None = None  # the run's settings, live changes applied
        self.wanted: Config | None = None  # the run's settings plus live changes not yet sent
        self.history = PlotBuffer(Config().model.parameter_count)
        # a network's per-tensor norms (‖W1‖, ‖b1‖, ...) over steps, from every row: the
        # history's per-parameter envelopes cannot give them; None for a polynomial
        self.norm_history: PlotBuffer | None = None
        self.initial_coefficients: np.ndarray | None = None
        self.step_count = 0
        self.diverged_at: int | None = None
        self.pending: Intent | None = None
        self._skip_first_pause = False
        # pause a run once its loss is within this of the optimum (None: run on)
        self.stop_tolerance: float | None = None

    # ---- what is on screen ----

    @property
    def total_steps(self) -> int:
        return self.run_config.training.steps if self.run_config is not None else 0

    @property
    def display_config(self) -> Config | None:
        """What the code, the limits and the plots describe: the run's config while there is a
        run, the panel's before one."""
        if self.run_config is not None and self.state is not RunState.READY:
            return self.run_config
        return self.panel_config

    def current_coefficients(self) -> np.ndarray | None:
        """The latest finite coefficients (the starting ones before the first step)."""
        latest = self.history.last_coefficients
        return latest if latest is not None else self.initial_coefficients

    def set_panel_config(self, config: Config | None) -> None:
        """The panel's settings changed (None while a field is invalid)."""
        self.panel_config = config
        self.events.panel_config_changed.emit(config)

    def show_problem(self, config: Config) -> Problem:
        """Make ``config``'s data and optimum the problem on screen (ConfigError if bad)."""
        problem = self.problems.get(config)
        assert problem is not None  # compute=True always gives one
        self.problem = problem
        self.events.problem_changed.emit(problem)  # also after a reset: the plots redraw it
        return problem

    def cached_problem(self, config: Config, *, compute: bool = True) -> Problem | None:
        """``config``'s problem from the cache (computed if allowed; ConfigError if bad)."""
        return self.problems.get(config, compute=compute)

    # ---- a run's life ----

    def begin_run(self, config: Config, then: Intent) -> None:
        """A new session is being prepared for ``config``; ``then`` follows once it is ready."""
        self.run_config = self.wanted = config
        self.history = PlotBuffer(config.model.parameter_count)
        network = config.model.kind == "mlp"
        self.norm_history = PlotBuffer(2 * len(layer_table(config.model))) if network else None
        # the start is known from the config: the fit and its equation are shown while the
        # session is built (PyTorch may still be loading); the session's own replaces it
        self.initial_coefficients = starting_parameters(config)
        self.step_count = 0
        self.diverged_at = None
        self.pending = then
        self._skip_first_pause = False
        self.events.run_started.emit(config)
        self.set_state(RunState.PREPARING)

    def reset(self) -> None:
        """Back to no run: the history is cleared, the panel's settings are shown."""
        self.run_config = self.wanted = None
        self.history = PlotBuffer((self.panel_config or Config()).model.parameter_count)
        self.norm_history = None
        self.initial_coefficients = None
        self.step_count = 0
        self.diverged_at = None
        self.pending = None
        self.events.run_cleared.emit(None)
        self.set_state(RunState.READY)

    def stop(self) -> None:
        """The student ended the run; its plots stay."""
        self.pending = None
        self.set_state(RunState.STOPPED)

    def session_ready(self, initial: np.ndarray | None) -> Intent | None:
        """The worker built the session (paused); returns what to do now (and forgets it)."""
        if initial is not None:
            self.initial_coefficients = np.array(initial, dtype=np.float64)
            self.events.session_ready.emit(self.initial_coefficients)
        intent, self.pending = self.pending, None
        # the worker's own "paused" is on its way; a Start that follows at once hides it
        self._skip_first_pause = intent is not None and intent.action == "resume"
        return intent

    def worker_state(self, state: RunState) -> None:
        """A state reported by the worker: shown unless it is stale."""
        if state is RunState.PAUSED and (self.pending is not None or self._skip_first_pause):
            self._skip_first_pause = False
            return  # the session just got ready; the pending action follows at once
        if self.state is RunState.STOPPED and state is not RunState.STOPPED:
            return  # the last words of a stopped worker
        if self.state is RunState.READY:
            return  # a reset run's last words
        self.set_state(state)

    def append(self, batch: HistoryBatch) -> None:
        """Rows from the worker (ignored after Reset: they belong to the old run)."""
        if self.state is RunState.READY:
            return
        self.history.append(batch, batch.rewound_to)
        self._append_norms(batch)
        self.step_count = int(batch.step_count)
        self.diverged_at = batch.diverged_at
        if batch.rewound_to is not None:
            self.events.rewound.emit(int(batch.rewound_to))
        self.events.rows_appended.emit(batch)

    def show_stored_run(self, config: Config, batch: HistoryBatch, final: np.ndarray) -> None:
        """Show a saved run (an opened session): its plots, as a stopped run without a worker."""
        self.begin_run(config, Intent("idle"))
        self.pending = None
        self.initial_coefficients = np.asarray(final, dtype=np.float64)
        self.set_state(RunState.STOPPED)
        self.history.append(batch)
        self._append_norms(batch)
        self.step_count = int(batch.step_count)
        self.diverged_at = batch.diverged_at
        self.events.rows_appended.emit(batch)

    def _append_norms(self, batch: HistoryBatch) -> None:
        if self.norm_history is None or self.run_config is None:
            return
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run: inf, not drawn
            norms = layer_norms(self.run_config.model, batch.coefficients)
        self.norm_history.append(replace(batch, coefficients=norms), batch.rewound_to)

    def set_state(self, state: RunState) -> None:
        if state is not self.state:
            self.state = state
            self.events.state_changed.emit(state)

    # ---- live changes ----

    def want(self, config: Config) -> LiveChanges:
        """The panel now asks for ``config`` (same session): what differs from the run."""
        self.wanted = config
        run = self.run_config
        return live_changes(run, config) if run is not None else LiveChanges()

    def take_live_changes(self) -> LiveChanges:
        """The changes to send the session now; the run's config takes them on."""
        run, wanted = self.run_config, self.wanted
        if run is None or wanted is None or run == wanted:
            return LiveChanges()
        changes = live_changes(run, wanted)
        self.run_config = wanted
        self.events.run_config_changed.emit(wanted)
        return changes

    def revert_panel(self, config: Config) -> None:
        """Show ``config`` in the panel again (a declined new run, a suggested lr)."""
        self.panel_config = config
        self.events.panel_reverted.emit(config)
        self.events.panel_config_changed.emit(config)

    def coefficients_set(self, values: np.ndarray) -> None:
        """The session now goes on from ``values`` (a landscape click)."""
        self.history.last_coefficients = np.array(values, dtype=np.float64)
        self.events.coefficients_set.emit(self.history.last_coefficients)
