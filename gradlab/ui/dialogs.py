"""The one seam for modal dialogs: file pickers and message boxes, typed, that tests replace.

A view that asks the student something gets a ``Dialogs`` instance (its constructor takes one);
tests pass a subclass whose methods return canned answers, so no test ever opens a modal.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


class Dialogs:
    """Thin wrappers over QFileDialog and QMessageBox; every path answer is None if cancelled."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def open_file(self, title: str, filters: str = "", start: str = "") -> str | None:
        path, _ = QFileDialog.getOpenFileName(self.parent, title, start, filters)
        return path or None

    def save_file(self, title: str, name: str = "", filters: str = "") -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, title, name, filters)
        return path or None

    def choose_folder(self, title: str, start: str = "") -> str | None:
        folder = QFileDialog.getExistingDirectory(self.parent, title, start)
        return folder or None

    def ask_yes_no(self, title: str, text: str, *, default_yes: bool = False) -> bool:
        """A Yes/No question; True for Yes."""
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        default = QMessageBox.StandardButton.Yes if default_yes else QMessageBox.StandardButton.No
        answer = QMessageBox.question(self.parent, title, text, buttons, default)
        return answer == QMessageBox.StandardButton.Yes

    def question(
        self,
        title: str,
        text: str,
        buttons: QMessageBox.StandardButton,
        default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
    ) -> QMessageBox.StandardButton:
        """A question with any standard buttons (e.g. Save | Discard | Cancel); the one pressed."""
        return QMessageBox.question(self.parent, title, text, buttons, default)

    def info(self, title: str, text: str) -> None:
        QMessageBox.information(self.parent, title, text)

    def warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)

    def error(self, title: str, text: str) -> None:
        QMessageBox.critical(self.parent, title, text)
