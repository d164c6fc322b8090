"""One method run twice in lockstep, in float32 and in float64: why the numbers differ.

torch computes in float32 (single precision) by default, as the chapter's listing 2 does; NumPy
in float64 (double precision). ``precision_run`` runs the same config in both dtypes step by
step (a ``LockstepRun`` with exact steps: it also records the largest coefficient difference);
``precision_check`` does it headless and returns the per-step losses and differences.
``summation_orders`` shows the other half of the story: the same float32 terms added in a
different order give a different float32 sum.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gradlab.core.compare import LockstepRun
from gradlab.core.config import Config
from gradlab.core.data import make_dataset
from gradlab.core.features import feature_matrix
from gradlab.core.history import HistoryBatch

__all__ = [
    "DEFAULT_PRECISION_METHOD",
    "DTYPES_COMPARED",
    "PrecisionResult",
    "SummationOrders",
    "digits",
    "loss_differences",
    "machine_epsilon",
    "precision_check",
    "precision_configs",
    "precision_run",
    "summation_orders",
]

DTYPES_COMPARED = ("float32", "float64")
DEFAULT_PRECISION_METHOD = "torch-autograd"  # the chapter's listing 2, in torch's float32


def machine_epsilon(dtype: str) -> float:
    """The gap between 1 and the next number of ``dtype`` (2**-23 or 2**-52)."""
    return float(np.finfo(np.dtype(dtype)).eps)


def digits(dtype: str) -> int:
    """About how many significant decimal digits ``dtype`` keeps: −log10(eps), rounded (7, 16)."""
    return round(-math.log10(machine_epsilon(dtype)))


def precision_configs(base: Config, method: str | None = None) -> list[Config]:
    """``base`` with ``method`` (default: its own) in float32 and in float64."""
    changes: dict[str, object] = {}
    if method is not None:
        changes["training.method"] = method
    return [base.with_changes(**changes, **{"model.dtype": d}) for d in DTYPES_COMPARED]


def precision_run(base: Config, method: str | None = None) -> LockstepRun:
    """The two runs in exact lockstep, labelled "float32" and "float64" (for the GUI worker)."""
    return LockstepRun(precision_configs(base, method), DTYPES_COMPARED, exact_steps=True)


def loss_differences(runs: Sequence[HistoryBatch]) -> tuple[np.ndarray, np.ndarray]:
    """(steps, |loss float32 − loss float64|) of the rows both batches hold."""
    single, double = runs
    common, i, j = np.intersect1d(single.steps, double.steps, return_indices=True)
    with np.errstate(all="ignore"):
        return common, np.abs(single.loss[i] - double.loss[j])


@dataclass(frozen=True, eq=False)
class PrecisionResult:
    """Per step: each dtype's loss, their difference and the largest coefficient difference.

    ``loss[0]``/``coefficients[0]`` are float32's, ``[1]`` float64's; ``steps[k]`` numbers row k.
    """

    method: str
    steps: np.ndarray
    loss: np.ndarray  # (2, steps)
    loss_difference: np.ndarray
    coefficient_difference: np.ndarray
    final_coefficients: np.ndarray  # (2, coefficients)
    status: str

    @property
    def relative_loss_difference(self) -> np.ndarray:
        with np.errstate(all="ignore"):
            relative: np.ndarray = self.loss_difference / np.abs(self.loss[1])
        return relative


def precision_check(base: Config, steps: int, method: str | None = None) -> PrecisionResult:
    """Run ``method`` (default: ``base``'s) ``steps`` steps in float32 and float64 in lockstep."""
    if steps < 1:
        raise ValueError(f"steps must be >= 1, got {steps}")
    run = precision_run(base.with_changes(**{"training.steps": steps}), method)
    run.advance(steps)
    batches = run.drain().runs
    step_numbers, loss_difference = loss_differences(batches)
    _steps, coefficient_difference, _g, _scale = run.differences()
    single, double = batches
    keep = np.isin(single.steps, step_numbers), np.isin(double.steps, step_numbers)
    return PrecisionResult(
        method=run.configs[0].training.method,
        steps=step_numbers,
        loss=np.vstack([single.loss[keep[0]], double.loss[keep[1]]]),
        loss_difference=loss_difference,
        coefficient_difference=coefficient_difference[: len(step_numbers)],
        final_coefficients=run.coefficients,
        status=run.status,
    )


@dataclass(frozen=True)
class SummationOrders:
    """One float32 loss added up three ways, at the same float32 coefficients.

    ``one_by_one``: the terms added left to right in float32; ``pairwise``: added in float32
    the way NumPy's and torch's sums do (in blocks, then the block sums); ``exact``: the same
    float32 terms added without any rounding (``math.fsum``).
    """

    terms: int
    one_by_one: float
    pairwise: float
    exact: float

    @property
    def order_difference(self) -> float:
        return abs(self.one_by_one - self.pairwise)


def summation_orders(config: Config, coefficients: Sequence[float] | np.ndarray) -> SummationOrders:
    """The loss of ``config``'s training points at ``coefficients``, all in float32."""
    dataset = make_dataset(config)
    m, t = config.model, config.training
    features = feature_matrix(dataset.x, m.degree, m.basis, config.data.x_min, config.data.x_max)
    theta = np.asarray(coefficients, dtype=np.float32)
    residual = features.astype(np.float32) @ theta - dataset.y.astype(np.float32)
    terms = _terms(residual, t.loss, np.float32(t.huber_delta))
    scale = np.float32(len(terms)) if t.reduction == "mean" else np.float32(1)
    one_by_one = np.cumsum(terms, dtype=np.float32)[-1] / scale
    pairwise = np.sum(terms, dtype=np.float32) / scale
    exact = math.fsum(terms.astype(np.float64)) / float(scale)
    return SummationOrders(len(terms), float(one_by_one), float(pairwise), float(exact))


def _terms(residual: np.ndarray, kind: str, delta: np.float32) -> np.ndarray:
    if kind == "squared":
        square: np.ndarray = residual * residual
        return square
    a: np.ndarray = np.abs(residual)
    if kind == "l1":
        return a
    q: np.ndarray = np.minimum(a, delta)
    return q * (a - np.float32(0.5) * q)
