"""Run the worker through thousands of signals and a hundred controls, with real NumPy work.

This is how a Qt binding crash shows (PySide6 6.12.0's `none_dealloc` needed a few seconds of
signals and lock calls); it also checks that nothing is lost or duplicated on the way. It runs
until enough has happened (counts, not a fixed time), so a fast machine is done in ~2 s.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QTimer

pytestmark = pytest.mark.timing  # measures wall-clock time: runs alone


SOAK_TIMEOUT_MS = 30_000  # only a safety net: the counts below end the run
CONTROL_INTERVAL_MS = 13


def test_worker_survives_seconds_of_training_signals_and_controls(
    qtbot, controller, recorder, fake_session, lateness_probe
):
    session = fake_session(numpy_size=48)
    # 1 ms emissions and 0.5 ms chunks multiply the signals and lock calls (~the worst case).
    worker = controller.start(lambda: session, min_emit_interval=0.001, chunk_seconds=0.0005)
    qtbot.waitUntil(lambda: recorder.last_state == "paused", timeout=5000)
    controller.resume()

    submitted = [0]

    def submit_change() -> None:
        controller.submit(lambda s: s.set_learning_rate(1e-5))
        submitted[0] += 1

    actions = [
        controller.pause,
        controller.resume,
        lambda: controller.step(7),
        controller.resume,
        submit_change,
        lambda: controller.set_speed(500),
        lambda: controller.set_speed(None),
    ]
    fired = [0]

    def fire() -> None:
        actions[fired[0] % len(actions)]()
        fired[0] += 1

    driver = QTimer()
    driver.timeout.connect(fire)
    driver.start(CONTROL_INTERVAL_MS)
    probe = lateness_probe(10)
    probe.start()
    qtbot.waitUntil(
        lambda: (
            fired[0] > 100
            and len(recorder.batches) > 1000
            and session.step_count > 10_000
            and submitted[0] > 10
        ),
        timeout=SOAK_TIMEOUT_MS,
    )
    driver.stop()
    probe.stop()

    controller.pause()
    qtbot.waitUntil(lambda: recorder.last_state == "paused", timeout=1000)
    with qtbot.waitSignal(worker.finished, timeout=1000):
        assert controller.shutdown()
    qtbot.waitUntil(lambda: recorder.last_state == "stopped", timeout=1000)

    assert fired[0] > 100
    assert len(recorder.batches) > 1000
    assert session.step_count > 10_000
    steps = np.concatenate([batch.steps for batch in recorder.batches])
    np.testing.assert_array_equal(steps, np.arange(session.step_count))
    assert recorder.count == session.step_count
    assert len(session.job_log) == submitted[0] > 10
    assert recorder.failures == []
    # never frozen (a starved GUI thread is seconds late); bench_gui.py measures the figure
    assert probe.p95_ms() <= 150, f"p95 lateness {probe.p95_ms():.1f} ms"
