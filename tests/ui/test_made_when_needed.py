"""Parts most windows never show are made when first needed: the plots of the docks behind
the phases' tab (landscape, compare) and a network's units plot. Each then works at once."""

from __future__ import annotations

from gradlab.core.config import Config
from gradlab.ui.on_screen import on_screen


def test_the_docks_behind_a_tab_make_their_plots_when_their_tab_is_chosen(qtbot, app_window):
    inside = app_window.inside
    landscape, compare = inside.landscape, inside.compare_view
    assert not on_screen(landscape) and not on_screen(compare)  # behind "Inside one step"
    assert landscape._plot is None and compare._loss_page is None
    inside.landscape_dock.raise_()  # as a click on its tab does
    assert landscape._plot is not None
    qtbot.waitUntil(lambda: on_screen(landscape.plot.viewport()))  # its own area is all viewport
    qtbot.waitUntil(lambda: landscape.update_count > 0, timeout=10_000)  # its grid is drawn
    inside.compare_dock.raise_()
    assert compare.stack.currentWidget() is compare.loss_plot  # the page in front before a run
    qtbot.waitUntil(lambda: on_screen(compare.loss_plot.viewport()))
    assert compare._diff_page is None and compare._precision_page is None  # not asked for yet


def test_a_network_makes_the_units_plot_a_polynomial_never_shows(qtbot, app_window):
    plots = app_window.plots
    assert plots._units is None
    network = Config().with_changes(**{"model.kind": "mlp", "model.hidden": 3})
    app_window.panel.set_config(network)
    qtbot.waitUntil(lambda: plots._units is not None and plots.units.isVisible())
    assert plots.units.key.isVisible()  # its key under it
