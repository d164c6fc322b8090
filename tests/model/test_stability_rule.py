"""Which learning-rate limit applies to which optimizer, checked against torch's own updates."""

from __future__ import annotations

import math

import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from gradlab.core.analysis import Analysis
from gradlab.core.config import OPTIMIZERS, Config
from gradlab.model.advice import StabilityKind, momentum_limit, stability_rule


class _Analysis:
    """The one number stability_rule reads."""

    def __init__(self, max_stable_lr: float) -> None:
        self.max_stable_lr = max_stable_lr


def _rule(config: Config, limit: float = 1e-3):
    analysis: Analysis = _Analysis(limit)  # type: ignore[assignment]
    return stability_rule(config, analysis)


def _sgd_grows(lr: float, curvature: float, momentum: float, nesterov: bool) -> bool:
    """Run torch's SGD on the quadratic curvature·θ²/2: has |θ| grown after 800 steps?"""
    theta = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([theta], lr=lr, momentum=momentum, nesterov=nesterov)
    for _ in range(800):
        opt.zero_grad()
        (0.5 * curvature * theta**2).sum().backward()
        opt.step()
    return not abs(float(theta.detach())) < 1.0


@settings(max_examples=30, deadline=None)
@given(
    name=st.sampled_from(OPTIMIZERS),
    momentum=st.sampled_from([0.0, 0.5, 0.9]),
    nesterov=st.booleans(),
    method=st.sampled_from(["numpy-manual", "torch-autograd", "torch-optim"]),
)
def test_the_2_over_lambda_limit_is_claimed_only_for_plain_gradient_descent(
    name, momentum, nesterov, method
):
    changes = {
        "training.method": method,
        "optimizer.name": name,
        "optimizer.momentum": momentum if name in ("sgd", "rmsprop") else 0.0,
        "optimizer.nesterov": nesterov and momentum > 0 and name == "sgd",
    }
    config = Config().with_changes(**changes)
    rule = _rule(config)
    o = config.optimizer
    if method != "torch-optim":
        assert rule.kind is StabilityKind.PLAIN and rule.limit == 1e-3
    elif name != "sgd":
        assert rule.kind is StabilityKind.ADAPTIVE and rule.limit is None
        assert rule.optimizer == name
    elif o.momentum == 0:
        assert rule.kind is StabilityKind.PLAIN and rule.limit == 1e-3
    else:
        assert rule.kind is StabilityKind.MOMENTUM
        assert rule.limit is not None
        if o.nesterov:  # Nesterov's look-ahead narrows it: 2(1+β)/(1+2β) < 2
            assert rule.limit < 1e-3
        else:  # heavy-ball momentum widens it: 2(1+β) > 2
            assert rule.limit > 1e-3
    assert rule.plain_limit == 1e-3


@settings(max_examples=10, deadline=None)
@given(momentum=st.floats(0.1, 0.95), nesterov=st.booleans(), curvature=st.floats(0.5, 50))
def test_the_momentum_limit_is_where_torch_sgd_starts_to_diverge(momentum, nesterov, curvature):
    limit = momentum_limit(curvature, momentum, nesterov)
    assert not _sgd_grows(0.9 * limit, curvature, momentum, nesterov)
    assert _sgd_grows(1.1 * limit, curvature, momentum, nesterov)


def test_mini_batches_and_other_losses_have_no_closed_form_limit():
    for changes in ({"training.batch_size": 32}, {"training.loss": "absolute"}):
        try:
            config = Config().with_changes(**changes)
        except ValueError:
            continue
        rule = _rule(config)
        assert rule.kind is StabilityKind.NONE and rule.limit is None


def test_weight_decay_adds_to_the_curvature_of_plain_sgd():
    config = Config().with_changes(
        **{"training.method": "torch-optim", "optimizer.name": "sgd", "optimizer.weight_decay": 1.0}
    )
    rule = _rule(config, limit=2.0)  # λmax = 1, plus weight decay 1
    assert math.isclose(rule.limit, 1.0)
