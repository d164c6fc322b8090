"""What the live plots draw, kept small however long the run: a min/max envelope per bucket.

The worker sends HistoryBatch rows (step, loss, val_loss, grad_norm, coefficients). Keeping
every row of a 100-million-step run would need gigabytes and draw millions of points, so rows
are folded into at most ``2 * max_buckets`` buckets of equal size; each bucket remembers, per
column, its smallest and largest finite value. When the buckets fill up, neighbours merge
pairwise and the bucket size doubles. A curve is drawn through each bucket's minimum and maximum
at the bucket's ends (in the order the curve is heading), so it never has more than
``4 * max_buckets + 2`` points, and spikes (a divergence, a noisy loss) are never thinned away.
While buckets hold one row each (short runs) the curve is the exact data.

Non-finite values (NaN, inf) are dropped on purpose: they cannot be drawn, and a log axis also
needs positive values (``series(..., positive=True)``). Folding costs a few NumPy passes per
batch (``np.fmin``/``np.fmax`` skip NaN by themselves), because it runs in the GUI thread.

Pure NumPy, no Qt, so it is tested directly.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np


class Rows(Protocol):
    """History rows as the core gives them (HistoryBatch, RunHistory)."""

    @property
    def steps(self) -> np.ndarray: ...
    @property
    def loss(self) -> np.ndarray: ...
    @property
    def val_loss(self) -> np.ndarray: ...
    @property
    def grad_norm(self) -> np.ndarray: ...
    @property
    def coefficients(self) -> np.ndarray: ...


LOSS, VAL_LOSS, GRAD_NORM = 0, 1, 2
FIRST_COEFFICIENT = 3
# -> 512 to 1,026 points per curve, 1-2 per pixel of a plot in a full-HD window; twice as many
# cost the GUI thread ~0.4 ms more per frame with training running (measured), for no visible gain
DEFAULT_MAX_BUCKETS = 256


class PlotBuffer:
    """Accumulates history rows; ``series(column)`` gives the decimated (steps, values) to draw.

    Columns: ``LOSS``, ``VAL_LOSS``, ``GRAD_NORM``, then one per coefficient
    (``FIRST_COEFFICIENT + k``). The latest finite values are kept for the read-outs.
    """

    def __init__(self, n_coefficients: int, max_buckets: int = DEFAULT_MAX_BUCKETS) -> None:
        if n_coefficients < 1 or max_buckets < 2:
            raise ValueError("a plot buffer needs >= 1 coefficient and >= 2 buckets")
        self.n_coefficients = n_coefficients
        self.max_buckets = max_buckets
        self.columns = FIRST_COEFFICIENT + n_coefficients
        self.clear()

    def clear(self) -> None:
        """Forget every row (Reset)."""
        capacity = 2 * self.max_buckets
        self._lo = np.full((capacity, self.columns), np.nan)
        self._hi = np.full((capacity, self.columns), np.nan)
        self._first = np.zeros(capacity)  # each completed bucket's first and last step
        self._last = np.zeros(capacity)
        self._n = 0  # completed buckets
        self.bucket_size = 1  # rows per completed bucket
        self._p_lo = np.full(self.columns, np.nan)  # the bucket being filled
        self._p_hi = np.full(self.columns, np.nan)
        self._p_first = self._p_last = 0.0
        self._p_rows = 0
        self.rows = 0  # rows kept
        self._drawn: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # see _drawable
        self.last_step: int | None = None
        self.last_loss: float | None = None
        self.last_val_loss: float | None = None
        self.last_grad_norm: float | None = None
        self.last_coefficients: np.ndarray | None = None

    def __len__(self) -> int:
        return self.rows

    def append(self, batch: Rows, rewound_to: int | None = None) -> int:
        """Add rows (steps, loss, val_loss, grad_norm, coefficients) of a HistoryBatch or a
        stored run. ``rewound_to`` (the session went back) first drops later rows."""
        if rewound_to is not None:
            self.truncate_after(rewound_to)
        steps = np.asarray(batch.steps, dtype=np.float64).reshape(-1)
        k = steps.size
        if k == 0:
            return 0
        # one row per column: the reductions then run over contiguous memory (several times
        # faster than over the rows of a (k, columns) array)
        values = np.empty((self.columns, k))
        values[LOSS] = np.asarray(batch.loss, dtype=np.float64).reshape(-1)
        values[VAL_LOSS] = np.asarray(batch.val_loss, dtype=np.float64).reshape(-1)
        values[GRAD_NORM] = np.asarray(batch.grad_norm, dtype=np.float64).reshape(-1)
        coefficients = np.asarray(batch.coefficients, dtype=np.float64)
        values[FIRST_COEFFICIENT:] = coefficients.reshape(k, self.n_coefficients).T
        infinite = np.isinf(values)  # NaN needs no work: fmin/fmax skip it
        if infinite.any():
            values[infinite] = np.nan  # dropped deliberately: cannot be drawn
        self._remember_latest(steps, values)
        self._fold(steps, values)
        self._drawn = None
        self.rows += k
        return k

    def series(self, column: int, *, positive: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(steps, values) of one column to draw, in step order, finite (and > 0 if asked)."""
        x, y, keep = self._drawable()
        keep = keep[column]
        if positive:
            keep = keep & (y[column] > 0)
        return x[keep], y[column, keep]

    def coefficient_series(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        return self.series(FIRST_COEFFICIENT + index)

    def _drawable(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """x (2m,), y (columns, 2m) and which points to keep, for every column at once (a
        redraw asks for seven columns; one pass over all of them costs about what one did)."""
        if self._drawn is not None:
            return self._drawn
        n = self._n
        lo, hi = self._lo[:n].T, self._hi[:n].T
        first, last = self._first[:n], self._last[:n]
        if self._p_rows:
            lo = np.concatenate((lo, self._p_lo[:, None]), axis=1)
            hi = np.concatenate((hi, self._p_hi[:, None]), axis=1)
            first, last = np.append(first, self._p_first), np.append(last, self._p_last)
        # rising buckets go min -> max, falling ones max -> min, at the bucket's first and last
        # step: exact for monotone stretches, so a smooth curve stays smooth
        middle = lo / 2 + hi / 2  # not (lo + hi) / 2: near 1e308 the sum overflows
        rising = np.diff(middle, axis=1, prepend=middle[:, :1]) >= 0
        m = lo.shape[1]
        x = np.empty(2 * m)
        y = np.empty((self.columns, 2 * m))
        x[0::2], x[1::2] = first, last
        y[:, 0::2], y[:, 1::2] = np.where(rising, lo, hi), np.where(rising, hi, lo)
        keep = np.isfinite(y)
        keep[:, 1::2] &= hi != lo  # a flat bucket (or a single row) is one point, not two
        self._drawn = (x, y, keep)
        return self._drawn

    def truncate_after(self, step: int) -> None:
        """Forget rows after ``step`` (whole buckets: a bucket reaching past it goes too).

        The latest values are forgotten as well; the next batch brings the current ones."""
        keep = int(np.searchsorted(self._last[: self._n], step, side="right"))
        if keep == self._n and (not self._p_rows or self._p_last <= step):
            return
        self._n = keep
        self._start_partial()
        self._drawn = None
        self.rows = keep * self.bucket_size
        self.last_step = None if keep == 0 else int(self._last[keep - 1])
        self.last_loss = self.last_val_loss = self.last_grad_norm = None
        self.last_coefficients = None

    # ---- internals ----

    def _remember_latest(self, steps: np.ndarray, values: np.ndarray) -> None:
        self.last_step = int(steps[-1])
        for column, name in (
            (LOSS, "last_loss"),
            (VAL_LOSS, "last_val_loss"),
            (GRAD_NORM, "last_grad_norm"),
        ):
            row = _last_finite_row(values[column])
            if row is not None:
                setattr(self, name, float(values[column, row]))
        coefficients = values[FIRST_COEFFICIENT:]
        row = _last_finite_row(coefficients)
        if row is not None:
            self.last_coefficients = coefficients[:, row].copy()

    def _start_partial(self) -> None:
        self._p_lo = np.full(self.columns, np.nan)
        self._p_hi = np.full(self.columns, np.nan)
        self._p_rows = 0

    def _fold(self, steps: np.ndarray, values: np.ndarray) -> None:
        i, k = 0, steps.size
        while i < k:
            size = self.bucket_size
            if self._p_rows or k - i < size:
                take = min(size - self._p_rows, k - i)
                block = values[:, i : i + take]
                if self._p_rows == 0:
                    self._p_first = float(steps[i])
                self._p_lo = np.fmin(self._p_lo, np.fmin.reduce(block, axis=1))
                self._p_hi = np.fmax(self._p_hi, np.fmax.reduce(block, axis=1))
                self._p_last = float(steps[i + take - 1])
                self._p_rows += take
                i += take
                if self._p_rows == size:
                    self._push(self._p_lo[None], self._p_hi[None], [self._p_first], [self._p_last])
                    self._start_partial()
            else:
                full = min((k - i) // size, 2 * self.max_buckets - self._n)
                end = i + full * size
                block = values[:, i:end].reshape(self.columns, full, size)
                self._push(
                    np.fmin.reduce(block, axis=2).T,
                    np.fmax.reduce(block, axis=2).T,
                    steps[i:end:size],
                    steps[i + size - 1 : end : size],
                )
                i = end

    def _push(self, lo: np.ndarray, hi: np.ndarray, first: Any, last: Any) -> None:
        """Append completed buckets; merge neighbours pairwise when the store is full."""
        n, m = self._n, lo.shape[0]
        self._lo[n : n + m], self._hi[n : n + m] = lo, hi
        self._first[n : n + m], self._last[n : n + m] = first, last
        self._n = n + m
        if self._n == 2 * self.max_buckets:
            half = self.max_buckets
            self._lo[:half] = np.fmin(self._lo[0::2], self._lo[1::2])
            self._hi[:half] = np.fmax(self._hi[0::2], self._hi[1::2])
            self._first[:half] = self._first[0::2]
            self._last[:half] = self._last[1::2]
            self._n = half
            self.bucket_size *= 2


def _last_finite_row(values: np.ndarray) -> int | None:
    """Index of the last row (last axis) without NaN; the last row is checked first: it almost
    always is, and scanning a 50,000-row batch for it would cost the GUI thread."""
    if not np.isnan(values[..., -1]).any():
        return int(values.shape[-1]) - 1
    bad = np.isnan(values) if values.ndim == 1 else np.isnan(values).any(axis=0)
    rows = np.flatnonzero(~bad)
    return int(rows[-1]) if rows.size else None
