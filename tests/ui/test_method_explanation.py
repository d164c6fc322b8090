"""The line under the method choice: true for the model on screen, and never cut off."""

from __future__ import annotations

import pytest

from gradlab.core.config import METHODS, Config


@pytest.mark.parametrize("kind", ["polynomial", "mlp"])
def test_the_method_line_is_whole_and_names_the_right_model(qtbot, app_window, kind):
    window = app_window
    label = window.panel.method_explanation
    for method in METHODS:
        config = Config().with_changes(**{"model.kind": kind, "training.method": method})
        window.panel.set_config(config)
        qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()))
        text = label.text()
        assert text
        if kind == "mlp":  # a network has layers and parameters, not coefficients
            assert "coefficient" not in text and "nn.Linear model" not in text
            assert "layer" in text
