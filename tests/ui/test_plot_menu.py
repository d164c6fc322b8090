"""A plot's right-click menu is made when first asked for, and is pyqtgraph's whole menu."""

from __future__ import annotations

from pyqtgraph.graphicsItems.ViewBox.ViewBoxMenu import ViewBoxMenu

from gradlab.ui.plots.base import LivePlot


def test_the_menu_is_made_on_the_first_right_click_and_kept(qtbot):
    plot = LivePlot("menuPlot", "title", "x", "y")
    qtbot.addWidget(plot)
    view = plot.getPlotItem().vb
    assert view.menuEnabled() and view.menu is None  # on, not made with the plot
    menu = view.getMenu(None)  # what pyqtgraph's raiseContextMenu asks for on a right click
    assert isinstance(menu, ViewBoxMenu) and view.menu is menu
    texts = [action.text() for action in menu.actions()]
    assert "View All" in texts and "X axis" in texts and "Y axis" in texts
    assert view.getMenu(None) is menu and view.getContextMenus(None) == menu.actions()


def test_a_plot_without_a_menu_never_makes_one(qtbot):
    plot = LivePlot("menuPlot", "title", "x", "y")
    qtbot.addWidget(plot)
    plot.getPlotItem().setMenuEnabled(False)
    view = plot.getPlotItem().vb
    assert not view.menuEnabled()
    assert view.getMenu(None) is None and view.getContextMenus(None) == []
    plot.getPlotItem().setMenuEnabled(True)  # on again: made when asked for
    assert view.menu is None and isinstance(view.getMenu(None), ViewBoxMenu)
