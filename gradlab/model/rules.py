"""What a change of settings means for the run on screen, and what Start or Step should do.

Pure functions of configs and states, so every rule is tested without a window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from gradlab.core.config import Config
from gradlab.core.live_settings import LIVE_OPTIMIZER_SETTINGS, LIVE_PATHS
from gradlab.model.run_state import RunState

OptimizerValue = float | bool


def _value(config: Config, path: str) -> object:
    group, name = path.split(".")
    return getattr(getattr(config, group), name)


def needs_new_run(old: Config, new: Config) -> bool:
    """True when going from ``old`` to ``new`` changes more than a paused run can take on."""
    kept = {path: _value(old, path) for path in LIVE_PATHS}
    return new.with_changes(**kept) != old


@dataclass(frozen=True)
class LiveChanges:
    """What to send a session so it runs with another config's live settings."""

    lr: float | None = None
    steps: int | None = None
    optimizer: dict[str, OptimizerValue] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.lr is not None or self.steps is not None or bool(self.optimizer)


def live_changes(run: Config, wanted: Config) -> LiveChanges:
    """The live settings that differ from ``run`` to ``wanted`` (optimizer ones for
    torch-optim only: the other methods have no torch.optim optimizer to change)."""
    lr = wanted.training.lr if wanted.training.lr != run.training.lr else None
    steps = wanted.training.steps if wanted.training.steps != run.training.steps else None
    optimizer: dict[str, OptimizerValue] = {}
    if wanted.training.method == "torch-optim":
        for name in LIVE_OPTIMIZER_SETTINGS:
            value = getattr(wanted.optimizer, name)
            if value != getattr(run.optimizer, name):
                optimizer[name] = value
    return LiveChanges(lr, steps, optimizer)


class StartPlan(str, Enum):
    """What Start (or Step) does, given the run's state and the panel."""

    NOTHING = "nothing"  # e.g. already running
    QUEUE = "queue"  # the session is being prepared: do it once it is ready
    NEW_RUN = "new-run"  # begin a new run with the panel's settings
    CONFIRM_NEW_RUN = "confirm-new-run"  # the changes need a new run: ask the student first
    CONTINUE = "continue"  # apply the live changes (if any) and go on


def plan_start(state: RunState, run: Config | None, panel: Config, step_count: int) -> StartPlan:
    """Start/Resume: resume a paused run, extend a finished one, or begin a new run."""
    if state is RunState.PREPARING:
        return StartPlan.QUEUE
    if state is RunState.RUNNING:
        return StartPlan.NOTHING
    if state is RunState.PAUSED and run is not None:
        return StartPlan.CONFIRM_NEW_RUN if needs_new_run(run, panel) else StartPlan.CONTINUE
    if state is RunState.FINISHED and run is not None:
        # more steps asked for: go on; otherwise the run is over and Start trains afresh
        if panel.training.steps > step_count and not needs_new_run(run, panel):
            return StartPlan.CONTINUE
    return StartPlan.NEW_RUN


def plan_step(state: RunState, run: Config | None, panel: Config) -> StartPlan:
    """Step / Step ×N: steps in a paused run, or a new paused run first."""
    if state is RunState.PREPARING:
        return StartPlan.QUEUE
    if state is RunState.PAUSED and run is not None:
        return StartPlan.CONFIRM_NEW_RUN if needs_new_run(run, panel) else StartPlan.CONTINUE
    if state in (RunState.READY, RunState.STOPPED, RunState.FAILED):
        return StartPlan.NEW_RUN
    return StartPlan.NOTHING
