"""Menu actions made the same way everywhere: an object name (tests and automation find them by
it), a slot, maybe a shortcut; their texts are set by their owner's ``retranslate_ui``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

Shortcut = QKeySequence | QKeySequence.StandardKey | str


def make_action(
    parent: QObject, name: str, slot: Callable[[], object], shortcut: Shortcut | None = None
) -> QAction:
    """A named action that calls ``slot()`` (its checked flag dropped); texts come later."""
    action = QAction(parent)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    return action
