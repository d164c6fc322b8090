"""What any Python in the GUI thread costs training: the budget of a frame (a script, not a test).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_lock.py \
        [--methods torch-function,numpy-manual] [--ticks 1,2,3,5] [--rounds 5] [--seconds 0.8]

The worker trains each method through TrainingController + TrainingWorker with no window, while
a GUI-thread timer fires every 36 ms (frame_rate.RUNNING_REDRAW_MS, the live plots' interval
while training) and runs k ms of plain Python arithmetic: no Qt, no NumPy, nothing drawn.
Python runs one thread at a time, so whatever the GUI thread does in Python each frame, the
training thread cannot do meanwhile. The ticks are calibrated on the idle GUI thread; their CPU
time while training is printed too (it grows when the two threads share the lock). A "+Qt" row
runs the same Python but frees a Qt value (a QPointF) every ~1 % of it: PySide drops Python's
lock while it destroys one, as it does for every QRectF, QPointF or QColor that pyqtgraph makes
and drops while drawing.

All rows of a method are measured in turn, ``--rounds`` times, and the medians printed with the
ratio to the rounds without a tick: the load of a shared machine changes within seconds.
Compare the tick that keeps 0.8x with the window's own GUI time per frame (``bench_frame.py``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_gui's worker-only run

from bench_gui import train_without_window  # noqa: E402
from PySide6.QtCore import QPointF, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gradlab.core.config import MAX_STEPS  # noqa: E402
from gradlab.model.frame_rate import RUNNING_REDRAW_MS  # noqa: E402
from gradlab.ui.selftest import wait_for  # noqa: E402

SETTLE_S = 0.1  # after switching the tick: the last tick of the previous row has ended


def arithmetic(n: int) -> int:
    """Plain Python for ``n`` turns: holds the lock and nothing else."""
    total = 0
    for i in range(n):
        total += i * i
    return total


def arithmetic_freeing_qt_values(n: int) -> int:
    """The same, with a Qt value made and freed every ~1 % of it (PySide drops the lock to
    destroy it)."""
    total, every = 0, max(n // 100, 1)
    for i in range(n):
        total += i * i
        if i % every == 0:
            QPointF(0.0, 0.0)
    return total


def turns_per_ms(work: Callable[[int], int]) -> float:
    """How many turns of ``work`` take 1 ms of this thread's CPU, training idle."""
    n = 20_000
    while True:
        started = time.thread_time()
        work(n)
        spent = time.thread_time() - started
        if spent >= 0.02:
            return n / (spent * 1000)
        n *= 2


class Tick:
    """A GUI-thread timer that runs ``work(turns)`` every RUNNING_REDRAW_MS; counts its CPU time."""

    def __init__(self) -> None:
        self.work: Callable[[int], int] | None = None
        self.turns = 0
        self.cpu = 0.0
        self.count = 0
        self.timer = QTimer()
        self.timer.timeout.connect(self._fire)
        self.timer.start(RUNNING_REDRAW_MS)

    def set(self, work: Callable[[int], int] | None, turns: int) -> None:
        self.work, self.turns = work, turns

    def reset(self) -> None:
        self.cpu, self.count = 0.0, 0

    def _fire(self) -> None:
        if self.work is None:
            return
        started = time.thread_time()
        self.work(self.turns)
        self.cpu += time.thread_time() - started
        self.count += 1


def measure(method: str, ticks_ms: list[float], rounds: int, seconds: float) -> None:
    works: tuple[Callable[[int], int], ...] = (arithmetic, arithmetic_freeing_qt_values)
    rates = {fn: turns_per_ms(fn) for fn in works}
    rows: list[tuple[str, Callable[[int], int] | None, float]] = [("no tick", None, 0.0)]
    rows += [(f"{k:g} ms Python", arithmetic, k) for k in ticks_ms]
    rows += [(f"{k:g} ms Python+Qt", arithmetic_freeing_qt_values, k) for k in ticks_ms[-2:]]

    controller, clock = train_without_window(method, MAX_STEPS)
    tick = Tick()
    results: dict[str, list[tuple[float, float]]] = {name: [] for name, _w, _k in rows}
    try:
        for _ in range(rounds):
            for name, work, k in rows:
                tick.set(work, int(rates[work] * k) if work is not None else 0)
                wait_for(SETTLE_S)
                tick.reset()
                t0 = time.perf_counter()
                wait_for(seconds)
                rate = clock.rate(t0, time.perf_counter()) or 0.0
                if rate == 0:
                    raise SystemExit(f"{method}: no step in {seconds} s (finished? fewer rounds)")
                per_tick = tick.cpu / tick.count if tick.count else 0.0
                results[name].append((rate, per_tick))
    finally:
        tick.timer.stop()
        controller.shutdown()

    base = [r[0] for r in results["no tick"]]
    print(f"\n{method}: {statistics.median(base):,.0f} steps/s without a tick")
    header = f"GUI thread, every {RUNNING_REDRAW_MS} ms"
    print(f"  {header:<26}{'steps/s':>11}{'ratio':>7}{'(range)':>13}{'tick CPU ms':>13}")
    for name, _work, _k in rows:
        got = results[name]
        ratios = sorted(r[0] / b for r, b in zip(got, base, strict=True))
        print(
            f"  {name:<26}{statistics.median(r[0] for r in got):>11,.0f}"
            f"{statistics.median(ratios):>7.2f}{f'({ratios[0]:.2f}-{ratios[-1]:.2f})':>13}"
            f"{1000 * statistics.median(r[1] for r in got):>13.2f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", default="numpy-manual,torch-autograd,torch-optim,"
                        "torch-function")  # fmt: skip
    parser.add_argument("--ticks", default="1,2,3,5", help="ms of Python per tick, idle-timed")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=0.8, help="per row and round")
    parser.add_argument(
        "--switch-interval", type=float, default=None, help="sys.setswitchinterval, in ms"
    )
    args = parser.parse_args()
    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval / 1000)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    load = os.getloadavg()
    print(
        f"platform {app.platformName()}, {os.cpu_count()} cores, load {load[0]:.2f} "
        f"{load[1]:.2f} {load[2]:.2f}; switch interval {1000 * sys.getswitchinterval():g} ms; "
        "ratio = steps/s with the tick / without, same round"
    )
    ticks = [float(t) for t in args.ticks.split(",")]
    for method in args.methods.split(","):
        measure(method, ticks, args.rounds, args.seconds)
    print(f"load average now {os.getloadavg()[0]:.2f} (was {load[0]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
