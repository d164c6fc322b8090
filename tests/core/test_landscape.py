"""The landscape grid equals direct loss evaluations, and the default view shows the path."""

from __future__ import annotations

import time

import numpy as np
import pytest

from gradlab.core.features import feature_matrix
from gradlab.core.landscape import default_window, grid_axes, loss_grid, steady_window
from gradlab.core.losses import loss_value


def _setup(basis: str = "power", n: int = 300, noise: float = 0.0):
    x = np.linspace(-np.pi, np.pi, n)
    y = np.sin(x) + noise * np.random.default_rng(1).normal(size=n)
    X = feature_matrix(x, 3, basis, -np.pi, np.pi)
    w = np.array([0.1, 0.8, -0.05, -0.09])
    return X, y, w


def _direct(X, y, w, i, j, a_values, b_values, kind, reduction, delta):
    out = np.empty((len(b_values), len(a_values)))
    for r, b in enumerate(b_values):
        for c, a in enumerate(a_values):
            v = w.copy()
            v[i], v[j] = a, b
            out[r, c] = loss_value(X @ v - y, kind, reduction, delta)
    return out


@pytest.mark.parametrize("kind", ["squared", "l1", "huber"])
@pytest.mark.parametrize("reduction", ["sum", "mean"])
@pytest.mark.parametrize(
    ("basis", "i", "j"), [("power", 1, 3), ("legendre", 0, 2), ("power", 3, 0)]
)
def test_grid_equals_direct_loss_evaluations(kind, reduction, basis, i, j):
    X, y, w = _setup(basis, noise=0.1)
    a_values = np.linspace(-1.5, 2.0, 13)
    b_values = np.linspace(-0.7, 0.6, 9)
    delta = 0.3  # small enough that Huber uses both its quadratic and linear parts
    grid = loss_grid(X, y, w, i, j, a_values, b_values, kind, reduction, delta)
    assert grid.shape == (9, 13)
    expected = _direct(X, y, w, i, j, a_values, b_values, kind, reduction, delta)
    np.testing.assert_allclose(grid, expected, rtol=1e-11, atol=0)


def test_grid_at_current_point_is_the_current_loss():
    X, y, w = _setup()
    for kind in ("squared", "l1", "huber"):
        grid = loss_grid(X, y, w, 1, 3, [w[1]], [w[3]], kind, "sum")
        assert grid[0, 0] == pytest.approx(loss_value(X @ w - y, kind, "sum"), rel=1e-13)


def test_squared_grid_is_never_negative_at_an_exact_fit():
    x = np.linspace(-1, 1, 50)
    X = feature_matrix(x, 2, "power", -1, 1)
    w = np.array([0.5, -1.0, 2.0])
    y = X @ w
    grid = loss_grid(X, y, w, 0, 2, np.array([0.5]), np.array([2.0]))
    assert grid[0, 0] >= 0.0
    assert grid[0, 0] < 1e-20


@pytest.mark.parametrize("kind", ["l1", "huber"])
def test_points_at_x_zero_and_grid_values_on_breakpoints(kind):
    # an odd number of points puts one exactly at x = 0 (its x column entry is 0), and a grid
    # through the exact fit puts grid values on the residuals' breakpoints
    x = np.linspace(-2, 2, 41)
    X = feature_matrix(x, 3, "power", -2, 2)
    w = np.array([0.3, -0.5, 0.25, 0.1])
    y = X @ w
    a_values = np.concatenate([np.linspace(-1, 1, 9), [w[1]]])
    b_values = np.array([w[3], 0.0, 0.2])
    grid = loss_grid(X, y, w, 1, 3, a_values, b_values, kind, "sum", 0.5)
    expected = _direct(X, y, w, 1, 3, a_values, b_values, kind, "sum", 0.5)
    np.testing.assert_allclose(grid, expected, rtol=1e-11, atol=1e-13)
    assert abs(grid[0, -1]) < 1e-13


def test_bad_arguments_raise_clear_errors():
    X, y, w = _setup()
    with pytest.raises(ValueError, match="different coefficients"):
        loss_grid(X, y, w, 1, 1, [0.0], [0.0])
    with pytest.raises(ValueError, match=r"in 0\.\.3, got 4"):
        loss_grid(X, y, w, 0, 4, [0.0], [0.0])
    with pytest.raises(ValueError, match="loss must be one of"):
        loss_grid(X, y, w, 0, 1, [0.0], [0.0], kind="hinge")
    with pytest.raises(ValueError, match="Huber delta"):
        loss_grid(X, y, w, 0, 1, [0.0], [0.0], kind="huber", delta=0.0)
    with pytest.raises(ValueError, match="X must be"):
        loss_grid(X[:, :3], y, w, 0, 1, [0.0], [0.0])


def test_200_by_200_grid_on_2000_points_is_fast():
    X, y, w = _setup(n=2000)
    a_values, b_values = np.linspace(-1, 2, 200), np.linspace(-1, 1, 200)
    for kind in ("squared", "l1"):
        loss_grid(X, y, w, 1, 3, a_values, b_values, kind, "sum")  # warm-up
        started = time.perf_counter()
        loss_grid(X, y, w, 1, 3, a_values, b_values, kind, "sum")
        assert time.perf_counter() - started < 1.0  # generous: under 1 ms squared, ~25 ms L1 here


def test_default_window_contains_start_path_and_optimum():
    path = np.array([[0.5, 0.9, 0.2, 0.4], [0.4, 0.85, 0.1, 0.1], [0.1, 0.86, 0.0, -0.05]])
    optimum = np.array([0.0, 0.8567, 0.0, -0.0933])
    center = path[-1]
    a_min, a_max, b_min, b_max = default_window(center, optimum, path, 1, 3)
    for point in (*path, optimum, center):
        assert a_min < point[1] < a_max
        assert b_min < point[3] < b_max
    # a margin: nothing sits on the edge
    assert a_min < 0.85 - 0.01 and a_max > 0.9 + 0.01


def test_default_window_ignores_diverged_rows_and_handles_a_single_point():
    path = np.array([[0.5, 0.9, 0.2, 0.4], [np.nan, np.inf, 1.0, 1.0]])
    window = default_window(path[0], None, path, 1, 3)
    assert all(np.isfinite(window))
    a_min, a_max, b_min, b_max = default_window(np.zeros(4), np.zeros(4), None, 0, 1)
    assert a_min < 0 < a_max and b_min < 0 < b_max
    a_values, b_values = grid_axes((a_min, a_max, b_min, b_max), 5)
    assert a_values.size == 5 and a_values[0] == a_min and b_values[-1] == b_max


def test_a_diverged_point_gives_inf_without_warnings() -> None:
    X = np.vander(np.linspace(-np.pi, np.pi, 50), 4, increasing=True)
    y = np.sin(X[:, 1])
    huge = np.array([1e200, -1e200, 1e200, 1e200])
    grid = loss_grid(X, y, huge, 1, 3, np.array([0.0, 1e200]), np.array([0.0, 1e200]))
    assert grid.shape == (2, 2) and not np.isnan(grid).all()


def test_the_view_stays_while_the_path_moves_inside_it_and_follows_when_it_leaves():
    current = (-1.0, 1.0, -1.0, 1.0)
    assert steady_window(None, (0.0, 0.5, 0.0, 0.5)) == (0.0, 0.5, 0.0, 0.5)  # the first view
    assert steady_window(current, (-0.5, 0.5, -0.5, 0.5)) == current  # inside, a quarter of it
    assert steady_window(current, (-0.1, 0.1, -0.1, 0.1)) == (-0.1, 0.1, -0.1, 0.1)  # 1 %: zoom in
    assert steady_window(current, (-0.5, 1.5, -0.5, 0.5)) == (-0.5, 1.5, -0.5, 0.5)  # out: follow
    edge = (-1.0, 1.0, -0.15, 0.15)  # exactly 15 % of the view's area, on its edges: stays
    assert steady_window(current, edge) == current
