"""Stability advice as data: when the 2/λmax limit applies, what to suggest, why a run diverged.

The UI turns these into sentences in the student's language; nothing here is prose.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from gradlab.core.analysis import Analysis
from gradlab.core.config import Config


def plain_gradient_descent(config: Config) -> bool:
    """True when the update is plain full-batch gradient descent on the squared loss, the case
    where lr < 2/λmax decides stability (the chapter's first two listings, or SGD without
    momentum)."""
    t, o = config.training, config.optimizer
    plain = t.method in ("numpy-manual", "torch-autograd", "torch-function") or (
        t.method == "torch-optim" and o.name == "sgd" and o.momentum == 0
    )
    return plain and t.loss == "squared" and t.batch_size == 0


def suggested_lr(limit: float) -> float:
    """A round learning rate safely below ``limit``: 3.558e-6 -> 3e-6, 1e-5 -> 9e-6."""
    scale = 10.0 ** math.floor(math.log10(limit))
    digit = math.floor(limit / scale * (1 - 1e-9))
    return float(f"{digit * scale:.1g}") if digit >= 1 else float(f"{0.9 * limit:.1g}")


def stable_limit(config: Config, analysis: Analysis | None) -> float | None:
    """The largest stable learning rate when it applies to ``config`` (None otherwise)."""
    limit = analysis.max_stable_lr if analysis is not None else None
    if limit is None or not math.isfinite(limit) or not plain_gradient_descent(config):
        return None
    return float(limit)


@dataclass(frozen=True)
class LrWarning:
    """The learning rate is above the stable limit: plain gradient descent will diverge."""

    lr: float
    limit: float
    suggestion: float


def lr_warning(config: Config, analysis: Analysis | None) -> LrWarning | None:
    """A warning when ``config``'s learning rate is above the limit that applies to it."""
    limit = stable_limit(config, analysis)
    if limit is None or config.training.lr <= limit:
        return None
    return LrWarning(config.training.lr, limit, suggested_lr(limit))


class DivergenceCause(str, Enum):
    LR_ABOVE_LIMIT = "lr-above-limit"  # plain gradient descent with lr > 2/λmax
    LR_TOO_LARGE = "lr-too-large"  # no closed-form limit applies; the step was too large


@dataclass(frozen=True)
class DivergenceAdvice:
    """Why a run diverged and the learning rate to try instead."""

    cause: DivergenceCause
    step: int | None
    lr: float
    suggestion: float
    limit: float | None = None


def divergence_advice(
    config: Config, analysis: Analysis | None, step: int | None
) -> DivergenceAdvice:
    """The explanation of a divergence at ``step`` with ``config``."""
    lr = config.training.lr
    limit = stable_limit(config, analysis)
    if limit is not None and lr > limit:
        return DivergenceAdvice(
            DivergenceCause.LR_ABOVE_LIMIT, step, lr, suggested_lr(limit), limit
        )
    return DivergenceAdvice(DivergenceCause.LR_TOO_LARGE, step, lr, float(f"{lr / 10:.1g}"))


class StabilityKind(str, Enum):
    PLAIN = "plain"  # full-batch gradient descent on the squared loss: lr < 2/λ
    MOMENTUM = "momentum"  # the same with SGD momentum β: a wider limit (see momentum_limit)
    ADAPTIVE = "adaptive"  # Adam, AdamW, RMSprop, Adagrad: steps scaled per coefficient
    NONE = "none"  # mini-batches or another loss: no closed-form limit from the Hessian


@dataclass(frozen=True)
class StabilityRule:
    """Which learning-rate limit applies to a config, as data for the UI to word.

    ``limit`` is the largest stable lr for PLAIN and MOMENTUM (None otherwise); ``plain_limit``
    is 2/λmax of plain gradient descent, for comparison; ``optimizer`` names the torch optimizer
    (or "" for the hand-written methods)."""

    kind: StabilityKind
    limit: float | None
    plain_limit: float | None
    optimizer: str = ""
    momentum: float = 0.0
    nesterov: bool = False


def momentum_limit(curvature: float, momentum: float, nesterov: bool = False) -> float:
    """The largest stable lr of torch's SGD with ``momentum`` β on a quadratic whose largest
    curvature is ``curvature``: heavy ball needs lr·λ < 2(1+β), Nesterov lr·λ < 2(1+β)/(1+2β).

    Both from the 2×2 linear recurrence of (θ, lr·v) per eigen-direction: its eigenvalues stay
    inside the unit circle exactly when 1 + trace + det > 0 (the binding Jury condition)."""
    beta = momentum
    factor = 2 * (1 + beta) / (1 + 2 * beta) if nesterov else 2 * (1 + beta)
    return factor / curvature


def stability_rule(config: Config, analysis: Analysis | None) -> StabilityRule:
    """The learning-rate limit that holds for ``config``, or why none does."""
    t, o = config.training, config.optimizer
    plain_limit = analysis.max_stable_lr if analysis is not None else None
    if plain_limit is not None and not (math.isfinite(plain_limit) and plain_limit > 0):
        plain_limit = None
    optimizer = o.name if t.method == "torch-optim" else ""
    if optimizer and optimizer != "sgd":
        return StabilityRule(StabilityKind.ADAPTIVE, None, plain_limit, optimizer)
    if plain_limit is None or t.loss != "squared" or t.batch_size != 0:
        return StabilityRule(StabilityKind.NONE, None, plain_limit, optimizer)
    curvature = 2.0 / plain_limit + (o.weight_decay if optimizer else 0.0)
    if optimizer and o.momentum > 0:
        limit = momentum_limit(curvature, o.momentum, o.nesterov)
        return StabilityRule(
            StabilityKind.MOMENTUM, limit, plain_limit, optimizer, o.momentum, o.nesterov
        )
    return StabilityRule(StabilityKind.PLAIN, 2.0 / curvature, plain_limit, optimizer)
