"""Autosave and crash recovery: the minute timer that saves the session in the background, the
last autosave and clean-exit mark at close, and the autosaves a crash left behind.

The files themselves are the core's (gradlab.core.autosave); what goes in is a SessionCapture,
so the timer never makes the GUI thread wait for the worker.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer, Signal

from gradlab.core.autosave import (
    autosave_needs_recovery,
    autosave_path,
    discard_autosave,
    mark_clean_exit,
    remove_autosave_leftovers,
    write_autosave,
)
from gradlab.core.config import ConfigError
from gradlab.core.lesson import config_to_dict
from gradlab.core.session_arrays import SessionFileError
from gradlab.core.session_file import SESSION_SUFFIX, SessionState
from gradlab.ui.dialogs import Dialogs
from gradlab.ui.menu_actions import make_action
from gradlab.ui.session_capture import SessionCapture

AUTOSAVE_INTERVAL_MS = 60_000
AUTOSAVE_JOIN_S = 10.0  # how long wait_for_autosave waits by default
CLOSE_JOIN_S = 0.5  # at close, how long the window waits for the last autosave
# the data folder's size: one autosave (every run thinned to what its curves draw) plus at most
# this many sessions a crash left behind, newest first, together at most this many bytes
MAX_RECOVERED = 5
MAX_RECOVERED_BYTES = 200 * 1024 * 1024


class Autosave(QObject):
    """This window's autosave folder, the minute timer, File → Reopen the autosaved session, the
    last autosave at close, and the sessions a crash left behind."""

    written = Signal()  # a background autosave finished (emitted in the writer thread)

    def __init__(
        self,
        *,
        data_dir: Path,
        capture: SessionCapture,
        dialogs: Dialogs,
        open_session: Callable[[Path], bool],
        parent: QObject | None = None,
        interval_s: int = AUTOSAVE_INTERVAL_MS // 1000,
    ) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.capture = capture
        self.dialogs = dialogs
        self.open_session = open_session
        # a second GradLab running at the same time autosaves into its own folder, so neither
        # takes the other's live autosave for a crashed one
        self._lock = _try_lock(self.data_dir)
        self.primary = self._lock is not None
        if self.primary:  # what killed saves left behind, before anything is written here
            remove_autosave_leftovers(self.data_dir)
        self.autosave_dir = self.data_dir
        if not self.primary:
            self.autosave_dir = self.data_dir / f"instance-{os.getpid()}"
            self._lock = _try_lock(self.autosave_dir)
        self._thread: threading.Thread | None = None
        self._capturing = False  # a capture waits for the worker's snapshot
        self._saved_signature: object = None
        self._error: str | None = None
        self.restore_action = make_action(self, "restoreAutosaveAction", self.restore_latest)
        self.timer = QTimer(self)
        self.timer.setInterval(max(interval_s, 1) * 1000)
        self.timer.timeout.connect(self.autosave)
        if interval_s > 0:  # 0: the lab administrator turned the timed autosave off
            self.timer.start()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        tip = self.tr("The session as it was at the last autosave or when GradLab last closed")
        self.restore_action.setText(self.tr("Reopen the &autosaved session"))
        self.restore_action.setToolTip(tip)
        self.restore_action.setStatusTip(tip)

    def restore_latest(self) -> bool:
        """Reopen the latest autosave (there is one after every clean close, too)."""
        path = autosave_path(self.autosave_dir)
        if not path.is_file():
            self.dialogs.show_error(self.tr("There is no autosaved session yet."))
            return False
        return self.open_session(path)

    def autosave(self) -> None:
        """The minute timer: save the session in the background if it changed."""
        if self._error:
            message = self.tr("Autosave failed: {error}").format(error=self._error)
            self._error = None
            self.dialogs.show_status(message)
        if self._capturing or (self._thread is not None and self._thread.is_alive()):
            return
        try:
            self._capturing = True
            self.capture.capture(self._write_in_background)
        except ConfigError:
            self._capturing = False  # the panel is being edited; the next minute will do

    def _write_in_background(self, state: SessionState) -> None:
        self._capturing = False
        signature = _signature(state)
        if signature == self._saved_signature:
            return
        self._thread = threading.Thread(
            target=self._write, args=(state, signature, True), name="GradLabAutosave"
        )
        self._thread.daemon = True
        self._thread.start()

    def _write(self, state: SessionState, signature: object, notify: bool = False) -> None:
        try:  # may run in the autosave thread: only plain Python and NumPy here
            # every run as its curves draw it: a bounded file, written in well under a second
            # (Save session keeps the current run's full rows)
            state.runs = [record.thinned() for record in state.runs]
            write_autosave(self.autosave_dir, state)
            self._saved_signature = signature
        except SessionFileError as error:
            self._error = str(error)
        if notify:
            self.written.emit()

    def wait_for_autosave(self, timeout: float = AUTOSAVE_JOIN_S) -> bool:
        """Wait up to ``timeout`` s for a background autosave; True once none is running."""
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True

    def shutdown(self, timeout: float = CLOSE_JOIN_S) -> bool:
        """The window is closing and its worker has stopped: a last autosave if the session
        changed (nothing is lost), then the clean-exit mark.

        Both happen in the autosave thread, which the window waits for at most ``timeout`` s: a
        close never hangs on a save. True if everything was done within it; otherwise the thread
        finishes alone (and a process that exits first leaves no mark, so the previous autosave
        is offered back at the next start)."""
        self.timer.stop()
        try:
            state: SessionState | None = self.capture.capture_now()
        except ConfigError:
            state = None
        previous = self._thread
        final = None
        if state is not None and _signature(state) != self._saved_signature:
            if state.runs or self._saved_signature is not None:
                final = (state, _signature(state))
        self._thread = threading.Thread(
            target=self._finish, args=(previous, final), name="GradLabFinalAutosave"
        )
        self._thread.daemon = True  # never keeps the process alive after the window closed
        self._thread.start()
        return self.wait_for_autosave(timeout)

    def _finish(
        self, previous: threading.Thread | None, final: tuple[SessionState, object] | None
    ) -> None:
        """The autosave thread at close: the last autosave, the mark, the instance lock."""
        if previous is not None:
            previous.join()  # one writer at a time
        if final is not None:
            self._write(*final)
        mark_clean_exit(self.autosave_dir)
        if self._lock is not None:
            self._lock.unlock()
        if not self.primary:  # a second instance leaves nothing behind
            with contextlib.suppress(OSError, SessionFileError):
                discard_autosave(self.autosave_dir)
                self.autosave_dir.rmdir()

    def recoverable_sessions(self) -> list[Path]:
        """Autosaves of sessions that crashed, newest first, moved aside as
        ``recovered-*.gradlab`` so this session's own autosave never overwrites them."""
        if not self.primary:
            return []
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        for index, folder in enumerate([self.data_dir, *self.data_dir.glob("instance-*")]):
            lock = None if folder == self.data_dir else _try_lock(folder)
            if folder != self.data_dir and lock is None:
                continue  # another GradLab is running and autosaving there
            try:
                crashed = autosave_needs_recovery(folder)
                if crashed:
                    target = self.data_dir / f"recovered-{stamp}-{index}{SESSION_SUFFIX}"
                    os.replace(autosave_path(folder), target)
                if crashed or lock is not None:
                    discard_autosave(folder)  # the marker and any half-written leftovers
                if lock is not None:
                    lock.unlock()
                    folder.rmdir()
            except (OSError, SessionFileError):
                continue
        return _prune_recovered(self.data_dir)

    def restore_recovered(self, path: Path) -> bool:
        """Open a crashed session's autosave; it is deleted once its contents are on screen."""
        if not self.open_session(path):
            return False
        with contextlib.suppress(OSError):
            path.unlink()
        return True


def _prune_recovered(folder: Path) -> list[Path]:
    """The crashed sessions kept, newest first: at most MAX_RECOVERED of them and
    MAX_RECOVERED_BYTES together (the newest always stays); older ones are deleted."""
    kept: list[Path] = []
    total, full = 0, False
    for path in sorted(folder.glob(f"recovered-*{SESSION_SUFFIX}"), reverse=True):
        try:
            size = path.stat().st_size
        except OSError:
            continue
        over = len(kept) >= MAX_RECOVERED or total + size > MAX_RECOVERED_BYTES
        full = full or (bool(kept) and over)
        if full:  # this one and every older one
            with contextlib.suppress(OSError):
                path.unlink()
            continue
        kept.append(path)
        total += size
    return kept


def _try_lock(folder: Path) -> QLockFile | None:
    """Hold ``folder``'s instance lock, or None if a running GradLab holds it."""
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(folder / "instance.lock"))
    lock.setStaleLockTime(0)  # stale only when its process is gone, however old
    return lock if lock.tryLock(0) else None


def _signature(state: SessionState) -> object:
    """Cheap to compute, and different whenever the saved file would differ."""
    runs = tuple(
        (r.id, r.label, r.status, r.step_count, len(r.history), r.visible) for r in state.runs
    )
    extra = json.dumps(state.extra, sort_keys=True, default=str)
    return (json.dumps(config_to_dict(state.config)), runs, extra)
