"""The loss landscape of a network in the window: its parameters by name on the axes, the
network's own loss on the grid, the path through it, and a click that moves the running
network's two parameters (and nothing before a run)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from gradlab.core.config import Config
from gradlab.core.methods import starting_parameters
from gradlab.core.network_landscape import network_loss_grid

WAIT_MS = 60_000  # the machine is shared


@pytest.fixture
def window(app_window, classroom_sandbox):
    return app_window  # tests/ui/conftest.py


def network_config() -> Config:
    return Config().with_changes(
        **{
            "model.kind": "mlp",
            "model.hidden": 3,
            "training.lr": 0.05,
            "training.reduction": "mean",
            "training.steps": 10_000,
        }
    )


def test_a_network_landscape_is_its_own_loss_with_the_path_on_it(qtbot, window):
    inside, landscape = window.inside, window.inside.landscape
    config = network_config()
    window.panel.set_config(config)
    inside.landscape_dock.raise_()
    combo = landscape.i_combo
    names = [combo.itemText(k) for k in range(combo.count())]
    assert names == list(config.coefficient_names)  # W1[0,0], ..., b2[0]
    assert landscape.axes == (0, names.index("W2[0,0]"))
    window.controller.step(20)
    qtbot.waitUntil(
        lambda: window.model.step_count == 20 and window.run_state == "paused", timeout=WAIT_MS
    )
    qtbot.waitUntil(
        lambda: landscape.update_count > 0 and len(landscape.path) >= 21, timeout=WAIT_MS
    )
    landscape.j_combo.setCurrentIndex(names.index("b1[1]"))  # any two parameters
    count = landscape.update_count
    qtbot.waitUntil(lambda: landscape.update_count > count, timeout=WAIT_MS)
    i, j = landscape.axes
    result, center = landscape.result, landscape.center
    assert result is not None and center is not None
    np.testing.assert_array_equal(center, window.model.history.last_coefficients)
    problem = window.model.problem
    direct = network_loss_grid(
        config.model, problem.dataset.x, problem.dataset.y, center, i, j, result.a, result.b,
        "squared", "mean",
    )  # fmt: skip
    np.testing.assert_allclose(result.log_loss, np.log10(direct), rtol=1e-12)
    assert len(result.contours) > 0
    x, y = landscape.path_curve.getData()
    path = landscape.path
    np.testing.assert_array_equal(x, path[:, i])
    np.testing.assert_array_equal(y, path[:, j])
    title = landscape.plot.getPlotItem().titleLabel.text
    assert title == "Loss over W1[0,0] and b1[1]"  # short: the dock stays narrow
    assert landscape.hint_label.text().startswith("The other 8 parameters are held")
    assert not any(sample.item is landscape.optimum_marker for sample, _ in landscape.legend.items)

    # a click moves the running network's two parameters; training goes on from there
    a0, a1, b0, b1 = landscape.grid_window
    target = (a0 + 0.3 * (a1 - a0), b0 + 0.7 * (b1 - b0))
    scene = landscape.plot.getPlotItem().vb.mapViewToScene(QPointF(*target))
    with qtbot.waitSignal(inside.relay.coefficients_set, timeout=WAIT_MS):
        assert landscape.handle_scene_click(scene)
    after = window.model.history.last_coefficients
    half_pixel = np.array(landscape.plot.getPlotItem().vb.viewPixelSize()) / 2
    assert np.all(np.abs(after[[i, j]] - target) <= half_pixel * (1 + 1e-9))
    others = np.ones(after.size, dtype=bool)
    others[[i, j]] = False
    np.testing.assert_array_equal(after[others], center[others])


def test_before_a_run_a_click_leaves_a_networks_start_alone(qtbot, window):
    window.panel.set_config(network_config())
    landscape = window.inside.landscape
    landscape.set_start_at(0.5, -0.2)
    assert window.panel.config().model.init == "random"
    assert "start or step the run first" in window.statusBar().currentMessage()


def test_before_a_run_the_path_starts_at_the_networks_own_start(qtbot, window):
    """The landscape's path begins where the panel's network would start: its whole parameter
    vector (as after Start), not a polynomial's coefficients."""
    config = network_config()
    window.panel.set_config(config)
    qtbot.waitUntil(lambda: window.model.problem is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.inside.path.points.shape[1] > 4, timeout=5000)
    np.testing.assert_array_equal(window.inside.path.points, [starting_parameters(config)])


def test_a_big_networks_path_keeps_a_bounded_number_of_values():
    from gradlab.ui.inside.landscape_grid import PATH_VALUES, PathRecorder

    width = (
        Config()
        .with_changes(**{"model.kind": "mlp", "model.layers": 3, "model.hidden": 64})
        .model.parameter_count
    )
    path = PathRecorder()
    path.clear(np.zeros(width))
    for start in range(0, 5000, 500):
        path.append(np.arange(start + 1, start + 501), np.ones((500, width)))
    assert path.points.size <= PATH_VALUES and path.steps[-1] == 5000
