"""Stop near optimum at full speed: the run pauses at the first step within the tolerance, and the
banner names that step, which is where the run is."""

from __future__ import annotations

import numpy as np

from gradlab.core.config import Config
from gradlab.ui.controls import SPEEDS

WAIT_MS = 30_000


def test_at_full_speed_the_run_pauses_at_the_first_step_within_the_tolerance(qtbot, app_window):
    window = app_window
    inside = window.inside
    window.controls.speed_combo.setCurrentIndex(SPEEDS.index(None))  # as fast as possible
    window.panel.set_config(Config())  # the chapter's 200,000 steps
    inside.early_stop.checkbox.setChecked(True)
    inside.early_stop.tolerance_edit.setText("1e-6")
    inside.early_stop.tolerance_edit.editingFinished.emit()
    window.controller.start()
    qtbot.waitUntil(lambda: inside.early_stop.reached_at is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.run_state == "paused", timeout=WAIT_MS)
    session = window.controller.training.session  # paused: safe to read
    optimum = session.analysis.optimum_loss
    loss = session.history.loss
    first = int(session.history.steps[np.flatnonzero(loss - optimum <= 1e-6)[0]])
    assert session.step_count == first == inside.early_stop.reached_at
    assert window.model.step_count == first and window.model.history.last_step == first
    assert f"at step {first:,} " in window.banner.text
    assert 4000 < first < 7000  # the chapter's run is there after about 5,700 steps
