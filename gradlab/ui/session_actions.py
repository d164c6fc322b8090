"""File → Save / Open session, Export, and the autosave that is offered back after a crash.

The session file itself (an atomic ZIP, checked before anything is used) is the core's
(gradlab.core.session_file); this module decides what goes in and where it comes back:

- what is saved: ``window.session_state()`` when the window has it; otherwise the panel's
  config, ``window.runs`` if there is such a run list, and the current run, snapshotted from
  its session (between two chunks of the worker, or directly once the worker has stopped);
- what reopening does: ``window.restore_session(state)`` when the window has it; otherwise the
  panel gets the config, ``window.runs`` the runs, and the live view the last run's history.

Every failure is one message in the window's banner and changes nothing. The exports
(gradlab.ui.exports) and the autosave (gradlab.ui.autosave_actions) are parts of SessionActions
kept in modules of their own.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from gradlab.core.config import Config, ConfigError
from gradlab.core.history import HistoryBatch
from gradlab.core.runs import RunRecord
from gradlab.core.session_file import (
    SESSION_SUFFIX,
    SessionFileError,
    SessionState,
    load_session,
    save_session,
)
from gradlab.model.run_state import RunState
from gradlab.ui.autosave_actions import SessionAutosave
from gradlab.ui.exports import UI_STATE_KEY, SessionExports, svg_available

SNAPSHOT_TIMEOUT_S = 2.0  # how long Save waits for the worker to hand over the current run


class Dialogs:
    """Every file question and message of the classroom features goes through here, so a test
    replaces one method instead of facing a modal dialog. Errors go to the window's banner
    (never modal) when it has one."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )

    def ask_open_file(self, title: str, filters: str) -> str | None:
        name, _ = QFileDialog.getOpenFileName(self.window, title, self.folder, filters)
        return self._remember(name)

    def ask_save_file(self, title: str, filters: str, suggested: str) -> str | None:
        start = suggested if os.path.isabs(suggested) else os.path.join(self.folder, suggested)
        name, _ = QFileDialog.getSaveFileName(self.window, title, start, filters)
        return self._remember(name)

    def ask_folder(self, title: str) -> str | None:
        name = QFileDialog.getExistingDirectory(self.window, title, self.folder)
        if name:
            self.folder = name
        return name or None

    def show_error(self, text: str) -> None:
        banner = getattr(self.window, "banner", None)
        if banner is not None and hasattr(banner, "show_message"):
            banner.show_message(text, "error")
        else:
            QMessageBox.warning(self.window, QCoreApplication.applicationName(), text)

    def show_status(self, text: str, timeout_ms: int = 8000) -> None:
        if hasattr(self.window, "statusBar"):
            self.window.statusBar().showMessage(text, timeout_ms)

    def confirm(self, text: str) -> bool:
        """Ask before throwing a run away (the window's own confirm_reset when it has one)."""
        confirm = getattr(self.window, "confirm_reset", None)
        if callable(confirm):
            return bool(confirm(text))
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = QMessageBox.question(
            self.window, QCoreApplication.applicationName(), text, buttons
        )
        return answer == QMessageBox.StandardButton.Yes

    def run_dialog(self, dialog: QDialog) -> bool:
        """Show a modal form (e.g. the lesson texts); True if accepted."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _remember(self, name: str) -> str | None:
        if name:
            self.folder = os.path.dirname(name)
        return name or None


class SessionActions(SessionExports, SessionAutosave, QObject):
    """The session and export actions of one window, its autosave and crash recovery (the
    exports and the autosave are parts of their own: gradlab.ui.exports, autosave_actions)."""

    def __init__(
        self,
        window: Any,
        dialogs: Dialogs,
        *,
        data_dir: Path,
        ui_state: Callable[[], dict[str, Any]] = dict,
        restore_ui_state: Callable[[dict[str, Any], Config], None] = lambda _s, _c: None,
        file_used: Callable[[Path], None] = lambda _p: None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.dialogs = dialogs
        self.ui_state = ui_state
        self.restore_ui_state = restore_ui_state
        self.file_used = file_used
        self.path: Path | None = None  # the session file Save writes to
        self.svg_supported = svg_available()
        self.save_action = self._action(
            "saveSessionAction", self.save, QKeySequence.StandardKey.Save
        )
        self.save_as_action = self._action(
            "saveSessionAsAction", self.save_as, QKeySequence.StandardKey.SaveAs
        )
        self.open_action = self._action(
            "openSessionAction", self.open_session, QKeySequence.StandardKey.Open
        )
        self.export_csv_action = self._action("exportCsvAction", self.export_csv)
        self.export_png_action = self._action("exportPngAction", self.export_png)
        self.export_svg_action = self._action("exportSvgAction", self.export_svg)
        self.export_svg_action.setEnabled(self.svg_supported)
        self.export_script_action = self._action("exportScriptAction", self.export_script)
        self.export_bundle_action = self._action("exportBundleAction", self.export_bundle)
        self.restore_autosave_action = self._action("restoreAutosaveAction", self.restore_latest)
        self._start_autosave(data_dir)
        self.retranslate_ui()

    def _action(self, name: str, slot: Callable[[], object], shortcut: Any = None) -> QAction:
        action = QAction(self.window)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def retranslate_ui(self) -> None:
        texts = (
            (self.save_action, self.tr("&Save session"),
             self.tr("Save the settings and every run")),
            (self.save_as_action, self.tr("Save session &as…"), self.tr("Save to a new file")),
            (self.open_action, self.tr("&Open session…"), self.tr("Open a saved session")),
            (self.export_csv_action, self.tr("History as &CSV…"),
             self.tr("The latest run's loss, coefficients and gradient at every step")),
            (self.export_png_action, self.tr("Plots as &PNG…"),
             self.tr("Each plot as a picture")),
            (self.export_svg_action, self.tr("Plots as &SVG…"),
             self.tr("Each plot as a drawing that stays sharp at any size")
             if self.svg_supported
             else self.tr("Not available: this Qt installation has no SVG support (QtSvg)")),
            (self.export_script_action, self.tr("&Script that repeats the run…"),
             self.tr("A standalone Python script (NumPy, plus PyTorch for the torch methods) that "
                     "trains exactly this run and prints y_pred = …")),
            (self.export_bundle_action, self.tr("&Bundle…"),
             self.tr("A folder with the history, the plots, the settings and a Python script "
                     "that repeats the run")),
            (self.restore_autosave_action, self.tr("Reopen the &autosaved session"),
             self.tr("The session as it was at the last autosave or when GradLab last closed")),
        )  # fmt: skip
        for action, text, tip in texts:
            action.setText(text)
            action.setToolTip(tip)
            action.setStatusTip(tip)

    # ---- what a session is ----

    def capture_state(self) -> SessionState:
        """Everything to save now; ConfigError if the panel is invalid and there is no hook."""
        runs = list(self.window.model.runs)
        current = self.snapshot_current_run(next_id=max((r.id for r in runs), default=0) + 1)
        state = SessionState(config=self.window.panel.config(), runs=runs)
        if current is not None and not any(_same_run(current, r) for r in runs):
            state.runs.append(current)
        state.extra = {**state.extra, UI_STATE_KEY: self.ui_state()}
        return state

    def snapshot_current_run(self, next_id: int = 1) -> RunRecord | None:
        """The current run (if it did any steps) as a RunRecord, taken where it is safe."""
        if self.window.model.state is RunState.READY:
            return None  # nothing run yet, or Reset threw the run away
        controller = self.window.controller.training
        session = controller.session
        if session is None or not session.step_count:
            return None

        def take(s: Any) -> RunRecord:
            return RunRecord.from_session(s, run_id=next_id)

        if controller.running and controller.worker is not None:
            taken: list[RunRecord] = []
            done = threading.Event()

            def job(s: Any) -> None:
                try:
                    taken.append(take(s))
                finally:
                    done.set()

            controller.submit(job)  # runs between two chunks of the worker's loop
            done.wait(SNAPSHOT_TIMEOUT_S)
            return taken[0] if taken else None
        return take(session)

    def apply_state(self, state: SessionState) -> None:
        """Show a loaded session: config, runs and plots (see the module docstring)."""
        self.window.controller.reset()
        self.window.panel.set_config(state.config)
        self.window.model.runs.replace_all(state.runs)
        if state.runs:
            self._show_run(state.runs[-1])
        ui = state.extra.get(UI_STATE_KEY)
        self.restore_ui_state(ui if isinstance(ui, dict) else {}, state.config)

    def _show_run(self, record: RunRecord) -> None:
        """Draw a saved run in the live view, as a stopped run."""
        if not len(record.history):
            return
        h = record.history
        batch = HistoryBatch(
            h.steps, h.loss, h.val_loss, h.coefficients, h.grad_norm,
            status=record.status, step_count=record.step_count,
            diverged_at=record.diverged_at,
        )  # fmt: skip
        self.window.model.show_stored_run(
            record.config, batch, np.asarray(record.final_coefficients)
        )
        self.window.view.redraw()

    # ---- save and open ----

    def save(self) -> bool:
        """Ctrl+S: save to the current session file, or ask where the first time."""
        return self.save_to(self.path) if self.path is not None else self.save_as()

    def save_as(self) -> bool:
        name = self.dialogs.ask_save_file(
            self.tr("Save session"), self._session_filter(), self._suggested_name(SESSION_SUFFIX)
        )
        if not name:
            return False
        path = Path(name)
        if path.suffix != SESSION_SUFFIX:
            path = path.with_name(path.name + SESSION_SUFFIX)
        return self.save_to(path)

    def save_to(self, path: Path) -> bool:
        try:
            save_session(path, self.capture_state())
        except (SessionFileError, ConfigError) as error:
            self.dialogs.show_error(
                self.tr("The session was not saved: {error}").format(error=error)
            )
            return False
        self.path = path
        self.file_used(path)
        self.dialogs.show_status(self.tr("Session saved to {path}").format(path=path))
        return True

    def open_session(self, path: str | os.PathLike[str] | None = None) -> bool:
        """Open a session file (asking for one if not given); nothing changes on failure."""
        if path is None:
            path = self.dialogs.ask_open_file(self.tr("Open session"), self._session_filter())
            if not path:
                return False
        try:
            state = load_session(path)
        except SessionFileError as error:
            self.dialogs.show_error(
                self.tr("The session was not opened: {error}").format(error=error)
            )
            return False
        if self.window.model.state is not RunState.READY:
            text = self.tr("The session replaces the current run and settings. Open it?")
            if not self.dialogs.confirm(text):
                return False
        self.apply_state(state)
        is_autosave = Path(path).parent in (self.data_dir, self.autosave_dir)
        self.path = None if is_autosave else Path(path)
        if not is_autosave:
            self.file_used(Path(path))
        self.dialogs.show_status(self.tr("Opened {path}").format(path=path))
        return True

    # ---- helpers ----

    def _session_filter(self) -> str:
        return self.tr("GradLab sessions (*{suffix})").format(suffix=SESSION_SUFFIX)

    def _suggested_name(self, suffix: str) -> str:
        if self.path is not None:
            return str(self.path)
        return f"gradlab-{datetime.now().strftime('%Y%m%d-%H%M')}{suffix}"


def _same_run(a: RunRecord, b: RunRecord) -> bool:
    """The current run already kept in the window's run list (it adds runs as they end)."""
    return (
        a.config == b.config
        and a.step_count == b.step_count
        and np.array_equal(a.final_coefficients, b.final_coefficients)
    )
