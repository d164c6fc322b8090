"""Owns one QThread + TrainingWorker at a time and relays the worker's signals to the GUI thread.

The window talks to the controller only: ``start(factory)`` builds a paused session in a fresh
thread (shutting the previous one down first), the control methods are thread-safe direct calls on
the worker, and ``shutdown()`` stops and joins the thread so closing the window never leaves a
running QThread behind ("QThread: Destroyed while thread is still running" aborts the process).
"""

from __future__ import annotations

import atexit
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from gradlab.model.pacing import Steppable, WorkerFailure, check_speed
from gradlab.model.run_state import RunState
from gradlab.ui.worker import SessionT, TrainingWorker

log = logging.getLogger(__name__)

R = TypeVar("R")

# How long shutdown() waits for a thread still building its session: the factory (a cold
# `import torch` takes seconds on a lab PC, a dataset too) cannot be interrupted, and the GUI
# must not stand still meanwhile; the thread, told to stop, ends by itself once it is built.
PREPARING_WAIT_MS = 100

# Every thread a controller started, kept referenced until it has finished: a QThread that Python
# garbage-collects while it still runs aborts the process, whoever dropped the last reference.
_threads: dict[QThread, TrainingWorker[Any]] = {}


def _alive(thread: QThread) -> bool:
    return shiboken6.isValid(thread) and thread.isRunning()


def _prune() -> None:
    for thread in [t for t in _threads if not _alive(t)]:
        del _threads[thread]


def running_threads() -> int:
    """How many training threads are still running (the self-test checks this after close)."""
    _prune()
    return len(_threads)


def stop_all_threads(timeout_ms: int = 3000) -> bool:
    """Stop and join every training thread still running; True if all ended in time."""
    ok = True
    for thread, worker in list(_threads.items()):
        if _alive(thread):
            worker.stop()
            thread.quit()
            ok = thread.wait(timeout_ms) and ok
    _prune()
    return ok


atexit.register(stop_all_threads)  # last resort if a window was never closed properly


class _Relay(QObject):
    """Lives in the GUI thread; forwards one worker's signals while that worker is current.

    A new session replaces the relay, so late queued signals of an old worker are dropped.
    """

    def __init__(self, controller: TrainingController) -> None:
        super().__init__(controller)
        self._controller = controller

    @Slot(object)
    def on_batch(self, batch: object) -> None:
        if self._controller._relay is self:
            worker = self._controller._worker
            if worker is not None:
                worker.batch_taken()  # first: the next may come while this one is used
            self._controller.batch_ready.emit(batch)

    @Slot(object)
    def on_state(self, state: RunState) -> None:
        if self._controller._relay is self:
            self._controller._state = state
            self._controller.state_changed.emit(state)

    @Slot(object)
    def on_failed(self, failure: WorkerFailure) -> None:
        if self._controller._relay is self:
            self._controller.failed.emit(failure)

    @Slot(object, object)
    def on_job_done(self, on_done: Callable[[Any], object], result: object) -> None:
        if self._controller._relay is self:
            on_done(result)

    @Slot(object)
    def on_session(self, session: Steppable[Any]) -> None:
        if self._controller._relay is self:
            self._controller._session = session
            self._controller.session_ready.emit(session)


class TrainingController(QObject):
    """One training thread at a time, controlled from the GUI thread.

    Signals (all relayed from the current worker only): ``batch_ready(batch)`` with whatever the
    session's ``drain()`` returned, ``state_changed(RunState)``, ``failed(WorkerFailure)`` (turn
    it into a sentence with ``gradlab.ui.worker.describe_failure``) and ``session_ready(session)``.
    """

    batch_ready = Signal(object)
    state_changed = Signal(object)  # RunState
    failed = Signal(object)  # WorkerFailure
    session_ready = Signal(object)  # the session the factory built

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: TrainingWorker[Any] | None = None
        self._relay: _Relay | None = None
        self._session: Steppable[Any] | None = None
        self._state = RunState.STOPPED
        self._speed: float | None = None
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._on_about_to_quit)

    # ---- lifecycle ----

    def start(
        self, session_factory: Callable[[], SessionT], **worker_options: Any
    ) -> TrainingWorker[SessionT]:
        """Shut the current session down, then build a new one (paused) in a fresh thread."""
        self.shutdown()
        _prune()
        worker: TrainingWorker[SessionT] = TrainingWorker(session_factory, **worker_options)
        worker.set_speed(self._speed)
        thread = QThread()
        thread.setObjectName("GradLabTraining")
        worker.moveToThread(thread)

        relay = _Relay(self)
        worker.batch_ready.connect(relay.on_batch)
        worker.state_changed.connect(relay.on_state)
        worker.failed.connect(relay.on_failed)
        worker.session_ready.connect(relay.on_session)
        worker.job_done.connect(relay.on_job_done)
        thread.started.connect(worker.run)
        # Direct: quit() is thread-safe, and the GUI thread may be blocked in wait() right now.
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        thread.finished.connect(worker.deleteLater)
        thread.finished.connect(thread.deleteLater)

        old_relay, self._relay = self._relay, relay
        if old_relay is not None:
            old_relay.deleteLater()
        self._thread, self._worker = thread, worker
        self._session = None
        self._state = RunState.PREPARING
        _threads[thread] = worker
        thread.start()
        return worker

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Stop the worker and join its thread; False if it did not end within ``timeout_ms``
        (PREPARING_WAIT_MS while it is still building its session).

        A thread that overruns (e.g. still importing torch in the session factory) is left to end
        by itself: it is already told to stop and stays referenced until it has finished.
        """
        thread, worker = self._thread, self._worker
        self._thread = self._worker = None
        if thread is None or worker is None:
            return True
        worker.stop()
        if not shiboken6.isValid(thread):
            return True
        thread.quit()  # sticky: the thread's event loop returns at once after run()
        if worker.state is RunState.PREPARING:
            timeout_ms = min(timeout_ms, PREPARING_WAIT_MS)
        ended = bool(thread.wait(timeout_ms))
        if not ended:
            log.warning("the training thread did not end within %d ms", timeout_ms)
        return ended

    @Slot()
    def _on_about_to_quit(self) -> None:
        self.shutdown()
        stop_all_threads()

    # ---- state ----

    @property
    def worker(self) -> TrainingWorker[Any] | None:
        """The current worker, or None when no session is running."""
        return self._worker

    @property
    def running(self) -> bool:
        """True while the current worker's thread is alive."""
        return self._thread is not None and _alive(self._thread)

    @property
    def session(self) -> Steppable[Any] | None:
        """The current session once ``session_ready`` has been relayed (don't touch it mid-run)."""
        return self._session

    @property
    def state(self) -> RunState:
        """The last state relayed from the current worker (STOPPED when there is none)."""
        return self._state if self._worker is not None else RunState.STOPPED

    # ---- controls: thread-safe direct calls on the current worker; no-ops without one ----

    def resume(self) -> None:
        """Run continuously."""
        if self._worker is not None:
            self._worker.resume()

    def pause(self) -> None:
        if self._worker is not None:
            self._worker.pause()

    def step(self, n: int = 1) -> None:
        if self._worker is not None:
            self._worker.step(n)

    def stop(self) -> None:
        """Same as ``shutdown()`` with the default timeout (the final batch is still relayed)."""
        self.shutdown()

    def set_speed(self, units_per_second: float | None) -> None:
        """Pace the current and every later session (None = as fast as possible)."""
        speed = check_speed(units_per_second)
        if self._worker is not None:
            self._worker.set_speed(speed)
        self._speed = speed

    def submit(self, fn: Callable[[Any], R], on_done: Callable[[R], object] | None = None) -> None:
        """Run ``fn(session)`` in the worker thread between chunks; then, with ``on_done``, call
        ``on_done(result)`` in the GUI thread (never if the job raised, or the session was
        replaced or shut down first). Nothing happens without a worker."""
        if self._worker is not None:
            self._worker.submit(fn, on_done)
