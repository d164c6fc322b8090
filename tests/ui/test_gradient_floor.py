"""The gradient plot says when its curve is the fast path's exact gradient, and where the
listing's own float64 gradient stops."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from gradlab.core.config import Config
from gradlab.ui.plots.gradient import listing_gradient_floor


def test_the_listing_floor_is_drawn_for_the_exact_numpy_path(qtbot, app_window):
    window = app_window
    window.panel.set_config(Config())
    gradient = window.plots.gradient
    floor = listing_gradient_floor(Config(), window.model.problem)
    assert floor is not None and 1e-13 < floor < 1e-7  # rounding, not convergence
    assert gradient.floor_line.isVisible()
    assert np.isclose(10 ** gradient.floor_line.value(), floor)
    names = [label.text for _sample, label in gradient.legend.items]
    assert any("exact" in name for name in names)

    # the listing's own float64 arithmetic, stepping from the optimum, stays near that floor
    problem = window.model.problem
    x, y = problem.dataset.x, problem.dataset.y
    X = np.column_stack([x**k for k in range(4)])
    theta = problem.analysis.optimum_coefficients.copy()
    norms = []
    for _ in range(50):
        grad = X.T @ (2.0 * (X @ theta - y))
        norms.append(np.linalg.norm(grad))
        theta = theta - 1e-6 * grad
    assert floor / 30 < np.median(norms) < floor * 30

    window.panel.set_config(Config().with_changes(**{"training.method": "torch-autograd"}))
    assert not gradient.floor_line.isVisible()
    names = [label.text for _sample, label in gradient.legend.items]
    assert not any("exact" in name for name in names)


def test_the_floor_label_fits_a_narrow_plot(qtbot):
    """At 1280×720 with a wide dock the gradient plot is ~200 px wide: the label is two short
    lines that fit, not one long line cut at the plot's edge."""
    from gradlab.ui.plots.gradient import GradientPlot

    plot = GradientPlot()
    qtbot.addWidget(plot)
    plot.resize(210, 260)
    plot.show()
    plot.set_floor(8.6e-12)
    label = plot.floor_line.label
    qtbot.waitUntil(lambda: plot.getPlotItem().vb.width() > 0)
    assert "8.6e-12" in label.toPlainText()
    assert label.boundingRect().width() < plot.getPlotItem().vb.width()
    # above its line: below it, near the plot's bottom edge, the value's line was cut off
    vb = plot.getPlotItem().vb
    vb.setYRange(-15, 5, padding=0)
    qtbot.waitUntil(lambda: label.isVisible())
    line_y = vb.mapViewToScene(pg.Point(0, plot.floor_line.value())).y()
    label_bottom = label.mapRectToScene(label.boundingRect()).bottom()
    assert label_bottom <= line_y + 1
