"""What a session is right now, taken without ever making the GUI thread wait for the worker.

``RunSnapshots`` hands over the current run as a RunRecord. While a worker thread runs, the
snapshot is a job submitted to it (taken between two chunks) whose result comes back through a
queued signal; with no worker thread, it is read at once. A request still open when the worker
stops (Stop, Reset, a new run, closing the window) is completed from the stopped session, so a
Save pressed just before is never lost.

``SessionCapture`` puts a whole SessionState together: the panel's config, the run list and the
classroom's own state as they are when asked, plus the current run once its snapshot arrives.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal

from gradlab.core.config import Config
from gradlab.core.runs import RunRecord
from gradlab.core.session_file import SessionState
from gradlab.model.lab import LabModel
from gradlab.model.run_state import RunState
from gradlab.ui.lab_controller import LabController

UI_STATE_KEY = "classroom"  # our part of SessionState.extra (the bundle reads the lesson there)

log = logging.getLogger(__name__)

RunCallback = Callable[[RunRecord | None], None]


class RunSnapshots(QObject):
    """The current run as a RunRecord, delivered to a callback in the GUI thread."""

    _arrived = Signal(int, object)  # (request token, RunRecord | None), from the worker thread

    def __init__(
        self, model: LabModel, controller: LabController, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.controller = controller
        self._pending: dict[int, tuple[RunCallback, int]] = {}
        self._tokens = itertools.count(1)
        self._arrived.connect(self._on_arrived)  # queued: emitted in the worker thread
        # True while the controller's session is the run on screen (an opened session's run
        # has none: the session kept by the controller then belongs to a run reset before)
        self._live = False
        events = model.events
        # the worker has been shut down when these arrive: open requests are completed now
        events.run_started.connect(lambda _config: self._run_over())
        events.run_cleared.connect(lambda _none: self._run_over())
        events.session_ready.connect(lambda _start: self._set_live())
        events.state_changed.connect(self._on_state)

    @property
    def pending(self) -> int:
        """How many requests wait for the worker."""
        return len(self._pending)

    def request(self, done: RunCallback, run_id: int) -> None:
        """Call ``done(record)`` with the current run (None if it took no step yet)."""
        if self.model.state is RunState.READY:
            done(None)  # nothing run yet, or Reset threw the run away
            return
        if not self.controller.training.running:
            self.flush()  # requests a worker left unanswered when it ended by itself
            done(self._stopped_run(run_id))
            return
        token = next(self._tokens)
        self._pending[token] = (done, run_id)
        arrived = self._arrived

        def job(session: Any) -> None:  # runs in the worker thread, between two chunks
            try:
                record = _record(session, run_id)
            except Exception:  # never the worker's "could not apply the change" message
                log.exception("taking a snapshot of the run failed")
                record = None
            arrived.emit(token, record)

        self.controller.submit(job)

    def take_now(self, run_id: int) -> RunRecord | None:
        """The current run, read in the GUI thread: only once the worker has stopped (None while
        a worker thread still runs, e.g. one that did not end in time)."""
        if self.model.state is RunState.READY or self.controller.training.running:
            return None
        return self._stopped_run(run_id)

    def flush(self) -> None:
        """Complete every open request: the worker's answers already queued first, then, if the
        worker has stopped, the rest from the stopped session."""
        if not self._pending:
            return
        QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)
        if self.controller.training.running:
            return  # still running (a Stop that timed out): its answers will come
        pending, self._pending = self._pending, {}
        for done, run_id in pending.values():
            done(self._stopped_run(run_id))

    def _stopped_run(self, run_id: int) -> RunRecord | None:
        """The stopped worker's session as a record (the GUI thread may read it now)."""
        return _record(self.controller.training.session, run_id) if self._live else None

    def _run_over(self) -> None:
        self.flush()  # open requests belong to the run that just ended
        self._live = False

    def _set_live(self) -> None:
        self._live = True

    def _on_state(self, state: RunState) -> None:
        if state is RunState.STOPPED:
            self.flush()

    def _on_arrived(self, token: int, record: RunRecord | None) -> None:
        entry = self._pending.pop(token, None)
        if entry is not None:  # None: already completed by flush()
            entry[0](record)


def _record(session: Any, run_id: int) -> RunRecord | None:
    """``session`` as a RunRecord, or None when there is none or it took no step."""
    if session is None or not session.step_count:
        return None
    return RunRecord.from_session(session, run_id=run_id)


StateCallback = Callable[[SessionState], None]


class SessionCapture:
    """Everything a session file holds, as it is when asked (see the module docstring)."""

    def __init__(
        self,
        model: LabModel,
        read_config: Callable[[], Config],
        snapshots: RunSnapshots,
        ui_state: Callable[[], dict[str, Any]],
    ) -> None:
        self.model = model
        self.read_config = read_config  # the panel's settings; raises ConfigError while invalid
        self.snapshots = snapshots
        self.ui_state = ui_state

    def capture(self, done: StateCallback) -> None:
        """Call ``done(state)`` once the current run is in (at once without a worker thread).

        The settings, the run list and the lesson are read now: the state is what is on screen
        when asked. Raises ConfigError, before anything else, while the panel is invalid."""
        state = self._state_now()
        next_id = max((r.id for r in state.runs), default=0) + 1
        self.snapshots.request(lambda current: done(_with_run(state, current)), next_id)

    def capture_now(self) -> SessionState:
        """The same, read at once: for the last autosave, after the worker was shut down."""
        state = self._state_now()
        next_id = max((r.id for r in state.runs), default=0) + 1
        return _with_run(state, self.snapshots.take_now(next_id))

    def _state_now(self) -> SessionState:
        config = self.read_config()
        state = SessionState(config=config, runs=list(self.model.runs))
        state.extra = {**state.extra, UI_STATE_KEY: self.ui_state()}
        return state


def _with_run(state: SessionState, current: RunRecord | None) -> SessionState:
    """``state`` with the current run's full rows: the run list keeps only what its curves
    draw, so a kept copy of the current run is swapped for the full one."""
    if current is None:
        return state
    for index, kept in enumerate(state.runs):
        if _same_run(current, kept):
            state.runs[index] = replace(kept, history=current.history)
            return state
    state.runs.append(current)
    return state


def _same_run(a: RunRecord, b: RunRecord) -> bool:
    """The current run already kept in the run list (runs are added to it as they end)."""
    return (
        a.config == b.config
        and a.step_count == b.step_count
        and np.array_equal(a.final_coefficients, b.final_coefficients)
    )
