"""How the training loop paces itself: a pure policy with an injectable clock (no threads, no Qt).

The worker thread owns a lock, a wake-up event and the signals; on every turn of its loop it asks
a ``Pacer`` what to do next (``plan``: stop, emit a batch, report a state, advance n units or
wait), lets it time the units (``advance``) and reports back (``settle``). Everything decided in
between lives here: chunk sizes from the measured time per unit, emit throttling, GIL yields,
step budgets, speed pacing and what happens when the session is done. ``Controls`` is the part
the GUI thread writes; the worker guards it with its lock, the rest is loop-only state.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

from gradlab.model.run_state import RunState

log = logging.getLogger(__name__)

# one advance() call takes ~10 ms: a pause still comes within a frame, and the calls' own cost
# stays small (through the worker alone, 10 ms instead of 3 ms chunks took training from
# 0.76x to 0.98x the core's speed for torch-optim and from 0.72x to 1.01x for numpy-manual,
# medians of 4 interleaved rounds). The GUI does not wait for a chunk to end: torch drops
# Python's lock at every call, and Python hands it over within its 5 ms switch interval.
CHUNK_SECONDS = 0.010
# batches cross to the GUI at most ~40 times a second: each costs the GUI thread ~0.3-0.5 ms
# (the plot buffers, the inside docks), and the plots redraw at most ~30 times a second anyway
MIN_EMIT_INTERVAL = 1 / 40
# sleep(0) hands the GIL to a waiting GUI thread, but costs ~75 us plus cold caches afterwards:
# measured, yielding after every 3 ms chunk took 6-11% off training; every 8 ms about 1-2%.
# The GUI then waits at most this long for the GIL (a 10 ms timer stays well within 20 ms).
YIELD_INTERVAL = 0.008
# throttled batches sent but not yet taken by the GUI thread: a GUI that falls behind (a slow or
# busy PC) gets no more until it catches up, so its event queue never fills with batches that
# would hold up its timers and clicks; the rows wait in the session and come with the next one
MAX_BATCHES_IN_FLIGHT = 2
IDLE_WAIT = 0.25  # paused loops block on the event; the timeout is only a safety net
MAX_CHUNK_UNITS = 1_000_000
MAX_PACE_DEBT = 0.1  # a paced run that falls behind catches up at most this many seconds
# a session whose advance() stopped at a condition of its own (TrainingSession.pause_when):
# the loop pauses there, as when a step budget runs out
PAUSED_BY_SESSION = "paused_at_target"

BatchT_co = TypeVar("BatchT_co", covariant=True)


class Steppable(Protocol[BatchT_co]):
    """What the worker can run: the polynomial TrainingSession, the CNN session, a comparison."""

    @property
    def step_count(self) -> int: ...

    @property
    def total_steps(self) -> int: ...

    @property
    def done(self) -> bool: ...

    @property
    def status(self) -> str: ...

    def advance(self, n: int) -> int: ...

    def drain(self) -> BatchT_co: ...


FailureKind = Literal["prepare", "train", "change"]


@dataclass(frozen=True, slots=True)
class WorkerFailure:
    """Why the worker reports a failure: building the session, a step, or a submitted change.

    ``kind`` says which sentence the UI shows; ``detail`` is the exception's own message.
    """

    kind: FailureKind
    detail: str

    @classmethod
    def from_exception(cls, kind: FailureKind, exc: BaseException) -> WorkerFailure:
        return cls(kind, describe_error(exc))


def describe_error(exc: BaseException) -> str:
    """The exception's own message in plain words (its type only when it has no message)."""
    text = str(exc).strip()
    return text if text else type(exc).__name__


def check_step_count(n: object) -> int:
    """``n`` if it is a whole number >= 1 (what step(n) accepts); ValueError otherwise."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"the number of steps must be a whole number >= 1, got {n!r}")
    return n


def check_speed(units_per_second: object) -> float | None:
    """A positive finite speed as a float, or None (as fast as possible); ValueError otherwise."""
    if units_per_second is None:
        return None
    if (
        isinstance(units_per_second, bool)
        or not isinstance(units_per_second, (int, float))
        or not (math.isfinite(units_per_second) and units_per_second > 0)
    ):
        raise ValueError(f"speed must be a positive number or None, got {units_per_second!r}")
    return float(units_per_second)


def done_state(status: str) -> RunState:
    """The state a done session reports: its own status (finished, diverged or failed)."""
    try:
        return RunState(status)
    except ValueError:
        return RunState.FINISHED  # a session with a status of its own still ended


@dataclass
class Controls:
    """What the GUI asked for. Not thread-safe: the worker changes and reads it under its lock."""

    run: bool = False  # run continuously
    budget: int = 0  # units still owed by step(n)
    epoch: int = 0  # bumped when resume()/pause() drop the budget (a late settle must not count)
    stop: bool = False
    speed: float | None = None  # units per second; None: as fast as possible
    pace_reset: bool = False  # the speed changed: restart the pacing clock
    in_flight: int = 0  # batches sent that the GUI thread has not taken yet

    def batch_sent(self) -> None:
        self.in_flight += 1

    def batch_taken(self) -> None:
        self.in_flight = max(0, self.in_flight - 1)

    def resume(self) -> None:
        self.run, self.budget, self.epoch = True, 0, self.epoch + 1

    def pause(self) -> None:
        self.run, self.budget, self.epoch = False, 0, self.epoch + 1

    def step(self, n: int) -> None:
        """Owe ``n`` more units, then pause (a continuous run pauses first)."""
        self.run = False
        self.budget += check_step_count(n)

    def request_stop(self) -> None:
        self.stop = True

    def set_speed(self, units_per_second: float | None) -> None:
        self.speed = check_speed(units_per_second)
        self.pace_reset = True

    @property
    def active(self) -> bool:
        """True while running continuously or working off a step budget."""
        return self.run or self.budget > 0


@dataclass(frozen=True, slots=True)
class Turn:
    """One turn of the loop, done in this order: emit a batch, report the state, then advance
    ``units`` or (when 0) block on the wake-up event at most ``wait`` seconds."""

    stop: bool = False
    emit: bool = False
    state: RunState | None = None  # only when it changed
    units: int = 0
    wait: float = 0.0


_STOP = Turn(stop=True)


class Pacer:
    """The worker loop's decisions; ``controls`` is shared (lock it), the rest is loop-only."""

    def __init__(
        self,
        controls: Controls | None = None,
        *,
        chunk_seconds: float = CHUNK_SECONDS,
        min_emit_interval: float = MIN_EMIT_INTERVAL,
        yield_interval: float = YIELD_INTERVAL,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.controls = controls if controls is not None else Controls()
        self.chunk_seconds = chunk_seconds
        self.min_emit_interval = min_emit_interval
        self.yield_interval = yield_interval
        self.clock = clock
        self.state = RunState.PREPARING  # the state last reported
        self.chunk = 1  # units per advance() call, grown to ~chunk_seconds of work
        self.per_unit: float | None = None  # smoothed seconds per unit
        self._next_due: float | None = None  # pacing clock; None restarts pacing on the next unit
        self._emit_at = -math.inf  # when waiting units may cross next (one interval after the last)
        self._unemitted = False  # units done since the last batch
        self._reported_done = False
        self._last_yield = clock()
        self._advanced_at = self._last_yield
        # what the last plan() saw, for settle()
        self._running = False
        self._epoch = 0
        self._speed: float | None = None
        self._asked = 0
        self._session_paused = False  # the last advance() ended at the session's own stop

    # ---- what the worker reports back ----

    def report(self, state: RunState) -> RunState | None:
        """Record ``state``; returns it when it must be sent (a change, or a new PREPARING)."""
        if state == self.state and state != RunState.PREPARING:
            return None
        self.state = state
        return state

    def emitted(self) -> None:
        """A batch was drained and sent just now."""
        self._emit_at = self.clock() + self.min_emit_interval
        self._unemitted = False

    def emit_due(self) -> bool:
        """True when units are waiting, the last batch is at least the emit interval old and
        fewer than MAX_BATCHES_IN_FLIGHT are still on their way to the GUI thread."""
        return (
            self._unemitted
            and self.clock() >= self._emit_at
            and self.controls.in_flight < MAX_BATCHES_IN_FLIGHT
        )

    # ---- one turn ----

    def plan(self, session: Steppable[Any]) -> Turn:
        """What to do next (call with the controls locked)."""
        c = self.controls
        if c.stop:
            return _STOP
        done = session.done
        if done and not self._reported_done:
            # Finished or diverged: stay alive, paused, so the GUI can rewind or extend.
            c.run, c.budget = False, 0
        if c.pace_reset:
            c.pace_reset = False
            self._next_due = None
        running, budget = c.run, c.budget
        self._running, self._epoch, self._speed = running, c.epoch, c.speed
        if done:
            self._next_due = None
            if not self._reported_done:
                self._reported_done = True
                return Turn(
                    emit=True, state=self.report(done_state(session.status)), wait=IDLE_WAIT
                )
            return Turn(wait=self._wait_at_most(IDLE_WAIT))
        self._reported_done = False
        if not (running or budget > 0):
            self._next_due = None
            if self.state != RunState.PAUSED:
                return Turn(emit=True, state=self.report(RunState.PAUSED), wait=IDLE_WAIT)
            return Turn(wait=self._wait_at_most(IDLE_WAIT))
        # Working off a step budget counts as paused: the run stops by itself afterwards.
        state = self.report(RunState.RUNNING if running else RunState.PAUSED)
        n = self.chunk if running else min(self.chunk, budget)
        remaining = session.total_steps - session.step_count
        if remaining > 0:
            n = min(n, remaining)
        if self._speed is not None:
            now = self.clock()
            if self._next_due is None:
                self._next_due = now
            if now < self._next_due:
                return Turn(state=state, wait=self._wait_at_most(self._next_due - now))
            n = min(n, int((now - self._next_due) * self._speed) + 1)
        return Turn(state=state, units=n)

    def advance(self, session: Steppable[Any], n: int) -> int:
        """``session.advance(n)``, timed: the chunk grows or shrinks towards chunk_seconds."""
        self._asked = n
        started = self.clock()
        done = session.advance(n)
        self._session_paused = session.status == PAUSED_BY_SESSION
        self._advanced_at = finished = self.clock()
        if done > 0:
            self._unemitted = True
            unit = (finished - started) / done
            self.per_unit = unit if self.per_unit is None else 0.7 * self.per_unit + 0.3 * unit
            target = int(self.chunk_seconds / max(self.per_unit, 1e-9))
            self.chunk = max(1, min(target, self.chunk * 4, MAX_CHUNK_UNITS))
        return done

    def yield_due(self) -> bool:
        """True when the GUI thread should get the GIL now (a few chunks since the last time)."""
        return self._advanced_at - self._last_yield >= self.yield_interval

    def yielded(self) -> None:
        self._last_yield = self.clock()

    def settle(self, done: int, session_done: bool) -> bool:
        """Account for ``done`` units (call with the controls locked); True: emit a batch now,
        because a step budget has just been worked off or the session paused itself."""
        if self._speed is not None and self._next_due is not None:
            self._next_due += max(done, 1) / self._speed
            self._next_due = max(self._next_due, self.clock() - MAX_PACE_DEBT)
        c = self.controls
        if self._session_paused:
            self._session_paused = False
            c.run, c.budget = False, 0  # the session stopped itself: pause, and show it now
            return True
        if not self._running:
            if c.epoch == self._epoch:  # else pause()/resume() dropped the budget meanwhile
                c.budget = max(0, c.budget - done)
                if done == 0:
                    c.budget = 0  # nothing more to do: don't spin
            return c.budget == 0
        if done == 0 and not session_done:
            log.warning("advance(%d) did no work; pausing", self._asked)
            c.run = False
        return False

    def _wait_at_most(self, timeout: float) -> float:
        """``timeout``, but never past the next due emission of waiting units."""
        if self._unemitted:
            # the same comparison as emit_due(): 0 here means due there (no zero-timeout spin)
            timeout = min(timeout, max(self._emit_at - self.clock(), 0.0))
        return timeout
