"""The Qt adapter of the training loop: runs a Steppable in a QThread, driven by thread-safe calls.

The worker never relies on queued slots for its controls (its thread is busy training, so a queued
call would wait forever): resume/pause/step/stop/set_speed/submit set fields under a lock and wake
the loop through a threading.Event. What the loop does on each turn (chunk sizes, emit throttling,
step budgets, pacing) is decided by a ``Pacer`` (gradlab.model.pacing, no Qt, tested with a fake
clock). Results cross to the GUI as whatever ``session.drain()`` returns (NumPy copies), at most
~40 times a second and always on pause, step-complete, stop, finish and divergence.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

from gradlab.model.pacing import (
    CHUNK_SECONDS,
    IDLE_WAIT,
    MIN_EMIT_INTERVAL,
    YIELD_INTERVAL,
    Controls,
    Pacer,
    Steppable,
    WorkerFailure,
    check_speed,
    check_step_count,
    describe_error,
)
from gradlab.model.run_state import RunState

__all__ = [
    "CHUNK_SECONDS",
    "IDLE_WAIT",
    "MIN_EMIT_INTERVAL",
    "YIELD_INTERVAL",
    "SessionT",
    "Steppable",
    "TrainingWorker",
    "WorkerFailure",
    "describe_error",
]

log = logging.getLogger(__name__)

SessionT = TypeVar("SessionT", bound=Steppable[Any])
R = TypeVar("R")
_Job = tuple[Callable[[Any], Any], Callable[[Any], object] | None]  # (job, on_done)


class TrainingWorker(QObject, Generic[SessionT]):
    """Runs one session in its own QThread: starts paused; only stop() (or a failure) ends it."""

    batch_ready = Signal(object)  # whatever session.drain() returned
    state_changed = Signal(object)  # a RunState (a str Enum: compares equal to "paused" etc.)
    failed = Signal(object)  # a WorkerFailure (worker_text.describe_failure makes the sentence)
    session_ready = Signal(object)  # the session (a SessionT), built in the worker thread
    job_done = Signal(object, object)  # (on_done, result) of a job submitted with on_done
    finished = Signal()  # the loop has ended (after stop() or a failure); the thread then quits

    def __init__(
        self,
        session_factory: Callable[[], SessionT],
        *,
        chunk_seconds: float = CHUNK_SECONDS,
        min_emit_interval: float = MIN_EMIT_INTERVAL,
        yield_interval: float = YIELD_INTERVAL,
    ) -> None:
        super().__init__()
        self._factory = session_factory
        self._lock = threading.Lock()
        self._wake = threading.Event()
        # Shared with the GUI thread, under the lock: the controls and the submitted jobs.
        self._controls = Controls()
        self._jobs: deque[_Job] = deque()
        # Worker-thread only (the controls inside it excepted).
        self._pacer = Pacer(
            self._controls,
            chunk_seconds=chunk_seconds,
            min_emit_interval=min_emit_interval,
            yield_interval=yield_interval,
        )
        self.session: SessionT | None = None

    # ---- controls: plain thread-safe methods, called directly from the GUI thread ----

    def resume(self) -> None:
        """Run continuously (Start/Resume)."""
        with self._lock:
            self._controls.resume()
        self._wake.set()

    def pause(self) -> None:
        """Stop running (and drop any steps still owed) within one chunk."""
        with self._lock:
            self._controls.pause()
        self._wake.set()

    def step(self, n: int = 1) -> None:
        """Advance exactly n more units, then stay paused; pauses a continuous run first."""
        check_step_count(n)
        with self._lock:
            self._controls.step(n)
        self._wake.set()

    def stop(self) -> None:
        """End the loop within one chunk: the final batch is emitted, then ``finished``."""
        with self._lock:
            self._controls.request_stop()
        self._wake.set()

    def set_speed(self, units_per_second: float | None) -> None:
        """Pace the run by the wall clock; None runs as fast as possible."""
        speed = check_speed(units_per_second)
        with self._lock:
            self._controls.set_speed(speed)
        self._wake.set()

    def submit(
        self, fn: Callable[[SessionT], R], on_done: Callable[[R], object] | None = None
    ) -> None:
        """Run ``fn(session)`` in the worker thread between chunks, then emit a fresh batch.

        With ``on_done``, ``job_done(on_done, result)`` is emitted after it (the controller calls
        ``on_done(result)`` in the GUI thread); a job that raises reports ``failed`` instead.
        """
        with self._lock:
            self._jobs.append((fn, on_done))
        self._wake.set()

    @property
    def state(self) -> RunState:
        """The state last reported through ``state_changed``."""
        return self._pacer.state

    @property
    def speed(self) -> float | None:
        """The pace asked for with set_speed() (units per second; None: as fast as possible)."""
        with self._lock:
            return self._controls.speed

    @property
    def active(self) -> bool:
        """True while running continuously or working off a step budget."""
        with self._lock:
            return self._controls.active

    # ---- the loop (worker thread) ----

    @Slot()
    def run(self) -> None:
        """Build the session (off the GUI thread), then loop until stop() or a failure."""
        self._report(RunState.PREPARING)
        with self._lock:
            stopped = self._controls.stop
        if stopped:  # stopped before it began (a window closed at once): nothing to build
            self._end(None)
            return
        try:
            session = self._factory()
        except Exception as exc:
            log.exception("building the training session failed")
            self.failed.emit(WorkerFailure.from_exception("prepare", exc))
            self._end(None)
            return
        self.session = session
        self.session_ready.emit(session)
        self._report(RunState.PAUSED)
        try:
            self._loop(session)
        except Exception as exc:
            log.exception("the training loop failed")
            self.failed.emit(WorkerFailure.from_exception("train", exc))
        self._end(session)

    def _end(self, session: SessionT | None) -> None:
        if session is not None:
            try:
                self._emit_batch(session)
            except Exception:
                log.exception("the final drain failed")
        self._report(RunState.STOPPED)
        self.finished.emit()

    def _report(self, state: RunState) -> None:
        if self._pacer.report(state) is not None:
            self.state_changed.emit(state)

    def _emit_batch(self, session: SessionT) -> None:
        self._pacer.emitted()
        with self._lock:
            self._controls.batch_sent()
        self.batch_ready.emit(session.drain())

    def batch_taken(self) -> None:
        """The GUI thread has taken a batch (thread-safe): the throttled ones may follow."""
        with self._lock:
            self._controls.batch_taken()

    def _run_jobs(self, session: SessionT) -> bool:
        with self._lock:
            jobs = list(self._jobs)
            self._jobs.clear()
        for job, on_done in jobs:
            try:
                result = job(session)
                if on_done is not None:
                    self.job_done.emit(on_done, result)
            except Exception as exc:
                log.exception("a change submitted to the training session failed")
                self.failed.emit(WorkerFailure.from_exception("change", exc))
        return bool(jobs)

    def _loop(self, session: SessionT) -> None:
        pacer, lock, wake = self._pacer, self._lock, self._wake
        while True:
            wake.clear()
            jobs_done = self._run_jobs(session)
            with lock:  # emit_due reads the batches in flight, which the GUI thread changes
                due = pacer.emit_due()
            if jobs_done or due:
                self._emit_batch(session)
            with lock:
                turn = pacer.plan(session)
            if turn.stop:
                return
            if turn.emit:
                self._emit_batch(session)
            if turn.state is not None:
                self.state_changed.emit(turn.state)
            if not turn.units:
                if turn.wait > 0:
                    wake.wait(turn.wait)
                continue
            done = pacer.advance(session, turn.units)
            if pacer.yield_due():
                time.sleep(0)  # hand the GIL to the GUI thread (see pacing.YIELD_INTERVAL)
                pacer.yielded()
            with lock:
                step_complete = pacer.settle(done, session.done)
            if step_complete:
                self._emit_batch(session)
