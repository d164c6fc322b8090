"""Run the worker for several seconds with real NumPy work and thousands of signals.

This is how a Qt binding crash shows (PySide6 6.12.0's `none_dealloc` needed a few seconds of
signals and lock calls); it also checks that nothing is lost or duplicated on the way.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QTimer

SOAK_SECONDS = 5.5


def test_worker_survives_seconds_of_training_signals_and_controls(
    qtbot, controller, recorder, fake_session, lateness_probe
):
    session = fake_session(numpy_size=48)
    # A 1 ms emission interval multiplies the signals crossing threads (~the worst case).
    worker = controller.start(lambda: session, min_emit_interval=0.001)
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
    driver.start(37)
    probe = lateness_probe(10)
    probe.start()
    qtbot.wait(int(SOAK_SECONDS * 1000))
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
