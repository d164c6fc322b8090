"""The loss explorer's numbers: the chapter's loss demo (L1 and squared error of [1, 2, 3]
against [1, 2, 5]) made live, plus Huber, and cross-entropy as −log p(correct class).

Everything is computed twice, on purpose: by the formula written out in NumPy (float64) and by
torch's own loss modules (``nn.L1Loss``, ``nn.MSELoss``, ``nn.HuberLoss``, ``F.cross_entropy``)
in float32, the chapter's dtype. torch is imported only inside the ``torch_*`` functions, so
a window that never opens the explorer never imports it.

User text is parsed number by number (``parse_vector``), never evaluated; a bad entry raises
``VectorError`` whose ``message`` (an id and values) the UI turns into a sentence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gradlab.core.losses import loss_grad_wrt_pred, loss_value
from gradlab.core.messages import Message

__all__ = [
    "DEFAULT_DATASET",
    "DEFAULT_PREDICTIONS",
    "DEFAULT_TARGETS",
    "KINDS",
    "REDUCTIONS",
    "ClassificationNumbers",
    "RegressionNumbers",
    "VectorError",
    "classification_numbers",
    "loss_curves",
    "parse_vector",
    "regression_numbers",
    "torch_classification",
    "torch_regression",
]

KINDS = ("l1", "squared", "huber")  # the order the explorer lists them in
REDUCTIONS = ("sum", "mean")
DEFAULT_PREDICTIONS = (1.0, 2.0, 3.0)  # the chapter's y_pred
DEFAULT_TARGETS = (1.0, 2.0, 5.0)  # the chapter's y
# a small classification data set: each sample's logits for 3 classes and its correct class
DEFAULT_DATASET: tuple[tuple[tuple[float, ...], int], ...] = (
    ((2.0, 1.0, 0.1), 0),
    ((0.5, 2.5, 0.3), 1),
    ((1.0, 1.0, 1.0), 2),
)
MAX_ENTRIES = 12  # a vector a student can read at a glance
MAX_MAGNITUDE = 1e6  # squares stay far from float32's limit (3.4e38)
CURVE_POINTS = 401
_SEPARATORS = re.compile(r"[\s,;，；]+")


class VectorError(ValueError):
    """A vector field cannot be read; ``message`` says why as an id and values."""

    def __init__(self, message: Message) -> None:
        super().__init__(f"{message.id}: {dict(message.values)}")
        self.message = message


def parse_vector(text: str, *, max_entries: int = MAX_ENTRIES) -> tuple[float, ...]:
    """``"[1, 2, 3]"``, ``"1 2 3"`` or ``"1，2，3"`` → (1.0, 2.0, 3.0); numbers only.

    Each entry goes through ``float()`` alone (no expressions); NaN, infinities and entries
    beyond ±1e6 are refused, as are an empty field and more than ``max_entries`` entries.
    """
    body = text.strip()
    if body.startswith("[") and body.endswith("]"):
        body = body[1:-1]
    tokens = [token for token in _SEPARATORS.split(body) if token]
    if not tokens:
        raise VectorError(Message("vector.empty"))
    if len(tokens) > max_entries:
        raise VectorError(Message("vector.too_many", {"count": len(tokens), "most": max_entries}))
    values = []
    for position, token in enumerate(tokens, start=1):
        try:
            value = float(token.replace("−", "-"))
        except ValueError:
            raise VectorError(
                Message("vector.not_a_number", {"entry": token[:20], "position": position})
            ) from None
        if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
            raise VectorError(
                Message(
                    "vector.too_large",
                    {"entry": token[:20], "position": position, "most": MAX_MAGNITUDE},
                )
            )
        values.append(value)
    return tuple(values)


# ---- regression: L1, squared error, Huber ----------------------------------------------------


@dataclass(frozen=True, eq=False)
class RegressionNumbers:
    """The formula side of the table: per-point terms and each (kind, reduction)'s value.

    ``terms[kind]`` is the per-point loss (|r|, r², huber_δ(r)); ``values[(kind, reduction)]``
    its sum or mean; ``slopes[(kind, reduction)]`` is d(loss)/d(ŷ_i) for the chosen ``index``.
    """

    predictions: np.ndarray
    targets: np.ndarray
    delta: float
    index: int
    terms: dict[str, np.ndarray]
    values: dict[tuple[str, str], float]
    slopes: dict[tuple[str, str], float]


def _check_pair(predictions: Sequence[float], targets: Sequence[float]) -> None:
    if len(predictions) != len(targets):
        raise VectorError(
            Message("vector.lengths", {"predictions": len(predictions), "targets": len(targets)})
        )


def _pointwise(r: np.ndarray, kind: str, delta: float) -> np.ndarray:
    a: np.ndarray = np.abs(r)
    if kind == "l1":
        return a
    if kind == "squared":
        square: np.ndarray = r * r
        return square
    # Huber: ½r² inside the band |r| ≤ δ, δ(|r| − ½δ) outside
    huber: np.ndarray = np.where(a <= delta, 0.5 * r * r, delta * (a - 0.5 * delta))
    return huber


def regression_numbers(
    predictions: Sequence[float], targets: Sequence[float], delta: float = 1.0, index: int = -1
) -> RegressionNumbers:
    """The losses of ``predictions`` against ``targets`` by the formula (float64)."""
    _check_pair(predictions, targets)
    if not delta > 0:
        raise VectorError(Message("vector.delta", {"delta": delta}))
    p = np.asarray(predictions, dtype=np.float64)
    y = np.asarray(targets, dtype=np.float64)
    index = index % len(p)
    r = p - y
    terms = {kind: _pointwise(r, kind, delta) for kind in KINDS}
    values: dict[tuple[str, str], float] = {}
    slopes: dict[tuple[str, str], float] = {}
    for kind in KINDS:
        total = float(np.sum(terms[kind]))
        values[(kind, "sum")] = total
        values[(kind, "mean")] = total / len(p)
        for reduction in REDUCTIONS:
            grad = loss_grad_wrt_pred(r, kind, reduction, delta)
            slopes[(kind, reduction)] = float(grad[index])
    return RegressionNumbers(p, y, float(delta), index, terms, values, slopes)


def torch_regression(
    predictions: Sequence[float], targets: Sequence[float], delta: float = 1.0, index: int = -1
) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """The same by torch's loss modules in float32, as the chapter's listing: (values, slopes),
    the slopes being ``y_pred.grad[index]`` after ``loss.backward()``."""
    import torch

    _check_pair(predictions, targets)
    modules: dict[str, type[torch.nn.modules.loss._Loss]] = {
        "l1": torch.nn.L1Loss,
        "squared": torch.nn.MSELoss,
    }
    values: dict[tuple[str, str], float] = {}
    slopes: dict[tuple[str, str], float] = {}
    y = torch.tensor(targets, dtype=torch.float32)
    for kind in KINDS:
        for reduction in REDUCTIONS:
            loss_fn: torch.nn.Module
            if kind == "huber":
                loss_fn = torch.nn.HuberLoss(reduction=reduction, delta=delta)
            else:
                loss_fn = modules[kind](reduction=reduction)
            y_pred = torch.tensor(predictions, dtype=torch.float32, requires_grad=True)
            loss = loss_fn(y_pred, y)
            loss.backward()
            assert y_pred.grad is not None
            values[(kind, reduction)] = float(loss.item())
            slopes[(kind, reduction)] = float(y_pred.grad[index].item())
    return values, slopes


def loss_curves(
    numbers: RegressionNumbers, reduction: str, points: int = CURVE_POINTS
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Each loss as a function of the chosen prediction ŷ_i, the others fixed: (ŷ_i grid,
    loss per kind, d(loss)/d(ŷ_i) per kind). The grid spans the target ± the larger of 3 and
    1.5 × the distance to the current prediction, so both stay in view, and holds ŷ_i."""
    i, p, y = numbers.index, numbers.predictions, numbers.targets
    half = max(3.0, 1.5 * abs(p[i] - y[i]), 2.0 * numbers.delta)
    # the current prediction is on the grid itself, so the curves pass through the table
    grid = np.union1d(np.linspace(y[i] - half, y[i] + half, points), [p[i]])
    others = p - y
    losses: dict[str, np.ndarray] = {}
    slopes: dict[str, np.ndarray] = {}
    for kind in KINDS:
        fixed = float(np.sum(np.delete(_pointwise(others, kind, numbers.delta), i)))
        r = grid - y[i]
        total = fixed + _pointwise(r, kind, numbers.delta)
        grad = loss_grad_wrt_pred(r, kind, "sum", numbers.delta)
        if reduction == "mean":
            total, grad = total / len(p), grad / len(p)
        losses[kind], slopes[kind] = total, grad
    return grid, losses, slopes


def library_value(
    predictions: Sequence[float], targets: Sequence[float], kind: str, reduction: str, delta: float
) -> float:
    """The same loss by GradLab's training code (``gradlab.core.losses``), for the tests."""
    residual = np.asarray(predictions, float) - np.asarray(targets, float)
    return loss_value(residual, kind, reduction, delta)


# ---- classification: softmax, cross-entropy, likelihood ------------------------------------


@dataclass(frozen=True, eq=False)
class ClassificationNumbers:
    """Softmax and cross-entropy of each sample, and what they mean for the whole data set.

    ``probabilities[n]`` is sample n's softmax; ``correct_probability[n]`` = p(its class);
    ``cross_entropy[n]`` = −log of that. The likelihood of the data set is the product of
    the ``correct_probability``; −log(likelihood) equals the sum of the cross-entropies.
    ``better_*`` repeat the numbers with sample 0's correct logit raised by 1.
    """

    logits: np.ndarray
    labels: np.ndarray
    probabilities: np.ndarray
    correct_probability: np.ndarray
    cross_entropy: np.ndarray
    mean_cross_entropy: float
    likelihood: float
    negative_log_likelihood: float
    better_mean_cross_entropy: float
    better_likelihood: float


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)  # same result, no overflow
    e: np.ndarray = np.exp(shifted)
    probabilities: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return probabilities


def _check_dataset(logits: Sequence[Sequence[float]], labels: Sequence[int]) -> np.ndarray:
    if not logits or len(logits) != len(labels):
        raise VectorError(Message("vector.samples", {"samples": len(logits)}))
    widths = {len(row) for row in logits}
    if len(widths) != 1 or min(widths) < 2:
        raise VectorError(Message("vector.classes", {"classes": len(logits[0])}))
    classes = widths.pop()
    for label in labels:
        if not 0 <= label < classes:
            raise VectorError(Message("vector.label", {"label": label + 1, "classes": classes}))
    return np.asarray(logits, dtype=np.float64)


def classification_numbers(
    logits: Sequence[Sequence[float]], labels: Sequence[int]
) -> ClassificationNumbers:
    """Cross-entropy by the formula: softmax, then −log p(correct class), per sample."""
    z = _check_dataset(logits, labels)
    index = np.asarray(labels, dtype=np.int64)
    rows = np.arange(len(z))

    def summary(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        probabilities = _softmax(z)
        correct = probabilities[rows, index]
        # −log softmax, written as log Σ exp − z_correct: exact even where p underflows
        top = z.max(axis=1)
        log_sum = top + np.log(np.exp(z - top[:, None]).sum(axis=1))
        return probabilities, correct, log_sum - z[rows, index]

    probabilities, correct, cross_entropy = summary(z)
    nll = float(cross_entropy.sum())
    better = z.copy()
    better[0, index[0]] += 1.0
    _p, _correct, better_ce = summary(better)
    return ClassificationNumbers(
        logits=z,
        labels=index,
        probabilities=probabilities,
        correct_probability=correct,
        cross_entropy=cross_entropy,
        mean_cross_entropy=nll / len(z),
        likelihood=float(np.exp(-nll)),
        negative_log_likelihood=nll,
        better_mean_cross_entropy=float(better_ce.mean()),
        better_likelihood=float(np.exp(-better_ce.sum())),
    )


def torch_classification(
    logits: Sequence[Sequence[float]], labels: Sequence[int]
) -> tuple[float, float, np.ndarray]:
    """``F.cross_entropy`` in float32: (mean, sum, per sample with reduction="none")."""
    import torch
    import torch.nn.functional as F

    _check_dataset(logits, labels)
    z = torch.tensor(logits, dtype=torch.float32)
    target = torch.tensor(labels, dtype=torch.int64)
    mean = float(F.cross_entropy(z, target).item())
    total = float(F.cross_entropy(z, target, reduction="sum").item())
    each = F.cross_entropy(z, target, reduction="none").detach().numpy().astype(np.float64)
    return mean, total, each
