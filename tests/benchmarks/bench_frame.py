"""Where the GUI thread's time goes per frame while the window trains (a script, not a test).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/bench_frame.py \
        [--methods numpy-manual,torch-autograd] [--seconds 4] [--profile]

The window trains each method with the default dock layout; the GUI thread's slots are timed
(CPU time of the GUI thread, ``time.thread_time``, and wall time): the batches arriving (the
model's PlotBuffer, the inside docks), each part of the LiveView's redraw, and the plots'
repaints (pyqtgraph's ``GraphicsView.paintEvent``, which calls back into Python for every
pyqtgraph item it paints). "rest" is the GUI thread's other CPU time: Qt's own work in C++
(widgets' painting, layouts, events) and this script's polling. The training thread's CPU share
is read from /proc. With ``--profile`` the GUI thread also runs under cProfile (slower) and its
top functions are printed. CPU time is the figure to compare on a shared machine: wall time
includes the waits for a core and for Python's lock.

With ``--speed 400`` the run is paced at 400 steps a second: the training thread is nearly idle,
so the figures are the GUI thread's own work per frame, without Python's lock changing hands.

With ``--bounds N`` nothing is timed inside the GUI thread. Instead, with the run training, the
redraw timer is switched on and off in N pairs of 1 s blocks, and after each pair the run pauses
while the headless core trains 1 s in the same process: what the redraws cost training, measured
side by side within a few seconds (the machine's speed drifts from minute to minute), and what
the rest of the window costs (redraws off, batches still arriving). Per block: steps/s, the
training thread's CPU share and its CPU time per step, the GUI thread's CPU share.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import os
import pstats
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_gui's headless core

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

BENCH_STEPS = 50_000_000
TOTALS: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])  # cpu s, wall s, calls
_MAIN = threading.main_thread()


def timed(cls: type, name: str, label: str) -> None:
    """Wrap ``cls.name`` so that its GUI-thread CPU and wall time add up under ``label``
    (nested timed calls count in both: the table says which rows hold which)."""
    original: Callable[..., Any] = getattr(cls, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is not _MAIN:
            return original(*args, **kwargs)
        cpu, wall = time.thread_time(), time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            row = TOTALS[label]
            row[0] += time.thread_time() - cpu
            row[1] += time.perf_counter() - wall
            row[2] += 1

    setattr(cls, name, wrapper)


def instrument() -> None:
    import pyqtgraph as pg

    from gradlab.model.lab import LabModel
    from gradlab.model.plot_buffer import PlotBuffer
    from gradlab.ui.controller import _Relay
    from gradlab.ui.inside.graph_panel import GraphPanel
    from gradlab.ui.inside.install import InsideTraining
    from gradlab.ui.plots.coefficients import CoefficientPlot
    from gradlab.ui.plots.gradient import GradientPlot
    from gradlab.ui.plots.live_view import LiveView
    from gradlab.ui.plots.loss import LossPlot

    timed(_Relay, "on_batch", "batch: all of it")
    timed(LabModel, "append", "batch:  model.append (incl. subscribers)")
    timed(PlotBuffer, "append", "batch:   plot buffers (fold)")
    timed(InsideTraining, "_on_batch", "batch:   inside docks (path, early stop)")
    timed(GraphPanel, "_on_batch", "batch:   graph dock")
    timed(LiveView, "_on_rows", "batch:   live view (mark dirty)")
    timed(LiveView, "redraw", "frame: LiveView.redraw, all of it")
    timed(LossPlot, "draw", "frame:  loss plot")
    timed(CoefficientPlot, "draw", "frame:  coefficient plot")
    timed(GradientPlot, "draw", "frame:  gradient plot")
    timed(LiveView, "_draw_current_fit", "frame:  fit curve + equation")
    timed(LiveView, "_draw_numbers", "frame:  read-outs")
    timed(pg.GraphicsView, "paintEvent", "paint: plots' repaints (pyqtgraph)")


def thread_cpu(prefix: str) -> float:
    """CPU seconds of this process's threads whose name starts with ``prefix`` (Linux)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat") as stat:
                text = stat.read()
        except OSError:
            continue
        if text[text.index("(") + 1 : text.rindex(")")].startswith(prefix):
            fields = text[text.rindex(")") + 2 :].split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def measure(window: Any, method: str, seconds: float, profile: bool) -> None:
    from gradlab.ui.selftest import LatenessProbe, Report, wait_for, wait_until

    find = window.findChild
    combo = find(QWidget, "methodCombo")
    combo.setCurrentIndex(combo.findData(method))
    edit = find(QWidget, "stepsEdit")
    edit.setText(str(BENCH_STEPS))
    edit.editingFinished.emit()
    wait_for(0.2)
    find(QWidget, "startButton").click()
    label = find(QWidget, "stepLabel")

    def steps() -> int:
        return int("".join(c for c in label.text() if c.isdigit()) or 0)

    wait_until(lambda: steps() > 0, 60)
    wait_for(0.5)
    TOTALS.clear()
    report = Report()
    probe = LatenessProbe(report)
    # the profiler's clock is the GUI thread's CPU time: waits for a core or for Python's lock
    # would otherwise show up in whatever function was running
    profiler = cProfile.Profile(time.thread_time) if profile else None
    s0, r0 = steps(), window.redraw_count
    w0, g0, t0 = thread_cpu("GradLabTrain"), time.thread_time(), time.perf_counter()
    probe.recording = True
    if profiler is not None:
        profiler.enable()
    wait_for(seconds)
    if profiler is not None:
        profiler.disable()
    probe.recording = False
    s1, r1 = steps(), window.redraw_count
    w1, g1, t1 = thread_cpu("GradLabTrain"), time.thread_time(), time.perf_counter()
    probe.stop()
    wall, frames = t1 - t0, max(r1 - r0, 1)
    gui = g1 - g0
    print(
        f"\n{method}: {(s1 - s0) / wall:,.0f} steps/s, {frames / wall:.1f} redraws/s, timer p95 "
        f"{report.lateness_p95_ms() or 0:.1f} ms, load {os.getloadavg()[0]:.2f}; GUI thread CPU "
        f"{100 * gui / wall:.0f}% = {1000 * gui / frames:.2f} ms per frame; training thread "
        f"CPU {100 * (w1 - w0) / wall:.0f}%"
    )
    print(f"  {'per frame':<44}{'CPU ms':>8}{'wall ms':>9}{'calls':>7}")
    for name, (cpu, spent, calls) in sorted(TOTALS.items()):
        print(f"  {name:<44}{1000 * cpu / frames:>8.2f}{1000 * spent / frames:>9.2f}"
              f"{calls / frames:>7.1f}")  # fmt: skip
    counted = sum(
        TOTALS[k][0]
        for k in ("batch: all of it", "frame: LiveView.redraw, all of it", "paint: plots' "
                  "repaints (pyqtgraph)")
    )  # fmt: skip
    print(f"  {'rest (Qt C++, events, this script)':<44}{1000 * (gui - counted) / frames:>8.2f}")
    if profiler is not None:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
        print(out.getvalue())
        if os.environ.get("BENCH_FRAME_DUMP"):  # for pstats' callers/callees views
            profiler.dump_stats(f"{os.environ['BENCH_FRAME_DUMP']}.{method}")
    find(QWidget, "pauseButton").click()
    find(QWidget, "stopButton").click()
    wait_for(0.1)
    find(QWidget, "resetButton").click()
    wait_until(lambda: steps() == 0, 3)


def bounds(window: Any, method: str, pairs: int) -> None:
    """Redraws on / off / headless core, interleaved (see the module docstring)."""
    import statistics

    from bench_gui import core_steps_per_s

    from gradlab.ui.selftest import wait_for, wait_until

    find = window.findChild
    combo = find(QWidget, "methodCombo")
    combo.setCurrentIndex(combo.findData(method))
    edit = find(QWidget, "stepsEdit")
    edit.setText(str(BENCH_STEPS))
    edit.editingFinished.emit()
    wait_for(0.2)
    find(QWidget, "startButton").click()
    wait_until(lambda: window.model.step_count > 0, 60)
    wait_for(0.5)
    timer = window.view.timer

    def block(redraws: bool) -> tuple[float, float, float, float]:
        if redraws:
            timer.start()
        else:
            timer.stop()
        wait_for(0.15)  # the batches and redraws of the other state have gone
        s0, w0 = window.model.step_count, thread_cpu("GradLabTrain")
        g0, t0 = time.thread_time(), time.perf_counter()
        wait_for(1.0)
        s1, w1 = window.model.step_count, thread_cpu("GradLabTrain")
        g1, t1 = time.thread_time(), time.perf_counter()
        wall, steps = t1 - t0, max(s1 - s0, 1)
        return steps / wall, (w1 - w0) / wall, (g1 - g0) / wall, 1e6 * (w1 - w0) / steps

    on: list[tuple[float, float, float, float]] = []
    off: list[tuple[float, float, float, float]] = []
    core: list[float] = []
    for i in range(pairs):
        for redraws in (True, False) if i % 2 else (False, True):
            (on if redraws else off).append(block(redraws))
        find(QWidget, "pauseButton").click()
        wait_for(0.1)
        core.append(core_steps_per_s(method, 1.0))
        find(QWidget, "startButton").click()
        wait_for(0.1)
    timer.start()

    def med(rows: list[tuple[float, float, float, float]], k: int) -> float:
        return statistics.median(r[k] for r in rows)

    def vs_core(rows: list[tuple[float, float, float, float]]) -> str:
        ratios = sorted(r[0] / c for r, c in zip(rows, core, strict=True))
        return f"{statistics.median(ratios):.2f} ({ratios[0]:.2f}-{ratios[-1]:.2f})"

    print(
        f"\n{method}, {pairs} pairs, load {os.getloadavg()[0]:.2f}: window / core with redraws "
        f"{vs_core(on)}, without {vs_core(off)} (medians, range)\n"
        f"  training thread CPU share {med(on, 1):.2f} / {med(off, 1):.2f}, CPU per step "
        f"{med(on, 3):.3g} / {med(off, 3):.3g} us (core {1e6 / statistics.median(core):.3g} us "
        f"wall); GUI thread CPU share {med(on, 2):.2f} / {med(off, 2):.2f} (with / without)"
    )
    find(QWidget, "pauseButton").click()
    find(QWidget, "stopButton").click()
    wait_for(0.1)
    find(QWidget, "resetButton").click()
    wait_until(lambda: window.model.step_count == 0, 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", default="numpy-manual,torch-autograd,torch-optim,"
                        "torch-function")  # fmt: skip
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--profile", action="store_true", help="cProfile the GUI thread too")
    parser.add_argument(
        "--speed",
        type=float,
        default=None,
        help="steps/s from the speed control (e.g. 400: the GUI's work with training nearly idle)",
    )
    parser.add_argument(
        "--bounds", type=int, default=0, metavar="N", help="redraws on/off and the core, N pairs"
    )
    args = parser.parse_args()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([])
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    print(f"platform {app.platformName()}, {os.cpu_count()} cores, load {os.getloadavg()}")
    if not args.bounds:
        instrument()
    from bench_gui import warm_up_as_gradlab_does

    from gradlab.app import create_window
    from gradlab.ui.selftest import wait_for, wait_until

    window = create_window()
    window.show()
    wait_until(window.isVisible, 5)
    warm_up_as_gradlab_does(window)
    if args.speed is not None:
        from gradlab.app import apply_demo_speed

        apply_demo_speed(window, str(args.speed))  # as GRADLAB_SPEED does
    for method in args.methods.split(","):
        if args.bounds:
            bounds(window, method, args.bounds)
        else:
            measure(window, method, args.seconds, args.profile)
    window.close()
    window.deleteLater()
    wait_for(0.1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
