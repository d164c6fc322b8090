"""File → Save session / Save session as… / Open session….

The session file itself (an atomic ZIP, checked before anything is used) is the core's
(gradlab.core.session_file). ``SessionFiles`` decides what goes in — a ``SessionCapture``: the
panel's settings, the run list and the current run as they are when Save is pressed — and where
it comes back: the panel gets the settings, the model the runs and the last run's plots, and the
classroom its lesson. Every failure is one message in the window's banner and changes nothing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence

from gradlab.core.config import ConfigError
from gradlab.core.history import HistoryBatch
from gradlab.core.runs import RunRecord, check_run_ids
from gradlab.core.session_arrays import SessionFileError
from gradlab.core.session_file import SESSION_SUFFIX, SessionState, load_session, save_session
from gradlab.model.lab import LabModel
from gradlab.model.run_state import RunState
from gradlab.ui.dialogs import Dialogs
from gradlab.ui.error_text import error_text
from gradlab.ui.lab_controller import LabController
from gradlab.ui.menu_actions import make_action
from gradlab.ui.parameter_panel import ParameterPanel
from gradlab.ui.recent_files import RecentFiles, unexpected
from gradlab.ui.session_capture import UI_STATE_KEY, SessionCapture

log = logging.getLogger(__name__)


class SessionFiles(QObject):
    """Save and open session files (see the module docstring)."""

    save_finished = Signal(object)  # the Path written, or None when the save failed

    def __init__(
        self,
        *,
        model: LabModel,
        controller: LabController,
        panel: ParameterPanel,
        dialogs: Dialogs,
        capture: SessionCapture,
        data_dir: Path,
        restore_ui_state: Callable[[dict[str, Any]], None],
        file_used: Callable[[Path], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.controller = controller
        self.panel = panel
        self.dialogs = dialogs
        self.capture = capture
        self.data_dir = data_dir  # autosaves and recovered sessions live here: not "recent"
        self.restore_ui_state = restore_ui_state
        self.file_used = file_used
        self.path: Path | None = None  # the session file Save writes to
        self.save_action = make_action(
            self, "saveSessionAction", self.save, QKeySequence.StandardKey.Save
        )
        self.save_as_action = make_action(
            self, "saveSessionAsAction", self.save_as, QKeySequence.StandardKey.SaveAs
        )
        self.open_action = make_action(
            self, "openSessionAction", self.open_session, QKeySequence.StandardKey.Open
        )
        self.retranslate_ui()

    @property
    def actions(self) -> list[QAction]:
        return [self.open_action, self.save_action, self.save_as_action]

    def retranslate_ui(self) -> None:
        texts = (
            (self.save_action, self.tr("&Save session"),
             self.tr("Save the settings and every run")),
            (self.save_as_action, self.tr("Save session &as…"), self.tr("Save to a new file")),
            (self.open_action, self.tr("&Open session…"), self.tr("Open a saved session")),
        )  # fmt: skip
        for action, text, tip in texts:
            action.setText(text)
            action.setToolTip(tip)
            action.setStatusTip(tip)

    # ---- save ----

    def save(self) -> bool:
        """Ctrl+S: save to the current session file, or ask where the first time; False if
        nothing is saved (cancelled, or the settings are invalid)."""
        return self.save_to(self.path) if self.path is not None else self.save_as()

    def save_as(self) -> bool:
        name = self.dialogs.ask_save_file(
            self.tr("Save session"), self.session_filter(), self._suggested_name()
        )
        if not name:
            return False
        path = Path(name)
        if path.suffix != SESSION_SUFFIX:
            path = path.with_name(path.name + SESSION_SUFFIX)
        return self.save_to(path)

    def save_to(self, path: Path) -> bool:
        """Save what is on screen now to ``path``: at once, or when the worker has handed over
        the current run (``save_finished`` says when). False if it cannot even start."""
        try:
            self.capture.capture(lambda state: self._write(path, state))
        except ConfigError as error:
            self._failed(error)
            return False
        return True

    def _write(self, path: Path, state: SessionState) -> None:
        try:
            save_session(path, state)
        except SessionFileError as error:
            self._failed(error)
            return
        self.path = path
        self.file_used(path)
        self.dialogs.show_status(self.tr("Session saved to {path}").format(path=path))
        self.save_finished.emit(path)

    def _failed(self, error: Exception) -> None:
        self.dialogs.show_error(
            self.tr("The session was not saved: {error}").format(error=error_text(error))
        )
        self.save_finished.emit(None)

    # ---- open ----

    def open_session(self, path: str | os.PathLike[str] | None = None) -> bool:
        """Open a session file (asking for one if not given); nothing changes on failure."""
        if path is None:
            path = self.dialogs.ask_open_file(self.tr("Open session"), self.session_filter())
            if not path:
                return False
        try:
            state = load_session(path)
            check_run_ids(state.runs)  # the run list must take them all, or nothing changes
        except (SessionFileError, ValueError) as error:
            return self._refused(path, error_text(error))
        except Exception as error:  # a last guard: never an exception out of a menu
            log.exception("opening a session failed")
            return self._refused(path, unexpected(error))
        if self.model.state is not RunState.READY:
            text = self.tr("The session replaces the current run and settings. Open it?")
            if not self.dialogs.confirm(text):
                return False
        self.apply_state(state)
        is_autosave = Path(path).resolve().is_relative_to(self.data_dir.resolve())
        self.path = None if is_autosave else Path(path)
        if not is_autosave:
            self.file_used(Path(path))
        self.dialogs.show_status(self.tr("Opened {path}").format(path=path))
        return True

    def _refused(self, path: str | os.PathLike[str], reason: str) -> bool:
        self.dialogs.show_error(self.tr("The session was not opened: {error}").format(error=reason))
        RecentFiles.forget(path)
        return False

    def apply_state(self, state: SessionState) -> None:
        """Show a loaded session: its settings, its runs and the last run's plots."""
        self.controller.reset()
        self.panel.set_config(state.config)
        self.model.runs.replace_all(state.runs)
        if state.runs:
            self._show_run(state.runs[-1])
        ui = state.extra.get(UI_STATE_KEY)
        self.restore_ui_state(ui if isinstance(ui, dict) else {})

    def _show_run(self, record: RunRecord) -> None:
        """The saved run on screen as a stopped run (the views follow the model)."""
        if not len(record.history):
            return
        h = record.history
        batch = HistoryBatch(
            h.steps, h.loss, h.val_loss, h.coefficients, h.grad_norm,
            status=record.status, step_count=record.step_count,
            diverged_at=record.diverged_at,
        )  # fmt: skip
        self.model.show_stored_run(record.config, batch, np.asarray(record.final_coefficients))

    # ---- helpers ----

    def session_filter(self) -> str:
        return self.tr("GradLab sessions (*{suffix})").format(suffix=SESSION_SUFFIX)

    def _suggested_name(self) -> str:
        if self.path is not None:
            return str(self.path)
        return f"gradlab-{datetime.now().strftime('%Y%m%d-%H%M')}{SESSION_SUFFIX}"
