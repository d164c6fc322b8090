"""The rest of a window, built after its first paint in small parts, so the window appears at
once and stays responsive while the rest is made.

``BuildChain(window, steps)`` runs nothing until ``window`` is first painted; then one step per
turn of the event loop (a 1 ms timer each), so clicks, repaints and timers get their turn
between steps. A step that returns an iterator (a generator that yields between its parts) is
itself run one part per turn. A part that yields a ``BackgroundImport`` has the chain start
that import (in a thread: Python hands the GUI thread the interpreter every few milliseconds
meanwhile) and wait for it before its next part. ``finish()`` runs everything left at once (a
window used or closed before it is complete; tests and tools that want the whole window now):
an import under way is waited for, one not started is left to the parts' own imports. ``done``
is emitted once, after the last step, however it ran.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget


class BackgroundImport(QObject):
    """Imports ``modules`` in a daemon thread once started; ``finished`` arrives in the GUI
    thread."""

    finished = Signal()

    def __init__(self, modules: tuple[str, ...], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.modules = modules
        self.done = False
        self._thread = threading.Thread(target=self._run, name="gradlab-import", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self) -> None:
        """Wait for the thread, if it was started: two threads importing the same modules at
        once could each hold a lock the other needs."""
        if self._thread.ident is not None:
            self._thread.join()

    def _run(self) -> None:
        try:
            for name in self.modules:
                importlib.import_module(name)
        except Exception:  # the part that needs the module imports it again and
            pass  # fails there, in the GUI thread, with its traceback and the window's handling
        self.done = True
        self.finished.emit()  # queued to the GUI thread: this object lives there


# PySide makes a module's Python types on their first use, and two threads making types at once
# can crash the process: pyqtgraph's import touches every type of these three modules, and
# while it did so in the import thread, the GUI thread made one of its own now and then (a
# segfault in pyqtgraph/Qt/__init__.py's _copy_attrs: 6 starts in 280 crashed, measured)
QT_MODULES = ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets")
# ~120-140 ms for all three modules: a part ends after this long (one type, QAccessibleWidget,
# takes ~30 ms alone, as it did in the import thread, which held Python's lock meanwhile)
TYPES_PART_SECONDS = 0.004


def make_qt_types(modules: tuple[str, ...] = QT_MODULES) -> Iterator[None]:
    """Every type of ``modules`` made now, in this thread (the GUI thread, before the
    background import starts), ~``TYPES_PART_SECONDS`` per part of a build."""
    started = time.perf_counter()
    for name in modules:
        module = importlib.import_module(name)
        for attribute in dir(module):
            getattr(module, attribute)
            if time.perf_counter() - started >= TYPES_PART_SECONDS:
                yield
                started = time.perf_counter()


# Between parts: a real timer, not a zero one: Qt runs the zero ones (posted events) before any
# timer, so a chain of them would keep the window's own timers (the plots' redraws, a blinking
# cursor) waiting until the last part
PAUSE_MS = 1

Step = Callable[[], Iterator[BackgroundImport | None] | None]


class BuildChain(QObject):
    """Steps run in order after ``window``'s first paint; ``done`` after the last.

    ``timings``: (step name, seconds, seconds of the GUI thread's CPU) of every part run, for
    profiling.
    """

    done = Signal()

    def __init__(self, window: QWidget, steps: Iterable[Step]) -> None:
        super().__init__(window)
        self.window = window
        self._steps: deque[Step] = deque(steps)
        self._parts: tuple[str, Iterator[BackgroundImport | None]] | None = None  # under way
        self._started = False
        self._waiting: BackgroundImport | None = None
        self.finished = False
        self.timings: list[tuple[str, float, float]] = []
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
        if watched is self.window and not self._started and event.type() == QEvent.Type.Paint:
            # the first paint is under way (an update request before the window is exposed
            # paints nothing): the next turn of the event loop comes after it
            self._started = True
            self.window.removeEventFilter(self)
            QTimer.singleShot(PAUSE_MS, self, self._next)
        return False

    def _next(self) -> None:
        if self.finished:
            return
        self._waiting = self._run_one()
        if self._waiting is not None:
            self._waiting.finished.connect(self._after_wait)
            self._waiting.start()
        elif self._parts is not None or self._steps:
            QTimer.singleShot(PAUSE_MS, self, self._next)
        else:
            self._finish_once()

    def _after_wait(self) -> None:
        if self._waiting is not None:
            self._waiting = None
            self._next()

    def finish(self, through: Step | None = None) -> None:
        """Everything left, now (nothing when all has run); ``through``: only up to and
        including that step."""
        if self._waiting is not None:  # an import under way: the parts need what it imports
            self._waiting.join()
            self._waiting = None
        while self._parts is not None or self._steps:
            current = self._parts[0] if self._parts is not None else self._steps[0].__name__
            self._run_one()
            if through is not None and current == through.__name__ and self._parts is None:
                return
        self._finish_once()

    def _run_one(self) -> BackgroundImport | None:
        """One part of the step under way, or the next step; what it asks to wait for."""
        started, cpu = time.perf_counter(), time.thread_time()
        wait: BackgroundImport | None = None
        if self._parts is not None:
            name, under_way = self._parts
            try:
                wait = next(under_way)
            except StopIteration:
                self._parts = None
        elif self._steps:
            step = self._steps.popleft()
            name = step.__name__
            parts = step()
            if parts is not None:
                try:
                    wait = next(parts)
                    self._parts = (name, parts)  # its first part has run; the others follow
                except StopIteration:
                    pass
        else:
            return None
        self.timings.append((name, time.perf_counter() - started, time.thread_time() - cpu))
        return wait

    def _finish_once(self) -> None:
        if not self.finished:
            self.finished = True
            self.window.removeEventFilter(self)
            self.done.emit()
