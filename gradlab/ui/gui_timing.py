"""Timing on the GUI thread, for the self-test and the benchmarks: the process's age, waits
that run the Qt event loop (never a sleep), a probe of a 10 ms timer's lateness and a clock of
the training's batches."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Protocol


class LatenessSink(Protocol):
    """Where the probe records each tick's lateness in seconds (the self-test's Report)."""

    lateness: list[float]


def process_age_s() -> float | None:
    """Seconds since this process started, from /proc (None where that is not available)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        started_ticks = int(fields[19])  # field 22 of stat(5), counted after "(comm)"
        now = time.clock_gettime(time.CLOCK_BOOTTIME)
        return now - started_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


class StepClock:
    """When each batch reached the GUI thread and the step count it brought (``mark``, connected
    to the batches' event or signal). A rate read between two batches is exact to a batch's
    delivery, a few ms; the step label, rewritten ~14 times a second while training, can be
    ~70 ms old at each end of a reading: ±3.5 % of a 2 s one."""

    def __init__(self) -> None:
        self.marks: list[tuple[float, int]] = []

    def mark(self, step_count: int) -> None:
        self.marks.append((time.perf_counter(), int(step_count)))

    def rate(self, t1: float, t2: float) -> float | None:
        """Steps per second between the first and the last batch received from ``t1`` to
        ``t2`` (time.perf_counter() readings); None if fewer than two came."""
        inside = [mark for mark in self.marks if t1 <= mark[0] <= t2]
        if len(inside) < 2 or inside[-1][0] <= inside[0][0]:
            return None
        (ta, sa), (tb, sb) = inside[0], inside[-1]
        return (sb - sa) / (tb - ta)


def seconds_since(t0: float | None) -> float | None:
    """Seconds since ``t0``: a time.perf_counter() reading, or a time.time() one (wall clock)."""
    if t0 is None:
        return None
    now = time.perf_counter()
    return now - t0 if t0 <= now else time.time() - t0


def wait_until(condition: Callable[[], bool], timeout_s: float, poll_ms: int = 5) -> bool:
    """Run the Qt event loop until ``condition()`` is true or the timeout passes."""
    from PySide6.QtCore import QEventLoop, QTimer

    def holds() -> bool:
        try:
            return bool(condition())
        except Exception:
            return False

    if holds():
        return True
    deadline = time.perf_counter() + timeout_s
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(poll_ms)

    def check() -> None:
        if holds() or time.perf_counter() >= deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    return holds()


def wait_for(seconds: float) -> None:
    """Let the GUI run for ``seconds`` (an event-loop wait, not a sleep).

    One single-shot timer ends it: no polling, so the wait itself runs no Python meanwhile
    (a 10 ms poll took Python's lock 100 times a second from the thread it measured)."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer

    if seconds <= 0:
        return
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(loop.quit)
    timer.start(max(1, round(seconds * 1000)))
    loop.exec()
    timer.stop()


class LatenessProbe:
    """A 10 ms GUI timer; records each tick's lateness while ``recording``."""

    def __init__(self, report: LatenessSink) -> None:
        from PySide6.QtCore import Qt, QTimer

        self._report = report
        self.recording = False
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._timer.start(10)

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.recording:
            self._report.lateness.append(max(0.0, now - self._last - 0.010))
        self._last = now

    def stop(self) -> None:
        self._timer.stop()


def headless_steps_per_s(method: str, seconds: float, steps: int = 10**8) -> float:
    """Steps per second of the training core alone (no window, no worker thread) with the
    default settings and ``method``: what the window's rate is compared with."""
    from gradlab.core.config import Config
    from gradlab.core.session import TrainingSession

    config = Config().with_changes(**{"training.method": method, "training.steps": steps})
    session = TrainingSession(config)
    session.advance(200)  # warm-up: first allocations, first torch call
    n, done, started = 64, 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        chunk_started = time.perf_counter()
        done += session.advance(n)
        if time.perf_counter() - chunk_started < 0.003:
            n *= 2  # large chunks: the core's own best case
    return done / elapsed
