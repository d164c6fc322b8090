"""Docks behind another dock's tab do no drawing work per batch, and catch up when shown."""

from __future__ import annotations

from gradlab.ui.on_screen import on_screen

WAIT_MS = 20_000


def test_the_landscape_behind_a_tab_computes_nothing_until_its_tab_is_raised(qtbot, app_window):
    inside, landscape = app_window.inside, app_window.inside.landscape
    qtbot.waitUntil(
        lambda: on_screen(app_window.findChild(type(inside.landscape_dock), "insideDock"))
    )
    assert landscape.isVisible() and not on_screen(landscape)  # Qt calls it visible; it is not
    before = landscape.update_count
    app_window.controls.start_action.trigger()
    qtbot.waitUntil(lambda: app_window.model.step_count > 1000, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: app_window.redraw_count > 3, timeout=WAIT_MS)
    assert landscape.update_count == before and landscape.grid_window is None  # no grid asked
    inside.landscape_dock.raise_()
    qtbot.waitUntil(lambda: on_screen(landscape), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: landscape.update_count > before, timeout=WAIT_MS)
