"""A network's own views: the units plot under the fit (each unit's centre x = −b/w, live), and
the parameter plot of per-tensor norms with a choice of one tensor's first entries."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from gradlab.core.config import Config
from gradlab.core.network import layer_views
from gradlab.model.run_state import RunState
from gradlab.ui import i18n

WAIT_MS = 60_000  # the first torch run of a session imports torch; the machine is shared

NETWORK = Config().with_changes(
    **{
        "model.kind": "mlp",
        "model.hidden": 5,
        "model.layers": 1,
        "training.method": "numpy-manual",
        "training.reduction": "mean",
        "training.lr": 0.05,
        "training.steps": 400,
    }
)


@pytest.fixture
def window(app_window):
    return app_window  # tests/ui/conftest.py


def run_to_end(qtbot, window, config: Config) -> None:
    window.panel.set_config(config)
    window.controls.start_action.trigger()
    model = window.model

    def finished() -> bool:
        run = model.run_config
        return run is not None and run.model == config.model and model.state is RunState.FINISHED

    qtbot.waitUntil(finished, timeout=WAIT_MS)


def drawn_markers(units) -> np.ndarray:
    """(x, y) of every unit marker shown, inside the plot or as an arrow at its edge."""
    points = [units.positive.getData(), units.negative.getData(), units.unsigned.getData()]
    xs = np.concatenate([np.asarray(p[0], dtype=float) for p in points])
    ys = np.concatenate([np.asarray(p[1], dtype=float) for p in points])
    return np.column_stack([xs, ys])


def test_the_units_plot_marks_each_units_centre_live(qtbot, window):
    units = window.plots.units
    assert not units.isVisible()  # a polynomial: no units plot
    run_to_end(qtbot, window, NETWORK)
    assert units.isVisible()
    theta = window.model.current_coefficients()
    weight, bias = layer_views(NETWORK.model, theta)[0]
    w, b = weight[:, 0], bias  # computed here from the layer's own numbers
    expected = np.column_stack([-b / w, w])
    (left, right), _ = units.getPlotItem().vb.viewRange()

    def the_last_step_is_drawn() -> None:  # the redraw timer's next frame, at the latest
        drawn = drawn_markers(units)
        assert len(drawn) == len(expected)
        order = np.lexsort(drawn.T[::-1])
        wanted = expected[np.lexsort(expected.T[::-1])]
        np.testing.assert_allclose(drawn[order], wanted, rtol=1e-9)

    qtbot.waitUntil(the_last_step_is_drawn, timeout=WAIT_MS)
    outside = (expected[:, 0] < left) | (expected[:, 0] > right)
    assert len(units.beyond.data) == np.count_nonzero(outside)  # arrows at the edges
    # the units' sign: markers of a positive output weight are the circles
    output = layer_views(NETWORK.model, theta)[-1][0][0]
    positive_x = np.sort(np.asarray(units.positive.getData()[0], dtype=float))
    wanted = np.sort([-b[j] / w[j] for j in range(5) if output[j] >= 0])
    np.testing.assert_allclose(positive_x, wanted, rtol=1e-9)
    # the data's x range is shaded, and the strip shares the fit's x axis
    assert units.data_band.getRegion() == pytest.approx((NETWORK.data.x_min, NETWORK.data.x_max))
    # (pyqtgraph links the x axes by position on screen: x = 0 and x = 2 are at the same
    # place across the window in both, whatever the width of their y axes)
    fit_view, units_view = window.plots.fit.getPlotItem().vb, units.getPlotItem().vb
    for x in (0.0, 2.0):
        on_fit = fit_view.mapViewToScene(QPointF(x, 0.0))
        on_units = units_view.mapViewToScene(QPointF(x, 0.0))
        fit_x = window.plots.fit.mapToGlobal(window.plots.fit.mapFromScene(on_fit)).x()
        units_x = units.mapToGlobal(units.mapFromScene(on_units)).x()
        assert abs(fit_x - units_x) <= 1


def test_a_hidden_units_plot_draws_nothing(qtbot, window):
    units = window.plots.units
    config = Config().with_changes(**{"training.steps": 300})  # a polynomial
    run_to_end(qtbot, window, config)
    assert not units.isVisible() and units.draw_count == 0
    window.controls.reset_action.trigger()
    run_to_end(qtbot, window, NETWORK)
    qtbot.waitUntil(lambda: units.draw_count > 0, timeout=WAIT_MS)


def test_the_parameter_plot_shows_each_tensors_norm_then_a_chosen_tensor(qtbot, window):
    plot, choice = window.plots.coefficients, window.plots.parameter_choice
    title = plot.getPlotItem().titleLabel
    assert not choice.isVisible() and title.text == "Coefficients"
    run_to_end(qtbot, window, NETWORK)
    assert choice.isVisible() and choice.currentIndex() == 0
    assert title.text == "Parameters: norm of each tensor"
    legend = [label.text for _sample, label in plot.legend.items]
    assert legend == ["‖W1‖", "‖b1‖", "‖W2‖", "‖b2‖"]
    theta = window.model.current_coefficients()
    views = layer_views(NETWORK.model, theta)
    last = [np.sqrt(np.sum(views[0][0] ** 2)), np.sqrt(np.sum(views[0][1] ** 2))]

    def last_drawn() -> list[float] | None:
        curves = plot.curves[: len(last)]
        if any(c.yData is None or len(c.yData) < 2 for c in curves):
            return None
        return [float(c.yData[-1]) for c in curves]

    # the frame after the run's end comes on the plots' next timer tick
    qtbot.waitUntil(lambda: last_drawn() == pytest.approx(last, rel=1e-9), timeout=WAIT_MS)

    choice.setCurrentIndex(choice.findData(2))  # W2: the output weights
    assert title.text == "Parameters: W2, first 5 of 5"
    legend = [label.text for _sample, label in plot.legend.items]
    assert legend == [f"W2[0,{j}]" for j in range(5)]
    qtbot.waitUntil(lambda: plot.curves[0].yData is not None and len(plot.curves[0].yData) > 1,
                    timeout=WAIT_MS)  # fmt: skip
    assert plot.curves[4].yData[-1] == pytest.approx(views[1][0][0, 4], rel=1e-9)

    window.controls.reset_action.trigger()
    window.panel.set_config(Config())  # a polynomial: its coefficients, as before
    qtbot.waitUntil(lambda: title.text == "Coefficients", timeout=WAIT_MS)
    assert not choice.isVisible()
    assert [label.text for _sample, label in plot.legend.items] == ["a", "b", "c", "d"]


def test_the_network_views_speak_chinese(qtbot, window):
    run_to_end(qtbot, window, NETWORK)
    manager = i18n.language_manager()
    manager.set_language("zh", remember=False)
    try:
        choice = window.plots.parameter_choice
        assert choice.itemText(0) != "the norm of each weight and bias tensor"
        assert "W1" in choice.itemText(1) and "first" not in choice.itemText(1)
        title = window.plots.coefficients.getPlotItem().titleLabel.text
        assert "参数" in title
        units = window.plots.units
        assert units.getPlotItem().titleLabel.text != "Hidden units at x = −b/w"
        assert choice.accessibleName() and choice.accessibleName() != "Parameters to show"
        assert choice.toolTip() == choice.currentText()  # the whole choice, in Chinese too
    finally:
        manager.set_language("en", remember=False)
    choice = window.plots.parameter_choice
    assert choice.itemText(0) == "the norm of each weight and bias tensor"
    # a box as wide as its cell cuts its item at 1024x768; the whole choice on hover
    assert choice.toolTip() == "the norm of each weight and bias tensor"
    choice.setCurrentIndex(1)
    assert choice.toolTip() == choice.itemText(1)


def view_edges(plot) -> tuple[float, float]:
    """The left and right edges of a plot's view, in screen pixels."""
    view = plot.getPlotItem().vb
    rect = view.sceneBoundingRect()
    left = plot.mapToGlobal(plot.mapFromScene(rect.topLeft()))
    right = plot.mapToGlobal(plot.mapFromScene(rect.topRight()))
    return float(left.x()), float(right.x())


def spots_outside(units) -> list[tuple[float, float]]:
    """Centres (data units) of the markers and edge arrows that the view cuts (a unit whose
    centre lies beyond an edge is shown by its arrow there, not by its marker)."""
    view = units.getPlotItem().vb
    room = view.boundingRect()
    (left, right), _y = view.viewRange()
    cut = []
    for scatter in (units.positive, units.negative, units.unsigned, units.beyond):
        for spot in scatter.points():
            if scatter is not units.beyond and not left <= spot.pos().x() <= right:
                continue
            centre = view.mapFromView(spot.pos())
            half = spot.size() / 2
            whole = (
                centre.x() - half >= room.left()
                and centre.x() + half <= room.right()
                and centre.y() - half >= room.top()
                and centre.y() + half <= room.bottom()
            )
            if not whole:
                cut.append((spot.pos().x(), spot.pos().y()))
    return cut


def test_units_at_the_data_edges_are_whole_and_the_strip_lines_up_with_the_fit(qtbot, window):
    window.resize(1024, 768)  # a lab PC's screen: the plots are narrow
    run_to_end(qtbot, window, NETWORK)
    units, fit = window.plots.units, window.plots.fit
    model = NETWORK.model
    theta = np.zeros(model.parameter_count)
    (weight, bias), (out_weight, _out_bias) = layer_views(model, theta)
    x_min, x_max = NETWORK.data.x_min, NETWORK.data.x_max
    # steep units (wide tick labels "-1000") bending at both data edges, one beyond the right
    centres = np.array([x_min, x_max, 0.0, x_max + 5.0, x_min])
    weight[:, 0] = [1000.0, -1000.0, 1.0, 2.0, -3.0]
    bias[:] = -centres * weight[:, 0]
    out_weight[:] = 1.0  # every marker at its largest
    window.view.timer.stop()  # the live view would draw the run's own units over these
    units.draw(model, theta)  # the axes take their new widths in the next layout pass

    def lined_up_and_whole() -> None:
        assert view_edges(units) == pytest.approx(view_edges(fit), abs=1.0)
        assert spots_outside(units) == []
        assert len(units.beyond.points()) == 1  # the unit beyond the right edge, as an arrow

    qtbot.waitUntil(lined_up_and_whole, timeout=5_000)
