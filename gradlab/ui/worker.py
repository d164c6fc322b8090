"""The Qt adapter of the training loop: runs a Steppable in a QThread, driven by thread-safe calls.

The worker never relies on queued slots for its controls (its thread is busy training, so a queued
call would wait forever): resume/pause/step/stop/set_speed/submit set fields under a lock and wake
the loop through a threading.Event. Results cross to the GUI as whatever ``session.drain()``
returns (NumPy copies), at most ~60 times a second and always on pause, step-complete, stop,
finish and divergence.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

CHUNK_SECONDS = 0.003  # one advance() call should take ~2-5 ms: fast to pause, cheap per call
MIN_EMIT_INTERVAL = 1 / 60  # batches cross to the GUI at most ~60 times a second
# sleep(0) hands the GIL to a waiting GUI thread, but costs ~75 us plus cold caches afterwards:
# measured, yielding after every 3 ms chunk took 6-11% off training; every 8 ms about 1-2%.
# The GUI then waits at most this long for the GIL (a 10 ms timer stays well within 20 ms).
YIELD_INTERVAL = 0.008
IDLE_WAIT = 0.25  # paused loops block on the event; the timeout is only a safety net
MAX_CHUNK_UNITS = 1_000_000
MAX_PACE_DEBT = 0.1  # a paced run that falls behind catches up at most this many seconds

STATES = ("preparing", "running", "paused", "finished", "diverged", "stopped")


class Steppable(Protocol):
    """What the worker can run: the polynomial TrainingSession and the CNN session."""

    step_count: int
    total_steps: int
    done: bool
    status: str

    def advance(self, n: int) -> int: ...

    def drain(self) -> object: ...


def describe_error(exc: BaseException) -> str:
    """The exception's own message in plain words (its type only when it has no message)."""
    text = str(exc).strip()
    return text if text else type(exc).__name__


class TrainingWorker(QObject):
    """Runs one session in its own QThread: starts paused; only stop() (or a failure) ends it."""

    batch_ready = Signal(object)  # whatever session.drain() returned
    state_changed = Signal(str)  # one of STATES
    failed = Signal(str)  # plain-words error: the factory, advance() or a submitted change raised
    session_ready = Signal(object)  # the session, built in the worker thread
    finished = Signal()  # the loop has ended (after stop() or a failure); the thread then quits

    def __init__(
        self,
        session_factory: Callable[[], Steppable],
        *,
        chunk_seconds: float = CHUNK_SECONDS,
        min_emit_interval: float = MIN_EMIT_INTERVAL,
        yield_interval: float = YIELD_INTERVAL,
    ) -> None:
        super().__init__()
        self._factory = session_factory
        self._chunk_seconds = chunk_seconds
        self._min_emit_interval = min_emit_interval
        self._yield_interval = yield_interval
        self._lock = threading.Lock()
        self._wake = threading.Event()
        # Everything below the lock line is shared with the GUI thread.
        self._run_wanted = False
        self._step_budget = 0
        self._budget_epoch = 0  # bumped when pause()/resume() drop the budget
        self._stop_wanted = False
        self._speed: float | None = None
        self._pace_reset = False
        self._jobs: deque[Callable[[Any], object]] = deque()
        self._state = "preparing"
        # Worker-thread only.
        self.session: Steppable | None = None
        self._last_emit = 0.0
        self._unemitted = False
        self._reported_done = False
        self._last_yield = 0.0

    # ---- controls: plain thread-safe methods, called directly from the GUI thread ----

    def resume(self) -> None:
        """Run continuously (Start/Resume)."""
        with self._lock:
            self._run_wanted = True
            self._step_budget = 0
            self._budget_epoch += 1
        self._wake.set()

    def pause(self) -> None:
        """Stop running (and drop any steps still owed) within one chunk."""
        with self._lock:
            self._run_wanted = False
            self._step_budget = 0
            self._budget_epoch += 1
        self._wake.set()

    def step(self, n: int = 1) -> None:
        """Advance exactly n more units, then stay paused; pauses a continuous run first."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"the number of steps must be a whole number >= 1, got {n!r}")
        with self._lock:
            self._run_wanted = False
            self._step_budget += n
        self._wake.set()

    def stop(self) -> None:
        """End the loop within one chunk: the final batch is emitted, then ``finished``."""
        with self._lock:
            self._stop_wanted = True
        self._wake.set()

    def set_speed(self, units_per_second: float | None) -> None:
        """Pace the run by the wall clock; None runs as fast as possible."""
        if units_per_second is not None and not (
            isinstance(units_per_second, (int, float))
            and math.isfinite(units_per_second)
            and units_per_second > 0
        ):
            raise ValueError(f"speed must be a positive number or None, got {units_per_second!r}")
        with self._lock:
            self._speed = None if units_per_second is None else float(units_per_second)
            self._pace_reset = True
        self._wake.set()

    def submit(self, fn: Callable[[Any], object]) -> None:
        """Run ``fn(session)`` in the worker thread between chunks, then emit a fresh batch."""
        with self._lock:
            self._jobs.append(fn)
        self._wake.set()

    @property
    def state(self) -> str:
        """The state last reported through ``state_changed``."""
        return self._state

    @property
    def active(self) -> bool:
        """True while running continuously or working off a step budget."""
        with self._lock:
            return self._run_wanted or self._step_budget > 0

    # ---- the loop (worker thread) ----

    @Slot()
    def run(self) -> None:
        """Build the session (off the GUI thread), then loop until stop() or a failure."""
        self._set_state("preparing")
        try:
            session = self._factory()
        except Exception as exc:
            log.exception("building the training session failed")
            self.failed.emit(f"Could not prepare the training: {describe_error(exc)}")
            self._end(None)
            return
        self.session = session
        self.session_ready.emit(session)
        self._set_state("paused")
        try:
            self._loop(session)
        except Exception as exc:
            log.exception("the training loop failed")
            self.failed.emit(f"Training stopped because of an error: {describe_error(exc)}")
        self._end(session)

    def _end(self, session: Steppable | None) -> None:
        if session is not None:
            try:
                self._emit_batch(session)
            except Exception:
                log.exception("the final drain failed")
        self._set_state("stopped")
        self.finished.emit()

    def _set_state(self, state: str) -> None:
        if state != self._state or state == "preparing":
            self._state = state
            self.state_changed.emit(state)

    def _emit_batch(self, session: Steppable) -> None:
        self._last_emit = time.perf_counter()
        self._unemitted = False
        self.batch_ready.emit(session.drain())

    def _emit_if_due(self, session: Steppable) -> None:
        if self._unemitted and time.perf_counter() - self._last_emit >= self._min_emit_interval:
            self._emit_batch(session)

    def _wait(self, timeout: float) -> None:
        """Block until a control call or the timeout; never longer than the next emission."""
        if self._unemitted:
            due = self._last_emit + self._min_emit_interval - time.perf_counter()
            timeout = min(timeout, max(due, 0.0))
        if timeout > 0:
            self._wake.wait(timeout)

    def _run_jobs(self, session: Steppable) -> bool:
        with self._lock:
            jobs = list(self._jobs)
            self._jobs.clear()
        for job in jobs:
            try:
                job(session)
            except Exception as exc:
                log.exception("a change submitted to the training session failed")
                self.failed.emit(f"Could not apply the change: {describe_error(exc)}")
        return bool(jobs)

    def _loop(self, session: Steppable) -> None:
        chunk = 1
        per_unit: float | None = None
        next_due: float | None = None  # pacing clock; None restarts pacing on the next unit
        while True:
            self._wake.clear()
            if self._run_jobs(session):
                self._emit_batch(session)
            self._emit_if_due(session)
            with self._lock:
                if self._stop_wanted:
                    return
                if session.done and not self._reported_done:
                    # Finished or diverged: stay alive, paused, so the GUI can rewind or extend.
                    self._run_wanted = False
                    self._step_budget = 0
                if self._pace_reset:
                    self._pace_reset = False
                    next_due = None
                running, budget, epoch = self._run_wanted, self._step_budget, self._budget_epoch
                speed = self._speed
            if session.done:
                if not self._reported_done:
                    self._reported_done = True
                    self._emit_batch(session)
                    self._set_state(session.status)
                next_due = None
                self._wait(IDLE_WAIT)
                continue
            self._reported_done = False
            if not (running or budget > 0):
                if self._state != "paused":
                    self._emit_batch(session)
                    self._set_state("paused")
                next_due = None
                self._wait(IDLE_WAIT)
                continue
            # Working off a step budget counts as paused: the run stops by itself afterwards.
            self._set_state("running" if running else "paused")

            n = chunk if budget <= 0 or running else min(chunk, budget)
            remaining = session.total_steps - session.step_count
            if remaining > 0:
                n = min(n, remaining)
            if speed is not None:
                now = time.perf_counter()
                if next_due is None:
                    next_due = now
                if now < next_due:
                    self._wait(next_due - now)
                    continue
                n = min(n, int((now - next_due) * speed) + 1)

            started = time.perf_counter()
            done = session.advance(n)
            finished = time.perf_counter()
            elapsed = finished - started
            if finished - self._last_yield >= self._yield_interval:
                # hand the GIL to the GUI thread every few chunks (see ENV-NOTES, YIELD_INTERVAL)
                time.sleep(0)
                self._last_yield = time.perf_counter()

            if done > 0:
                self._unemitted = True
                unit = elapsed / done
                per_unit = unit if per_unit is None else 0.7 * per_unit + 0.3 * unit
                target = int(self._chunk_seconds / max(per_unit, 1e-9))
                chunk = max(1, min(target, chunk * 4, MAX_CHUNK_UNITS))
            if speed is not None and next_due is not None:
                next_due += max(done, 1) / speed
                next_due = max(next_due, time.perf_counter() - MAX_PACE_DEBT)

            if not running:
                with self._lock:
                    if self._budget_epoch == epoch:
                        self._step_budget = max(0, self._step_budget - done)
                        if done == 0:
                            self._step_budget = 0  # nothing more to do: don't spin
                    step_complete = self._step_budget == 0
                if step_complete:
                    self._emit_batch(session)
            elif done == 0 and not session.done:
                log.warning("advance(%d) did no work; pausing", n)
                with self._lock:
                    self._run_wanted = False
