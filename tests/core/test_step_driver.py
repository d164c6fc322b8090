"""One step driver: step(), step_phase() and run_fast() leave the same records and state."""

from __future__ import annotations

import numpy as np
import pytest

from gradlab.core.config import Config
from gradlab.core.methods import PHASES, Method, StepBuffers, make_method
from gradlab.core.session import TrainingSession

# the chapter's setup at lr 4e-6 diverges after a few dozen steps, for each way of updating
DIVERGING = {
    "numpy-manual": {},
    "numpy-float32": {"model.dtype": "float32"},
    "numpy-mini-batch": {"training.batch_size": 500, "training.lr": 2e-5},
    "torch-autograd": {"training.method": "torch-autograd"},
    "torch-optim-sgd": {"training.method": "torch-optim", "optimizer.name": "sgd"},
}


def diverging_method(case: str) -> Method:
    if case.startswith("torch"):
        pytest.importorskip("torch")
    changes = {"training.lr": 4e-6, "training.steps": 10_000, **DIVERGING[case]}
    session = TrainingSession(Config().with_changes(**changes))
    return make_method(session.config, session.features, session.dataset.y)


def step_values(method: Method) -> dict[str, object]:
    """Everything the phases leave behind that a view or the history reads."""
    return {
        "step_count": method.step_count,
        "phase_index": method.phase_index,
        "loss": method.loss,
        "gradients": method.gradients,
        "grad_norm": method.grad_norm,
        "coefficients_before": method.coefficients_before,
        "coefficients_after": method.coefficients_after,
        "coefficients": method.coefficients,
    }


def assert_same_values(ours: dict[str, object], theirs: dict[str, object]) -> None:
    assert ours.keys() == theirs.keys()
    for key, value in ours.items():
        other = theirs[key]
        if value is None or other is None:
            assert value is None and other is None, key
        elif isinstance(value, np.ndarray):
            np.testing.assert_array_equal(value, other, err_msg=key)
        else:
            assert value == other or (np.isnan(value) and np.isnan(other)), key


@pytest.mark.parametrize("case", DIVERGING)
def test_a_divergence_leaves_the_same_state_by_steps_and_by_phases(case: str) -> None:
    by_step, by_phase = diverging_method(case), diverging_method(case)
    while True:
        record = by_step.step()
        phase_record = None
        for _ in PHASES:
            phase_record = by_phase.step_phase()
            if phase_record is not None:
                break
        assert phase_record is not None
        assert (record.step, record.diverged) == (phase_record.step, phase_record.diverged)
        np.testing.assert_array_equal(record.coefficients, phase_record.coefficients)
        np.testing.assert_array_equal(record.gradients, phase_record.gradients)
        assert record.loss == phase_record.loss or np.isnan([record.loss, phase_record.loss]).all()
        assert_same_values(step_values(by_step), step_values(by_phase))
        if record.diverged:
            break
        assert record.step < 10_000
    assert record.step > 1  # it diverged along the way, not at once
    assert np.isfinite(by_step.coefficients).all()


@pytest.mark.parametrize("case", DIVERGING)
def test_run_fast_diverges_like_the_phases(case: str) -> None:
    fast, slow = diverging_method(case), diverging_method(case)
    buffers = StepBuffers(10_000, fast.num_coefficients)
    result = fast.run_fast(10_000, buffers)
    assert result.diverged
    records = []
    while not (records and records[-1].diverged):
        records.append(slow.step())
    assert result.steps == len(records) - 1
    losses = np.array([r.loss for r in records[:-1]])
    np.testing.assert_allclose(buffers.loss[: result.steps], losses, rtol=1e-9)
    # the step that went non-finite always runs through the phases: the same state after it
    fast_values, slow_values = step_values(fast), step_values(slow)
    if case != "numpy-manual":  # the exact block recurrence agrees only to rounding
        assert_same_values(fast_values, slow_values)
    for key in ("step_count", "phase_index"):
        assert fast_values[key] == slow_values[key]
    for key in ("coefficients_after", "gradients"):
        assert (fast_values[key] is None) == (slow_values[key] is None), key
