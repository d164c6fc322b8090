"""``install_classroom(window)``: lessons, languages, save and export, help, remembered layout.

The lab window calls it once, at the end of its ``__init__`` (after its own docks exist). It adds
to the File menu (Lessons…, Open/Save lesson, Open Recent, sessions, Export), a Language and a
Help menu, the Lesson pane, autosave with crash recovery, and remembers the window's geometry and
dock layout. What it needs from the window is listed in ``install_classroom``'s docstring.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QBoxLayout,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QWidget,
)

from gradlab.core.config import Config
from gradlab.core.lesson import Lesson, LessonError, lesson_to_json, parse_lesson
from gradlab.ui.help import AboutDialog, GuideDialog
from gradlab.ui.i18n import LANGUAGE_NAMES, language_manager
from gradlab.ui.lesson_actions import LessonActions
from gradlab.ui.lesson_browser import LessonBrowser, LessonView, PanelLocks
from gradlab.ui.session_actions import Dialogs, SessionActions
from gradlab.ui.settings import Settings, data_dir


def install_classroom(window: Any) -> Classroom:
    """Add the classroom features to ``window``; returns the Classroom (kept by the window).

    Uses from the window: ``panel`` (``config()``, ``set_config()``, ``fields``), ``menus``
    (a dict with "file" and "view" QMenus; the menu bar otherwise), ``add_dock()``, ``banner``,
    ``statusBar()``, ``run_state``, ``reset()`` and ``confirm_reset(text)``; and, when present,
    ``session_state()`` / ``restore_session(state)`` (see session_actions).
    """
    classroom = Classroom(window)
    window.classroom = classroom
    return classroom


class RecoveryBar(QFrame):
    """ "GradLab closed unexpectedly. Restore the autosaved session? [Restore] [Discard]" — a
    strip above the plots, never modal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryBar")
        self.setStyleSheet(
            "#recoveryBar { background: #fff4e0; border: 1px solid #6d4300; border-radius: 4px; }"
            " #recoveryBar QLabel { color: #6d4300; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.restore_button = QPushButton(self)
        self.restore_button.setObjectName("restoreAutosaveButton")
        self.discard_button = QPushButton(self)
        self.discard_button.setObjectName("discardAutosaveButton")
        layout.addWidget(self.label, 1)
        layout.addWidget(self.restore_button)
        layout.addWidget(self.discard_button)
        self.retranslate_ui()
        self.hide()

    def retranslate_ui(self) -> None:
        self.label.setText(self.tr("GradLab closed unexpectedly. Restore the autosaved session?"))
        self.restore_button.setText(self.tr("Restore"))
        self.discard_button.setText(self.tr("Discard"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


class Classroom(LessonActions, QObject):
    """The classroom features of one lab window (see the module docstring); opening and saving
    lessons and Open Recent are in gradlab.ui.lesson_actions."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.dialogs = Dialogs(window)
        self.languages = language_manager()
        self.lesson: Lesson | None = None
        self.lesson_path: Path | None = None
        self.browser: LessonBrowser | None = None
        self.guide: GuideDialog | None = None
        self.about: AboutDialog | None = None
        self._restored = self._closed = False
        self.locks = PanelLocks(window.panel, lambda: self.tr("Locked by the lesson"))
        self.session = SessionActions(
            window,
            self.dialogs,
            data_dir=data_dir(),
            ui_state=self.ui_state,
            restore_ui_state=self.restore_ui_state,
            file_used=self.add_recent,
        )
        self.lesson_view = LessonView()
        self.lesson_dock = self._add_lesson_dock()
        self._build_actions()
        self._build_menus()
        self.recovery_bar = RecoveryBar(window)
        self._place_recovery_bar()
        self.recovery_bar.restore_button.clicked.connect(self.restore_recovered)
        self.recovery_bar.discard_button.clicked.connect(self.discard_recovered)
        self.languages.language_changed.connect(self._on_language_changed)
        window.installEventFilter(self)
        app = QCoreApplication.instance()
        if app is not None:  # quitting without closing the window still ends the session
            app.aboutToQuit.connect(self.window_closed)
        self.retranslate_ui()
        self.languages.retranslate(window)  # in case the window was built before the translator
        self.recovered = self.session.recoverable_sessions()
        if self.recovered:
            self.recovery_bar.show()
        else:
            self._reopen_last_lesson()

    # ---- building ----

    def _add_lesson_dock(self) -> QDockWidget:
        right = Qt.DockWidgetArea.RightDockWidgetArea
        # share the right-hand column with the docks already there, as a tab: the plots keep
        # their width
        neighbour = next(
            (
                d
                for d in self.window.findChildren(QDockWidget)
                if self.window.dockWidgetArea(d) == right and not d.isFloating()
            ),
            None,
        )
        add_dock = getattr(self.window, "add_dock", None)
        if callable(add_dock):
            dock = add_dock(self.lesson_view, "", "lessonDock", right, neighbour)
        else:
            dock = QDockWidget(self.window)
            dock.setObjectName("lessonDock")
            dock.setWidget(self.lesson_view)
            self.window.addDockWidget(right, dock)
        dock.hide()  # until a lesson is open (or the saved layout shows it)
        return dock

    def _action(self, name: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(self.window)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        self.lessons_action = self._action("lessonsAction", self.show_lesson_browser, "Ctrl+L")
        self.open_lesson_action = self._action("openLessonAction", self.open_lesson)
        self.save_lesson_action = self._action("saveLessonAction", self.save_lesson)
        self.close_lesson_action = self._action("closeLessonAction", self.close_lesson)
        self.close_lesson_action.setEnabled(False)
        self.guide_action = self._action("guideAction", self.show_guide, "F1")  # as the guide says
        self.about_action = self._action("aboutAction", self.show_about)
        self.language_group = QActionGroup(self)
        self.language_group.setExclusive(True)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGE_NAMES.items():
            action = QAction(name, self.window)  # each language in its own words
            action.setObjectName(f"language_{code}_Action")
            action.setCheckable(True)
            action.setChecked(code == self.languages.language)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            self.language_group.addAction(action)
            self.language_actions[code] = action

    def _build_menus(self) -> None:
        bar = self.window.menuBar()
        menus = getattr(self.window, "menus", None) or {}
        file_menu = menus.get("file") or bar.addMenu("")
        self.recent_menu = QMenu(self.window)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self.rebuild_recent_menu)
        self.export_menu = QMenu(self.window)
        self.export_menu.setObjectName("exportMenu")
        s = self.session
        for action in (
            s.export_csv_action,
            s.export_png_action,
            s.export_svg_action,
            s.export_script_action,
        ):
            self.export_menu.addAction(action)
        self.export_menu.addSeparator()
        self.export_menu.addAction(s.export_bundle_action)
        before = file_menu.actions()[0] if file_menu.actions() else None
        entries: list[QAction | QMenu | None] = [
            self.lessons_action, self.open_lesson_action, self.save_lesson_action,
            self.close_lesson_action, self.recent_menu, None, s.open_action, s.save_action,
            s.save_as_action, s.restore_autosave_action, None, self.export_menu, None,
        ]  # fmt: skip
        for entry in entries:
            if entry is None:
                file_menu.insertSeparator(before) if before else file_menu.addSeparator()
            elif isinstance(entry, QMenu):
                file_menu.insertMenu(before, entry) if before else file_menu.addMenu(entry)
            else:
                file_menu.insertAction(before, entry) if before else file_menu.addAction(entry)
        self.language_menu = bar.addMenu("")
        self.language_menu.setObjectName("languageMenu")
        self.language_menu.addActions(list(self.language_actions.values()))
        self.help_menu = bar.addMenu("")
        self.help_menu.setObjectName("helpMenu")
        self.help_menu.addAction(self.guide_action)
        self.help_menu.addAction(self.about_action)

    def _place_recovery_bar(self) -> None:
        central = self.window.centralWidget()
        layout = central.layout() if central is not None else None
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(0, self.recovery_bar)
        else:  # no box layout to join: a strip of its own at the top
            self.recovery_bar.setParent(self.window)
            self.recovery_bar.move(0, self.window.menuBar().height())

    def retranslate_ui(self, _language: str = "") -> None:
        """Texts of everything this module added (on ``language_changed``)."""
        self.lesson_dock.setWindowTitle(self.tr("Lesson"))
        for action, text in (
            (self.lessons_action, self.tr("&Lessons…")),
            (self.open_lesson_action, self.tr("Open l&esson…")),
            (self.save_lesson_action, self.tr("Save as lesso&n…")),
            (self.close_lesson_action, self.tr("&Close lesson")),
            (self.guide_action, self.tr("&Guide")),
            (self.about_action, self.tr("&About GradLab")),
        ):
            action.setText(text)
        self.recent_menu.setTitle(self.tr("Open &Recent"))
        self.export_menu.setTitle(self.tr("&Export"))
        self.language_menu.setTitle(self.tr("&Language"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.session.retranslate_ui()
        self.locks.retranslate_ui()
        for code, action in self.language_actions.items():
            action.setChecked(code == self.languages.language)

    # ---- language ----

    def _on_language_changed(self, language: str) -> None:
        """Static texts are already switched (i18n.retranslate_tree); now the dynamic ones."""
        self.retranslate_ui()
        hook = getattr(self.window, "retranslate_ui", None)
        if callable(hook):
            hook()  # the window's formatted texts: readouts, legends, the speed list...
        view = getattr(self.window, "view", None)
        if view is not None and hasattr(view, "mark_dirty"):
            view.mark_dirty()  # the read-outs are redrawn in the new language

    def set_language(self, language: str) -> None:
        if not self.languages.set_language(language):
            self.dialogs.show_error(self.tr("The Chinese translation could not be loaded."))
            self.language_actions[self.languages.language].setChecked(True)

    # ---- sessions: the lesson travels in the session file ----

    def ui_state(self) -> dict[str, Any]:
        lesson = json.loads(lesson_to_json(self.lesson)) if self.lesson is not None else None
        return {"language": self.languages.language, "lesson": lesson}

    def restore_ui_state(self, state: dict[str, Any], config: Config) -> None:
        document = state.get("lesson")
        try:
            lesson = parse_lesson(json.dumps(document)) if isinstance(document, dict) else None
        except LessonError:
            lesson = None
        if lesson is None:
            self.close_lesson()
        else:  # the session's own config stays; the lesson brings its texts and locks
            self.apply_lesson(lesson, None, set_config=False)

    # ---- crash recovery ----

    def restore_recovered(self) -> None:
        if self.recovered and self.session.restore_recovered(self.recovered[0]):
            self._next_recovered()

    def discard_recovered(self) -> None:
        if self.recovered:
            self.recovered[0].unlink(missing_ok=True)
            self._next_recovered()

    def _next_recovered(self) -> None:
        self.recovered = [p for p in self.recovered[1:] if p.is_file()]
        self.recovery_bar.setVisible(bool(self.recovered))

    # ---- help ----

    def show_guide(self) -> GuideDialog:
        if self.guide is None:
            self.guide = GuideDialog(self.window)
        self.guide.show()
        self.guide.raise_()
        return self.guide

    def show_about(self) -> AboutDialog:
        if self.about is None:
            self.about = AboutDialog(self.window)
        self.about.retranslate_ui()  # torch may have been loaded since
        self.about.show()
        return self.about

    # ---- window life ----

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window:
            if event.type() == QEvent.Type.Show and not self._restored:
                self._restored = True
                self.restore_layout()  # at first show: after every dock exists and any resize
            elif event.type() == QEvent.Type.Close and not self._closed:
                # let the window handle the close first: only a close it accepts ends the
                # session (a window that asks "save first?" may refuse it)
                self.window.event(event)
                if event.isAccepted():
                    self.window_closed()
                return True
        return False

    def window_closed(self) -> None:
        """Remember the layout, autosave a last time and mark the session as cleanly ended."""
        if self._closed:
            return
        self._closed = True
        self.save_layout()
        self.session.shutdown()

    def restore_layout(self) -> None:
        settings = Settings()
        geometry, state = settings.window_geometry(), settings.window_state()
        if geometry is not None:
            self.window.restoreGeometry(geometry)
        if state is not None:
            self.window.restoreState(state)

    def save_layout(self) -> None:
        settings = Settings()
        settings.set_window_layout(self.window.saveGeometry(), self.window.saveState())
        settings.sync()
