"""Pens and markers follow the zoom whenever a plot item is made: the items a window makes
later (the CNN lab built when first shown, the landscape and compare plots made when their
docks first come to the front, a finished run's history curves, the landscape's overlays) are
as much wider at 200 % as the ones the window was built with."""

from __future__ import annotations

from collections import defaultdict

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QApplication

from gradlab.ui.zoom import zoom_manager

WAIT_MS = 30_000


def _width(pen: object) -> float:
    width = pg.mkPen(pen).widthF()
    return width if width > 0 else 1.0  # 0: Qt's one-pixel line, which a zoom widens too


def pen_sizes(window) -> dict[str, list[float]]:
    """Every plot's line widths and marker sizes, sorted, by the plot's object name."""
    sizes: dict[str, list[float]] = defaultdict(list)
    for view in window.findChildren(pg.GraphicsView):
        key = view.objectName() or type(view).__name__
        for item in view.scene().items():
            if isinstance(item, pg.PlotDataItem):
                if item.opts.get("pen") is not None:
                    sizes[key].append(_width(item.opts["pen"]))
                if item.opts.get("symbol") is not None:
                    sizes[key].append(float(item.opts["symbolSize"]))
            elif isinstance(item, pg.InfiniteLine):
                sizes[key].append(_width(item.pen))
            elif isinstance(item, pg.ScatterPlotItem) and not isinstance(
                item.parentItem(), pg.PlotDataItem
            ):
                sizes[key].append(float(item.opts["size"]))
            elif isinstance(item, pg.PlotCurveItem) and not isinstance(
                item.parentItem(), pg.PlotDataItem
            ):
                sizes[key].append(_width(item.opts["pen"]))  # the live curves
    return {key: sorted(values) for key, values in sizes.items()}


def make_and_run(qtbot, factor: float) -> dict[str, list[float]]:
    from gradlab.app import create_window

    window = create_window()
    qtbot.addWidget(window)
    window.dialogs.confirm = lambda text: True
    try:
        window.show()
        qtbot.waitExposed(window)
        zoom_manager().set_factor(factor)  # before the CNN lab and the run's items exist
        window.show_tab("cnn")
        qtbot.waitUntil(lambda: window.cnn_lab.isVisible(), timeout=WAIT_MS)
        window.show_tab("polynomial")
        for dock in (window.inside.landscape_dock, window.inside.compare_dock):
            dock.raise_()  # their plots are made when first in front: after the zoom too
        window.inside.loss_dock.show()  # the loss explorer is built when first opened
        window.inside.loss_dock.raise_()  # (its tab raised, as its View menu entry does)
        qtbot.waitUntil(lambda: window.inside.loss_explorer is not None, timeout=WAIT_MS)
        window.controller.start()
        qtbot.waitUntil(lambda: window.run_state == "finished", timeout=WAIT_MS)
        # the finished run's faded history curves arrive from the worker a moment later:
        # both zooms must count them (a race made one side one curve short)
        qtbot.waitUntil(lambda: window.inside.run_view.list.count() == 1, timeout=WAIT_MS)
        QApplication.processEvents()
        return pen_sizes(window)
    finally:
        window.close()
        zoom_manager().set_factor(1.0)


@pytest.mark.usefixtures("classroom_sandbox")
def test_every_pen_made_after_a_zoom_is_as_wide_as_the_zoom_says(qtbot):
    normal = make_and_run(qtbot, 1.0)
    doubled = make_and_run(qtbot, 2.0)
    assert normal.keys() == doubled.keys(), set(normal) ^ set(doubled)
    assert any(key.startswith("cnn") for key in normal)
    wrong = {
        key: (normal[key], doubled[key])
        for key in normal
        if doubled[key] != pytest.approx([2 * v for v in normal[key]], abs=0.01)
    }
    assert not wrong, f"{len(wrong)} plots' pens did not double: {wrong}"
