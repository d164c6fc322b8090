"""Whole titles on the tabs of the docks stacked at the window's right.

When the dock is too narrow for its tabs' titles (1024×768, or a large zoom), the tabs move to
the dock's side, where their titles run vertically and have the dock's height: a title is never
cut off ("Loss landsca") or scrolled out of sight, and every dock stays one click away. The
dock's width is never changed here: the plots keep theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar, QTabWidget

from gradlab.ui.on_screen import on_screen

if TYPE_CHECKING:
    from gradlab.ui.main_window import MainWindow

TAB_PADDING = 28  # pixels a tab adds around its title (the style's margins and frame)
AREA = Qt.DockWidgetArea.RightDockWidgetArea


class DockTabFit(QObject):
    """Keeps the right-hand dock tabs readable as the window, its zoom or language change."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.vertical = False
        self._timer = QTimer(self)  # after a language or font change, once laid out
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        for changed in (window.shown, window.language_changed, window.font_changed):
            changed.connect(self._timer.start)

    def tab_bars(self) -> list[QTabBar]:
        """The tab bars of the window's own dock groups on the right."""
        direct = Qt.FindChildOption.FindDirectChildrenOnly  # the window's own, found at once
        docks = [
            d
            for d in self.window.findChildren(QDockWidget, options=direct)
            if self.window.dockWidgetArea(d) == AREA and not d.isFloating()
        ]
        titles = {d.windowTitle() for d in docks}
        return [
            bar
            for bar in self.window.findChildren(QTabBar, options=direct)
            if bar.parent() is self.window
            and bar.isVisible()
            and any(bar.tabText(i) in titles for i in range(bar.count()))
        ]

    def needed_width(self, bar: QTabBar) -> int:
        """The tabs' length along their titles: the style's own size of each tab (padding and
        icons included), or an estimate from the font when the style gives none."""
        metrics = QFontMetrics(bar.font())
        total = 0
        for i in range(bar.count()):
            hint = bar.tabSizeHint(i)
            along = hint.height() if self.vertical else hint.width()
            total += max(along, metrics.horizontalAdvance(bar.tabText(i)) + TAB_PADDING)
        return total

    def fit(self) -> None:
        """Tabs above the dock when their titles fit its width, else at its side."""
        whole_tab_titles(self.window)
        bars = self.tab_bars()
        docks = [
            d
            for d in self.window.findChildren(
                QDockWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
            )
            if d.isVisible() and self.window.dockWidgetArea(d) == AREA and not d.isFloating()
        ]
        if not bars or not docks:
            return
        needed = max(self.needed_width(bar) for bar in bars)
        # back on top only when the titles fit the dock as it is now (no hoping for the width
        # the side tabs would give back: the window need not hand it to the dock)
        self.set_vertical(needed > max(d.width() for d in docks))

    def set_vertical(self, vertical: bool) -> None:
        if vertical == self.vertical:
            return
        self.vertical = vertical
        position = QTabWidget.TabPosition.West if vertical else QTabWidget.TabPosition.North
        self.window.setTabPosition(AREA, position)


def whole_tab_titles(window: QMainWindow) -> None:
    """The window's dock tab bars show whole titles (scroll arrows when they do not fit),
    never "Inside o…": Qt makes these bars itself, whenever docks are tabified."""
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    for bar in window.findChildren(QTabBar, options=direct):
        if bar.elideMode() != Qt.TextElideMode.ElideNone:
            bar.setElideMode(Qt.TextElideMode.ElideNone)
            bar.setUsesScrollButtons(True)


def build_in_front(dock: QDockWidget, build: Callable[[bool], None]) -> None:
    """Have ``build(True)`` make a dock's contents when it first comes to the front: Qt calls
    ``visibilityChanged(True)`` when its tab is chosen or it is opened, and keeps a dock that
    sits behind another's tab "visible" (moved out of sight), so a show event would not do."""
    dock.visibilityChanged.connect(build)
    if on_screen(dock):  # in front already (the window was shown before its docks were filled)
        build(True)
