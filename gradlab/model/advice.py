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
    plain = t.method in ("numpy-manual", "torch-autograd") or (
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
