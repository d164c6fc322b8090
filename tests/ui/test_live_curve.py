"""The cheap live drawing: LiveCurve, the cached legend, PlotBuffer's cached series, readouts."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtWidgets import QGraphicsItem

from gradlab.model.plot_buffer import LOSS, PlotBuffer
from gradlab.ui.plots.base import LivePlot
from gradlab.ui.plots.live_curve import DYNAMIC_RANGE, LiveCurve, WideLiveCurve
from gradlab.ui.readouts import ReadoutBar


@pytest.fixture
def plot(qtbot):
    def make(*, log_y: bool = False) -> LivePlot:
        widget = LivePlot("testPlot", "Test", "step", "value", log_y=log_y)
        qtbot.addWidget(widget)
        widget.resize(400, 300)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    return make


def path_points(curve: LiveCurve) -> np.ndarray:
    path = curve.path()
    elements = (path.elementAt(i) for i in range(path.elementCount()))
    return np.array([(element.x, element.y) for element in elements])


def test_a_live_curve_on_a_log_axis_draws_log10_and_keeps_the_values(plot):
    loss = plot(log_y=True)
    curve = loss.add_live_curve("training loss", "#1f5fbf")
    x, y = loss.set_curve(curve, np.arange(1.0, 6.0), [1e3, 1e2, 0.0, np.nan, 1e-1])
    np.testing.assert_array_equal(x, [1, 2, 5])  # 0 and NaN cannot be drawn on a log axis
    np.testing.assert_array_equal(curve.getData()[1], [1e3, 1e2, 1e-1])
    loss.frame([x], [y])
    np.testing.assert_allclose(path_points(curve), [[1, 3], [2, 2], [5, -1]])


def test_points_far_outside_the_view_are_cut_or_pulled_in(plot):
    live = plot()
    curve = live.add_live_curve(None, "#1f77b4")
    live.plotItem.vb.setRange(xRange=(10, 20), yRange=(0, 1), padding=0)
    x = np.arange(0.0, 101.0)
    y = np.zeros_like(x)
    y[15] = 1e300  # a diverging value
    curve.setData(x, y)
    drawn = path_points(curve)
    assert drawn[0, 0] == 9 and drawn[-1, 0] == 21  # one point beyond each edge of the view
    assert drawn[:, 1].max() <= 1 + DYNAMIC_RANGE * 1.0  # pulled in, not 1e300
    live.plotItem.vb.setRange(xRange=(0, 100), yRange=(0, 1), padding=0)
    assert path_points(curve).shape[0] == 101  # a new view: drawn again from the values


def test_live_curves_sit_in_the_legend_and_leave_it(plot):
    live = plot()
    curve = live.add_live_curve("gradient", "#6a1b9a")
    wide = live.add_live_curve("fit", "#d32f2f", 2.5)
    assert isinstance(wide, WideLiveCurve) and not isinstance(curve, WideLiveCurve)
    assert [label.text for _sample, label in live.legend.items] == ["gradient", "fit"]
    assert all(
        part.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache
        for entry in live.legend.items
        for part in entry
    )
    live.show_in_legend(curve, "gradient", False)
    assert [label.text for _sample, label in live.legend.items] == ["fit"]
    curve.setData([], [])
    assert curve.path().isEmpty()


def test_cache_static_reaches_the_items_that_paint(plot):
    live = plot()
    points = live.add_curve("points", "#1f5fbf", symbol="o")
    live.cache_static(points)
    assert points.scatter.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache


def test_the_drawn_series_follow_every_change_of_the_buffer():
    buffer = PlotBuffer(2, max_buckets=8)

    def batch(steps, rewound_to=None):
        steps = np.asarray(steps)
        return SimpleNamespace(
            steps=steps,
            loss=steps * 1.0,
            val_loss=np.full(steps.size, np.nan),
            grad_norm=np.ones(steps.size),
            coefficients=np.zeros((steps.size, 2)),
            rewound_to=rewound_to,
        )

    buffer.append(batch([1, 2, 3]))
    assert buffer.series(LOSS)[0].tolist() == [1, 2, 3]
    buffer.append(batch([4, 5]))
    assert buffer.series(LOSS)[0].tolist() == [1, 2, 3, 4, 5]
    buffer.append(batch([]), rewound_to=2)
    assert buffer.series(LOSS)[0].max() <= 2
    buffer.clear()
    assert buffer.series(LOSS)[0].size == 0


def test_live_numbers_keep_a_size_that_only_grows(qtbot):
    readouts = ReadoutBar()
    qtbot.addWidget(readouts)
    readouts.show_step(123_456, 1_000_000)
    label = readouts.step_label
    width = label.width()
    assert label.minimumWidth() == label.maximumWidth() == width  # no relayout per frame
    readouts.show_step(7, 1_000_000)
    assert label.text() == "7" and label.maximumWidth() == width
    readouts.show_step(123_456_789, 1_000_000_000)
    assert label.maximumWidth() > width
