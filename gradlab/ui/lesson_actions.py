"""Lessons in the lab window: File → Lessons… (the browser), Open lesson / Save as lesson / Close
lesson, the Lesson pane beside the plots, and the lesson reopened at start.

A broken lesson file is one message in the window's banner and changes nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QWidget

from gradlab.core.config import ConfigError
from gradlab.core.lesson import Lesson, lesson_to_json, load_lesson, parse_lesson
from gradlab.core.lesson import save_lesson as write_lesson
from gradlab.core.lesson_fields import LessonError
from gradlab.core.run_labels import run_label
from gradlab.model.lab import LabModel
from gradlab.model.run_state import RunState
from gradlab.ui.dialogs import Dialogs
from gradlab.ui.error_text import error_text
from gradlab.ui.lab_controller import LabController
from gradlab.ui.lesson_browser import LessonBrowser, LessonView, PanelLocks, SaveLessonDialog
from gradlab.ui.menu_actions import make_action
from gradlab.ui.parameter_panel import ParameterPanel
from gradlab.ui.recent_files import RecentFiles, unexpected
from gradlab.ui.settings import Settings

log = logging.getLogger(__name__)


class LessonActions(QObject):
    """The lesson open in the window and the File menu's lesson entries."""

    def __init__(
        self,
        *,
        model: LabModel,
        controller: LabController,
        panel: ParameterPanel,
        locks: PanelLocks,
        dialogs: Dialogs,
        view: LessonView,
        dock: QDockWidget,
        dialog_parent: QWidget,
        file_used: Callable[[Path], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.controller = controller
        self.panel = panel
        self.locks = locks
        self.dialogs = dialogs
        self.view = view  # the Lesson pane, in ``dock``
        self.dock = dock
        self.dialog_parent = dialog_parent  # the browser and the "Save as lesson" form
        self.file_used = file_used
        self.lesson: Lesson | None = None
        self.path: Path | None = None
        self.browser: LessonBrowser | None = None
        self.browse_action = make_action(self, "lessonsAction", self.show_browser, "Ctrl+L")
        self.open_action = make_action(self, "openLessonAction", self.open_lesson)
        self.save_action = make_action(self, "saveLessonAction", self.save_lesson)
        self.close_action = make_action(self, "closeLessonAction", self.close_lesson)
        self.close_action.setEnabled(False)
        self.retranslate_ui()

    @property
    def actions(self) -> list[QAction]:
        return [self.browse_action, self.open_action, self.save_action, self.close_action]

    def retranslate_ui(self) -> None:
        self.dock.setWindowTitle(self.tr("Lesson"))
        for action, text in (
            (self.browse_action, self.tr("&Lessons…")),
            (self.open_action, self.tr("Open l&esson…")),
            (self.save_action, self.tr("Save as lesso&n…")),
            (self.close_action, self.tr("&Close lesson")),
        ):
            action.setText(text)

    # ---- opening and closing ----

    def show_browser(self) -> LessonBrowser:
        if self.browser is None:
            self.browser = LessonBrowser(self.dialog_parent)
            self.browser.lesson_chosen.connect(self.open_lesson)
        self.browser.show()
        self.browser.raise_()
        return self.browser

    def open_lesson(self, path: str | Path | None = None) -> bool:
        """Open a lesson file (asking for one if not given); a broken file changes nothing."""
        if path is None:
            path = self.dialogs.ask_open_file(self.tr("Open lesson"), self._lesson_filter())
            if not path:
                return False
        lesson = self._load(path, self.tr("The lesson was not opened: {error}"))
        if lesson is None:
            return False
        if self.model.state is not RunState.READY:
            text = self.tr(
                "Opening a lesson starts again from step 0 and clears the plots. Open it?"
            )
            if not self.dialogs.confirm(text):
                return False
            self.controller.reset()
        self.apply_lesson(lesson, Path(path))
        return True

    def apply_lesson(self, lesson: Lesson, path: Path | None, *, set_config: bool = True) -> None:
        """Show ``lesson`` in the Lesson pane, put its config in the panel, lock and hide."""
        self.locks.clear()
        if set_config:
            self.panel.set_config(lesson.config)
        self.locks.apply(lesson.locked, lesson.hidden)
        self.lesson, self.path = lesson, path
        self.view.show_lesson(lesson)
        self.dock.show()
        self.dock.raise_()
        self.close_action.setEnabled(True)
        if path is not None:
            Settings().set_last_lesson(path.resolve())
            self.file_used(path)

    def close_lesson(self) -> None:
        """Unlock every setting and empty the Lesson pane (the settings stay as they are)."""
        self.locks.clear()
        self.lesson = self.path = None
        self.view.show_lesson(None)
        self.close_action.setEnabled(False)
        Settings().set_last_lesson(None)

    def reopen_last(self) -> bool:
        """At start: the lesson that was open when GradLab last closed. Whatever is wrong with
        it never stops the window from opening: it is said in the banner and forgotten."""
        last = Settings().last_lesson()
        if not last:
            return False
        try:
            if not Path(last).is_file():
                raise FileNotFoundError(last)
            lesson = self._load(
                last, self.tr("The last lesson was not reopened and is forgotten: {error}")
            )
            if lesson is not None:
                self.apply_lesson(lesson, Path(last))
                return True
        except FileNotFoundError:
            self.dialogs.show_error(
                self.tr("The last lesson {name} no longer exists and is forgotten.").format(
                    name=Path(last).name
                )
            )
        except Exception as error:  # the last guard: the window opens whatever happened
            log.exception("reopening the last lesson failed")
            self.dialogs.show_error(
                self.tr("The last lesson was not reopened and is forgotten: {error}").format(
                    error=unexpected(error)
                )
            )
        Settings().set_last_lesson(None)
        return False

    def _load(self, path: str | Path, message: str) -> Lesson | None:
        """The lesson in ``path``, or None after ``message`` (with the reason) in the banner;
        a refused file also leaves Open Recent."""
        try:
            return load_lesson(path)
        except LessonError as error:
            reason = error_text(error)
        except Exception as error:  # a last guard: never an exception out of a menu
            log.exception("opening a lesson failed")
            reason = unexpected(error)
        self.dialogs.show_error(message.format(error=reason))
        RecentFiles.forget(path)
        return None

    # ---- the lesson in a session file ----

    def document(self) -> dict[str, Any] | None:
        """The open lesson as JSON data (what a session file keeps), or None."""
        return json.loads(lesson_to_json(self.lesson)) if self.lesson is not None else None

    def restore(self, document: object) -> None:
        """Show a session file's lesson (texts and locks; the session's own config stays)."""
        try:
            lesson = parse_lesson(json.dumps(document)) if isinstance(document, dict) else None
        except LessonError:
            lesson = None
        if lesson is None:
            self.close_lesson()
        else:
            self.apply_lesson(lesson, None, set_config=False)

    # ---- saving ----

    def save_lesson(self) -> Path | None:
        """File → Save as lesson…: the current settings plus texts, in two languages."""
        try:
            config = self.panel.config()
        except ConfigError as error:
            self.dialogs.show_error(
                self.tr("Fix the settings first: {error}").format(error=error_text(error))
            )
            return None
        label = run_label(config)
        base = self.lesson or Lesson(config=config, title={"en": label, "zh": label})
        dialog = SaveLessonDialog(base, self.dialog_parent)
        if not self.dialogs.run_dialog(dialog):
            return None
        lesson = dialog.lesson(config)
        suggested = self.path.name if self.path else "lesson.json"
        name = self.dialogs.ask_save_file(
            self.tr("Save as lesson"), self._lesson_filter(), suggested
        )
        if not name:
            return None
        path = Path(name) if name.endswith(".json") else Path(name + ".json")
        try:
            write_lesson(path, lesson)
        except LessonError as error:
            self.dialogs.show_error(
                self.tr("The lesson was not saved: {error}").format(error=error_text(error))
            )
            return None
        self.apply_lesson(lesson, path, set_config=False)
        self.dialogs.show_status(self.tr("Lesson saved to {path}").format(path=path))
        return path

    def _lesson_filter(self) -> str:
        return self.tr("GradLab lessons (*.json)")
