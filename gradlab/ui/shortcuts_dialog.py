"""Help → Keyboard shortcuts: every shortcut the window has, read from its QActions and
QShortcuts when the list is opened, so it can never fall behind the code.

A QShortcut that stands in for an action (Space for Pause) is named after it:
``<actionObjectName>Shortcut``; the list shows it on the action's row.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gradlab.ui.accessibility import label_tree, plain, shortcut_owner_name


def key_text(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def menu_order(window: QWidget) -> list[QAction]:
    """Every action of the window's menu bar, menu by menu, as the menus show them."""
    bar = window.menuBar() if isinstance(window, QMainWindow) else None
    found: list[QAction] = []

    def walk(actions: list[QAction]) -> None:
        for action in actions:
            menu = action.menu()
            if isinstance(menu, QMenu):
                walk(menu.actions())
            elif action not in found:
                found.append(action)

    walk(bar.actions() if bar is not None else [])
    return found


def shortcut_rows(window: QWidget) -> list[tuple[str, list[str]]]:
    """(what it does, its keys) for every action and QShortcut of ``window`` that has a key,
    in menu order (then the rest); an action and the QShortcuts standing in for it share a
    row."""
    stand_ins: dict[str, list[str]] = {}  # action object name -> keys of its QShortcuts
    loose: list[tuple[str, list[str]]] = []  # QShortcuts that stand in for no action
    for shortcut in window.findChildren(QShortcut):
        if shortcut.key().isEmpty():
            continue
        key, owner = key_text(shortcut.key()), shortcut_owner_name(shortcut)
        if owner and window.findChild(QAction, owner) is not None:
            stand_ins.setdefault(owner, []).append(key)
        else:
            loose.append((plain(shortcut.whatsThis()) or shortcut.objectName(), [key]))
    in_menus = menu_order(window)
    rows: list[tuple[str, list[str]]] = []
    for action in [*in_menus, *(a for a in window.findChildren(QAction) if a not in in_menus)]:
        keys = [key_text(k) for k in action.shortcuts() if not k.isEmpty()]
        keys += stand_ins.pop(action.objectName(), []) if action.objectName() else []
        if keys:
            rows.append((_action_name(action), list(dict.fromkeys(keys))))
    return rows + loose


def _action_name(action: QAction) -> str:
    return plain(action.text()) or action.objectName()


class ShortcutsDialog(QDialog):
    """The shortcut list of ``window``, built afresh each time it is shown."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("shortcutsDialog")
        self.window_ = window
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(560, 520)
        self.refresh()

    def rows(self) -> list[tuple[str, str]]:
        """What the table shows: (action, keys) as text."""
        texts = []
        for r in range(self.table.rowCount()):
            name, keys = self.table.item(r, 0), self.table.item(r, 1)
            texts.append((name.text() if name else "", keys.text() if keys else ""))
        return texts

    def refresh(self) -> None:
        """Read the window's shortcuts again and show them in the interface language."""
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.intro.setText(
            self.tr(
                "Tab and Shift+Tab move between the controls; Alt and a menu's underlined "
                "letter open that menu. The shortcuts below never fire while you type in a "
                "field."
            )
        )
        self.table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Keys")])
        rows = shortcut_rows(self.window_)
        self.table.setRowCount(len(rows))
        for r, (name, keys) in enumerate(rows):
            for c, text in enumerate((name, ", ".join(keys))):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        label_tree(self)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        super().changeEvent(event)
