"""What a config fixes before the first step: the data, the target curve and the optimum.

Computed in the GUI thread from the core (NumPy only, no torch) and cached per data/model/loss
settings, so typing a learning rate never rebuilds the dataset.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from gradlab.core.analysis import Analysis, analyse
from gradlab.core.config import Config, ModelConfig
from gradlab.core.data import Dataset, make_dataset
from gradlab.core.features import feature_matrix

GRID_POINTS = 400  # x values for drawing smooth curves
CACHE_SIZE = 8


@dataclass(frozen=True, eq=False)
class Problem:
    """The fixed part of the picture for one config."""

    dataset: Dataset
    analysis: Analysis | None  # None if the optimum could not be computed
    grid: np.ndarray  # x values for the curves
    grid_features: np.ndarray  # feature_matrix(grid): prediction = grid_features @ coefficients
    target: np.ndarray  # the noise-free target on the grid
    optimum_curve: np.ndarray | None
    network: ModelConfig | None = None  # the network, when the model is one (no optimum then)
    data_range: tuple[float, float] | None = None  # the data's ends, when the grid goes past

    def prediction(self, coefficients: np.ndarray) -> np.ndarray:
        """The model on the grid for these coefficients (or network parameters)."""
        if self.network is not None:
            from gradlab.core.network import predict

            return predict(self.network, coefficients, self.grid)
        return np.asarray(self.grid_features @ coefficients)


def problem_key(config: Config) -> tuple[object, ...]:
    """Everything the data and the optimum depend on (not lr, steps, method or optimizer)."""
    m, t = config.model, config.training
    network = (m.kind, m.layers, m.hidden, m.activation) if m.kind == "mlp" else ()
    return (
        config.data, config.seed, m.degree, m.basis, t.loss, t.reduction, t.huber_delta, network
    )  # fmt: skip


class ProblemCache:
    """A few recent Problems by ``problem_key``."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[tuple[object, ...], Problem] = OrderedDict()

    def get(self, config: Config, *, compute: bool = True) -> Problem | None:
        """The Problem for ``config`` (None if not cached and ``compute`` is False).

        Raises the core's ConfigError when the data cannot be built (e.g. the target is not
        finite on the x range)."""
        key = problem_key(config)
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        if not compute:
            return None
        problem = build_problem(config)
        self._items[key] = problem
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return problem


def plot_grid(config: Config) -> np.ndarray:
    """The x values the curves are drawn at: the data's range, widened on each side by
    ``data.plot_margin`` times its width (extrapolation); the data's ends are grid points."""
    d = config.data
    width = d.x_max - d.x_min
    low, high = d.x_min - d.plot_margin * width, d.x_max + d.plot_margin * width
    if d.plot_margin == 0:
        return np.linspace(d.x_min, d.x_max, GRID_POINTS)
    # as many points per unit of x as without a margin, so the curves stay as smooth
    count = round(GRID_POINTS * (high - low) / width)
    inside = np.linspace(d.x_min, d.x_max, GRID_POINTS)
    step = width / (GRID_POINTS - 1)
    left = d.x_min - step * np.arange((count - GRID_POINTS) // 2, 0, -1)
    right = d.x_max + step * np.arange(1, (count - GRID_POINTS) // 2 + 1)
    return np.concatenate([left[left >= low - step], inside, right[right <= high + step]])


def build_problem(config: Config) -> Problem:
    d, m = config.data, config.model
    dataset = make_dataset(config)
    grid = plot_grid(config)
    beyond = (d.x_min, d.x_max) if d.plot_margin > 0 else None
    if m.kind == "mlp":  # no closed-form optimum exists for a network: none is shown
        columns = grid.reshape(-1, 1)
        target = dataset.target_curve(grid)
        return Problem(dataset, None, grid, columns, target, None, m, beyond)
    try:
        analysis: Analysis | None = analyse(config, dataset)
    except (np.linalg.LinAlgError, ValueError, FloatingPointError):
        analysis = None  # e.g. a singular design; the plots simply show no optimum
    features = feature_matrix(grid, m.degree, m.basis, d.x_min, d.x_max)
    optimum = features @ analysis.optimum_coefficients if analysis is not None else None
    target = dataset.target_curve(grid)
    return Problem(dataset, analysis, grid, features, target, optimum, data_range=beyond)
