"""File → Open Recent: the lessons and sessions opened or saved lately, newest first."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QMenu

from gradlab.core.session_file import SESSION_SUFFIX
from gradlab.ui.dialogs import Dialogs
from gradlab.ui.settings import Settings


class RecentFiles(QObject):
    """Fills ``menu`` each time it opens; a file that is gone is dropped, and the status bar
    says so."""

    def __init__(
        self,
        menu: QMenu,
        *,
        dialogs: Dialogs,
        open_lesson: Callable[[str], bool],
        open_session: Callable[[str], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.menu = menu
        self.dialogs = dialogs
        self.open_lesson = open_lesson
        self.open_session = open_session
        menu.setObjectName("recentMenu")
        menu.aboutToShow.connect(self.rebuild_menu)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.menu.setTitle(self.tr("Open &Recent"))

    @staticmethod
    def add(path: Path) -> None:
        Settings().add_recent_file(path)

    @staticmethod
    def forget(path: str | os.PathLike[str]) -> None:
        """Drop ``path`` from the list (a file that was refused or is gone)."""
        forget_recent_file(path)

    def rebuild_menu(self) -> None:
        """Fill Open Recent, dropping files that are gone (and saying so)."""
        settings = Settings()
        missing = settings.prune_recent_files()
        if missing:
            names = ", ".join(Path(p).name for p in missing)
            self.dialogs.show_status(
                self.tr("Removed from Open Recent because they no longer exist: {names}").format(
                    names=names
                )
            )
        self.menu.clear()
        files = settings.recent_files()
        for index, name in enumerate(files, start=1):
            label = Path(name).name.replace("&", "&&")  # a file name is no shortcut
            action = self.menu.addAction(f"&{index}  {label}")
            action.setToolTip(name)
            action.triggered.connect(lambda _checked=False, n=name: self.open_recent(n))
        if not files:
            self.menu.addAction(self.tr("(none)")).setEnabled(False)
        else:
            self.menu.addSeparator()
            clear = self.menu.addAction(self.tr("Clear the list"))
            clear.triggered.connect(lambda: Settings().set_recent_files([]))

    def open_recent(self, name: str) -> bool:
        """Open a listed file; one that is gone is dropped with a message (a broken one is
        dropped by its opener, which says why)."""
        if not os.path.isfile(name):
            forget_recent_file(name)
            self.dialogs.show_error(
                self.tr("{name} no longer exists; it was removed from Open Recent.").format(
                    name=Path(name).name
                )
            )
            return False
        if name.endswith(SESSION_SUFFIX):
            return self.open_session(name)
        return self.open_lesson(name)


def forget_recent_file(path: str | os.PathLike[str]) -> None:
    """Drop ``path`` from Open Recent, if it is there."""
    settings = Settings()
    text = os.path.abspath(os.fspath(path))
    files = settings.recent_files()
    if text in files:
        settings.set_recent_files([item for item in files if item != text])


def unexpected(error: BaseException) -> str:
    """The reason given for a failure no loader foresaw (the log has the details)."""
    return QCoreApplication.translate("RecentFiles", "an unexpected error ({kind})").format(
        kind=type(error).__name__
    )
