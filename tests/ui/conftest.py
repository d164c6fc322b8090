"""Qt test helpers: offscreen platform, a fake Steppable, signal recorders, QThread leak check."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

import gc
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from weakref import WeakKeyDictionary

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThread, QTimer
from PySide6.QtWidgets import QApplication

from gradlab.ui.controller import TrainingController, stop_all_threads


@dataclass(frozen=True)
class FakeBatch:
    """What FakeSession.drain() returns: the step numbers done since the last drain."""

    steps: np.ndarray
    step_count: int
    status: str


class FakeSession:
    """A counter that implements the Steppable protocol, with optional work per unit."""

    def __init__(
        self,
        total_steps: int = 10**9,
        *,
        unit_seconds: float = 0.0,  # sleep per unit (releases the GIL, like torch does)
        busy_python: int = 0,  # pure-Python loop iterations per unit (holds the GIL)
        numpy_size: int = 0,  # a (size x size) matrix-vector product per unit
        diverge_at: int | None = None,
        fail_at: int | None = None,
    ) -> None:
        self.step_count = 0
        self.total_steps = total_steps
        self.status = "ready"
        self.diverged_at: int | None = None
        self.lr = 1e-6
        self.unit_seconds = unit_seconds
        self.busy_python = busy_python
        self.diverge_at = diverge_at
        self.fail_at = fail_at
        self.advance_threads: set[int] = set()
        self.job_log: list[tuple[int, bool, int]] = []  # (thread, inside advance, step_count)
        self.advance_calls: list[int] = []
        self._inside = False
        self._drained = 0
        rng = np.random.default_rng(0)
        self._matrix = rng.random((numpy_size, numpy_size)) / max(numpy_size, 1)
        self._vector = rng.random(numpy_size)

    @property
    def done(self) -> bool:
        return self.status in ("finished", "diverged")

    def advance(self, n: int) -> int:
        self.advance_threads.add(threading.get_ident())
        self.advance_calls.append(n)
        self._inside = True
        count = 0
        try:
            while count < n and not self.done:
                if self.fail_at is not None and self.step_count + 1 >= self.fail_at:
                    raise RuntimeError("the fake session broke on purpose")
                if self.unit_seconds:
                    time.sleep(self.unit_seconds)
                x = 0
                for i in range(self.busy_python):
                    x += i
                if self._vector.size:
                    self._vector = self._matrix @ self._vector + 0.5
                if self.diverge_at is not None and self.step_count + 1 >= self.diverge_at:
                    self.status = "diverged"
                    self.diverged_at = self.step_count + 1
                    break
                self.step_count += 1
                count += 1
                self.status = "finished" if self.step_count >= self.total_steps else "running"
        finally:
            self._inside = False
        return count

    def drain(self) -> FakeBatch:
        batch = FakeBatch(np.arange(self._drained, self.step_count), self.step_count, self.status)
        self._drained = self.step_count
        return batch

    def set_learning_rate(self, lr: float) -> None:
        self.job_log.append((threading.get_ident(), self._inside, self.step_count))
        if not lr > 0:
            raise ValueError(f"learning rate must be > 0, got {lr:g}")
        self.lr = lr

    def set_total_steps(self, n: int) -> None:
        self.total_steps = n
        if self.status == "finished" and self.step_count < n:
            self.status = "running"


class Recorder(QObject):
    """Collects a controller's signals (in the GUI thread) for assertions."""

    def __init__(self, controller: TrainingController) -> None:
        super().__init__()
        self.states: list[str] = []
        self.batches: list[FakeBatch] = []
        self.batch_times: list[float] = []
        self.failures: list[str] = []
        self.sessions: list[object] = []
        controller.state_changed.connect(self.states.append)
        controller.batch_ready.connect(self._on_batch)
        controller.failed.connect(self.failures.append)
        controller.session_ready.connect(self.sessions.append)

    def _on_batch(self, batch: FakeBatch) -> None:
        self.batches.append(batch)
        self.batch_times.append(time.perf_counter())

    @property
    def count(self) -> int:
        """The step count of the latest batch (what the GUI would show)."""
        return self.batches[-1].step_count if self.batches else 0

    @property
    def last_state(self) -> str | None:
        return self.states[-1] if self.states else None


class LatenessProbe:
    """A 10 ms GUI timer that records how late each tick is."""

    def __init__(self, interval_ms: int = 10) -> None:
        self.interval = interval_ms / 1000
        self.lateness: list[float] = []
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._interval_ms = interval_ms
        self._last = 0.0

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start(self._interval_ms)

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lateness.append(max(0.0, now - self._last - self.interval))
        self._last = now

    def p95_ms(self) -> float:
        return float(np.percentile(self.lateness, 95) * 1000) if self.lateness else float("inf")


@pytest.hookimpl(trylast=True)
def pytest_runtest_logfinish(nodeid: str, location: object) -> None:
    """Once pytest has let go of the test's fixtures: delete its closed windows and collect them.

    pytest-qt only posts deleteLater for the widgets a test added, and a fixture's window is
    still held (by pytest's fixture values) when its teardown collects. Collected here, in the
    GUI thread, before the next test's gc.freeze(): frozen, a closed window's Python side stayed
    alive for the rest of the worker, and with it pyqtgraph's parentless menus (ViewBoxMenu,
    the plots' context menus, about 470 widgets a window; a whole window where the fixture left
    deleting to pytest-qt), so QApplication.allWidgets() and every walk over it grew all run.
    """
    app = QApplication.instance()
    if app is not None:
        app.processEvents()  # what the teardown posted (a language switch back) runs first
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture
def controller(qtbot) -> Iterator[TrainingController]:
    """A TrainingController that is shut down (and must end in time) after the test."""
    ctrl = TrainingController()
    yield ctrl
    assert ctrl.shutdown(timeout_ms=2000), "the training thread did not end within 2 s"


@pytest.fixture
def recorder(controller) -> Recorder:
    return Recorder(controller)


@pytest.fixture(autouse=True)
def _dangling_qthreads(monkeypatch, qtbot, request) -> Iterator[None]:
    """Fail any test that leaves a QThread running (after napari's fixture of the same name)."""
    base_start = QThread.start
    started: WeakKeyDictionary[QThread, str] = WeakKeyDictionary()

    def start_and_remember(self: QThread, *args: object) -> None:
        frame = sys._getframe(1)
        started[self] = f"{frame.f_code.co_filename}:{frame.f_lineno}"
        base_start(self, *args)

    monkeypatch.setattr(QThread, "start", start_and_remember)
    yield
    dangling = [
        place
        for thread, place in list(started.items())
        if shiboken6.isValid(thread) and thread.isRunning()
    ]
    stop_all_threads(timeout_ms=3000)
    for thread in list(started.keys()):
        if shiboken6.isValid(thread) and thread.isRunning():
            thread.quit()
            qtbot.waitUntil(lambda t=thread: not t.isRunning(), timeout=3000)
    # collect leftovers (closed windows, pyqtgraph menus) here in the GUI thread: collected
    # later by a worker thread, a Qt destructor there can deadlock against the GUI thread
    gc.collect()
    assert not dangling, "a QThread was left running; started at:\n" + "\n".join(dangling)


@pytest.fixture
def fake_session() -> type[FakeSession]:
    """The FakeSession class (fixtures, because conftest modules are not imported by tests)."""
    return FakeSession


@pytest.fixture
def lateness_probe() -> type[LatenessProbe]:
    return LatenessProbe


@pytest.fixture
def app_window(qtbot, tmp_path) -> Iterator[object]:
    """The whole application window (gradlab.app.create_window), shown; never asks questions.

    Its settings are this test's own: a closing window saves its dock layout, and the next
    test's window would come back in it (a dock raised by one test in front in the next).
    On teardown both labs' threads must have ended, and the closed window's Qt objects are
    collected here in the GUI thread: collected later by a worker thread, pyqtgraph's
    parentless menus can deadlock against the GUI thread.
    """
    from PySide6.QtCore import QSettings

    from gradlab.app import create_window

    ini, scope = QSettings.Format.IniFormat, QSettings.Scope.UserScope
    QSettings.setPath(ini, scope, str(tmp_path / "window-cfg"))
    win = create_window()
    qtbot.addWidget(win)
    win.dialogs.confirm = lambda text: True  # never a modal dialog in tests
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    assert not win.controller.training.running
    assert not win.inside.compare_view.controller.running
    win.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    QSettings.setPath(ini, scope, os.environ["XDG_CONFIG_HOME"])  # back to the suite's sandbox


@pytest.fixture
def classroom_sandbox(qapp, tmp_path, monkeypatch) -> Iterator[None]:
    """Settings and data in this test's own folder, the system language; afterwards the app is
    back in English with its usual font (the Chinese fallback must not leak into other tests)."""
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QFont

    from gradlab.ui import i18n

    ini, scope = QSettings.Format.IniFormat, QSettings.Scope.UserScope
    QSettings.setPath(ini, scope, str(tmp_path / "cfg"))
    monkeypatch.setenv("GRADLAB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv(i18n.LANGUAGE_VARIABLE, raising=False)
    font = QFont(qapp.font())
    yield
    if i18n._manager is not None:
        i18n._manager.set_language("en", remember=False)
    qapp.setFont(font)
    QSettings.setPath(ini, scope, os.environ["XDG_CONFIG_HOME"])  # back to the suite's sandbox
