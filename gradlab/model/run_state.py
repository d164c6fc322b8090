"""The run state both labs share, and which control works in which state (one table)."""

from __future__ import annotations

from enum import Enum


class RunState(str, Enum):
    """Where a lab's run is. ``str`` values, so settings, logs and tests read naturally."""

    READY = "ready"  # nothing run yet (or after Reset)
    PREPARING = "preparing"  # the worker is building the session (may import torch)
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"  # every step done; the session stays, so more steps can follow
    DIVERGED = "diverged"  # the loss overflowed; the session keeps its last finite state
    STOPPED = "stopped"  # the student ended the run; its plots stay
    FAILED = "failed"  # the session could not be built or raised; the message says why

    @property
    def has_session(self) -> bool:
        """True while a worker holds a live session (it can take steps, jobs, rewinds)."""
        return self in _LIVE

    @property
    def ended(self) -> bool:
        """True when the run is over and its plots are history (a new run starts afresh)."""
        return self in (RunState.READY, RunState.STOPPED, RunState.FAILED)


class Control(str, Enum):
    """The run controls of both labs."""

    START = "start"  # Start / Resume / go on after more steps were asked for
    PAUSE = "pause"  # pause a run; in PAUSED it resumes (a toggle)
    STEP = "step"
    STOP = "stop"
    RESET = "reset"
    REWIND = "rewind"  # back to the last good state after a divergence


_LIVE = frozenset({RunState.PREPARING, RunState.RUNNING, RunState.PAUSED, RunState.FINISHED,
                   RunState.DIVERGED})  # fmt: skip

# state -> the controls that work in it (START and STEP also need valid settings)
ENABLED: dict[RunState, frozenset[Control]] = {
    RunState.READY: frozenset({Control.START, Control.STEP}),
    RunState.PREPARING: frozenset({Control.PAUSE, Control.STOP, Control.RESET}),
    RunState.RUNNING: frozenset({Control.PAUSE, Control.STOP, Control.RESET}),
    RunState.PAUSED: frozenset(
        {Control.START, Control.PAUSE, Control.STEP, Control.STOP, Control.RESET}
    ),
    RunState.FINISHED: frozenset({Control.START, Control.RESET}),
    RunState.DIVERGED: frozenset({Control.START, Control.RESET, Control.REWIND}),
    RunState.STOPPED: frozenset({Control.START, Control.STEP, Control.RESET}),
    RunState.FAILED: frozenset({Control.START, Control.RESET}),
}
NEEDS_VALID_SETTINGS = frozenset({Control.START, Control.STEP})


def enabled_controls(state: RunState, *, settings_valid: bool = True) -> frozenset[Control]:
    """The controls that work in ``state``; Start and Step also need valid settings."""
    controls = ENABLED[state]
    return controls if settings_valid else controls - NEEDS_VALID_SETTINGS
