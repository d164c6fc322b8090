"""TrainingController: one thread at a time, clean shutdown, stale signals dropped."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtWidgets import QWidget

from gradlab.model.run_state import RunState
from gradlab.ui.controller import TrainingController, running_threads

WAIT_MS = 5000


def test_start_runs_the_worker_in_its_own_thread(qtbot, controller, recorder, fake_session):
    session = fake_session()
    worker = controller.start(lambda: session)
    assert controller.worker is worker
    qtbot.waitUntil(lambda: recorder.last_state == "paused", timeout=WAIT_MS)
    assert controller.running and controller.state == "paused"
    assert controller.state is RunState.PAUSED
    assert controller.session is session
    controller.step(3)
    qtbot.waitUntil(lambda: recorder.count == 3, timeout=1000)
    assert threading.get_ident() not in session.advance_threads


def test_shutdown_without_a_session_is_a_no_op(qtbot, controller):
    assert controller.shutdown()
    assert controller.worker is None and not controller.running
    assert controller.state is RunState.STOPPED
    controller.pause()  # controls without a worker do nothing
    controller.step()
    controller.resume()


def test_starting_a_new_session_shuts_the_old_one_down(qtbot, controller, recorder, fake_session):
    first = fake_session(unit_seconds=0.0001)
    controller.start(lambda: first)
    qtbot.waitUntil(lambda: recorder.last_state == "paused", timeout=WAIT_MS)
    controller.resume()
    qtbot.waitUntil(lambda: recorder.count > 100, timeout=WAIT_MS)

    second = fake_session()
    recorder.states.clear()
    recorder.batches.clear()
    controller.start(lambda: second)
    assert running_threads() == 1  # the first thread has been joined
    qtbot.waitUntil(lambda: recorder.last_state == "paused", timeout=WAIT_MS)
    stopped_at = first.step_count
    # the second loop comes round once more: whatever the first sent has arrived by then
    seen: list[int] = []
    before = len(recorder.batches)
    controller.submit(lambda s: seen.append(s.step_count))
    qtbot.waitUntil(lambda: bool(seen) and len(recorder.batches) > before, timeout=WAIT_MS)
    assert first.step_count == stopped_at
    # The first worker's late "stopped" and final batch were dropped, not relayed.
    assert "stopped" not in recorder.states and "running" not in recorder.states
    assert all(batch.step_count == 0 for batch in recorder.batches)
    assert recorder.sessions[-1] is second


def test_speed_carries_over_to_the_next_session(qtbot, controller, recorder, fake_session):
    controller.set_speed(20)
    session = fake_session()
    first = controller.start(lambda: session)
    assert first.speed == 20.0  # a worker paces what it is told: test_pacing.py, fake clock
    qtbot.waitUntil(lambda: recorder.last_state == "paused", timeout=WAIT_MS)
    second = controller.start(lambda: fake_session())
    assert second.speed == 20.0
    controller.set_speed(None)
    assert second.speed is None and controller.start(lambda: fake_session()).speed is None


def test_shutdown_that_overruns_reports_false_and_the_thread_still_ends(
    qtbot, controller, recorder, fake_session
):
    release = threading.Event()

    def slow_factory():
        release.wait(5)  # like a cold `import torch`
        return fake_session()

    controller.start(slow_factory)
    qtbot.waitUntil(lambda: recorder.last_state == "preparing", timeout=WAIT_MS)
    assert not controller.shutdown(timeout_ms=50)
    assert running_threads() == 1
    release.set()
    qtbot.waitUntil(lambda: running_threads() == 0, timeout=WAIT_MS)


class _LabWindow(QWidget):
    """A stand-in for the main window: owns a controller and shuts it down on close."""

    def __init__(self) -> None:
        super().__init__()
        self.controller = TrainingController(self)
        self.close_ms = -1.0

    def closeEvent(self, event) -> None:
        started = time.perf_counter()
        self.controller.shutdown(timeout_ms=1000)
        self.close_ms = (time.perf_counter() - started) * 1000
        super().closeEvent(event)


@pytest.mark.timing
def test_closing_the_window_mid_run_ends_the_thread_within_a_second(qtbot, fake_session, recorder):
    window = _LabWindow()
    qtbot.addWidget(window)
    window.show()
    states: list[str] = []
    window.controller.state_changed.connect(states.append)
    window.controller.start(lambda: fake_session(numpy_size=64))
    qtbot.waitUntil(lambda: states[-1:] == ["paused"], timeout=WAIT_MS)
    window.controller.resume()
    qtbot.waitUntil(lambda: states[-1:] == ["running"], timeout=1000)
    with qtbot.captureExceptions() as exceptions:
        window.close()
    assert not exceptions
    assert 0 <= window.close_ms < 1000
    assert not window.controller.running and running_threads() == 0


def test_a_job_hands_its_result_to_the_gui_thread(qtbot, controller, recorder, fake_session):
    session = fake_session()
    controller.start(lambda: session)
    qtbot.waitUntil(lambda: recorder.last_state == "paused", timeout=WAIT_MS)
    controller.step(4)
    qtbot.waitUntil(lambda: recorder.count == 4, timeout=WAIT_MS)
    results: list[tuple[int, object]] = []

    def on_done(result: object) -> None:
        results.append((threading.get_ident(), result))

    controller.submit(lambda s: (threading.get_ident(), s.step_count), on_done)
    qtbot.waitUntil(lambda: len(results) == 1, timeout=WAIT_MS)
    gui_thread, (job_thread, count) = results[0]
    assert gui_thread == threading.get_ident() != job_thread and count == 4
    assert job_thread in session.advance_threads
    # a job that raises reports failed and never calls on_done; the next job's result arrives
    controller.submit(lambda s: s.set_learning_rate(-1.0), on_done)
    controller.submit(lambda s: "after", on_done)
    qtbot.waitUntil(lambda: len(results) == 2, timeout=WAIT_MS)
    assert results[1] == (gui_thread, "after") and len(recorder.failures) == 1


def test_a_result_of_a_replaced_session_is_dropped(qtbot, controller, recorder, fake_session):
    controller.start(lambda: fake_session())
    qtbot.waitUntil(lambda: recorder.last_state == "paused", timeout=WAIT_MS)
    ran = threading.Event()
    results: list[object] = []
    controller.submit(lambda s: ran.set() or "old", results.append)
    assert ran.wait(5)  # the job ran; the GUI thread has not yet had its result delivered
    controller.start(lambda: fake_session())  # joins the old thread: its result is queued
    qtbot.waitUntil(lambda: recorder.last_state == "paused", timeout=WAIT_MS)
    controller.submit(lambda s: "new", results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    assert results == ["new"]


@pytest.mark.timing
def test_shutdown_waits_only_a_moment_for_a_session_still_being_built(
    qtbot, controller, recorder, fake_session
):
    # closing the window (or starting anew) while a cold `import torch` builds the session: the
    # GUI stood still for the whole timeout (1 s), though the import cannot be interrupted
    release = threading.Event()

    def slow_factory():
        release.wait(5)
        return fake_session()

    controller.start(slow_factory)
    qtbot.waitUntil(lambda: recorder.last_state == "preparing", timeout=WAIT_MS)
    started = time.perf_counter()
    assert not controller.shutdown(timeout_ms=1000)
    assert time.perf_counter() - started < 0.5
    release.set()  # the import ends: the thread, told to stop, ends by itself
    qtbot.waitUntil(lambda: running_threads() == 0, timeout=WAIT_MS)
