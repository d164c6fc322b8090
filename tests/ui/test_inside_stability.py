"""Issue 4: the stable learning rate on screen, Rewind after a divergence, early stop."""

from __future__ import annotations

import numpy as np
import pytest

from gradlab.core.config import Config
from gradlab.ui.palette import colour

WAIT_MS = 10_000


@pytest.fixture
def window(app_window):
    return app_window  # tests/ui/conftest.py


def test_the_largest_stable_lr_is_marked_and_explained(qtbot, window):
    stability = window.inside.stability
    assert "stable below 3.56e-06" in stability.lr_label.text()
    assert "condition number 325" in stability.lr_label.text()
    assert colour("good") in stability.lr_label.styleSheet()
    assert "stable below 3.56e-06" in stability.plot_text.textItem.toPlainText()
    qtbot.waitUntil(lambda: "Legendre" in stability.sentence(), timeout=WAIT_MS)
    assert "325" in stability.sentence()
    window.panel.set_config(Config().with_changes(**{"training.lr": 4e-6}))
    assert stability.exceeded and colour("bad") in stability.lr_label.styleSheet()
    assert "above it" in stability.plot_text.textItem.toPlainText()


def test_rewind_after_a_divergence_returns_to_the_last_good_state(qtbot, window):
    inside = window.inside
    window.panel.set_config(Config().with_changes(**{"training.lr": 4e-6, "training.steps": 5000}))
    window.controller.start()
    qtbot.waitUntil(lambda: window.run_state == "diverged", timeout=WAIT_MS)
    diverged_at = window.model.diverged_at
    assert diverged_at is not None and diverged_at > 1000  # past the first snapshot (1000)
    assert inside.rewind_action.isEnabled()
    with qtbot.waitSignal(inside.relay.rewound, timeout=WAIT_MS) as blocker:
        inside.rewind_action.trigger()
    ok, step = blocker.args
    assert ok and step % 1000 == 0 and step < diverged_at
    qtbot.waitUntil(lambda: window.run_state == "paused", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.model.history.last_step == step or step == 0, timeout=WAIT_MS)
    session = window.controller.training.session  # paused: safe to read
    assert session.status != "diverged" and session.step_count == step
    assert np.isfinite(session.coefficients).all()
    assert inside.path.steps.max() <= step
    assert not inside.rewind_action.isEnabled()
    assert not window.banner.isVisible()


def test_early_stop_pauses_near_the_optimum_and_reports_the_step(qtbot, window):
    inside = window.inside
    window.panel.set_config(Config())  # the chapter's 200,000 steps
    inside.early_stop.checkbox.setChecked(True)
    window.controller.start()
    qtbot.waitUntil(lambda: inside.early_stop.reached_at is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.run_state == "paused", timeout=WAIT_MS)
    reached = inside.early_stop.reached_at
    assert 4000 < reached < 7000  # the chapter's run is there after about 5,500 steps
    assert f"{reached:,}" in window.banner.text
    assert window.model.step_count < 200_000
