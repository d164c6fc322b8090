"""``install_appearance(window)``: View → Theme, Help → Keyboard shortcuts, and accessible names
for the whole window, kept in the interface language.

The application window calls it once, after the classroom (whose Help menu it extends).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from gradlab.ui.accessibility import prepare_tree
from gradlab.ui.i18n import language_manager
from gradlab.ui.palette import DARK, HIGH_CONTRAST, LIGHT, SYSTEM
from gradlab.ui.shortcuts_dialog import ShortcutsDialog
from gradlab.ui.themes import ThemeManager, theme_manager

if TYPE_CHECKING:
    from gradlab.ui.app_window import GradLabWindow

THEME_ACTIONS = {
    SYSTEM: "themeSystemAction",
    LIGHT: "themeLightAction",
    DARK: "themeDarkAction",
    HIGH_CONTRAST: "themeHighContrastAction",
}


class Appearance(QObject):
    """The Theme menu (``theme_menu``, ``theme_actions``), the shortcut list
    (``shortcuts_action``, ``show_shortcuts()``) and the accessible names of ``window``."""

    def __init__(self, window: GradLabWindow, themes: ThemeManager) -> None:
        super().__init__(window)
        self.window = window
        self.themes = themes
        view = window.menus["view"]
        view.addSeparator()
        self.theme_menu = QMenu(view)
        self.theme_menu.setObjectName("themeMenu")
        view.addMenu(self.theme_menu)
        group = QActionGroup(self)
        group.setExclusive(True)
        self.theme_actions: dict[str, QAction] = {}
        for choice, name in THEME_ACTIONS.items():
            action = QAction(self.theme_menu)
            action.setObjectName(name)
            action.setCheckable(True)
            action.setChecked(choice == themes.choice)
            action.triggered.connect(lambda _checked=False, c=choice: self.set_theme(c))
            group.addAction(action)
            self.theme_menu.addAction(action)
            self.theme_actions[choice] = action
        help_menu = window.classroom.help.menu
        self.shortcuts_action = QAction(help_menu)
        self.shortcuts_action.setObjectName("shortcutsAction")
        self.shortcuts_action.triggered.connect(lambda _checked=False: self.show_shortcuts())
        help_menu.insertAction(window.classroom.help.about_action, self.shortcuts_action)
        self.shortcuts: ShortcutsDialog | None = None
        self.retranslate_ui()
        language_manager().language_changed.connect(self._on_language_changed)

    def _on_language_changed(self, _language: str) -> None:
        self.retranslate_ui()

    def set_theme(self, choice: str) -> None:
        """Show and remember ``choice`` ("system", "light", "dark", "high-contrast")."""
        self.themes.set_choice(choice)
        self.theme_actions[choice].setChecked(True)

    def show_shortcuts(self) -> ShortcutsDialog:
        if self.shortcuts is None:
            self.shortcuts = ShortcutsDialog(self.window)
        self.shortcuts.refresh()
        self.shortcuts.show()
        self.shortcuts.raise_()
        return self.shortcuts

    def retranslate_ui(self) -> None:
        """Menu texts, then every accessible name, in the interface language."""
        self.theme_menu.setTitle(self.tr("&Theme"))
        texts = {
            SYSTEM: self.tr("Follow the &system"),
            LIGHT: self.tr("&Light"),
            DARK: self.tr("&Dark"),
            HIGH_CONTRAST: self.tr("&High contrast"),
        }
        for choice, action in self.theme_actions.items():
            action.setText(texts[choice])
        self.theme_actions[SYSTEM].setToolTip(
            self.tr("Dark or high contrast when the desktop asks for it, light otherwise")
        )
        self.shortcuts_action.setText(self.tr("&Keyboard shortcuts"))
        prepare_tree(self.window)


def install_appearance(window: GradLabWindow) -> Appearance:
    """Add the theme menu, the shortcut list and accessible names to ``window``."""
    return Appearance(window, theme_manager())
