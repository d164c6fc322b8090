"""What the compare dock keeps of each run trained in lockstep, and which of the four-way
check's methods parts from NumPy by hand's numbers: arrays only, no text (the view words it)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


class RunSeries:
    """Growing arrays of one compared run."""

    def __init__(self) -> None:
        self.steps: list[np.ndarray] = []
        self.loss: list[np.ndarray] = []
        self.coefficients: list[np.ndarray] = []

    def add(self, batch: Any) -> None:
        if len(batch.steps):
            self.steps.append(np.asarray(batch.steps))
            self.loss.append(np.asarray(batch.loss))
            self.coefficients.append(np.asarray(batch.coefficients))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if not self.steps:
            return np.zeros(0), np.zeros(0), np.zeros((0, 0))
        return (
            np.concatenate(self.steps),
            np.concatenate(self.loss),
            np.concatenate(self.coefficients),
        )


def most_different(labels: Sequence[str], series: Sequence[RunSeries]) -> str | None:
    """The label of the run whose coefficients part furthest from the first run's, when that is
    more than rounding (a thousandth of their size); None when all agree."""
    if len(series) < 2:
        return None
    reference = series[0].arrays()[2]
    worst, largest = None, 0.0
    for label, run in zip(labels[1:], series[1:], strict=False):
        coefficients = run.arrays()[2]
        rows = min(len(reference), len(coefficients))
        if not rows:
            continue
        with np.errstate(all="ignore"):
            gap = float(np.max(np.abs(coefficients[:rows] - reference[:rows])))
            scale = float(np.max(np.abs(reference[:rows])))
        if gap > 1e-3 * scale and gap > largest:
            worst, largest = label, gap
    return worst
