"""What the live plots draw, kept small however long the run: a min/max envelope per bucket.

The worker sends HistoryBatch rows (step, loss, val_loss, grad_norm, coefficients). Keeping
every row of a 100-million-step run would need gigabytes and draw millions of points, so rows
are folded into at most ``2 * max_buckets`` buckets; each bucket remembers, per column, its
smallest and largest finite value and the steps where they occurred. When the buckets fill up,
neighbours merge pairwise and the bucket size doubles. A curve therefore never has more than
``4 * max_buckets + 2`` points, and spikes (a divergence, a noisy loss) are never thinned away.
Non-finite values (NaN, inf) are dropped on purpose: they cannot be drawn, and a log axis also
needs positive values (``series(..., positive=True)``).

Pure NumPy, no Qt, so it is tested directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

LOSS, VAL_LOSS, GRAD_NORM = 0, 1, 2
FIRST_COEFFICIENT = 3
DEFAULT_MAX_BUCKETS = 1024  # -> at most 4,098 points per curve


@dataclass
class _Envelope:
    """Per column: smallest value and its step, largest value and its step (empty: ±inf)."""

    lo: np.ndarray
    lo_x: np.ndarray
    hi: np.ndarray
    hi_x: np.ndarray

    @classmethod
    def empty(cls, shape: tuple[int, ...]) -> _Envelope:
        return cls(
            np.full(shape, np.inf), np.zeros(shape), np.full(shape, -np.inf), np.zeros(shape)
        )

    @classmethod
    def of_block(cls, steps: np.ndarray, values: np.ndarray) -> _Envelope:
        """Reduce ``values`` (buckets, rows, columns) along the rows; NaN counts as missing."""
        missing = np.isnan(values)
        low = np.where(missing, np.inf, values)
        high = np.where(missing, -np.inf, values)
        lo_i = low.argmin(axis=1)[:, None, :]
        hi_i = high.argmax(axis=1)[:, None, :]
        x = np.broadcast_to(steps[:, :, None], values.shape)
        return cls(
            np.take_along_axis(low, lo_i, axis=1)[:, 0, :],
            np.take_along_axis(x, lo_i, axis=1)[:, 0, :],
            np.take_along_axis(high, hi_i, axis=1)[:, 0, :],
            np.take_along_axis(x, hi_i, axis=1)[:, 0, :],
        )

    @staticmethod
    def combine(a: _Envelope, b: _Envelope) -> _Envelope:
        """The envelope of two consecutive envelopes (a before b)."""
        take_b_lo = b.lo < a.lo
        take_b_hi = b.hi > a.hi
        return _Envelope(
            np.where(take_b_lo, b.lo, a.lo),
            np.where(take_b_lo, b.lo_x, a.lo_x),
            np.where(take_b_hi, b.hi, a.hi),
            np.where(take_b_hi, b.hi_x, a.hi_x),
        )


class PlotBuffer:
    """Accumulates history rows; ``series(column)`` gives the decimated (steps, values) to draw.

    Columns: ``LOSS``, ``VAL_LOSS``, ``GRAD_NORM``, then one per coefficient
    (``FIRST_COEFFICIENT + k``). The latest raw values are kept for the read-outs.
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
        self._buckets = _Envelope.empty((capacity, self.columns))
        self._n = 0  # completed buckets
        self.bucket_size = 1  # rows per completed bucket
        self._partial = _Envelope.empty((1, self.columns))
        self._partial_rows = 0
        self.rows = 0  # rows seen in total
        self.last_step: int | None = None
        self.last_loss: float | None = None  # latest finite values, for the read-outs
        self.last_val_loss: float | None = None
        self.last_grad_norm: float | None = None
        self.last_coefficients: np.ndarray | None = None

    def __len__(self) -> int:
        return self.rows

    def append(self, batch: Any) -> int:
        """Add a HistoryBatch's rows (steps, loss, val_loss, grad_norm, coefficients)."""
        steps = np.asarray(batch.steps, dtype=np.float64).reshape(-1)
        k = steps.size
        if k == 0:
            return 0
        values = np.empty((k, self.columns))
        values[:, LOSS] = np.asarray(batch.loss, dtype=np.float64).reshape(-1)
        values[:, VAL_LOSS] = np.asarray(batch.val_loss, dtype=np.float64).reshape(-1)
        values[:, GRAD_NORM] = np.asarray(batch.grad_norm, dtype=np.float64).reshape(-1)
        coefficients = np.asarray(batch.coefficients, dtype=np.float64)
        values[:, FIRST_COEFFICIENT:] = coefficients.reshape(k, self.n_coefficients)
        values[~np.isfinite(values)] = np.nan  # dropped deliberately: cannot be drawn
        self._remember_latest(steps, values)
        self._fold(steps, values)
        self.rows += k
        return k

    def series(self, column: int, *, positive: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(steps, values) of one column to draw, in step order, finite (and > 0 if asked)."""
        parts = [self._bucket_slice(self._n)]
        if self._partial_rows:
            parts.append(self._partial)
        lo = np.concatenate([p.lo[:, column] for p in parts])
        lo_x = np.concatenate([p.lo_x[:, column] for p in parts])
        hi = np.concatenate([p.hi[:, column] for p in parts])
        hi_x = np.concatenate([p.hi_x[:, column] for p in parts])
        lo_first = lo_x <= hi_x
        x = np.empty(2 * lo.size)
        y = np.empty(2 * lo.size)
        x[0::2] = np.where(lo_first, lo_x, hi_x)
        y[0::2] = np.where(lo_first, lo, hi)
        x[1::2] = np.where(lo_first, hi_x, lo_x)
        y[1::2] = np.where(lo_first, hi, lo)
        keep = np.isfinite(y)
        keep[1::2] &= x[1::2] != x[0::2]  # a single-row bucket gives one point, not two
        if positive:
            keep &= y > 0
        return x[keep], y[keep]

    def coefficient_series(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        return self.series(FIRST_COEFFICIENT + index)

    # ---- internals ----

    def _bucket_slice(self, n: int) -> _Envelope:
        b = self._buckets
        return _Envelope(b.lo[:n], b.lo_x[:n], b.hi[:n], b.hi_x[:n])

    def _remember_latest(self, steps: np.ndarray, values: np.ndarray) -> None:
        self.last_step = int(steps[-1])
        for column, name in (
            (LOSS, "last_loss"),
            (VAL_LOSS, "last_val_loss"),
            (GRAD_NORM, "last_grad_norm"),
        ):
            finite = np.flatnonzero(~np.isnan(values[:, column]))
            if finite.size:
                setattr(self, name, float(values[finite[-1], column]))
        rows_ok = np.flatnonzero(~np.isnan(values[:, FIRST_COEFFICIENT:]).any(axis=1))
        if rows_ok.size:
            self.last_coefficients = values[rows_ok[-1], FIRST_COEFFICIENT:].copy()

    def _fold(self, steps: np.ndarray, values: np.ndarray) -> None:
        i, k = 0, steps.size
        while i < k:
            size = self.bucket_size
            if self._partial_rows or k - i < size:
                take = min(size - self._partial_rows, k - i)
                block = _Envelope.of_block(steps[None, i : i + take], values[None, i : i + take])
                self._partial = _Envelope.combine(self._partial, block)
                self._partial_rows += take
                i += take
                if self._partial_rows == size:
                    self._push(self._partial)
                    self._partial = _Envelope.empty((1, self.columns))
                    self._partial_rows = 0
            else:
                room = 2 * self.max_buckets - self._n
                full = min((k - i) // size, room)
                end = i + full * size
                block = _Envelope.of_block(
                    steps[i:end].reshape(full, size),
                    values[i:end].reshape(full, size, self.columns),
                )
                self._push(block)
                i = end

    def _push(self, block: _Envelope) -> None:
        """Append completed buckets; merge pairs when the store is full."""
        n, m = self._n, block.lo.shape[0]
        b = self._buckets
        for mine, theirs in (
            (b.lo, block.lo),
            (b.lo_x, block.lo_x),
            (b.hi, block.hi),
            (b.hi_x, block.hi_x),
        ):
            mine[n : n + m] = theirs
        self._n = n + m
        if self._n == 2 * self.max_buckets:
            even = _Envelope(b.lo[0::2], b.lo_x[0::2], b.hi[0::2], b.hi_x[0::2])
            odd = _Envelope(b.lo[1::2], b.lo_x[1::2], b.hi[1::2], b.hi_x[1::2])
            merged = _Envelope.combine(even, odd)
            half = self.max_buckets
            self._buckets = _Envelope.empty((2 * half, self.columns))
            for mine, theirs in (
                (self._buckets.lo, merged.lo),
                (self._buckets.lo_x, merged.lo_x),
                (self._buckets.hi, merged.hi),
                (self._buckets.hi_x, merged.hi_x),
            ):
                mine[:half] = theirs
            self._n = half
            self.bucket_size *= 2
