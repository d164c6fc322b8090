"""A finished run cannot be stopped: Stop is disabled and the state stays "Finished"."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from gradlab.core.config import Config
from gradlab.model.run_state import RunState

WAIT_MS = 10_000


def test_stop_is_disabled_on_a_finished_run_and_the_state_stays_finished(qtbot, app_window):
    window = app_window
    window.panel.set_config(Config().with_changes(**{"training.steps": 30}))
    window.controller.start()
    qtbot.waitUntil(lambda: window.run_state is RunState.FINISHED, timeout=WAIT_MS)
    stop = window.controls.stop_action
    assert not stop.isEnabled()
    assert window.state_label.text() == "Finished"
    stop.trigger()  # a disabled action does nothing, even when triggered by code or a key
    QCoreApplication.processEvents()  # let any queued reaction run
    assert window.run_state is RunState.FINISHED
    assert window.state_label.text() == "Finished"
    assert window.model.step_count == 30
