"""While a run trains, a live curve keeps its path for changes under half a pixel."""

from __future__ import annotations

import numpy as np
import pytest

from gradlab.ui.plots.base import LivePlot
from gradlab.ui.plots.live_curve import LiveCurve


@pytest.fixture
def plot(qtbot):
    def make(*, log_y: bool = False) -> LivePlot:
        widget = LivePlot("testPlot", "Test", "step", "value", log_y=log_y)
        qtbot.addWidget(widget)
        widget.resize(400, 300)
        widget.show()
        qtbot.waitExposed(widget)
        widget.plotItem.vb.setRange(xRange=(0, 100), yRange=(0, 1), padding=0)
        return widget

    return make


def path_points(curve: LiveCurve) -> np.ndarray:
    path = curve.path()
    elements = (path.elementAt(i) for i in range(path.elementCount()))
    return np.array([(element.x, element.y) for element in elements])


def test_a_sub_pixel_change_keeps_the_path_while_training_and_is_drawn_after(plot):
    live = plot()
    curve = live.add_live_curve(None, "#1f77b4")
    x = np.linspace(0, 100, 50)
    live.set_curve(curve, x, np.full_like(x, 0.5))
    live.set_tolerant(True)
    pixel = 1 / live.plotItem.vb.boundingRect().height()  # view units per pixel
    drawn = path_points(curve)
    live.set_curve(curve, x, np.full_like(x, 0.5 + 0.2 * pixel))
    np.testing.assert_array_equal(path_points(curve), drawn)  # not rebuilt: nothing to see
    assert curve.getData()[1][0] == pytest.approx(0.5 + 0.2 * pixel)  # the values are the new
    live.set_curve(curve, x, np.full_like(x, 0.5 + 0.4 * pixel))  # still within half a pixel
    np.testing.assert_array_equal(path_points(curve), drawn)  # of what is drawn
    live.set_curve(curve, x, np.full_like(x, 0.5 + 0.6 * pixel))  # no longer
    assert path_points(curve)[0, 1] == pytest.approx(0.5 + 0.6 * pixel)
    live.set_curve(curve, x, np.full_like(x, 0.5 + 0.7 * pixel))
    live.set_tolerant(False)  # the run stopped: drawn exactly
    assert path_points(curve)[0, 1] == pytest.approx(0.5 + 0.7 * pixel)
    live.set_curve(curve, x, np.full_like(x, 0.5 + 0.8 * pixel))  # and from now on every change
    assert path_points(curve)[0, 1] == pytest.approx(0.5 + 0.8 * pixel)


def test_new_points_or_a_new_view_are_always_drawn(plot):
    live = plot(log_y=True)
    curve = live.add_live_curve(None, "#1f77b4")
    live.plotItem.vb.setRange(xRange=(0, 100), yRange=(-3, 1), padding=0)
    live.set_tolerant(True)
    x = np.linspace(0, 100, 50)
    live.set_curve(curve, x, np.full_like(x, 1.0))
    live.set_curve(curve, np.append(x, 100.0), np.full(51, 1.0))  # one point more
    assert path_points(curve).shape[0] == 51
    live.set_curve(curve, np.append(x, 100.0), np.full(51, 1.0001))  # log10: 4e-5, sub-pixel
    np.testing.assert_array_equal(path_points(curve)[:, 1], 0.0)
    live.plotItem.vb.setRange(yRange=(-1, 1), padding=0)  # another view: built from the values
    np.testing.assert_allclose(path_points(curve)[:, 1], np.log10(1.0001))
    live.set_curve(curve, np.append(x, 100.0), np.full(51, 10.0))  # a decade: seen
    np.testing.assert_allclose(path_points(curve)[:, 1], 1.0)
