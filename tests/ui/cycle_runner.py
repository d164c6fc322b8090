"""Start/Stop/Reset cycles through the window's Run actions, in a process of its own.

    python cycle_runner.py REPORT CYCLES STEPS [WARM_UP]

The window is built but not shown unless GRADLAB_CYCLES_SHOWN=1 (the run list, its faded
curves and the plots are made all the same; only painting, which keeps nothing, is skipped).
Each cycle presses Step (STEPS steps, NumPy), Stop (the run goes to the run history) and Reset,
as a student clicking through a lesson does. After WARM_UP cycles (the first ones fill caches
and import what the run list needs) the resident memory (VmRSS) is the baseline; REPORT
receives JSON with it, the RSS every 25 cycles and at the end (KB), the runs kept and the
memory the run-history dock shows.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main() -> int:
    report_path, cycles, steps, *rest = sys.argv[1:]
    warm_up = int(rest[0]) if rest else 5
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([])  # noqa: F841 (kept alive for the window)
    from gradlab.app import create_window

    window = create_window()
    window.dialogs.confirm = lambda text: True
    if os.environ.get("GRADLAB_CYCLES_SHOWN") == "1":  # painting costs time, not memory
        window.show()
    controls, runs = window.controls, window.model.runs

    def pump_until(done, timeout: float = 20.0) -> None:
        """Run an event loop (as the app does: deleteLater needs one) until ``done()``."""
        end = time.monotonic() + timeout
        loop, timer = QEventLoop(), QTimer()
        timer.timeout.connect(lambda: loop.quit() if done() or time.monotonic() > end else None)
        timer.start(2)
        loop.exec()
        timer.stop()
        if not done():
            raise SystemExit(f"timed out in cycle {count}")

    count = 0

    def cycle() -> None:
        kept = len(runs)
        window.controller.step(int(steps))
        pump_until(lambda: window.model.step_count == int(steps) and window.run_state == "paused")
        controls.stop_action.trigger()
        pump_until(lambda: len(runs) > kept or len(runs) == runs.max_runs)
        controls.reset_action.trigger()
        pump_until(lambda: window.run_state == "ready")

    for _ in range(warm_up):
        cycle()
    gc.collect()
    baseline = _rss_kb()
    samples = []
    started = time.perf_counter()
    for count in range(1, int(cycles) + 1):
        cycle()
        if count % 25 == 0:
            gc.collect()
            samples.append([count, _rss_kb()])
    seconds = time.perf_counter() - started
    memory_text = window.inside.run_view.memory_label.text()
    result = {
        "baseline_kb": baseline, "samples": samples, "final_kb": _rss_kb(), "runs": len(runs),
        "history_bytes": runs.nbytes, "memory_text": memory_text, "seconds": seconds,
    }  # fmt: skip
    window.close()
    with open(report_path, "w", encoding="utf-8") as report:
        json.dump(result, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
