"""A pyqtgraph ViewBox whose right-click menu is made when first asked for.

pyqtgraph makes every ViewBox's menu (``ViewBoxMenu``: two axis forms, about 50 widgets,
~3 ms) with the box. A window has a dozen plots and a student opens the menu of one or none;
made on the first right click instead, the menu is the same, in the language of that moment.
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from pyqtgraph.graphicsItems.ViewBox.ViewBoxMenu import ViewBoxMenu


class LazyMenuViewBox(pg.ViewBox):
    """``pg.ViewBox`` with the menu on (``menuEnabled()``) but made by ``getMenu``."""

    menu: ViewBoxMenu | None

    def __init__(self, **options: Any) -> None:
        super().__init__(enableMenu=False, **options)
        self.state["enableMenu"] = True  # on, only not made yet

    def _applyMenuEnabled(self) -> None:  # pyqtgraph's: makes the menu at once when enabled
        if not self.menuEnabled() and self.menu is not None:
            self.menu.setParent(None)
            self.menu = None

    def getMenu(self, ev: Any) -> ViewBoxMenu | None:  # pyqtgraph's name
        if self.menu is None and self.menuEnabled():
            self.menu = ViewBoxMenu(self)
            self.updateViewLists()  # the "link axis to" lists, as a menu made with the box has
        return self.menu

    def getContextMenus(self, event: Any) -> list[Any]:  # pyqtgraph's name
        menu = self.getMenu(event) if self.menuEnabled() else None
        return menu.actions() if menu is not None else []
