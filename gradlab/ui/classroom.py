"""``install_classroom(window)``: lessons, languages, save and export, help, remembered layout.

The application window calls it once, at the end of its ``__init__`` (after its own docks
exist). It builds the collaborators, each given what it needs and nothing more:

- ``LessonActions`` (gradlab.ui.lesson_actions): the lesson browser, Open/Save/Close lesson and
  the Lesson pane; ``PanelLocks`` lock and hide the panel's fields a lesson names;
- ``SessionFiles`` (gradlab.ui.session_actions): Save/Open session; ``Exports``
  (gradlab.ui.exports): File → Export; ``Autosave`` (gradlab.ui.autosave_actions) and the
  ``CrashRecovery`` bar below; all of them take the session from one ``SessionCapture``;
- ``RecentFiles`` (gradlab.ui.recent_files), ``LanguageMenu`` below, ``HelpMenu``
  (gradlab.ui.help);
- what the lab administrator set (gradlab.ui.settings.admin_policy): the autosave folder and
  interval, the lesson opened at start, the locked language, and any problem with their files;

puts their entries in the File menu and their own menus on the menu bar, re-translates them
when the language changes, and remembers the window's geometry and dock layout.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QBoxLayout,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QWidget,
)

from gradlab.ui.admin_text import admin_problem_text
from gradlab.ui.autosave_actions import AUTOSAVE_INTERVAL_MS, Autosave
from gradlab.ui.dialogs import Dialogs
from gradlab.ui.exports import Exports
from gradlab.ui.help import HelpMenu
from gradlab.ui.i18n import LANGUAGE_NAMES, LanguageManager, language_manager
from gradlab.ui.lesson_actions import LessonActions
from gradlab.ui.lesson_browser import FormLocks, LessonView, PanelLocks
from gradlab.ui.palette import colour
from gradlab.ui.recent_files import RecentFiles
from gradlab.ui.session_actions import SessionFiles
from gradlab.ui.session_capture import RunSnapshots, SessionCapture
from gradlab.ui.settings import Settings, data_dir

if TYPE_CHECKING:
    from gradlab.ui.app_window import GradLabWindow


def install_classroom(window: GradLabWindow) -> Classroom:
    """Add the classroom features to ``window``; returns the Classroom (the window keeps it).

    The window restores the remembered layout when first shown and calls
    ``classroom.window_closed()`` once a close is accepted (its worker is then stopped).
    """
    model, controller, panel = window.model, window.controller, window.panel
    dialogs = window.dialogs
    locks = PanelLocks(FormLocks(panel, lock_note))
    lesson_view = LessonView()
    lesson_dock = window.add_dock(  # hidden until a lesson is open (or the layout shows it)
        lesson_view, "", "lessonDock", Qt.DockWidgetArea.RightDockWidgetArea,
        _right_hand_neighbour(window), hidden=True,
    )  # fmt: skip
    recent_menu = QMenu(window)
    lessons = LessonActions(
        model=model, controller=controller, panel=panel, locks=locks, dialogs=dialogs,
        view=lesson_view, dock=lesson_dock, dialog_parent=window, file_used=RecentFiles.add,
        parent=window,
    )  # fmt: skip
    languages = language_manager()

    def ui_state() -> dict[str, Any]:
        return {"language": languages.language, "lesson": lessons.document()}

    def restore_ui_state(state: dict[str, Any]) -> None:
        lessons.restore(state.get("lesson"))  # the language stays the student's

    snapshots = RunSnapshots(model, controller, window)
    capture = SessionCapture(model, panel.config, snapshots, ui_state)
    settings = Settings()
    folder = settings.autosave_folder() or data_dir()
    files = SessionFiles(
        model=model, controller=controller, panel=panel, dialogs=dialogs, capture=capture,
        data_dir=folder, restore_ui_state=restore_ui_state, file_used=RecentFiles.add,
        parent=window,
    )  # fmt: skip
    exports = Exports(
        model=model, panel=panel, plots=window.plots, view=window.view, dialogs=dialogs,
        capture=capture, parent=window,
    )  # fmt: skip
    autosave = Autosave(
        data_dir=folder, capture=capture, dialogs=dialogs, open_session=files.open_session,
        parent=window,
        interval_s=settings.autosave_interval_s(AUTOSAVE_INTERVAL_MS // 1000),
    )  # fmt: skip
    recent = RecentFiles(
        recent_menu, dialogs=dialogs, open_lesson=lessons.open_lesson,
        open_session=files.open_session, parent=window,
    )  # fmt: skip
    recovery = CrashRecovery(RecoveryBar(window), autosave.restore_recovered)
    _place_above_the_plots(window, recovery.bar)
    classroom = Classroom(
        window, dialogs, languages, lessons=lessons, locks=locks, snapshots=snapshots,
        files=files, exports=exports, autosave=autosave, recent=recent, recovery=recovery,
        menus=window.menus, retranslate_window=window.retranslate_ui, settings=settings,
        built_language=window.built_language,
    )  # fmt: skip
    recovery.offer(autosave.recoverable_sessions())
    if not recovery.paths:
        _open_lesson_at_start(lessons, settings)
    problems = [admin_problem_text(p) for p in settings.policy.problems]
    if problems:  # reported, never fatal: the rest of the file still counts
        dialogs.show_error("  ".join(problems[:3]) + (" …" if len(problems) > 3 else ""))
    return classroom


def _open_lesson_at_start(lessons: LessonActions, settings: Settings) -> None:
    """The lesson open at the last close, else the administrator's default lesson; that one
    every time when the administrator locked it."""
    default = settings.default_lesson()
    last = settings.last_lesson()
    if default and (settings.is_locked("lessons/default") or not (last and Path(last).is_file())):
        lessons.open_lesson(default)
    else:
        lessons.reopen_last()


def lock_note() -> str:
    """The tooltip note on a field a lesson locks, in the current language."""
    return QCoreApplication.translate("Classroom", "Locked by the lesson")


def _right_hand_neighbour(window: QMainWindow) -> QDockWidget | None:
    """A dock already on the right: the Lesson pane joins it as a tab, so the plots keep their
    width."""
    right = Qt.DockWidgetArea.RightDockWidgetArea
    return next(
        (
            d
            for d in window.findChildren(QDockWidget)
            if window.dockWidgetArea(d) == right and not d.isFloating()
        ),
        None,
    )


def _place_above_the_plots(window: GradLabWindow, bar: QWidget) -> None:
    """The recovery bar goes on top of the lab's column (banner, read-outs, plots)."""
    column = window.banner.parentWidget()
    layout = column.layout() if column is not None else None
    if isinstance(layout, QBoxLayout):
        layout.insertWidget(0, bar)
    else:  # no box layout to join: a strip of its own at the top
        bar.setParent(window)
        bar.move(0, window.menuBar().height())


class RecoveryBar(QFrame):
    """ "GradLab closed unexpectedly. Restore the autosaved session? [Restore] [Discard]" — a
    strip above the plots, never modal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryBar")
        self.setStyleSheet(
            f"#recoveryBar {{ background: {colour('warning_background')};"
            f" border: 1px solid {colour('warning_text')}; border-radius: 4px; }}"
            f" #recoveryBar QLabel {{ color: {colour('warning_text')}; }}"
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


class CrashRecovery(QObject):
    """The autosaves a crash left behind, offered one by one in the recovery bar."""

    def __init__(self, bar: RecoveryBar, restore: Callable[[Path], bool]) -> None:
        super().__init__(bar)
        self.bar = bar
        self.restore = restore  # opens a recovered file; True once it is on screen
        self.paths: list[Path] = []
        bar.restore_button.clicked.connect(self.restore_first)
        bar.discard_button.clicked.connect(self.discard_first)

    def offer(self, paths: list[Path]) -> None:
        self.paths = list(paths)
        self.bar.setVisible(bool(self.paths))

    def restore_first(self) -> None:
        if self.paths and self.restore(self.paths[0]):
            self._next()

    def discard_first(self) -> None:
        if self.paths:
            self.paths[0].unlink(missing_ok=True)
            self._next()

    def _next(self) -> None:
        self.offer([p for p in self.paths[1:] if p.is_file()])


class LanguageMenu(QObject):
    """The Language menu: each language in its own words; a switch that fails says why. When
    the lab administrator locked the language (``locked_by``: the file that does), the entries
    are disabled under a disabled line saying so, whose tooltip names the file."""

    def __init__(
        self,
        menu: QMenu,
        languages: LanguageManager,
        dialogs: Dialogs,
        locked_by: str | None = None,
    ) -> None:
        super().__init__(menu)
        self.menu = menu
        self.languages = languages
        self.dialogs = dialogs
        self.locked_by = locked_by
        menu.setObjectName("languageMenu")
        self.lock_line = QAction(menu)
        self.lock_line.setObjectName("languageLockedAction")
        self.lock_line.setEnabled(False)
        if locked_by:
            menu.setToolTipsVisible(True)
            menu.addAction(self.lock_line)
            menu.addSeparator()
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        for code, name in LANGUAGE_NAMES.items():
            action = QAction(name, menu)  # never translated
            action.setObjectName(f"language_{code}_Action")
            action.setCheckable(True)
            action.setEnabled(not locked_by)
            action.triggered.connect(lambda _checked=False, c=code: self.set_language(c))
            self.group.addAction(action)
            self.actions[code] = action
        menu.addActions(list(self.actions.values()))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.menu.setTitle(self.tr("&Language"))
        for code, action in self.actions.items():
            action.setChecked(code == self.languages.language)
        if self.locked_by:
            self.lock_line.setText(self.tr("Locked by the lab administrator"))
            tip = self.tr("Set for every student in {file}").format(file=self.locked_by)
            for action in (self.lock_line, *self.actions.values()):
                action.setToolTip(tip)
                action.setStatusTip(tip)

    def set_language(self, language: str) -> None:
        if self.locked_by:
            return
        if not self.languages.set_language(language):
            self.dialogs.show_error(self.tr("The Chinese translation could not be loaded."))
            self.actions[self.languages.language].setChecked(True)


class Classroom(QObject):
    """The classroom features of one window; its collaborators are public attributes:
    ``lessons``, ``locks``, ``files``, ``exports``, ``autosave``, ``recent``, ``recovery``,
    ``language_menu`` and ``help``."""

    def __init__(
        self,
        window: QMainWindow,
        dialogs: Dialogs,
        languages: LanguageManager,
        *,
        lessons: LessonActions,
        locks: PanelLocks,
        snapshots: RunSnapshots,
        files: SessionFiles,
        exports: Exports,
        autosave: Autosave,
        recent: RecentFiles,
        recovery: CrashRecovery,
        menus: dict[str, QMenu],
        retranslate_window: Callable[[], None],
        settings: Settings | None = None,
        built_language: str = "en",
    ) -> None:
        super().__init__(window)
        self.window = window  # its geometry and dock layout are remembered
        self.dialogs = dialogs
        self.languages = languages
        self.lessons, self.locks, self.snapshots = lessons, locks, snapshots
        self.files, self.exports, self.autosave = files, exports, autosave
        self.recent, self.recovery = recent, recovery
        self.retranslate_window = retranslate_window
        self._closed = False
        bar = window.menuBar()
        self.export_menu = QMenu(window)
        self.export_menu.setObjectName("exportMenu")
        exports.fill_menu(self.export_menu)
        file_menu = menus["file"]
        before = file_menu.actions()[0] if file_menu.actions() else None  # Quit stays last
        entries: list[QAction | QMenu | None] = [
            *lessons.actions, recent.menu, None, *files.actions, autosave.restore_action, None,
            self.export_menu, None,
        ]  # fmt: skip
        for entry in entries:
            if entry is None:
                file_menu.insertSeparator(before) if before else file_menu.addSeparator()
            elif isinstance(entry, QMenu):
                file_menu.insertMenu(before, entry) if before else file_menu.addMenu(entry)
            else:
                file_menu.insertAction(before, entry) if before else file_menu.addAction(entry)
        locked_by = settings.lock_source("language") if settings is not None else None
        # a window shown before its classroom was built has its menus in the bar already
        language, help_menu = menus.get("language") or bar.addMenu(""), menus.get("help")
        self.language_menu = LanguageMenu(language, languages, dialogs, locked_by)
        self.help = HelpMenu(help_menu or bar.addMenu(""), window)
        languages.language_changed.connect(self._on_language_changed)
        app = QCoreApplication.instance()
        if app is not None:  # quitting without closing the window still ends the session
            app.aboutToQuit.connect(self.window_closed)
        self.retranslate_ui()
        # a window built before the translator; one born in its language is left alone (a
        # pass over its ~2,700 objects held the GUI thread ~120 ms in Chinese, for nothing)
        languages.retranslate(window, built_language)

    def retranslate_ui(self) -> None:
        """Texts of everything the classroom added."""
        self.export_menu.setTitle(self.tr("&Export"))
        for part in (
            self.lessons, self.files, self.exports, self.autosave, self.recent,
            self.language_menu, self.help, self.locks,
        ):  # fmt: skip
            part.retranslate_ui()

    def _on_language_changed(self, _language: str) -> None:
        """Static texts are already switched (i18n.retranslate_tree); now the dynamic ones."""
        self.retranslate_ui()
        self.retranslate_window()  # the window's formatted texts: read-outs, legends, ...

    # ---- window life ----

    def window_closed(self) -> None:
        """Remember the layout, finish pending saves, autosave a last time and mark the session
        as cleanly ended. The window's workers have stopped, so the session can be read here."""
        if self._closed:
            return
        self._closed = True
        settings = Settings()
        settings.set_window_layout(self.window.saveGeometry(), self.window.saveState())
        settings.sync()
        self.snapshots.flush()  # a Save pressed just before closing is written now
        self.autosave.shutdown()
