"""The learning rate each method and optimizer needs on this problem, with the numbers why.

Plain gradient descent is stable below 2/λmax (the analysis's limit): suggest a round rate just
under it; with SGD momentum the wider or narrower limit of ``advice.stability_rule``. Adaptive
optimizers (RMSprop, Adam, AdamW) take steps of the order of lr whatever the curvature, so
lr × steps must cover the largest distance D from the start to the optimum a few times;
Adagrad's steps shrink like 1/√t for a steady gradient, so it covers about 2 lr √steps.
Pure data: the UI words it and asks before changing anything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gradlab.core.analysis import Analysis
from gradlab.core.compare import compare_config
from gradlab.core.config import Config
from gradlab.core.methods.base import initial_coefficients
from gradlab.model.advice import StabilityKind, stability_rule

# how many times lr × steps should cover the distance to the optimum (measured on the chapter's
# problem: RMSprop jitters at about lr per step, so it gets the smaller margin)
COVER = {"rmsprop": 2.0, "adam": 5.0, "adamw": 5.0, "adagrad": 5.0}
FAR = 4.0  # a current lr more than this factor away from the suggestion gets the offer


@dataclass(frozen=True)
class LrSuggestion:
    """A learning rate for ``config`` and why: ``rule`` is "stable_limit", "momentum_limit",
    "nesterov_limit" (``limit``: the rate above which the run diverges) or "distance"
    (``distance`` D to cover ``cover`` times in ``steps`` steps; ``sqrt_steps`` for Adagrad)."""

    lr: float
    rule: str
    optimizer: str | None  # None for the methods that do plain gradient descent
    limit: float | None = None
    momentum: float = 0.0
    distance: float | None = None
    steps: int = 0
    cover: float = 0.0
    sqrt_steps: bool = False

    @property
    def covered(self) -> float:
        """How far the suggested lr can move a coefficient in all the steps: lr × steps (or
        2 lr √steps for Adagrad); 0 for the limit rules."""
        if self.rule != "distance":
            return 0.0
        return 2 * self.lr * math.sqrt(self.steps) if self.sqrt_steps else self.lr * self.steps

    @property
    def times(self) -> float:
        """``covered`` / ``distance``: how many times the suggested lr covers the distance."""
        return self.covered / self.distance if self.distance else 0.0


def round_down(value: float) -> float:
    """One significant digit, never above ``value``: 6.4e-6 -> 6e-6, 3.558e-6 -> 3e-6."""
    scale = 10.0 ** math.floor(math.log10(value))
    digit = math.floor(value / scale * (1 + 1e-12))
    return float(f"{max(digit, 1) * scale:.1g}")


def lr_suggestion(config: Config, analysis: Analysis | None) -> LrSuggestion | None:
    """The learning rate ``config``'s method and optimizer need here (None without analysis)."""
    if analysis is None:
        return None
    t = config.training
    optimizer = config.optimizer.name if t.method == "torch-optim" else None
    if optimizer in COVER:
        return _distance_rule(config, analysis, optimizer)
    rule = stability_rule(config, analysis)
    # no closed-form limit (another loss, mini-batches): the curvature scale still sets it
    limit = rule.limit if rule.limit is not None else rule.plain_limit
    if limit is None:
        return None
    lr = round_down(limit * (1 - 1e-9))
    if rule.kind is StabilityKind.MOMENTUM:
        kind = "nesterov_limit" if rule.nesterov else "momentum_limit"
        return LrSuggestion(lr, kind, optimizer, limit, rule.momentum)
    return LrSuggestion(lr, "stable_limit", optimizer, limit)


def _distance_rule(config: Config, analysis: Analysis, optimizer: str) -> LrSuggestion | None:
    start = initial_coefficients(config)
    distance = float(np.max(np.abs(np.asarray(analysis.optimum_coefficients) - start)))
    steps = config.training.steps
    if not (math.isfinite(distance) and distance > 0 and steps > 0):
        return None
    cover = COVER[optimizer]
    sqrt_steps = optimizer == "adagrad"
    reach = 2 * math.sqrt(steps) if sqrt_steps else steps
    lr = round_down(cover * distance / reach)
    return LrSuggestion(lr, "distance", optimizer, None, 0.0, distance, steps, cover, sqrt_steps)


def lr_offer(config: Config, analysis: Analysis | None) -> LrSuggestion | None:
    """The suggestion, when ``config``'s own learning rate is more than FAR times off it."""
    suggestion = lr_suggestion(config, analysis)
    if suggestion is None:
        return None
    ratio = config.training.lr / suggestion.lr
    return suggestion if ratio > FAR or ratio < 1 / FAR else None


def compare_learning_rates(
    base: Config, names: tuple[str, ...] | list[str], analysis: Analysis | None
) -> dict[str, LrSuggestion] | None:
    """A suited rate per compared optimizer (keys of COMPARE_CHOICES), by the same rules, for
    ``base``'s data, start and step count; None when one cannot be computed."""
    rates = {name: lr_suggestion(compare_config(base, name), analysis) for name in names}
    if any(rate is None for rate in rates.values()):
        return None
    return {name: rate for name, rate in rates.items() if rate is not None}
