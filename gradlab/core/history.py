"""Per-step training history in growable NumPy arrays, with bounded memory.

Each row is one step: its number, the loss of its forward pass, the validation loss (NaN when it
was not measured), the coefficients after its update and the gradient norm.

Memory stays bounded: arrays grow by doubling up to ``row_cap`` rows; when full, the history is
thinned to every other step and the stride doubles, so afterwards only steps that are multiples
of the stride are kept. The newest row is always kept (as a "tail" that the next row replaces when
it is not on the stride), so the latest state is never missing. With the default cap of 2**18
rows a cubic's history never exceeds ~17 MB, however long the run.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gradlab.core.atomic import atomic_write_bytes

ROW_CAP = 2**18
INITIAL_ROWS = 1024


@dataclass(frozen=True, eq=False)
class HistoryBatch:
    """A NumPy-only copy of some history rows (safe to hand to another thread).

    ``rewound_to`` is set when rows after that step were removed (a rewind) since the last
    drain: a receiver that keeps its own copy should drop its rows after that step first.
    """

    steps: np.ndarray  # int64
    loss: np.ndarray
    val_loss: np.ndarray  # NaN where not measured
    coefficients: np.ndarray  # (k, number of coefficients)
    grad_norm: np.ndarray
    status: str = ""
    step_count: int = 0
    diverged_at: int | None = None
    rewound_to: int | None = None

    def __len__(self) -> int:
        return int(self.steps.size)


class History:
    """Growable, thinning arrays of per-step results; see the module docstring."""

    def __init__(self, num_coefficients: int, *, row_cap: int = ROW_CAP) -> None:
        if num_coefficients < 1:
            raise ValueError(f"a history needs at least one coefficient, got {num_coefficients}")
        if row_cap < 4:
            raise ValueError(f"row cap must be >= 4, got {row_cap}")
        self.num_coefficients = num_coefficients
        self.row_cap = row_cap
        self.stride = 1  # only steps that are multiples of this are kept (plus the newest row)
        self._size = 0
        self._allocate(min(INITIAL_ROWS, row_cap))

    def __len__(self) -> int:
        return self._size

    # -- read ---------------------------------------------------------------------------------
    @property
    def steps(self) -> np.ndarray:
        return self._readonly(self._steps)

    @property
    def loss(self) -> np.ndarray:
        return self._readonly(self._loss)

    @property
    def val_loss(self) -> np.ndarray:
        return self._readonly(self._val_loss)

    @property
    def coefficients(self) -> np.ndarray:
        return self._readonly(self._coefficients)

    @property
    def grad_norm(self) -> np.ndarray:
        return self._readonly(self._grad_norm)

    @property
    def last_step(self) -> int:
        """The newest recorded step, 0 when empty."""
        return int(self._steps[self._size - 1]) if self._size else 0

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays (their full capacity)."""
        arrays = (self._steps, self._loss, self._val_loss, self._coefficients, self._grad_norm)
        return sum(a.nbytes for a in arrays)

    def rows_after(self, step: int) -> HistoryBatch:
        """Copies of the rows whose step is greater than ``step``."""
        start = int(np.searchsorted(self._steps[: self._size], step, side="right"))
        end = self._size
        return HistoryBatch(
            steps=self._steps[start:end].copy(),
            loss=self._loss[start:end].copy(),
            val_loss=self._val_loss[start:end].copy(),
            coefficients=self._coefficients[start:end].copy(),
            grad_norm=self._grad_norm[start:end].copy(),
        )

    # -- write --------------------------------------------------------------------------------
    def append(
        self,
        step: int,
        loss: float,
        val_loss: float,
        coefficients: np.ndarray,
        grad_norm: float,
    ) -> None:
        """Record one step (steps must increase)."""
        self.append_block(
            np.array([step], dtype=np.int64),
            np.array([loss], dtype=np.float64),
            np.array([val_loss], dtype=np.float64),
            np.asarray(coefficients, dtype=np.float64).reshape(1, -1),
            np.array([grad_norm], dtype=np.float64),
        )

    def append_block(
        self,
        steps: np.ndarray,
        loss: np.ndarray,
        val_loss: np.ndarray,
        coefficients: np.ndarray,
        grad_norm: np.ndarray,
    ) -> None:
        """Record consecutive steps at once (the arrays are copied, not kept)."""
        steps = np.asarray(steps, dtype=np.int64).reshape(-1)
        count = steps.size
        if count == 0:
            return
        coefficients = np.asarray(coefficients, dtype=np.float64).reshape(count, -1)
        if coefficients.shape[1] != self.num_coefficients:
            raise ValueError(
                f"expected {self.num_coefficients} coefficients per row, "
                f"got {coefficients.shape[1]}"
            )
        columns = (steps, loss, val_loss, coefficients, grad_norm)
        self._drop_tail()
        if self._size and steps[0] <= self._steps[self._size - 1]:
            raise ValueError(f"history steps must increase: got {steps[0]} after {self.last_step}")
        if self.stride == 1 and self._size + count <= self.row_cap:  # the common case
            self._write(slice(0, count), columns)
            return
        start = 0
        while True:
            keep = steps[start:] % self.stride == 0
            keep[-1] = True  # the newest row is always kept
            rows = start + np.flatnonzero(keep)
            room = self.row_cap - self._size
            if rows.size <= room:
                self._write(rows, columns)
                return
            # fill what fits, thin the history, and filter the rest with the new stride
            self._write(rows[:room], columns)
            start = int(rows[room - 1]) + 1 if room else start
            self._thin()
            self._drop_tail()

    def truncate_after(self, step: int) -> None:
        """Forget the rows after ``step`` (a rewind)."""
        self._size = int(np.searchsorted(self._steps[: self._size], step, side="right"))

    def clear(self) -> None:
        self._size = 0
        self.stride = 1

    def to_csv(self, path: str | os.PathLike[str], coefficient_names: Sequence[str]) -> None:
        """Write ``step,loss,val_loss,a,b,...,grad_norm`` rows (full precision), atomically."""
        names = list(coefficient_names)
        if len(names) != self.num_coefficients:
            raise ValueError(
                f"expected {self.num_coefficients} coefficient names, got {len(names)}"
            )
        header = ",".join(["step", "loss", "val_loss", *names, "grad_norm"])
        lines = [header]
        size = self._size
        table = np.column_stack(
            (
                self._loss[:size],
                self._val_loss[:size],
                self._coefficients[:size],
                self._grad_norm[:size],
            )
        )
        for step, values in zip(self._steps[:size].tolist(), table.tolist(), strict=True):
            lines.append(f"{step}," + ",".join(repr(v) for v in values))
        atomic_write_bytes(path, ("\n".join(lines) + "\n").encode("utf-8"))

    # -- internals ----------------------------------------------------------------------------
    def _allocate(self, rows: int) -> None:
        old_size = self._size
        p = self.num_coefficients
        new = (
            np.zeros(rows, dtype=np.int64),
            np.full(rows, np.nan),
            np.full(rows, np.nan),
            np.full((rows, p), np.nan),
            np.full(rows, np.nan),
        )
        if old_size:
            for target, source in zip(new, self._arrays(), strict=True):
                target[:old_size] = source[:old_size]
        self._steps, self._loss, self._val_loss, self._coefficients, self._grad_norm = new

    def _arrays(self) -> tuple[np.ndarray, ...]:
        return (self._steps, self._loss, self._val_loss, self._coefficients, self._grad_norm)

    def _readonly(self, array: np.ndarray) -> np.ndarray:
        view = array[: self._size]
        view.flags.writeable = False
        return view

    def _write(self, rows: np.ndarray | slice, columns: tuple[np.ndarray, ...]) -> None:
        count = rows.stop - rows.start if isinstance(rows, slice) else rows.size
        if count == 0:
            return
        needed = self._size + count
        if needed > self._steps.size:
            self._allocate(min(self.row_cap, max(needed, 2 * self._steps.size)))
        end = self._size + count
        for target, source in zip(self._arrays(), columns, strict=True):
            target[self._size : end] = np.asarray(source)[rows]
        self._size = end

    def _drop_tail(self) -> None:
        """Remove the newest row if it is off the stride: the next rows supersede it."""
        if self._size and self._steps[self._size - 1] % self.stride != 0:
            self._size -= 1

    def _thin(self) -> None:
        """Keep every other stride-aligned row (and the newest row); double the stride."""
        self.stride *= 2
        size = self._size
        keep = self._steps[:size] % self.stride == 0
        keep[size - 1] = True
        rows = np.flatnonzero(keep)
        for array in self._arrays():
            array[: rows.size] = array[rows]
        self._size = rows.size
