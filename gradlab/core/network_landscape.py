"""A network's loss landscape: its real loss over two chosen parameters, all others held.

Unlike the polynomial's (gradlab.core.landscape), the loss is not a quadratic in the two
parameters: it has ridges, saddles and several valleys (swapping two hidden units gives the
same loss), which is what the plot is for. Everything is vectorised NumPy over chunks of grid
points, and only what the two parameters change is recomputed: the layers below the lower one
are taken from one forward pass at the current parameters, and in that layer only the one or
two units they belong to are evaluated for every grid point. The resolution follows the cost:
85 × 85 for one hidden layer of 16 units and 2000 points (about half a second on one core),
down to 21 × 21 when whole layers of 64 units must be evaluated again.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from gradlab.core.config import LOSSES, REDUCTIONS, ModelConfig
from gradlab.core.network import Forward, activate, forward, layer_table, layer_views

CHUNK_ELEMENTS = 2_000_000  # grid points × data points × units held at once (16 MB)
WORK_BUDGET = 3e7  # multiply-adds per grid, which sets its resolution (~0.5 s on one core)
MIN_RESOLUTION, MAX_RESOLUTION = 21, 201


class _Change(NamedTuple):
    """One of the two parameters: its layer (0-based), unit (output row), input column (None
    for a bias) and, per grid point, how far it moves from its current value."""

    layer: int
    unit: int
    column: int | None
    delta: np.ndarray


def locate(model: ModelConfig, index: int) -> tuple[int, int, int | None]:
    """(layer, unit, input column or None for a bias) of parameter ``index`` of the flat vector."""
    for k, layer in enumerate(layer_table(model)):
        if layer.weight.start <= index < layer.weight.stop:
            unit, column = divmod(index - layer.weight.start, layer.fan_in)
            return k, unit, column
        if layer.bias.start <= index < layer.bias.stop:
            return k, index - layer.bias.start, None
    raise ValueError(f"parameter index must be in 0..{model.parameter_count - 1}, got {index}")


def network_resolution(model: ModelConfig, points: int, i: int, j: int) -> int:
    """Grid points per axis (odd) so that one grid costs about ``WORK_BUDGET``: fine when the
    two parameters sit in the last layers, coarser when whole hidden layers must be redone."""
    lowest = min(locate(model, i)[0], locate(model, j)[0])
    last = len(layer_table(model)) - 1
    h = model.hidden
    per_point = 2.0 if lowest >= last - 1 else 2.0 + h * (1 + h * (last - lowest - 1))
    size = int(math.sqrt(WORK_BUDGET / (points * per_point)))
    size = min(MAX_RESOLUTION, max(MIN_RESOLUTION, size))
    return size if size % 2 else size - 1


def network_loss_grid(
    model: ModelConfig,
    x: np.ndarray,
    y: np.ndarray,
    parameters: np.ndarray,
    i: int,
    j: int,
    a_values: np.ndarray,
    b_values: np.ndarray,
    kind: str = "squared",
    reduction: str = "sum",
    delta: float = 1.0,
) -> np.ndarray:
    """The network's loss with parameter ``i`` at each of ``a_values`` and ``j`` at each of
    ``b_values``, every other parameter at ``parameters``: shape ``(len(b), len(a))``, row r,
    column c at ``θ_i = a[c], θ_j = b[r]`` (the layout contour plots expect)."""
    if kind not in LOSSES or reduction not in REDUCTIONS:
        raise ValueError(f"unknown loss {kind!r} or reduction {reduction!r}")
    theta = np.asarray(parameters, dtype=np.float64).reshape(-1)
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    if theta.size != model.parameter_count or x.size != y.size or x.size == 0:
        raise ValueError(
            f"need {model.parameter_count} parameters and as many x as y (> 0), got "
            f"{theta.size}, {x.size} and {y.size}"
        )
    if i == j:
        raise ValueError(f"the two axes must be different parameters, got {i} twice")
    a = np.asarray(a_values, dtype=np.float64).reshape(-1)
    b = np.asarray(b_values, dtype=np.float64).reshape(-1)
    base = forward(model, theta, x)
    grid_a = np.tile(a - theta[i], b.size)  # grid point g = r·len(a) + c
    grid_b = np.repeat(b - theta[j], a.size)
    out = np.empty(grid_a.size)
    chunk = max(1, CHUNK_ELEMENTS // (x.size * max(model.hidden, 2)))
    # a diverging run's parameters overflow here: inf is the right value to draw
    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, grid_a.size, chunk):
            stop = min(start + chunk, grid_a.size)
            changes = [
                _Change(*locate(model, i), grid_a[start:stop]),
                _Change(*locate(model, j), grid_b[start:stop]),
            ]
            predictions = _grid_predictions(model, theta, x, base, changes)
            out[start:stop] = _losses(predictions - y, kind, reduction, delta)
    return out.reshape(b.size, a.size)


def _grid_predictions(
    model: ModelConfig, theta: np.ndarray, x: np.ndarray, base: Forward, changes: list[_Change]
) -> np.ndarray:
    """(m, n): the predictions at every data point for each of the chunk's m grid points."""
    views = layer_views(model, theta)
    last = len(views) - 1
    lowest = min(change.layer for change in changes)
    below = x[:, None] if lowest == 0 else base.activations[lowest - 1]  # (n, fan_in)
    m = changes[0].delta.size
    if lowest == last:  # both in the output layer: the prediction is linear in them
        z = np.repeat(base.predictions[None, :, None], m, axis=0)
        _add(z, changes, last, lambda v: below[:, v], [0])
        return z[..., 0]
    # the lower layer: only the changed units are evaluated again, for every grid point
    units = sorted({c.unit for c in changes if c.layer == lowest})
    z_units = np.repeat(base.pre_activations[lowest][None][..., units], m, axis=0)
    _add(z_units, changes, lowest, lambda v: below[:, v], units)
    moved = activate(model.activation, z_units) - base.activations[lowest][:, units]
    # the next layer sees them through those units' weights only
    weight, _bias = views[lowest + 1]
    above = base.predictions[:, None] if lowest + 1 == last else base.pre_activations[lowest + 1]
    z = above[None] + _matmul(moved, weight[:, units].T)  # (m, n, fan_out)
    if any(c.layer == lowest + 1 for c in changes):
        a_below = base.activations[lowest]

        def column(v: int) -> np.ndarray:  # the lower layer's unit v, moved or not
            return a_below[:, v] + moved[..., units.index(v)] if v in units else a_below[:, v]

        _add(z, changes, lowest + 1, column, None)
    for k in range(lowest + 2, last + 1):  # whole layers from here on
        a = activate(model.activation, z)
        weight, bias = views[k]
        z = _matmul(a, weight.T)
        z += bias
        _add(z, changes, k, functools.partial(_column, a), None)
    return np.asarray(z[..., 0])


def _column(values: np.ndarray, v: int) -> np.ndarray:
    return np.asarray(values[..., v])


def _matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(m, n, k) @ (k, l) as one 2-D product (BLAS), not m small ones."""
    m, n, k = a.shape
    return np.asarray((a.reshape(m * n, k) @ b).reshape(m, n, b.shape[1]))


def _add(
    z: np.ndarray,
    changes: list[_Change],
    layer: int,
    inputs: Callable[[int], np.ndarray],
    units: list[int] | None,
) -> None:
    """Add each change in ``layer`` to its unit's pre-activation: δ·input for a weight (the
    layer's input column ``inputs(column)``), δ for a bias. ``units`` are the columns ``z``
    holds (None: all of them)."""
    for change in changes:
        if change.layer != layer:
            continue
        column = change.unit if units is None else units.index(change.unit)
        d = change.delta[:, None]
        if change.column is None:
            z[..., column] += d
        else:
            z[..., column] += d * inputs(change.column)


def _losses(residual: np.ndarray, kind: str, reduction: str, delta: float) -> np.ndarray:
    """The loss of each row of ``residual`` (as losses.loss_value computes it for one)."""
    if kind == "squared":
        pointwise = residual * residual
    elif kind == "l1":
        pointwise = np.abs(residual)
    else:
        size = np.abs(residual)
        q = np.minimum(size, delta)
        pointwise = q * (size - 0.5 * q)
    total = pointwise.sum(axis=1)
    return np.asarray(total / residual.shape[1] if reduction == "mean" else total)
