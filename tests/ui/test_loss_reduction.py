"""With reduction "sum" the validation curve is per point; the legend says what each curve is."""

from __future__ import annotations

import numpy as np
import pytest

from gradlab.core.config import Config
from gradlab.model.plot_buffer import VAL_LOSS

WAIT_MS = 10_000


def _legend(window) -> list[str]:
    return [label.text for _sample, label in window.plots.loss.legend.items]


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_validation_is_compared_like_with_like(qtbot, app_window, reduction):
    window = app_window
    changes = {
        "data.val_fraction": 0.2,
        "training.reduction": reduction,
        "training.steps": 400,
        "training.lr": 3e-6 if reduction == "sum" else 1e-3,
    }
    window.panel.set_config(Config().with_changes(**changes))
    window.controller.start()
    qtbot.waitUntil(lambda: window.run_state == "finished", timeout=WAIT_MS)
    loss = window.plots.loss
    qtbot.waitUntil(lambda: loss.validation.xData is not None and loss.validation.xData.size > 1)
    dataset = window.model.problem.dataset
    n_train, n_val = dataset.x.size, dataset.x_val.size
    _steps, raw = window.model.history.series(VAL_LOSS, positive=True)
    drawn = loss.validation.yData
    legend = _legend(window)
    if reduction == "sum":
        np.testing.assert_allclose(drawn, raw / n_val, rtol=1e-12)
        assert f"training loss (sum over {n_train:,} points)" in legend
        assert "validation loss (per point)" in legend
        # per point, the validation loss is not far below the training loss's own per-point value
        train_per_point = window.model.history.last_loss / n_train
        assert drawn[-1] > 0.3 * train_per_point
    else:
        np.testing.assert_allclose(drawn, raw, rtol=1e-12)
        assert "training loss" in legend and "validation loss" in legend
