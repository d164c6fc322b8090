"""torch-optim's whole-step path (records copied out per chunk) gives the phases' numbers bit
for bit, stops before a step that goes non-finite, and leaves the phase values as the phases
would."""

from __future__ import annotations

import numpy as np
import pytest

from gradlab.core.config import Config
from gradlab.core.features import feature_matrix
from gradlab.core.methods import StepBuffers, make_method

pytest.importorskip("torch")

STEPS = 600  # more than two chunks


def make(**dotted: object):
    config = Config().with_changes(
        **{"training.method": "torch-optim", "data.points": 500, "training.steps": 10**6} | dotted
    )
    x = np.linspace(-np.pi, np.pi, 500)
    d, m = config.data, config.model
    return make_method(config, feature_matrix(x, m.degree, m.basis, d.x_min, d.x_max), np.sin(x))


@pytest.mark.parametrize(
    "setting",
    [
        {"optimizer.name": "rmsprop", "training.lr": 1e-4, "training.reduction": "mean"},
        {"optimizer.name": "adam", "training.lr": 1e-3, "model.dtype": "float32"},
        {"optimizer.name": "sgd", "optimizer.momentum": 0.9, "training.batch_size": 64},
        {"optimizer.name": "adagrad", "training.loss": "huber", "training.lr": 1e-2},
    ],
    ids=["rmsprop-mean", "adam-float32", "sgd-momentum-batches", "adagrad-huber"],
)
def test_fast_steps_equal_the_phases_bit_for_bit(setting: dict[str, object]) -> None:
    fast, phases = make(**setting), make(**setting)
    buffers = StepBuffers(STEPS, fast.num_coefficients)
    assert fast.run_fast(STEPS, buffers) == (STEPS, False)
    records = [phases.step() for _ in range(STEPS)]
    np.testing.assert_array_equal(buffers.loss, [r.loss for r in records])
    np.testing.assert_array_equal(buffers.coefficients, [r.coefficients for r in records])
    norms = [np.hypot.reduce(r.gradients) for r in records]
    np.testing.assert_allclose(buffers.grad_norm, norms, rtol=1e-15)
    assert fast.step_count == phases.step_count == STEPS
    np.testing.assert_array_equal(fast.gradients, phases.gradients)
    np.testing.assert_array_equal(fast.coefficients_before, phases.coefficients_before)
    np.testing.assert_array_equal(fast.predictions, phases.predictions)
    assert fast.loss == phases.loss and fast.grad_norm == phases.grad_norm
    # and both go on identically
    np.testing.assert_array_equal(fast.step().coefficients, phases.step().coefficients)


def test_a_diverging_run_stops_at_the_same_step_in_the_same_state() -> None:
    setting = {"optimizer.name": "sgd", "training.lr": 5e-3}  # sum of 500 points: diverges
    fast, phases = make(**setting), make(**setting)
    buffers = StepBuffers(STEPS, fast.num_coefficients)
    result = fast.run_fast(STEPS, buffers)
    assert result.diverged and 0 < result.steps < STEPS
    records = []
    while not (record := phases.step()).diverged:
        records.append(record)
    assert len(records) == result.steps
    np.testing.assert_array_equal(
        buffers.coefficients[: result.steps], [r.coefficients for r in records]
    )
    np.testing.assert_array_equal(fast.coefficients, phases.coefficients)
    assert fast.step_count == phases.step_count
