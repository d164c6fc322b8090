"""Before a run the read-outs describe the run Start will begin: its step count and model."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from gradlab.core.config import Config


def visible_texts(window) -> list[str]:
    return [label.text() for label in window.findChildren(QLabel) if label.isVisible()]


def test_of_n_steps_and_the_prompt_follow_the_panel_before_a_run(qtbot, app_window):
    window = app_window
    window.panel.set_config(Config().with_changes(**{"training.steps": 3000}))
    texts = visible_texts(window)
    assert "of 3000" in texts and "of 200000" not in texts  # the Steps field says 3000
    assert "Press Start (F5) to train the polynomial." in texts
    network = {"training.steps": 1234, "model.kind": "mlp"}
    window.panel.set_config(Config().with_changes(**network))
    texts = visible_texts(window)
    assert "of 1234" in texts
    assert "Press Start (F5) to train the network." in texts
    assert not any("polynomial" in text for text in texts if text.startswith("Press Start"))
