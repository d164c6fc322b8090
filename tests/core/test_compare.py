"""Runs in lockstep: optimizer comparisons, the three-way check and run labels."""

from __future__ import annotations

import numpy as np
import pytest

from gradlab.core.compare import (
    COMPARE_CHOICES,
    LockstepRun,
    compare_optimizers,
    run_label,
    three_way_check,
    three_way_run,
)
from gradlab.core.config import Config, ConfigError
from gradlab.core.session import TrainingSession


def _base(**changes) -> Config:
    return Config().with_changes(**{"training.steps": 200, **changes})


def test_lockstep_equals_separately_run_sessions():
    configs = [
        _base(),
        _base(**{"training.method": "torch-autograd", "training.lr": 2e-6}),
        _base(**{"training.method": "torch-optim", "optimizer.name": "adam", "training.lr": 1e-2}),
    ]
    run = LockstepRun(configs)
    assert run.status == "ready" and not run.done
    drained = []
    while not run.done:
        assert run.advance(37) > 0
        drained.append(run.drain())
    assert run.status == "finished" and run.step_count == run.total_steps == 200
    for index, config in enumerate(configs):
        alone = TrainingSession(config)
        alone.advance(200)
        np.testing.assert_allclose(run.sessions[index].coefficients, alone.coefficients, rtol=1e-12)
        np.testing.assert_allclose(run.histories[index].loss, alone.history.loss, rtol=1e-12)
        steps = np.concatenate([batch.runs[index].steps for batch in drained])
        assert steps.tolist() == list(range(1, 201))
    assert drained[-1].statuses == ("finished",) * 3
    assert drained[-1].diff_steps.size == 0  # differences are only kept with exact_steps


def test_runs_that_diverge_stop_while_the_others_go_on():
    run = LockstepRun(
        [_base(**{"training.lr": 4e-6, "training.steps": 3000}), _base(**{"training.steps": 3000})]
    )
    while not run.done:
        run.advance(500)
    statuses = [session.status for session in run.sessions]
    assert statuses == ["diverged", "finished"]
    assert run.status == "finished" and run.step_count == 3000
    assert run.advance(10) == 0


def test_compare_optimizers_start_from_the_same_init_with_their_labels():
    run = compare_optimizers(_base(**{"training.lr": 1e-3, "training.reduction": "mean"}))
    assert run.labels == ("SGD", "SGD+momentum", "RMSprop", "Adam")
    starts = {tuple(session.coefficients) for session in run.sessions}
    assert len(starts) == 1
    optimizers = [(c.optimizer.name, c.optimizer.momentum) for c in run.configs]
    assert optimizers == [("sgd", 0.0), ("sgd", 0.9), ("rmsprop", 0.0), ("adam", 0.0)]
    assert all(c.training.method == "torch-optim" and c.training.lr == 1e-3 for c in run.configs)
    run.advance(50)
    batch = run.drain()
    assert [len(b) for b in batch.runs] == [50] * 4
    # different rules, different paths
    assert len({tuple(np.round(c, 12)) for c in run.coefficients}) == 4


def test_compare_optimizers_rejects_unknown_names():
    with pytest.raises(ConfigError, match="choose from"):
        compare_optimizers(_base(), ["sgd", "lbfgs"])
    with pytest.raises(ConfigError, match="once"):
        compare_optimizers(_base(), ["adam", "adam"])
    assert set(COMPARE_CHOICES) >= {"sgd", "sgd+momentum", "rmsprop", "adam", "adamw", "adagrad"}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"training.reduction": "mean", "training.lr": 1e-2, "model.basis": "legendre"},
        {"training.loss": "huber", "training.batch_size": 256, "training.lr": 1e-5},
    ],
    ids=["chapter", "mean-legendre", "huber-minibatch"],
)
def test_three_way_check_agrees_to_rounding(changes):
    result = three_way_check(_base(**changes), 150)
    assert result.methods == ("numpy-manual", "torch-autograd", "torch-optim", "torch-function")
    assert result.steps.tolist() == list(range(1, 151))
    scale = np.max(np.abs(result.final_coefficients))
    assert result.largest_coefficient_difference < 1e-12 * max(scale, 1.0)
    assert result.largest_gradient_difference < 1e-9
    assert np.all(result.relative_gradient_difference < 1e-12)
    assert result.gradient_difference.shape == result.coefficient_difference.shape == (150,)
    assert result.status == "finished"


def test_three_way_run_drains_its_differences_for_the_gui():
    run = three_way_run(_base(**{"training.steps": 30}))
    run.advance(10)
    first = run.drain()
    run.advance(100)
    second = run.drain()
    assert first.diff_steps.tolist() == list(range(1, 11))
    assert second.diff_steps.tolist() == list(range(11, 31))
    assert run.done and second.status == "finished"
    assert np.all(second.coefficient_difference < 1e-12)


def test_three_way_check_stops_at_a_divergence():
    result = three_way_check(_base(**{"training.lr": 1e-3}), 100)
    assert result.status == "diverged"
    assert result.steps.size < 100
    assert np.isfinite(result.final_coefficients).all()


def test_run_labels_name_what_differs():
    base = _base()
    adam = base.with_changes(
        **{"training.method": "torch-optim", "optimizer.name": "adam", "training.lr": 1e-2}
    )
    assert run_label(adam, base) == "Adam lr=1e-2"
    assert run_label(base) == "numpy-manual lr=1e-6"
    run = LockstepRun([base, adam])
    assert run.labels == ("numpy-manual lr=1e-6", "Adam lr=1e-2")
    with pytest.raises(ValueError, match="labels"):
        LockstepRun([base, adam], ["only one"])


def test_compare_optimizers_can_run_each_at_its_own_learning_rate():
    rates = {"sgd": 3e-6, "sgd+momentum": 6e-6, "rmsprop": 6e-4, "adam": 1e-3}
    run = compare_optimizers(_base(), ["sgd", "sgd+momentum", "rmsprop", "adam"], rates)
    assert [c.training.lr for c in run.configs] == list(rates.values())
    assert len({tuple(session.coefficients) for session in run.sessions}) == 1
    with pytest.raises(KeyError):
        compare_optimizers(_base(), ["sgd", "adam"], {"sgd": 1e-6})
