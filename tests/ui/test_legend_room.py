"""A live plot's legend sits in a band of its own at the top: no curve runs under it."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from gradlab.ui.plots.base import LivePlot

NAMES = ("a", "b", "c", "d")


def plot_with_curves(qtbot, width: int, height: int) -> tuple[LivePlot, list]:
    plot = LivePlot("bandPlot", "Coefficients", "step", "value")
    qtbot.addWidget(plot)
    plot.resize(width, height)
    plot.show()
    qtbot.waitExposed(plot)
    colours = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728")
    pairs = zip(NAMES, colours, strict=True)
    curves = [plot.add_live_curve(name, colour) for name, colour in pairs]
    return plot, curves


def draw(plot: LivePlot, curves: list, tops: tuple[float, ...]) -> None:
    """Curves rising to ``tops`` and staying there (the right-hand part under the legend)."""
    x = np.linspace(0.0, 1000.0, 200)
    xs, ys = [], []
    for curve, top in zip(curves, tops, strict=True):
        y = top * (1 - np.exp(-x / 50))
        drawn = plot.set_curve(curve, x, y)
        xs.append(drawn[0])
        ys.append(drawn[1])
    plot.frame(xs, ys)


def points_under_legend(plot: LivePlot, curves: list) -> int:
    """How many of the curves' points lie inside the legend's box (the view's pixels)."""
    view = plot.getPlotItem().vb
    legend = plot.legend.mapRectToItem(view, plot.legend.boundingRect())
    count = 0
    for curve in curves:
        x, y = curve.getData()
        for px, py in zip(x, y, strict=True):
            count += legend.contains(view.mapFromView(QPointF(float(px), float(py))))
    return count


@pytest.mark.parametrize(("width", "height"), [(420, 320), (260, 220)])
def test_no_curve_runs_under_the_legend(qtbot, width, height):
    plot, curves = plot_with_curves(qtbot, width, height)
    tops = (1.0, 0.9, 0.2, -0.4)

    def clear_of_the_legend() -> None:
        draw(plot, curves, tops)  # each frame measures the legend as it is now laid out
        assert plot.legend.isVisible()
        assert points_under_legend(plot, curves) == 0

    qtbot.waitUntil(clear_of_the_legend, timeout=5_000)
    _low, high = plot.getPlotItem().vb.viewRange()[1]
    assert high < 3.0  # room for the legend, not a plot squeezed to its bottom


def test_a_tall_legend_in_a_short_plot_takes_two_columns(qtbot):
    plot, curves = plot_with_curves(qtbot, 420, 200)

    def two_columns() -> None:
        draw(plot, curves, (1.0, 0.9, 0.2, -0.4))
        assert plot.legend.columnCount == 2

    qtbot.waitUntil(two_columns, timeout=5_000)


def test_the_fit_plot_places_its_own_legend_and_the_live_plots_get_a_band(qtbot, app_window):
    """The fit plot chooses its legend's corner, columns and band itself (place_legend): the
    live plots' band measuring must not also set its columns (it moved that legend onto the
    data at 1400×900)."""
    window = app_window
    window.resize(1400, 900)
    fit, coefficients = window.plots.fit, window.plots.coefficients
    qtbot.waitUntil(lambda: fit.points.getData()[0] is not None, timeout=10_000)
    for _ in range(3):
        with qtbot.waitSignal(window.view.timer.timeout, timeout=10_000):
            pass
    assert fit._legend_room is None
    assert coefficients._legend_room is not None  # measured: a band above the curves


@pytest.mark.parametrize(("width", "compact"), [(190, True), (300, False)])
def test_a_legend_too_tall_for_its_plot_takes_two_columns_in_smaller_text_if_only_so(
    qtbot, width, compact
):
    # a network's four tensor norms in a small plot (1024x768, both docks open): in one column
    # the legend was taller than the view and its last entry cut off at the bottom
    plot, curves = plot_with_curves(qtbot, width, 160)
    for curve, name in zip(curves, ("‖W1‖", "‖b1‖", "‖W2‖", "‖b2‖"), strict=True):
        plot.rename(curve, name)
    view = plot.getPlotItem().vb

    def whole_in_two_columns() -> None:
        draw(plot, curves, (1.0, 0.9, 0.2, -0.4))
        assert plot.legend.columnCount == 2
        assert plot.legend.compact is compact
        box = plot.legend.mapRectToItem(view, plot.legend.boundingRect())
        assert plot.legend.isVisible() and view.boundingRect().contains(box)

    qtbot.waitUntil(whole_in_two_columns, timeout=5_000)


def test_a_legend_too_tall_for_a_small_plot_is_hidden_not_cut_and_back_when_it_fits(qtbot):
    # four long names in a plot whose view (~126x81 px) takes neither one column (90 px tall)
    # nor two (too wide even in compact text): the last entry was cut off at the bottom
    plot, curves = plot_with_curves(qtbot, 120, 100)
    names = ("training loss", "validation loss", "best fit", "optimum")
    for curve, name in zip(curves, names, strict=True):
        plot.rename(curve, name)
    view = plot.getPlotItem().vb

    def whole_or_hidden() -> None:
        draw(plot, curves, (1.0, 0.9, 0.2, -0.4))
        box = plot.legend.mapRectToItem(view, plot.legend.boundingRect())
        assert plot.legend.columnCount == 1
        assert view.boundingRect().height() < box.height() + 6  # taller than the view
        assert not plot.legend.isVisible()

    qtbot.waitUntil(whole_or_hidden, timeout=5_000)
    # the key is left where the pointer finds it: each curve's colour and line, then its name
    rows = view.toolTip().split("<br>")
    assert len(rows) == 4
    assert rows[0] == "<span style='color:#1f77b4'>━━━</span>&nbsp;training loss"
    assert rows[1].startswith("<span style='color:#ff7f0e'>") and "validation loss" in rows[1]
    centre = plot.mapFromScene(view.sceneBoundingRect().center())  # a pointer resting there
    help_event = QHelpEvent(QEvent.Type.ToolTip, centre, plot.viewport().mapToGlobal(centre))
    QApplication.sendEvent(plot.viewport(), help_event)
    assert QToolTip.isVisible() and QToolTip.text() == view.toolTip()
    QToolTip.hideText()
    plot.resize(420, 320)

    def shown_whole() -> None:
        draw(plot, curves, (1.0, 0.9, 0.2, -0.4))
        box = plot.legend.mapRectToItem(view, plot.legend.boundingRect())
        assert plot.legend.isVisible() and view.boundingRect().contains(box)
        assert view.toolTip() == ""

    qtbot.waitUntil(shown_whole, timeout=5_000)


def test_a_compact_legend_found_too_wide_is_tried_again_at_another_zoom(qtbot, monkeypatch):
    import gradlab.ui.plots.legend_room as legend_room

    plot, _curves = plot_with_curves(qtbot, 300, 200)
    legend = plot.legend
    legend.set_compact(True)
    assert legend.compact_fits(150.0, estimate=False) is False  # measured too wide at 150 px
    assert legend.compact_fits(140.0, estimate=True) is False  # the estimate is not tried again
    assert legend.compact_fits(160.0, estimate=True) is True  # a wider view is
    monkeypatch.setattr(legend_room, "zoom_factor", lambda: 0.9)  # smaller text everywhere
    assert legend.compact_fits(140.0, estimate=True) is True


@pytest.mark.parametrize("count", [4, 6])
def test_a_networks_tensor_norms_keep_their_whole_key_in_the_smallest_plot(qtbot, count):
    # the parameter plot at 1024x768 with both docks open (a view ~126 px wide): six tensors
    # (two hidden layers) in two columns of compact text, their frame's margins narrowed too
    plot = LivePlot("bandPlot", "Parameters", "step", "value")
    qtbot.addWidget(plot)
    plot.resize(120, 180)
    plot.show()
    qtbot.waitExposed(plot)
    names = ("‖W1‖", "‖b1‖", "‖W2‖", "‖b2‖", "‖W3‖", "‖b3‖")[:count]
    curves = [plot.add_live_curve(name, "#1f77b4") for name in names]
    view = plot.getPlotItem().vb

    def whole() -> None:
        draw(plot, curves, (1.0, 0.9, 0.2, -0.4, 0.5, 0.1)[:count])
        box = plot.legend.mapRectToItem(view, plot.legend.boundingRect())
        assert plot.legend.columnCount == 2 and plot.legend.compact
        assert plot.legend.isVisible() and view.boundingRect().contains(box)

    qtbot.waitUntil(whole, timeout=5_000)
