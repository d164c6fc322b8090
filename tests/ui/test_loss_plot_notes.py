"""On the loss plot the optimum's label and the stability note never overlap or leave the plot."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QPointF, QRectF

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


def test_the_optimum_label_takes_two_lines_on_a_narrow_plot_and_stays_inside(qtbot, app_window):
    loss = app_window.plots.loss
    label = loss.optimum_line.label
    view = loss.plotItem.vb

    def inside() -> bool:
        return view.sceneBoundingRect().contains(label.sceneBoundingRect())

    assert "\n" not in label.format  # one line at the window's usual size
    qtbot.waitUntil(inside, timeout=WAIT_MS)
    loss.setFixedWidth(150)  # two docks beside the plots on a 1024 px screen
    qtbot.waitUntil(lambda: "\n" in label.format, timeout=WAIT_MS)
    assert label.format.split("\n")[1] == f"{loss.optimum:.6g}"
    qtbot.waitUntil(inside, timeout=WAIT_MS)
    loss.setMinimumWidth(0)
    loss.setMaximumWidth(16_777_215)  # QWIDGETSIZE_MAX: free again
    qtbot.waitUntil(lambda: "\n" not in label.format, timeout=WAIT_MS)


def test_the_optimum_label_goes_below_its_line_where_the_legend_covers_it(qtbot, app_window):
    loss = app_window.plots.loss
    label, legend, view = loss.optimum_line.label, loss.legend, loss.plotItem.vb
    loss.setFixedWidth(220)  # narrow, its legend still shown: it spans most of the width
    qtbot.waitUntil(lambda: legend.isVisible(), timeout=WAIT_MS)

    def rect(item: object) -> QRectF:
        return item.mapRectToItem(view, item.boundingRect())

    # the line just under the legend, so that a label above it would be under the legend
    line = math.log10(loss.optimum)  # the view's y is log10(loss)
    y, height = rect(legend).bottom() + 6, view.boundingRect().height()
    view.setYRange(line - 2, line + 2 * y / (height - y), padding=0)
    loss.viewport().repaint()  # pyqtgraph moves the line and its label at the next paint

    def under_the_line_clear_of_the_legend() -> bool:
        mine = rect(label)
        return (
            abs(mine.top() - view.mapFromView(QPointF(0, line)).y()) < 2
            and not mine.intersects(rect(legend))
            and view.boundingRect().contains(mine)
        )

    qtbot.waitUntil(under_the_line_clear_of_the_legend, timeout=WAIT_MS)
