"""The fit plot's x values: the data's range, or wider by data.plot_margin on each side."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gradlab.core.config import Config, ConfigError
from gradlab.model.problem import GRID_POINTS, build_problem, plot_grid


def test_without_a_margin_the_grid_is_the_data_range():
    grid = plot_grid(Config())
    assert grid.size == GRID_POINTS
    assert grid[0] == -math.pi and grid[-1] == math.pi


def test_a_margin_widens_the_grid_and_keeps_the_data_ends_and_spacing():
    config = Config().with_changes(**{"data.plot_margin": 0.5})
    grid = plot_grid(config)
    assert grid[0] == pytest.approx(-2 * math.pi, abs=0.02)
    assert grid[-1] == pytest.approx(2 * math.pi, abs=0.02)
    assert -math.pi in grid and math.pi in grid  # the data's ends are drawn exactly
    steps = np.diff(grid)
    assert steps.min() > 0 and steps.max() == pytest.approx(steps.min(), rel=1e-6)
    network = config.with_changes(**{"model.kind": "mlp"})
    problem = build_problem(network)
    np.testing.assert_allclose(problem.target, np.sin(problem.grid), atol=1e-15)
    assert problem.dataset.x.min() == -math.pi  # the data itself does not move
    prediction = problem.prediction(np.zeros(network.model.parameter_count))
    assert prediction.shape == problem.grid.shape


@pytest.mark.parametrize("margin", [-0.1, 2.5, float("nan")])
def test_the_margin_is_checked(margin):
    with pytest.raises(ConfigError) as caught:
        Config().with_changes(**{"data.plot_margin": margin})
    assert caught.value.field == "data.plot_margin"
