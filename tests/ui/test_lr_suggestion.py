"""Switching method or optimizer offers the learning rate it needs here, with the numbers why;
nothing changes until the student presses the button."""

from __future__ import annotations

from gradlab.core.config import Config
from gradlab.model.lr_defaults import lr_suggestion

WAIT_MS = 10_000


def test_switching_to_rmsprop_offers_its_rate_and_one_click_uses_it(qtbot, app_window):
    window, panel = app_window, app_window.panel
    box = panel.lr_suggestion
    panel.set_config(Config())
    assert not box.isVisible()  # the chapter's 1e-6 suits plain gradient descent here
    rmsprop = Config().with_changes(
        **{"training.method": "torch-optim", "optimizer.name": "rmsprop"}
    )
    panel.set_config(rmsprop)
    qtbot.waitUntil(box.isVisible, timeout=WAIT_MS)
    assert panel.config().training.lr == 1e-6  # offered, not silently changed
    expected = lr_suggestion(rmsprop, window.model.problem.analysis)
    assert expected is not None and box.suggestion == expected
    text = box.label.text()
    assert "RMSprop" in text and "200,000" in text and f"{expected.covered:.3g}" in text
    assert f"{expected.distance:.3g}" in text and "below the rate suggested" in text
    # the product is said with the rate it is computed from, not the field's 1e-6
    assert f"6e-6 × 200,000 = {expected.covered:.3g}" in text and expected.lr == 6e-6
    assert box.button.text() == f"Use lr = {expected.lr:g}".replace("e-0", "e-")
    with qtbot.waitSignal(panel.config_changed, timeout=WAIT_MS):
        box.button.click()
    assert panel.config().training.lr == expected.lr
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=WAIT_MS)


def test_adam_gets_its_own_rate_and_a_locked_lr_gets_no_offer(qtbot, app_window):
    panel = app_window.panel
    box = panel.lr_suggestion
    adam = Config().with_changes(**{"training.method": "torch-optim", "optimizer.name": "adam"})
    panel.set_config(adam)
    qtbot.waitUntil(box.isVisible, timeout=WAIT_MS)
    assert "Adam" in box.label.text() and box.suggestion.lr == 1e-5
    panel.fields["training.lr"].box.field.setEnabled(False)  # what a lesson's lock does
    panel.set_config(adam.with_changes(**{"training.lr": 2e-7}))
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=WAIT_MS)
