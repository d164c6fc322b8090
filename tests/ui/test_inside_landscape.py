"""Issue 4: the loss landscape's grid and contours, the path, and click-to-set-start."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QLineEdit

from gradlab.core.config import Config
from gradlab.core.landscape import default_window, loss_grid
from gradlab.core.session import TrainingSession
from gradlab.ui.inside.landscape_grid import (
    GridRequest,
    PathRecorder,
    compute_grid,
    contour_segments,
)

WAIT_MS = 10_000


@pytest.fixture
def window(app_window):
    return app_window  # tests/ui/conftest.py


def test_contour_segments_lie_on_the_level_set():
    a, b = np.linspace(-2, 2, 81), np.linspace(-1, 1, 61)
    bowl = a[None, :] ** 2 + 4 * b[:, None] ** 2
    points = contour_segments(bowl, a, b, 1.0)
    assert len(points) > 50 and len(points) % 2 == 0
    np.testing.assert_allclose(points[:, 0] ** 2 + 4 * points[:, 1] ** 2, 1.0, atol=0.01)
    saddle = contour_segments(a[None, :] * b[:, None], a, b, 0.0)  # crosses at grid points
    assert np.isfinite(saddle).all()


def test_the_grid_is_the_cores_loss_grid_in_log10():
    session = TrainingSession(Config())
    w = session.coefficients
    window = default_window(w, session.analysis.optimum_coefficients, None, 1, 3)
    request = GridRequest(
        1, session.dataset.x, session.dataset.y, session.config, w, 1, 3, window, None
    )
    result = compute_grid(request)
    direct = loss_grid(session.features, session.dataset.y, w, 1, 3, result.a, result.b)
    np.testing.assert_allclose(result.log_loss, np.log10(direct), rtol=1e-12)
    assert result.contours.shape[1] == 2 and len(result.contours) > 0


def test_path_recorder_thins_jumps_and_truncates():
    path = PathRecorder(cap=100)
    path.clear(np.zeros(2))
    path.append(np.arange(1, 301), np.column_stack([np.arange(300.0), np.arange(300.0)]))
    assert len(path.steps) <= 100 and path.steps[-1] == 300
    path.jump(np.array([5.0, 6.0]), 300)
    np.testing.assert_array_equal(path.latest, [5.0, 6.0])
    assert np.isnan(path.points[-2]).all()  # the line breaks before the new start
    path.truncate_after(100)
    assert path.steps.max() <= 100


def test_a_thinned_path_keeps_only_new_rows_on_its_stride():
    """Once the path has been thinned, a batch adds only its rows on the new stride (and its
    newest row): a fast run's batches do not grow and thin the whole path each time."""
    path = PathRecorder(cap=100)
    path.clear(np.zeros(2))
    path.append(np.arange(1, 151), np.column_stack([np.arange(150.0), np.arange(150.0)]))
    assert path.stride == 2 and len(path.steps) <= 100
    before = len(path.steps)
    path.append(np.arange(151, 162), np.ones((11, 2)))
    np.testing.assert_array_equal(path.steps[before:], [152, 154, 156, 158, 160, 161])
    path.jump(np.array([5.0, 6.0]), 161)  # a break and the new start are always kept
    assert np.isnan(path.points[-2]).all()
    np.testing.assert_array_equal(path.latest, [5.0, 6.0])
    path.clear(np.zeros(2))
    assert path.stride == 1


def test_click_sets_a_new_start_for_the_two_coefficients(qtbot, window):
    inside, landscape = window.inside, window.inside.landscape
    window.panel.set_config(Config().with_changes(**{"training.steps": 10_000}))
    inside.landscape_dock.raise_()
    window.controller.step(3)
    qtbot.waitUntil(
        lambda: window.model.step_count == 3 and window.run_state == "paused", timeout=WAIT_MS
    )

    def drawn_points() -> int:
        x, _y = landscape.path_curve.getData()
        return 0 if x is None else len(x)

    # the path's rows arrive at once; the view draws them on its next timer tick
    qtbot.waitUntil(
        lambda: landscape.update_count > 0 and len(landscape.path) >= 4, timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: drawn_points() >= 4, timeout=WAIT_MS)  # start + three steps
    i, j = landscape.axes
    assert (i, j) == (1, 3)  # b and d: the chapter's long narrow valley
    a0, a1, b0, b1 = landscape.grid_window
    target = (a0 + 0.3 * (a1 - a0), b0 + 0.7 * (b1 - b0))
    scene = landscape.plot.getPlotItem().vb.mapViewToScene(QPointF(*target))
    with qtbot.waitSignal(inside.relay.coefficients_set, timeout=WAIT_MS):
        assert landscape.handle_scene_click(scene)
    coefficients = window.controller.training.session.coefficients  # paused: safe to read
    half_pixel = np.array(landscape.plot.getPlotItem().vb.viewPixelSize()) / 2  # the rounding
    assert np.all(np.abs(coefficients[[i, j]] - target) <= half_pixel * (1 + 1e-9))
    np.testing.assert_array_equal(
        window.model.history.last_coefficients[[i, j]], coefficients[[i, j]]
    )
    window.controller.step(1)  # training goes on from the new point
    qtbot.waitUntil(lambda: window.model.step_count == 4, timeout=WAIT_MS)
    assert abs(window.model.history.last_coefficients[i] - target[0]) < 0.05


def test_click_before_a_run_sets_the_panels_start_values(qtbot, window):
    landscape = window.inside.landscape
    landscape.set_start_at(0.5, -0.2)
    config = window.panel.config()
    assert config.model.init == "values"
    assert config.model.init_values[1] == 0.5 and config.model.init_values[3] == -0.2


def test_a_click_writes_as_few_digits_as_the_view_resolves(qtbot, window):
    inside, landscape = window.inside, window.inside.landscape
    window.panel.set_config(Config())
    inside.landscape_dock.raise_()
    qtbot.waitUntil(lambda: landscape.update_count > 0, timeout=WAIT_MS)
    view = landscape.plot.getPlotItem().vb
    a0, a1, b0, b1 = landscape.grid_window
    target = (a0 + 0.3137 * (a1 - a0), b0 + 0.7071 * (b1 - b0))
    assert landscape.handle_scene_click(view.mapViewToScene(QPointF(*target)))
    text = window.panel.findChild(QLineEdit, "initValuesEdit").text()
    values = [float(v) for v in text.split(",")]
    i, j = landscape.axes
    pixel = view.viewPixelSize()
    for value, clicked, size in (
        (values[i], target[0], pixel[0]),
        (values[j], target[1], pixel[1]),
    ):
        assert abs(value - clicked) <= size / 2 * (1 + 1e-9)  # the same point on screen
        mantissa = repr(value).split("e")[0].replace("-", "").replace(".", "")
        digits = len(mantissa.strip("0"))
        if digits > 1:  # one digit fewer would land on another pixel
            shorter = float(f"{value:.{digits - 1}g}")
            assert abs(shorter - clicked) > size / 2
    for part in text.split(","):
        mantissa = part.strip().split("e")[0].replace("-", "").replace(".", "").lstrip("0")
        assert len(mantissa) <= 6, text  # no 17-digit values in the field


def test_round_for_view_keeps_the_point_and_drops_noise():
    from gradlab.ui.inside.landscape_grid import round_for_view

    assert round_for_view(0.48731095123456, 0.01) == 0.49
    assert round_for_view(0.48731095123456, 0.001) == 0.487
    assert round_for_view(-1234.5678, 10.0) == -1230.0
    assert round_for_view(3.0, 0.0) == 3.0
