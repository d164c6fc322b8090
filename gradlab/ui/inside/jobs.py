"""``BackgroundJobs``: small jobs on one pool thread, their results back in the GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(int, object)  # (ticket, result or the exception)


class _Job(QRunnable):
    def __init__(self, ticket: int, work: Callable[[], object], signals: _Signals) -> None:
        super().__init__()
        self.ticket, self.work, self.signals = ticket, work, signals

    def run(self) -> None:
        try:
            result: object = self.work()
        except Exception as error:  # shown as a note, never a traceback
            result = error
        try:
            self.signals.done.emit(self.ticket, result)
        except RuntimeError:  # the window is gone
            pass


class BackgroundJobs(QObject):
    """Work off the GUI thread, one job at a time (torch's first use imports torch: seconds).

    ``submit(work, callback)`` runs ``work()`` on one pool thread and calls ``callback(result)``
    in the GUI thread; a result is an exception when ``work`` raised.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._on_done)
        self._callbacks: dict[int, Callable[[object], None]] = {}
        self._next = 0

    def submit(self, work: Callable[[], object], callback: Callable[[object], None]) -> None:
        self._next += 1
        self._callbacks[self._next] = callback
        self._pool.start(_Job(self._next, work, self._signals))

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def _on_done(self, ticket: int, result: object) -> None:
        callback = self._callbacks.pop(ticket, None)
        if callback is not None:
            callback(result)

    def shutdown(self) -> None:
        self._callbacks.clear()
        self._pool.clear()
        self._pool.waitForDone(30_000)
