"""The loss landscape's numbers, without Qt: the grid of log losses over two coefficients with
its contour lines (vectorised marching squares), and the path training takes through it.

``compute_grid`` runs on a pool thread (see landscape_view.py); it is NumPy only, built on the
core's gradlab.core.landscape.loss_grid.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from gradlab.core.config import Config
from gradlab.core.features import feature_matrix
from gradlab.core.landscape import grid_axes, loss_grid
from gradlab.core.network import layer_table
from gradlab.core.network_landscape import network_loss_grid, network_resolution
from gradlab.core.phases import feature_names

RESOLUTION = 201  # grid points per axis (odd: the coarse contour grid keeps both edges)
CONTOUR_LEVELS = 14
PATH_CAP = 20_000  # path points kept; thinned by two beyond that (jumps always kept)
PATH_VALUES = 4_000_000  # numbers kept in all (a network with thousands of parameters)
PATH_MIN = 500


def contour_segments(values: np.ndarray, a: np.ndarray, b: np.ndarray, level: float) -> np.ndarray:
    """The ``level`` contour of ``values[row=b, column=a]`` as line segments (marching squares,
    vectorised): an array (2m, 2) of endpoints, to draw with ``connect="pairs"``."""
    above = values > level
    v00, v01, v10, v11 = values[:-1, :-1], values[:-1, 1:], values[1:, :-1], values[1:, 1:]
    s00, s01, s10, s11 = above[:-1, :-1], above[:-1, 1:], above[1:, :-1], above[1:, 1:]
    shape = v00.shape
    a0, a1 = np.broadcast_to(a[None, :-1], shape), np.broadcast_to(a[None, 1:], shape)
    b0, b1 = np.broadcast_to(b[:-1, None], shape), np.broadcast_to(b[1:, None], shape)
    with np.errstate(all="ignore"):

        def cut(p: np.ndarray, q: np.ndarray) -> np.ndarray:
            cut_at: np.ndarray = np.clip((level - p) / (q - p), 0.0, 1.0)
            return cut_at

        # the four cell edges, in order bottom, right, top, left
        crosses = np.stack([s00 != s01, s01 != s11, s10 != s11, s00 != s10])
        xs = np.stack([a0 + cut(v00, v01) * (a1 - a0), a1, a0 + cut(v10, v11) * (a1 - a0), a0])
        ys = np.stack([b0, b0 + cut(v01, v11) * (b1 - b0), b1, b0 + cut(v00, v10) * (b1 - b0)])
    count = crosses.sum(axis=0)
    pieces = []
    two = count == 2
    if two.any():
        edges = crosses[:, two]
        # with exactly two crossed edges, the first and the last crossed are the segment's ends
        ends = np.stack([np.argmax(edges, axis=0), 3 - np.argmax(edges[::-1], axis=0)])
        x = np.take_along_axis(xs[:, two], ends, axis=0)
        y = np.take_along_axis(ys[:, two], ends, axis=0)
        pieces.append(np.stack([x.T.ravel(), y.T.ravel()], axis=1))
    four = count == 4
    if four.any():  # a saddle: which corners the lines cut off depends on the centre
        centre = (v00 + v01 + v10 + v11)[four] / 4 > level
        same = centre == s00[four]
        pairs = np.empty((2, same.size, 2), dtype=np.int64)  # segment, cell, its two edges
        pairs[0], pairs[1] = (0, 1), (2, 3)
        pairs[0, ~same], pairs[1, ~same] = (0, 3), (2, 1)
        for k in range(2):
            rows = pairs[k].T  # (2, cells): the two edges of this segment
            x = np.take_along_axis(xs[:, four], rows, axis=0)
            y = np.take_along_axis(ys[:, four], rows, axis=0)
            pieces.append(np.stack([x.T.ravel(), y.T.ravel()], axis=1))
    return np.concatenate(pieces) if pieces else np.empty((0, 2))


@dataclass(frozen=True)
class GridRequest:
    """Everything one grid needs (NumPy copies: it crosses to a pool thread)."""

    generation: int
    x: np.ndarray
    y: np.ndarray
    config: Config
    center: np.ndarray
    i: int
    j: int
    window: tuple[float, float, float, float]
    features: np.ndarray | None  # cached from an earlier result of the same data


@dataclass(frozen=True)
class GridResult:
    generation: int
    features: np.ndarray
    a: np.ndarray
    b: np.ndarray
    log_loss: np.ndarray  # (len(b), len(a)), log10 of the loss
    contours: np.ndarray  # (2m, 2) segment endpoints
    seconds: float = 0.0  # how long the grid took (a network's: the view rests as long again)


def compute_grid(request: GridRequest) -> GridResult:
    """The log loss over the window and its contour lines (pure NumPy)."""
    started = time.perf_counter()
    c, t = request.config, request.config.training
    m = c.model
    features = request.features
    if m.kind == "mlp":  # the network's own loss, every other parameter held
        features = np.empty((0, 0))
        size = network_resolution(m, request.x.size, request.i, request.j)
        a, b = grid_axes(request.window, size)
        grid = network_loss_grid(
            m, request.x, request.y, request.center, request.i, request.j, a, b,
            t.loss, t.reduction, t.huber_delta,
        )  # fmt: skip
    else:
        if features is None:
            d = c.data
            features = feature_matrix(request.x, m.degree, m.basis, d.x_min, d.x_max)
        a, b = grid_axes(request.window, RESOLUTION)
        grid = loss_grid(
            features, request.y, request.center, request.i, request.j, a, b,
            t.loss, t.reduction, t.huber_delta,
        )  # fmt: skip
    with np.errstate(all="ignore"):
        log_loss = np.log10(np.maximum(grid, 1e-300))
    finite = log_loss[np.isfinite(log_loss)]
    contours = np.empty((0, 2))
    if finite.size and finite.max() > finite.min():
        levels = np.linspace(finite.min(), finite.max(), CONTOUR_LEVELS + 2)[1:-1]
        # contours on every other grid point: 4x cheaper, and as smooth as a dock shows (a
        # network's coarser grid keeps every point)
        every = 2 if a.size > RESOLUTION // 2 else 1
        coarse, a2, b2 = log_loss[::every, ::every], a[::every], b[::every]
        contours = np.concatenate([contour_segments(coarse, a2, b2, lv) for lv in levels])
    seconds = time.perf_counter() - started
    return GridResult(request.generation, features, a, b, log_loss, contours, seconds)


NETWORK_MIN_HALF = 1.0  # a network's view spans at least ±1 on each axis: ridges and valleys


def axis_choices(config: Config) -> tuple[list[str], int, int, float]:
    """The axis combos' entries, the two shown first and the view's least half-width.

    A polynomial's coefficients name what they multiply; b against the highest power shows the
    raw powers' long narrow valley. A network's parameters go by name in torch's order; the
    first unit's input weight against its output weight shows two valleys (tanh is odd).
    """
    if config.model.kind == "mlp":
        output = layer_table(config.model)[-1].weight.start
        return list(config.coefficient_names), 0, output, NETWORK_MIN_HALF
    names = [
        f"{name}  (× {feature})"
        for name, feature in zip(config.coefficient_names, feature_names(config), strict=True)
    ]
    count = len(names)
    i, j = (1, count - 1) if count > 2 else (0, 1)
    return names, i, j, 1e-3


class PathRecorder:
    """The coefficients' path through training, thinned to at most ``cap`` points."""

    def __init__(self, cap: int = PATH_CAP) -> None:
        self.cap = cap
        self.clear()

    def clear(self, start: np.ndarray | None = None) -> None:
        width = 0 if start is None else np.asarray(start).size
        self.steps = np.zeros(0 if start is None else 1, dtype=np.int64)
        self.points = np.empty((0, width)) if start is None else np.array(start, float)[None]
        # once thinned, new rows off this stride are dropped as they come (the newest row of
        # each batch, and the rows around a break, excepted): a fast run's batches then cost
        # the GUI thread a filter, not a copy and a thinning of the whole path each time
        self.stride = 1

    def append(self, steps: np.ndarray, coefficients: np.ndarray) -> None:
        coefficients = np.asarray(coefficients, dtype=np.float64)
        if coefficients.size == 0:
            return
        # a big network's rows are long: at most PATH_VALUES numbers in all (32 MB)
        cap = min(self.cap, max(PATH_MIN, PATH_VALUES // max(coefficients.shape[1], 1)))
        if self.points.shape[1] != coefficients.shape[1]:
            self.clear()
            self.points = np.empty((0, coefficients.shape[1]))
        steps = np.asarray(steps, dtype=np.int64).reshape(-1)
        if self.stride > 1 and steps.size > 1:
            # the stride doubles from 1: a power of two, so a mask, not a division (this runs
            # in the GUI thread for every batch, ~30,000 rows at full speed)
            keep = (steps & (self.stride - 1)) == 0
            if not np.isfinite(coefficients).all():  # rare: a break in the line
                gap = ~np.isfinite(coefficients).all(axis=1)
                keep |= gap | np.roll(gap, 1)
            keep[-1] = True
            steps, coefficients = steps[keep], coefficients[keep]
        self.steps = np.concatenate([self.steps, steps])
        self.points = np.concatenate([self.points, coefficients])
        while len(self.steps) > cap:
            index = np.arange(len(self.steps))
            gap = ~np.isfinite(self.points).all(axis=1)
            keep = (index % 2 == 0) | gap | np.roll(gap, 1) | (index == index[-1])
            self.steps, self.points = self.steps[keep], self.points[keep]
            self.stride *= 2

    def jump(self, values: np.ndarray, step: int) -> None:
        """A new starting point (set by hand): the line breaks, then goes on from there."""
        values = np.asarray(values, dtype=np.float64).reshape(1, -1)
        gap = np.full_like(values, np.nan)
        self.append(np.array([step, step]), np.concatenate([gap, values]))

    def truncate_after(self, step: int) -> None:
        keep = self.steps <= step
        self.steps, self.points = self.steps[keep], self.points[keep]

    @property
    def latest(self) -> np.ndarray | None:
        # called for every batch: look back from the end instead of checking the whole path
        for row in self.points[::-1]:
            if np.isfinite(row).all():
                return np.array(row, dtype=np.float64)
        return None


def round_for_view(value: float, resolution: float) -> float:
    """``value`` with the fewest significant digits that stays within half of ``resolution``
    (what one pixel of the view spans): a click at 0.48731095... on a view 0.01 per pixel
    gives 0.487, the same point on screen, and not 17 digits in the start-values field."""
    value = float(value)
    if not np.isfinite(value) or not resolution > 0:
        return value
    for digits in range(1, 18):
        rounded = float(f"{value:.{digits}g}")
        if abs(rounded - value) <= resolution / 2:
            return rounded
    return value
