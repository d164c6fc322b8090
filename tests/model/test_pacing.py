"""The worker loop's pacing policy on a fake clock and a fake session: no thread, no wall clock.

``Loop`` below runs the same sequence of calls as ``TrainingWorker._loop`` (jobs, due emission,
plan, emit, report, advance or wait, yield, settle); waiting just moves the fake clock on.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from gradlab.model.pacing import (
    CHUNK_SECONDS,
    IDLE_WAIT,
    MAX_BATCHES_IN_FLIGHT,
    MAX_CHUNK_UNITS,
    MAX_PACE_DEBT,
    MIN_EMIT_INTERVAL,
    PAUSED_BY_SESSION,
    YIELD_INTERVAL,
    Controls,
    Pacer,
    Steppable,
    Turn,
    WorkerFailure,
    check_speed,
    check_step_count,
    describe_error,
    done_state,
)
from gradlab.model.run_state import RunState

pytestmark = pytest.mark.timeout(20)  # a loop that never ends is a failure, not a hang


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        assert seconds >= 0
        if seconds > 0:  # any real wait takes time, however small it was asked to be
            self.now = max(self.now + seconds, math.nextafter(self.now, math.inf))


class FakeSession:
    """A counter whose units take ``unit_seconds`` of fake time each."""

    def __init__(
        self,
        clock: FakeClock,
        total_steps: int = 10**9,
        *,
        unit_seconds: float = 1e-4,
        diverge_at: int | None = None,
    ) -> None:
        self.clock = clock
        self.step_count = 0
        self.total_steps = total_steps
        self.status = "ready"
        self.unit_seconds = unit_seconds
        self.diverge_at = diverge_at
        self.calls: list[int] = []
        self.stuck = False  # advance() does no work (and is not done)
        self.pause_at: int | None = None  # advance() stops itself there, once
        self._drained = 0

    @property
    def done(self) -> bool:
        return self.status in ("finished", "diverged")

    def advance(self, n: int) -> int:
        self.calls.append(n)
        if self.done or self.stuck:
            return 0
        count = min(n, self.total_steps - self.step_count)
        if self.pause_at is not None and self.step_count < self.pause_at <= self.step_count + count:
            count, self.pause_at = self.pause_at - self.step_count, None
            self.clock.advance(count * self.unit_seconds)
            self.step_count += count
            self.status = PAUSED_BY_SESSION
            return count
        if self.diverge_at is not None and self.step_count + count >= self.diverge_at:
            count = self.diverge_at - 1 - self.step_count
            self.status = "diverged"
        self.clock.advance(count * self.unit_seconds)
        self.step_count += count
        if self.status != "diverged":
            self.status = "finished" if self.step_count >= self.total_steps else "running"
        return count

    def drain(self) -> range:
        steps = range(self._drained, self.step_count)
        self._drained = self.step_count
        return steps


@dataclass
class Loop:
    """The worker's loop, with the fake clock standing in for the threads."""

    clock: FakeClock
    session: FakeSession
    pacer: Pacer
    jobs: list[Callable[[FakeSession], object]] = field(default_factory=list)
    batches: list[tuple[float, range]] = field(default_factory=list)
    states: list[RunState] = field(default_factory=list)
    yields: list[float] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    gui_keeps_up: bool = True  # the GUI thread takes each batch at once (False: none at all)

    @classmethod
    def start(cls, session: FakeSession, **options: float) -> Loop:
        """Like TrainingWorker.run(): PREPARING, the session is built, PAUSED."""
        loop = cls(session.clock, session, Pacer(clock=session.clock, **options))
        for state in (RunState.PREPARING, RunState.PAUSED):
            if loop.pacer.report(state) is not None:
                loop.states.append(state)
        return loop

    @property
    def controls(self) -> Controls:
        return self.pacer.controls

    @property
    def delivered(self) -> int:
        """How many steps the batches carried, each once and in order (asserted)."""
        ends = 0
        for _, steps in self.batches:
            assert steps.start == ends, "a step was lost or delivered twice"
            ends = steps.stop
        return ends

    def emit(self) -> None:
        self.pacer.emitted()
        self.controls.batch_sent()
        if self.gui_keeps_up:
            self.controls.batch_taken()
        self.batches.append((self.clock(), self.session.drain()))

    def turn(self) -> Turn:
        jobs, self.jobs = self.jobs, []
        for job in jobs:
            job(self.session)
        if jobs or self.pacer.emit_due():
            self.emit()
        turn = self.pacer.plan(self.session)
        self.turns.append(turn)
        if turn.stop:
            return turn
        if turn.emit:
            self.emit()
        if turn.state is not None:
            self.states.append(turn.state)
        if not turn.units:
            self.clock.advance(turn.wait)  # nobody wakes the loop early here
            return turn
        done = self.pacer.advance(self.session, turn.units)
        if self.pacer.yield_due():
            self.yields.append(self.clock())
            self.pacer.yielded()
        if self.pacer.settle(done, self.session.done):
            self.emit()
        return turn

    def run_for(self, seconds: float) -> None:
        end = self.clock() + seconds
        while self.clock() < end:
            self.turn()

    def run_until(self, condition: Callable[[], bool], seconds: float = 60.0) -> None:
        end = self.clock() + seconds
        while not condition():
            assert self.clock() < end, "the condition never came true"
            self.turn()


def test_the_fake_session_is_a_steppable() -> None:
    session: Steppable[range] = FakeSession(FakeClock())
    assert session.advance(2) == 2 and session.drain() == range(2)


# ---- starting, pausing, stepping ----


def test_a_new_loop_stays_paused_and_never_advances() -> None:
    loop = Loop.start(FakeSession(FakeClock()))
    loop.run_for(10.0)
    assert loop.states == [RunState.PREPARING, RunState.PAUSED]
    assert loop.session.calls == [] and loop.session.step_count == 0
    assert all(turn == Turn(wait=IDLE_WAIT) for turn in loop.turns)


def test_runs_to_finish_with_every_step_delivered_once() -> None:
    session = FakeSession(FakeClock(), total_steps=3000)
    loop = Loop.start(session)
    loop.controls.resume()
    loop.run_until(lambda: loop.states[-1] == RunState.FINISHED)
    assert loop.delivered == 3000
    assert loop.states == [RunState.PREPARING, RunState.PAUSED, RunState.RUNNING, RunState.FINISHED]
    assert sum(session.calls) == 3000  # never asked past total_steps
    assert not loop.controls.active  # finished: stays alive, paused


def test_pause_halts_the_count_and_the_batch_on_pause_carries_it() -> None:
    session = FakeSession(FakeClock(), unit_seconds=2e-4)
    loop = Loop.start(session)
    loop.controls.resume()
    loop.run_until(lambda: loop.delivered > 50)
    loop.controls.pause()
    loop.run_until(lambda: loop.states[-1] == RunState.PAUSED)
    paused_at = session.step_count
    assert loop.delivered == paused_at  # the batch on pause carries the final count
    calls = len(session.calls)
    loop.run_for(5.0)
    assert session.step_count == paused_at and len(session.calls) == calls
    assert loop.delivered == paused_at and not loop.controls.active


def test_step_advances_exactly_one_each_time_and_stays_paused() -> None:
    session = FakeSession(FakeClock(), unit_seconds=2e-4)
    loop = Loop.start(session)
    for expected in (1, 2, 3):
        loop.controls.step(1)
        loop.run_for(1.0)
        assert session.step_count == expected and loop.delivered == expected
    assert loop.states[-1] == RunState.PAUSED and RunState.RUNNING not in loop.states


def test_step_n_advances_exactly_n_and_calls_add_up() -> None:
    session = FakeSession(FakeClock(), unit_seconds=1e-4)
    loop = Loop.start(session)
    loop.controls.step(5)
    loop.run_for(1.0)
    assert session.step_count == 5 and loop.delivered == 5
    loop.controls.step(200)
    loop.controls.step(300)
    loop.controls.step(1)
    loop.run_for(2.0)
    assert session.step_count == 506 and loop.delivered == 506
    assert RunState.RUNNING not in loop.states  # working off a budget counts as paused


def test_a_worked_off_budget_is_emitted_at_once() -> None:
    session = FakeSession(FakeClock(), unit_seconds=1e-4)
    loop = Loop.start(session)
    loop.controls.step(3)
    loop.run_until(lambda: session.step_count == 3)
    assert loop.delivered == 3
    assert loop.batches[-1][0] == loop.clock()  # at once, not a throttled emission later


def test_step_while_running_pauses_then_steps_exactly_n() -> None:
    session = FakeSession(FakeClock(), unit_seconds=2e-4)
    loop = Loop.start(session)
    loop.controls.resume()
    loop.run_until(lambda: loop.states[-1] == RunState.RUNNING and session.step_count > 100)
    before = session.step_count
    loop.controls.step(3)
    loop.run_for(2.0)
    assert session.step_count == before + 3 == loop.delivered
    assert loop.states[-1] == RunState.PAUSED and not loop.controls.active


def test_resume_continues_after_pause() -> None:
    session = FakeSession(FakeClock(), unit_seconds=2e-4)
    loop = Loop.start(session)
    loop.controls.step(10)
    loop.run_for(0.5)
    loop.controls.resume()
    loop.run_until(lambda: loop.delivered > 100)
    assert loop.states[-1] == RunState.RUNNING


def test_pause_or_resume_during_a_chunk_drops_the_old_budget_not_the_new_one() -> None:
    session = FakeSession(FakeClock(), unit_seconds=1e-4)
    loop = Loop.start(session)
    pacer, controls = loop.pacer, loop.controls
    controls.step(10)
    turn = pacer.plan(session)
    assert turn.units == 1  # the first chunk is one unit
    done = pacer.advance(session, turn.units)
    controls.pause()  # the GUI thread, while the chunk ran: drops the 10 ...
    controls.step(4)  # ... and asks for 4 afresh
    assert not pacer.settle(done, session.done)  # the old chunk does not count against the 4
    assert controls.budget == 4
    loop.run_for(1.0)
    assert session.step_count == 1 + 4


def test_step_and_speed_reject_bad_values() -> None:
    for bad in (0, -1, 1.5, True, "3", None):
        with pytest.raises(ValueError, match="whole number"):
            check_step_count(bad)
    assert check_step_count(7) == 7
    for bad in (0, -2.0, float("nan"), float("inf"), True, "fast"):
        with pytest.raises(ValueError, match="positive number or None"):
            check_speed(bad)
    assert check_speed(None) is None and check_speed(20) == 20.0
    controls = Controls()
    with pytest.raises(ValueError):
        controls.step(0)
    assert controls == Controls()  # a rejected call changes nothing


# ---- chunks, emission, GIL yields ----


def test_chunks_grow_from_one_to_a_few_milliseconds_of_work() -> None:
    per_unit = 50 * 40e-9  # the pure-Python unit of the Qt test of old: ~2 us
    session = FakeSession(FakeClock(), unit_seconds=per_unit)
    loop = Loop.start(session)
    loop.controls.resume()
    loop.run_until(lambda: len(session.calls) > 60)
    calls = session.calls
    assert calls[0] == 1
    assert all(b <= 4 * a for a, b in itertools.pairwise(calls))  # at most 4x a call
    assert max(calls[30:]) > 10  # grew from 1
    assert statistics.median(calls[30:]) < 10 * 0.005 / per_unit
    target = CHUNK_SECONDS / per_unit
    assert all(abs(n - target) <= 0.01 * target for n in calls[30:])


def test_chunks_shrink_when_units_get_slower() -> None:
    session = FakeSession(FakeClock(), unit_seconds=1e-6)
    loop = Loop.start(session)
    loop.controls.resume()
    loop.run_until(lambda: len(session.calls) > 30)
    assert session.calls[-1] > 2000
    session.unit_seconds = 1e-3  # a thousand times slower
    loop.run_until(lambda: len(session.calls) > 50)
    assert session.calls[-1] <= CHUNK_SECONDS / 1e-3 + 1


def test_chunks_never_exceed_the_cap_even_for_free_units() -> None:
    session = FakeSession(FakeClock(), unit_seconds=0.0)
    loop = Loop.start(session)
    loop.controls.resume()
    loop.run_until(lambda: len(session.calls) > 20)
    assert max(session.calls) == MAX_CHUNK_UNITS
    assert session.calls[:4] == [1, 4, 16, 64]


def test_batches_cross_at_most_40_times_a_second() -> None:
    session = FakeSession(FakeClock(), unit_seconds=1e-4)
    loop = Loop.start(session)
    loop.controls.resume()
    loop.run_until(lambda: session.step_count > 0)
    first = len(loop.batches)
    loop.run_for(1.0)
    times = [t for t, _ in loop.batches[first:]]
    assert MIN_EMIT_INTERVAL == 1 / 40
    # a batch leaves when a chunk ends: at least the interval apart, at most one chunk more
    slowest = 1.0 / (MIN_EMIT_INTERVAL + CHUNK_SECONDS)
    assert slowest - 1 <= len(times) <= 41, len(times)
    assert slowest > 28  # still more batches than the plots' ~28 redraws a second
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= MIN_EMIT_INTERVAL
    assert max(gaps) <= MIN_EMIT_INTERVAL + 2 * CHUNK_SECONDS  # not later than the next chunk


def test_a_gui_that_falls_behind_gets_no_more_batches_until_it_takes_one() -> None:
    session = FakeSession(FakeClock(), unit_seconds=1e-4)
    loop = Loop.start(session)
    loop.controls.resume()
    loop.run_until(lambda: session.step_count > 0)
    loop.gui_keeps_up = False  # the GUI thread is busy: the batches stay in its queue
    loop.controls.in_flight = 0
    first = len(loop.batches)
    loop.run_for(1.0)
    assert MAX_BATCHES_IN_FLIGHT == 2
    assert len(loop.batches) - first == MAX_BATCHES_IN_FLIGHT  # not 40 a second
    waiting = session.step_count
    loop.controls.batch_taken()  # it catches up with one: the rows done meanwhile come at once
    loop.turn()
    assert len(loop.batches) - first == MAX_BATCHES_IN_FLIGHT + 1
    assert loop.batches[-1][1].stop >= waiting
    loop.controls.pause()  # a state change is sent whatever is in flight, with its batch
    loop.run_until(lambda: loop.states[-1] == RunState.PAUSED)
    assert loop.delivered == session.step_count  # every step once, in order, none lost


def test_units_waiting_on_a_slow_pace_are_emitted_on_time() -> None:
    session = FakeSession(FakeClock(), unit_seconds=1e-4)
    loop = Loop.start(session)
    loop.controls.step(1)
    loop.run_until(lambda: loop.delivered == 1)  # a worked-off budget is emitted at once
    loop.controls.set_speed(2)
    loop.controls.resume()
    loop.turn()  # the first paced unit is due at once, but the last batch has only just gone
    done_at = loop.clock()
    assert session.step_count == 2 and loop.delivered == 1
    wait = loop.turn()
    assert 0 < wait.wait <= MIN_EMIT_INTERVAL  # not the half second until the next unit
    loop.turn()
    assert loop.delivered == 2 and loop.batches[-1][0] - done_at <= MIN_EMIT_INTERVAL


def test_the_gui_gets_the_gil_every_yield_interval() -> None:
    session = FakeSession(FakeClock(), unit_seconds=2e-6)
    loop = Loop.start(session)
    loop.controls.resume()
    loop.run_for(1.0)
    gaps = [b - a for a, b in itertools.pairwise(loop.yields)]
    assert len(gaps) > 50
    assert all(YIELD_INTERVAL <= gap <= YIELD_INTERVAL + 1.05 * CHUNK_SECONDS for gap in gaps)


# ---- speed ----


def test_speed_paces_units_by_the_clock() -> None:
    session = FakeSession(FakeClock(), unit_seconds=1e-5)
    loop = Loop.start(session)
    loop.controls.set_speed(20)
    loop.controls.resume()
    loop.run_until(lambda: loop.delivered >= 1)
    first = loop.clock()
    loop.run_for(0.5)
    elapsed = loop.clock() - first
    assert abs(session.step_count - (1 + 20 * elapsed)) <= 1, (session.step_count, elapsed)
    loop.run_for(10.0)
    elapsed = loop.clock() - first
    assert abs(session.step_count - (1 + 20 * elapsed)) <= 1, (session.step_count, elapsed)


def test_slow_speed_is_interruptible_and_a_step_is_due_at_once() -> None:
    session = FakeSession(FakeClock(), unit_seconds=1e-5)
    loop = Loop.start(session)
    loop.controls.set_speed(1)
    loop.controls.resume()
    loop.run_until(lambda: session.step_count == 1)  # the first unit is due at once
    turn = loop.turn()
    assert turn.units == 0 and 0 < turn.wait <= 1.0  # waits on the event: a control wakes it
    assert loop.delivered == 1
    loop.controls.pause()
    turn = loop.turn()
    assert turn.emit and turn.state == RunState.PAUSED and turn.units == 0
    assert session.step_count == 1
    loop.controls.step(1)
    assert loop.turn().units == 1  # due at once, whatever the pace
    loop.controls.set_speed(None)
    loop.controls.resume()
    loop.run_for(0.5)
    assert session.step_count > 1000


def test_a_paced_run_that_falls_behind_catches_up_at_most_the_debt_cap() -> None:
    session = FakeSession(FakeClock(), unit_seconds=0.05)  # 20 units/s at best
    loop = Loop.start(session)
    loop.controls.set_speed(100)
    loop.controls.resume()
    loop.run_for(2.0)  # falls far behind the pace
    session.unit_seconds = 1e-6  # now it could run far ahead
    before, started = session.step_count, loop.clock()
    loop.run_for(0.5)
    caught_up = session.step_count - before
    assert caught_up <= 100 * (0.5 + MAX_PACE_DEBT) + 2
    assert caught_up >= 100 * 0.5 - 2  # but it does keep the pace again
    assert loop.clock() - started < 0.6


def test_changing_the_speed_restarts_the_pace() -> None:
    session = FakeSession(FakeClock(), unit_seconds=1e-5)
    loop = Loop.start(session)
    loop.controls.set_speed(1)
    loop.controls.resume()
    loop.run_for(0.1)
    assert session.step_count == 1
    loop.controls.set_speed(1000)
    loop.run_for(0.1)
    assert abs(session.step_count - (1 + 1 + 1000 * 0.1)) <= 2  # no burst for the time spent


# ---- done, no work, stop, states ----


def test_divergence_pauses_in_the_diverged_state() -> None:
    session = FakeSession(FakeClock(), diverge_at=700)
    loop = Loop.start(session)
    loop.controls.resume()
    loop.run_until(lambda: loop.states[-1] == RunState.DIVERGED)
    assert loop.delivered == 699 and not loop.controls.active
    calls = len(session.calls)
    loop.controls.resume()  # a diverged session takes no more units until it is rewound
    loop.run_for(3.0)
    assert session.step_count == 699 and len(session.calls) == calls
    assert loop.states.count(RunState.DIVERGED) == 1


@pytest.mark.parametrize("speed", [None, 1000.0])
def test_a_session_that_stops_itself_pauses_there_and_shows_it_at_once(speed) -> None:
    session = FakeSession(FakeClock())
    session.pause_at = 5683
    loop = Loop.start(session)
    loop.controls.set_speed(speed)
    loop.controls.resume()
    loop.run_until(lambda: loop.states[-1] == RunState.PAUSED and loop.delivered == 5683)
    calls = len(session.calls)
    loop.run_for(2.0)  # paused: no more units
    assert len(session.calls) == calls and session.step_count == 5683
    assert loop.states[-2:] == [RunState.RUNNING, RunState.PAUSED]
    assert not loop.controls.active
    loop.controls.resume()  # Resume goes on from there
    loop.run_until(lambda: session.step_count > 6000)
    assert loop.states[-1] == RunState.RUNNING


def test_a_finished_run_can_be_extended_and_resumed() -> None:
    session = FakeSession(FakeClock(), total_steps=100)
    loop = Loop.start(session)
    loop.controls.resume()
    loop.run_until(lambda: loop.states[-1] == RunState.FINISHED)
    session.total_steps, session.status = 250, "running"  # what a submitted job does
    loop.controls.resume()
    loop.run_until(lambda: loop.states.count(RunState.FINISHED) == 2)
    assert loop.delivered == 250
    assert loop.states[-3:] == [RunState.FINISHED, RunState.RUNNING, RunState.FINISHED]


def test_an_extended_run_that_is_not_resumed_reports_paused() -> None:
    session = FakeSession(FakeClock(), total_steps=10)
    loop = Loop.start(session)
    loop.controls.resume()
    loop.run_until(lambda: loop.states[-1] == RunState.FINISHED)
    session.total_steps, session.status = 20, "running"
    loop.jobs.append(lambda s: None)
    loop.run_for(1.0)
    assert loop.states[-1] == RunState.PAUSED and session.step_count == 10


def test_a_session_that_does_no_work_pauses_instead_of_spinning() -> None:
    session = FakeSession(FakeClock())
    session.stuck = True
    loop = Loop.start(session)
    loop.controls.resume()
    loop.run_for(2.0)
    assert session.calls == [1] and not loop.controls.active
    loop.controls.step(5)
    loop.run_for(2.0)
    assert session.calls == [1, 1] and loop.controls.budget == 0


def test_stop_ends_the_loop_at_the_next_turn() -> None:
    session = FakeSession(FakeClock())
    loop = Loop.start(session)
    loop.controls.resume()
    loop.run_for(0.1)
    loop.controls.request_stop()
    assert loop.turn().stop


def test_jobs_run_between_chunks_and_emit_a_fresh_batch() -> None:
    session = FakeSession(FakeClock())
    loop = Loop.start(session)
    loop.controls.step(3)
    loop.run_for(0.1)
    before = len(loop.batches)
    seen: list[int] = []
    loop.jobs.append(lambda s: seen.append(s.step_count))
    loop.turn()
    assert seen == [3] and len(loop.batches) == before + 1


def test_states_are_reported_only_when_they_change() -> None:
    pacer = Pacer(clock=FakeClock())
    assert pacer.report(RunState.PREPARING) == RunState.PREPARING  # always: a new session
    assert pacer.report(RunState.PAUSED) == RunState.PAUSED
    assert pacer.report(RunState.PAUSED) is None
    assert pacer.report(RunState.PREPARING) == RunState.PREPARING
    assert done_state("diverged") == RunState.DIVERGED and done_state("failed") == RunState.FAILED
    assert done_state("something else") == RunState.FINISHED


def test_failures_carry_a_kind_and_the_exceptions_own_words() -> None:
    failure = WorkerFailure.from_exception("change", ValueError(" learning rate must be > 0 "))
    assert failure == WorkerFailure("change", "learning rate must be > 0")
    assert describe_error(KeyError()) == "KeyError"
    with pytest.raises(AttributeError):
        failure.detail = "changed"  # type: ignore[misc]
