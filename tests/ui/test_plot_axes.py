"""Tick labels of a narrow plot never run into each other ("5000100001 5000")."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtGui import QImage, QPainter

from gradlab.ui.plots.base import LivePlot


def drawn_labels(plot: LivePlot, side: str) -> list[tuple[float, float, str]]:
    """(left, right, text) of each tick label the axis would paint now."""
    axis = plot.getPlotItem().getAxis(side)
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    assert specs is not None
    return sorted((rect.left(), rect.right(), text) for rect, _flags, text in specs[2])


@pytest.mark.parametrize("width", [160, 220, 300, 420])
@pytest.mark.parametrize("high", [20_000, 200_000, 1_000_000, 7.5])
def test_step_axis_labels_do_not_overlap_on_a_narrow_plot(qtbot, width, high):
    plot = LivePlot("narrowPlot", "Loss", "step", "loss", x_name="step")
    qtbot.addWidget(plot)
    plot.resize(width, 240)
    plot.show()
    plot.getPlotItem().setXRange(0, high, padding=0.04)
    qtbot.waitUntil(lambda: plot.getPlotItem().getAxis("bottom").width() > 0)
    labels = drawn_labels(plot, "bottom")
    assert len(labels) >= 2, labels  # still labelled, at least at both ends' ticks
    for (_l1, right, text), (left, _r2, nxt) in itertools.pairwise(labels):
        assert right < left, f"{text!r} runs into {nxt!r} at {width} px"


def test_thousands_of_steps_read_as_k() -> None:
    from gradlab.ui.plots.axes import short_number

    assert [short_number(v, 50_000) for v in (0, 50_000, 150_000)] == ["0", "50k", "150k"]
    assert short_number(1_500_000, 500_000) == "1500k"
    assert short_number(2_000_000, 1_000_000) == "2M"


def test_an_empty_legend_is_never_drawn(qtbot):
    """A legend with no entries is a stray little box over the curves (the units plot keeps
    its key under the plot): it shows only once it has an entry, and only while it fits."""
    plot = LivePlot("legendPlot", "Units", "x", "w")
    qtbot.addWidget(plot)
    plot.resize(400, 240)
    plot.show()
    qtbot.waitUntil(lambda: plot.getPlotItem().vb.width() > 0)
    plot.getPlotItem().vb.sigResized.emit(plot.getPlotItem().vb)
    assert not plot.legend.isVisible()
    plot.add_curve("curve", "#0072b2")
    plot.getPlotItem().vb.sigResized.emit(plot.getPlotItem().vb)
    assert plot.legend.isVisible()


def value_axis_width(plot: LivePlot, low: float, high: float) -> float:
    """The value axis's width once it has drawn its labels for the range [low, high]."""
    item = plot.getPlotItem()
    item.setYRange(low, high, padding=0)
    drawn_labels(plot, "left")  # pyqtgraph sizes the axis from the labels it draws
    item.layout.activate()
    return float(item.getAxis("left").width())


def test_the_value_axis_keeps_its_width_while_a_run_trains(qtbot):
    """Narrower labels while training do not make the axis narrower: a new width lays the whole
    plot out again and repaints all of it. Once the run pauses, the axis fits its labels."""
    plot = LivePlot("gradPlot", "Gradient", "step", "gradient norm", log_y=True)
    qtbot.addWidget(plot)
    plot.resize(400, 300)
    plot.show()
    qtbot.waitUntil(lambda: plot.getPlotItem().vb.width() > 0)
    wide = value_axis_width(plot, -12, -10)  # 1e-12 ... 1e-10
    narrow = value_axis_width(plot, 0, 2)  # 1, 10, 100
    assert narrow < wide - 5  # an idle plot fits its labels

    plot.set_tolerant(True)  # a run trains
    assert value_axis_width(plot, -12, -10) == wide  # wider labels: wider, as always
    assert value_axis_width(plot, 0, 2) == wide  # narrower: kept
    plot.set_tolerant(False)  # paused
    assert value_axis_width(plot, 0, 2) == narrow
