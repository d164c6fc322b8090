"""The network's torch methods run whole steps without the phase driver (records copied out per
chunk) and give the phases' numbers bit for bit, stop before a step that goes non-finite, and
leave the phase values as the phases would."""

from __future__ import annotations

import numpy as np
import pytest

from gradlab.core.config import Config
from gradlab.core.methods import Method, StepBuffers, make_method
from gradlab.core.methods.base import gradient_norm

torch = pytest.importorskip("torch")

STEPS = 600  # more than two chunks
TORCH_METHODS = ("torch-autograd", "torch-optim", "torch-function")


@pytest.fixture(autouse=True)
def _one_torch_thread() -> object:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def make(method: str, **dotted: object) -> Method:
    changes: dict[str, object] = {
        "model.kind": "mlp",
        "model.hidden": 6,
        "training.method": method,
        "training.lr": 1e-2,
        "training.reduction": "mean",
        "training.steps": 10**6,
        "optimizer.name": "adam",
    }
    config = Config().with_changes(**(changes | dotted))
    x = np.linspace(-np.pi, np.pi, 300)
    return make_method(config, x.reshape(-1, 1), np.sin(x))


SETTINGS = [
    {},
    {"model.dtype": "float32", "training.batch_size": 32},
    {"model.layers": 2, "model.activation": "relu", "training.loss": "huber"},
    {"model.activation": "gelu", "training.reduction": "sum", "training.lr": 1e-4},
]
IDS = ["tanh", "float32-batches", "relu-2-layers-huber", "gelu-sum"]


@pytest.mark.parametrize("method", TORCH_METHODS)
@pytest.mark.parametrize("setting", SETTINGS, ids=IDS)
def test_fast_steps_equal_the_phases_bit_for_bit(method: str, setting: dict[str, object]) -> None:
    fast, phases = make(method, **setting), make(method, **setting)
    buffers = StepBuffers(STEPS, fast.num_coefficients)
    assert fast.run_fast(STEPS, buffers) == (STEPS, False)
    records = [phases.step() for _ in range(STEPS)]
    np.testing.assert_array_equal(buffers.loss, [r.loss for r in records])
    np.testing.assert_array_equal(buffers.coefficients, [r.coefficients for r in records])
    np.testing.assert_array_equal(buffers.grad_norm, [gradient_norm(r.gradients) for r in records])
    assert fast.step_count == phases.step_count == STEPS
    np.testing.assert_array_equal(fast.gradients, phases.gradients)
    np.testing.assert_array_equal(fast.coefficients_before, phases.coefficients_before)
    np.testing.assert_array_equal(fast.coefficients_after, phases.coefficients_after)
    np.testing.assert_array_equal(fast.predictions, phases.predictions)
    np.testing.assert_array_equal(fast.batch_indices, phases.batch_indices)  # type: ignore[arg-type]
    assert fast.loss == phases.loss and fast.grad_norm == phases.grad_norm
    fast_layers, phase_layers = fast.layer_values(), phases.layer_values()  # type: ignore[attr-defined]
    for mine, theirs in zip(fast_layers, phase_layers, strict=True):
        for a, b in zip(mine, theirs, strict=True):
            np.testing.assert_array_equal(a, b)
    assert fast.gradients_cleared() and phases.gradients_cleared()
    # and both go on identically, by whole steps and by phases
    np.testing.assert_array_equal(fast.step().coefficients, phases.step().coefficients)
    assert fast.run_fast(5, buffers) == phases.run_fast(5, StepBuffers(5, fast.num_coefficients))


@pytest.mark.parametrize("method", TORCH_METHODS)
def test_whole_steps_skip_the_phase_driver(method: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = make(method)
    calls = []
    original = fast._advance_phase
    monkeypatch.setattr(fast, "_advance_phase", lambda: calls.append(1) or original())
    buffers = StepBuffers(STEPS, fast.num_coefficients)
    assert fast.run_fast(STEPS, buffers) == (STEPS, False)
    assert calls == []


@pytest.mark.parametrize("method", TORCH_METHODS)
def test_a_diverging_run_stops_at_the_same_step_in_the_same_state(method: str) -> None:
    setting = {"training.lr": 3.0, "training.reduction": "sum", "optimizer.name": "sgd"}
    fast, phases = make(method, **setting), make(method, **setting)
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
