"""Lessons in the lab window: the lesson browser, File → Open lesson / Save as lesson / Close
lesson, the lesson reopened at start, and File → Open Recent (lessons and sessions).

``LessonActions`` is a part of Classroom (gradlab.ui.classroom), split off by responsibility; it
uses the window, dialogs, locks, Lesson pane and session actions set up in
``Classroom.__init__``. Its texts keep the "Classroom" translation context. A broken lesson
file is one message in the window's banner and changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from gradlab.core.config import ConfigError
from gradlab.core.lesson import Lesson, LessonError, load_lesson
from gradlab.core.lesson import save_lesson as write_lesson
from gradlab.core.run_labels import run_label
from gradlab.core.session_file import SESSION_SUFFIX
from gradlab.model.run_state import RunState
from gradlab.ui.lesson_browser import LessonBrowser, SaveLessonDialog
from gradlab.ui.settings import Settings


class LessonActions:
    """Opening, saving and closing lessons, and the Open Recent menu: a part of Classroom, whose
    ``__init__`` sets up the state these methods share."""

    # ---- lessons ----

    def show_lesson_browser(self) -> LessonBrowser:
        if self.browser is None:
            self.browser = LessonBrowser(self.window)
            self.browser.lesson_chosen.connect(self.open_lesson)
        self.browser.show()
        self.browser.raise_()
        return self.browser

    def open_lesson(self, path: str | Path | None = None) -> bool:
        """Open a lesson file (asking for one if not given); a broken file changes nothing."""
        if path is None:
            path = self.dialogs.ask_open_file(
                QCoreApplication.translate("Classroom", "Open lesson"), self._lesson_filter()
            )
            if not path:
                return False
        try:
            lesson = load_lesson(path)
        except LessonError as error:
            self.dialogs.show_error(
                QCoreApplication.translate(
                    "Classroom", "The lesson was not opened: {error}"
                ).format(error=error)
            )
            return False
        if self.window.model.state is not RunState.READY:
            text = QCoreApplication.translate(
                "Classroom",
                "Opening a lesson starts again from step 0 and clears the plots. Open it?",
            )
            if not self.dialogs.confirm(text):
                return False
            self.window.controller.reset()
        self.apply_lesson(lesson, Path(path))
        return True

    def apply_lesson(self, lesson: Lesson, path: Path | None, *, set_config: bool = True) -> None:
        """Show ``lesson`` in the Lesson pane, put its config in the panel, lock and hide."""
        self.locks.clear()
        if set_config:
            self.window.panel.set_config(lesson.config)
        self.locks.apply(lesson.locked, lesson.hidden)
        self.lesson, self.lesson_path = lesson, path
        self.lesson_view.show_lesson(lesson)
        self.lesson_dock.show()
        self.lesson_dock.raise_()
        self.close_lesson_action.setEnabled(True)
        if path is not None:
            Settings().set_last_lesson(path.resolve())
            self.add_recent(path)

    def close_lesson(self) -> None:
        """Unlock every setting and empty the Lesson pane (the settings stay as they are)."""
        self.locks.clear()
        self.lesson = self.lesson_path = None
        self.lesson_view.show_lesson(None)
        self.close_lesson_action.setEnabled(False)
        Settings().set_last_lesson(None)

    def save_lesson(self) -> Path | None:
        """File → Save as lesson…: the current settings plus texts, in two languages."""
        try:
            config = self.window.panel.config()
        except ConfigError as error:
            self.dialogs.show_error(
                QCoreApplication.translate("Classroom", "Fix the settings first: {error}").format(
                    error=error
                )
            )
            return None
        label = run_label(config)
        base = self.lesson or Lesson(config=config, title={"en": label, "zh": label})
        dialog = SaveLessonDialog(base, self.window)
        if not self.dialogs.run_dialog(dialog):
            return None
        lesson = dialog.lesson(config)
        suggested = self.lesson_path.name if self.lesson_path else "lesson.json"
        name = self.dialogs.ask_save_file(
            QCoreApplication.translate("Classroom", "Save as lesson"),
            self._lesson_filter(),
            suggested,
        )
        if not name:
            return None
        path = Path(name) if name.endswith(".json") else Path(name + ".json")
        try:
            write_lesson(path, lesson)
        except LessonError as error:
            self.dialogs.show_error(
                QCoreApplication.translate("Classroom", "The lesson was not saved: {error}").format(
                    error=error
                )
            )
            return None
        self.apply_lesson(lesson, path, set_config=False)
        self.dialogs.show_status(
            QCoreApplication.translate("Classroom", "Lesson saved to {path}").format(path=path)
        )
        return path

    def _reopen_last_lesson(self) -> None:
        last = Settings().last_lesson()
        if last and Path(last).is_file():
            try:
                self.apply_lesson(load_lesson(last), Path(last))
            except LessonError:
                Settings().set_last_lesson(None)  # changed since; start without it

    def _lesson_filter(self) -> str:
        return QCoreApplication.translate("Classroom", "GradLab lessons (*.json)")

    # ---- recent files ----

    def add_recent(self, path: Path) -> None:
        Settings().add_recent_file(path)

    def rebuild_recent_menu(self) -> None:
        """Fill Open Recent, dropping files that are gone (and saying so)."""
        settings = Settings()
        missing = settings.prune_recent_files()
        if missing:
            names = ", ".join(Path(p).name for p in missing)
            self.dialogs.show_status(
                QCoreApplication.translate(
                    "Classroom", "Removed from Open Recent because they no longer exist: {names}"
                ).format(names=names)
            )
        self.recent_menu.clear()
        files = settings.recent_files()
        for index, name in enumerate(files, start=1):
            label = Path(name).name.replace("&", "&&")  # a file name is no shortcut
            action = self.recent_menu.addAction(f"&{index}  {label}")
            action.setToolTip(name)
            action.triggered.connect(lambda _checked=False, n=name: self.open_recent(n))
        if not files:
            self.recent_menu.addAction(
                QCoreApplication.translate("Classroom", "(none)")
            ).setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction(
                QCoreApplication.translate("Classroom", "Clear the list")
            )
            clear.triggered.connect(lambda: Settings().set_recent_files([]))

    def open_recent(self, name: str) -> bool:
        if name.endswith(SESSION_SUFFIX):
            return self.session.open_session(name)
        return self.open_lesson(name)
