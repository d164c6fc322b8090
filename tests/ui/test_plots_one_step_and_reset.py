"""One completed step shows on the loss and gradient plots; Reset and Rewind leave no stale axes."""

from __future__ import annotations

import math

import pytest
from PySide6.QtGui import QColor

from gradlab.core.config import Config
from gradlab.model.plot_buffer import GRAD_NORM
from gradlab.model.plot_ranges import nice_ceiling
from gradlab.model.run_state import RunState
from gradlab.ui.palette import colour
from gradlab.ui.plots.base import MIN_STEP_SPAN

WAIT_MS = 10_000


@pytest.fixture
def window(app_window):
    return app_window  # tests/ui/conftest.py


def coloured_pixels(plot, colour: str) -> int:
    """Pixels of ``colour`` inside the plot's data area, the legend (with its samples) left out."""
    view = plot.plotItem.vb
    area = plot.mapFromScene(view.sceneBoundingRect()).boundingRect()
    legend = plot.mapFromScene(plot.legend.sceneBoundingRect()).boundingRect()
    image = plot.grab().toImage()
    ratio = image.devicePixelRatio()
    target = QColor(colour)
    count = 0
    for px in range(area.left() + 2, area.right() - 1):
        for py in range(area.top() + 2, area.bottom() - 1):
            if legend.adjusted(-2, -2, 2, 2).contains(px, py):
                continue
            c = image.pixelColor(int(px * ratio), int(py * ratio))
            if (
                abs(c.red() - target.red()) < 40
                and abs(c.green() - target.green()) < 40
                and abs(c.blue() - target.blue()) < 40
            ):
                count += 1
    return count


def test_a_single_completed_step_is_drawn(qtbot, window):
    window.resize(1400, 900)  # the default layout: the legend's place is known
    window.panel.set_config(Config())
    window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: window.model.step_count == 1, timeout=WAIT_MS)
    drawn = lambda plot_curve: plot_curve.xData is not None and len(plot_curve.xData) == 1  # noqa: E731
    qtbot.waitUntil(lambda: drawn(window.plots.loss.train), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: drawn(window.plots.gradient.norm), timeout=WAIT_MS)
    train = colour("train")
    qtbot.waitUntil(lambda: coloured_pixels(window.plots.loss, train) > 0, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: coloured_pixels(window.plots.gradient, colour("gradient")) > 0, timeout=WAIT_MS
    )


def _y_decades(plot) -> tuple[float, float]:
    low, high = plot.plotItem.vb.viewRange()[1]
    return low, high


def test_reset_and_rewind_leave_no_stale_gradient_axes(qtbot, window):
    gradient = window.plots.gradient
    window.panel.set_config(Config().with_changes(**{"training.lr": 4e-6, "training.steps": 5000}))
    window.controller.start()
    qtbot.waitUntil(lambda: window.run_state == "diverged", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: _y_decades(gradient)[1] > 50, timeout=WAIT_MS)  # framed the blow-up
    with qtbot.waitSignal(window.inside.relay.rewound, timeout=WAIT_MS) as blocker:
        window.inside.rewind_action.trigger()
    step = blocker.args[1]
    qtbot.waitUntil(lambda: window.model.history.last_step in (step, None), timeout=WAIT_MS)
    _x, norms = window.model.history.series(GRAD_NORM, positive=True)
    top = math.log10(norms.max()) if norms.size else 1.0

    def framed_to_what_is_left() -> bool:
        (_x_low, x_high), (_low, high) = gradient.plotItem.vb.viewRange()
        return high < top + 4 and x_high <= 1.05 * nice_ceiling(max(step, MIN_STEP_SPAN))

    qtbot.waitUntil(framed_to_what_is_left, timeout=WAIT_MS)

    window.controls.reset_action.trigger()
    qtbot.waitUntil(lambda: window.run_state is RunState.READY, timeout=WAIT_MS)

    def empty_axes() -> bool:
        (_x_low, x_high), (low, high) = gradient.plotItem.vb.viewRange()
        return x_high < 1.1 * MIN_STEP_SPAN and -2 < low and high < 2

    qtbot.waitUntil(empty_axes, timeout=WAIT_MS)
    assert window.model.history.last_grad_norm is None
