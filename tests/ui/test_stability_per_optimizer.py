"""The stable learning rate is claimed only where it holds, and what holds instead is said."""

from __future__ import annotations

import pytest

from gradlab.core.config import OPTIMIZERS, Config
from gradlab.model.advice import StabilityKind, stability_rule
from gradlab.ui import i18n


@pytest.fixture
def window(app_window):
    return app_window  # tests/ui/conftest.py


def _texts(window) -> tuple[str, str]:
    stability = window.inside.stability
    # the plot's text keeps "2/λmax" on one line with an invisible word joiner (U+2060)
    plot = stability.plot_text.textItem.toPlainText().replace("\u2060", "")
    return stability.lr_label.text(), plot


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_each_optimizer_gets_the_limit_that_applies_to_it(window, name):
    config = Config().with_changes(**{"training.method": "torch-optim", "optimizer.name": name})
    window.panel.set_config(config)
    analysis = window.model.problem.analysis
    rule = stability_rule(config, analysis)
    label, plot = _texts(window)
    plain = f"{analysis.max_stable_lr:.3g}"
    if name == "sgd":
        assert rule.kind is StabilityKind.PLAIN
        assert f"stable below {plain}" in label and f"stable below {plain}" in plot
    else:  # adaptive: the plain limit is named only as what does not apply
        assert "stable below" not in label and "stable below" not in plot
        assert "2/λmax" in plot and "does not apply" in plot
        assert "does not apply" in window.inside.stability.lr_label.toolTip()


def test_the_plot_keeps_2_over_lambda_max_on_one_line_in_chinese(window):
    # Chinese text may break between any two characters: a narrow loss plot showed
    # "RMSprop：2/" above "λmax 不适用"
    languages = i18n.language_manager()
    languages.set_language("zh", remember=False)
    try:
        config = Config().with_changes(
            **{"training.method": "torch-optim", "optimizer.name": "adam"}
        )
        window.panel.set_config(config)
        raw = window.inside.stability.plot_text.textItem.toPlainText()
    finally:
        languages.set_language("en", remember=False)
    assert "2/\u2060λmax" in raw and "2/λmax" not in raw


def test_momentum_sgd_shows_its_own_wider_limit(window):
    config = Config().with_changes(
        **{"training.method": "torch-optim", "optimizer.name": "sgd", "optimizer.momentum": 0.9}
    )
    window.panel.set_config(config)
    analysis = window.model.problem.analysis
    limit = 2 * (1 + 0.9) / (2 / analysis.max_stable_lr)
    label, plot = _texts(window)
    assert f"with momentum 0.9: stable below {limit:.3g}" in label
    assert f"stable below {limit:.3g}" in plot
    assert f"stable below {analysis.max_stable_lr:.3g}" not in plot
    window.panel.set_config(config.with_changes(**{"training.lr": 1.5 * limit}))
    assert window.inside.stability.exceeded and "above it" in _texts(window)[1]
