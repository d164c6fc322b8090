"""On the loss plot the optimum's label and the stability note never overlap or leave the plot."""

from __future__ import annotations

import pytest

from gradlab.core.config import Config

WAIT_MS = 10_000


@pytest.mark.parametrize("size", [(1400, 900), (1280, 720)])
def test_optimum_label_and_stability_note_do_not_overlap_after_divergence(qtbot, app_window, size):
    window = app_window
    window.resize(*size)
    loss = window.plots.loss
    note = window.inside.stability.plot_text
    label = loss.optimum_line.label
    window.panel.set_config(Config().with_changes(**{"training.lr": 4e-6, "training.steps": 5000}))
    window.controller.start()
    qtbot.waitUntil(lambda: window.run_state == "diverged", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: loss.plotItem.vb.viewRange()[1][1] > 50, timeout=WAIT_MS)
    assert "above it" in note.textItem.toPlainText()

    def apart_and_inside() -> bool:
        view = loss.plotItem.vb.sceneBoundingRect()
        mine = note.sceneBoundingRect()
        return (
            not mine.intersects(label.sceneBoundingRect())
            and view.contains(mine)
            and view.contains(label.sceneBoundingRect())
            and mine.width() >= min(150, view.width() - 10)  # wrapped to the plot, not a column
        )

    qtbot.waitUntil(apart_and_inside, timeout=WAIT_MS)
