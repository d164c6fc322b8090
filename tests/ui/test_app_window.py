"""The assembled application window: both tabs, what follows the current tab, closing."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDockWidget

from gradlab.ui.app_window import CNN_TAB, POLYNOMIAL_TAB


def test_the_cnn_tab_is_built_when_first_opened(qtbot, app_window):
    assert app_window._cnn_lab is None  # a faster start: nothing of the CNN lab yet
    app_window.show_tab("cnn")
    assert app_window.tabs.currentIndex() == CNN_TAB
    lab = app_window.cnn_lab
    assert app_window.findChild(type(lab), None) is lab
    assert lab.actions and all(a in app_window.menus["cnn"].actions() for a in lab.actions.values())


def test_shortcuts_toolbar_and_docks_follow_the_tab(qtbot, app_window):
    visible = [d for d in app_window.findChildren(QDockWidget) if d.isVisible()]
    assert visible
    app_window.show_tab("cnn")
    assert not any(s.isEnabled() for s in app_window.controls.shortcuts)
    assert not app_window.controls.toolbar.isVisible()
    assert not any(d.isVisible() for d in visible)
    app_window.show_tab("polynomial")
    assert app_window.tabs.currentIndex() == POLYNOMIAL_TAB
    assert all(s.isEnabled() for s in app_window.controls.shortcuts)
    assert all(d.isVisible() for d in visible)


@pytest.mark.timing
def test_closing_during_a_cnn_run_ends_its_thread(qtbot, app_window):
    app_window.show_tab("cnn")
    lab = app_window.cnn_lab
    lab.settings.set_config(lab.settings.config().with_changes(n_images=400, epochs=1))
    lab.start()
    # training, not still building its session: a thread importing PyTorch for the session
    # cannot be stopped before the import ends (the controller then lets it end by itself)
    qtbot.waitUntil(lambda: lab.latest is not None and lab.latest.step_count > 0, timeout=30_000)
    app_window.close()
    qtbot.waitUntil(lambda: not lab.controller.running, timeout=3_000)


def test_ctrl_c_in_the_terminal_closes_the_window_cleanly(qtbot, app_window):
    import os
    import signal

    from gradlab.app import quit_on_interrupt

    previous = signal.getsignal(signal.SIGINT)
    try:
        quit_on_interrupt(app_window)
        with qtbot.captureExceptions() as exceptions:
            os.kill(os.getpid(), signal.SIGINT)
            qtbot.waitUntil(lambda: not app_window.isVisible(), timeout=5000)
        assert not exceptions  # no KeyboardInterrupt traceback
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def test_the_run_menu_and_status_bar_follow_the_visible_tab(qtbot, app_window):
    from gradlab.model.run_state import Control, RunState

    run_menu = app_window.menus["run"]
    visible = lambda: [a for a in run_menu.actions() if a.isVisible()]  # noqa: E731
    assert app_window.controls.start_action in visible()
    app_window.show_tab("cnn")
    lab = app_window.cnn_lab
    cnn_start = lab.run_actions()[Control.START]
    assert app_window.controls.start_action not in visible() and cnn_start in visible()
    assert not app_window.menus["inside"].menuAction().isVisible()
    assert app_window.state_label.text() == lab.state_text()
    started: list[object] = []
    lab.controller.trainer.start = lambda factory, **_options: started.append(factory)  # no thread
    cnn_start.trigger()  # Run → Start on the CNN tab starts the CNN lab, not the hidden one
    assert started and app_window.model.state is RunState.READY
    qtbot.waitUntil(lambda: app_window.state_label.text() == lab.state_text(), timeout=5000)
    app_window.show_tab("polynomial")
    assert app_window.controls.start_action in visible() and cnn_start not in visible()
    assert app_window.state_label.text() == app_window.controls.state_text(RunState.READY)
