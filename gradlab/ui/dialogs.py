"""``Dialogs``: every file question, confirmation and message of the window goes through here,
so a test replaces one method instead of facing a modal dialog. Errors go to the banner (never
modal) when the window has one; passing messages to the status bar."""

from __future__ import annotations

import os
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QStatusBar, QWidget


class MessageBanner(Protocol):
    """What Dialogs needs of a banner (gradlab.ui.readouts.Banner)."""

    def show_message(self, text: str, kind: str = ...) -> None: ...


class Dialogs:
    """The window's questions and messages; tests replace methods (e.g. ``confirm``)."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        banner: MessageBanner | None = None,
        status_bar: QStatusBar | None = None,
    ) -> None:
        self.parent = parent
        self.banner = banner
        self.status_bar = status_bar
        self.folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )

    def ask_open_file(self, title: str, filters: str) -> str | None:
        name, _ = QFileDialog.getOpenFileName(self.parent, title, self.folder, filters)
        return self._remember(name)

    def ask_save_file(self, title: str, filters: str, suggested: str) -> str | None:
        start = suggested if os.path.isabs(suggested) else os.path.join(self.folder, suggested)
        name, _ = QFileDialog.getSaveFileName(self.parent, title, start, filters)
        return self._remember(name)

    def ask_folder(self, title: str) -> str | None:
        name = QFileDialog.getExistingDirectory(self.parent, title, self.folder)
        if name:
            self.folder = name
        return name or None

    def show_error(self, text: str) -> None:
        if self.banner is not None:
            self.banner.show_message(text, "error")
        else:
            QMessageBox.warning(self.parent, QCoreApplication.applicationName(), text)

    def show_status(self, text: str, timeout_ms: int = 8000) -> None:
        if self.status_bar is not None:
            self.status_bar.showMessage(text, timeout_ms)

    def confirm(self, text: str) -> bool:
        """Ask a yes/no question (e.g. before throwing a run away); Yes is the default."""
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = QMessageBox.question(
            self.parent,
            QCoreApplication.applicationName(),
            text,
            buttons,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def run_dialog(self, dialog: QDialog) -> bool:
        """Show a modal form (e.g. the lesson texts); True if accepted."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _remember(self, name: str) -> str | None:
        if name:
            self.folder = os.path.dirname(name)
        return name or None
