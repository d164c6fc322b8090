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
def test_a_single_step_is_a_whole_step_too(method: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The GUI worker asks for ~3 ms a call: one or two network steps on a busy PC."""
    fast, phases = make(method), make(method)
    calls = []
    original = fast._advance_phase
    monkeypatch.setattr(fast, "_advance_phase", lambda: calls.append(1) or original())
    buffers = StepBuffers(1, fast.num_coefficients)
    for _ in range(3):
        assert fast.run_fast(1, buffers) == (1, False)
        record = phases.step()
        assert buffers.loss[0] == record.loss
        np.testing.assert_array_equal(buffers.coefficients[0], record.coefficients)
    assert calls == []
    np.testing.assert_array_equal(fast.coefficients_before, phases.coefficients_before)
    np.testing.assert_array_equal(fast.gradients, phases.gradients)


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


def test_the_parameters_are_leaves_in_one_vector() -> None:
    from gradlab.core.methods.torch_mlp_fast import leaves_in_one_vector

    vector, leaves = leaves_in_one_vector([(3, 2), (3,), (1,)], torch.float64)
    assert [leaf.shape for leaf in leaves] == [(3, 2), (3,), (1,)]
    assert all(leaf.is_leaf and leaf.requires_grad for leaf in leaves)
    vector.copy_(torch.arange(10.0))
    assert leaves[1].tolist() == [6.0, 7.0, 8.0] and leaves[2].tolist() == [9.0]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_gradients_summed_into_a_vector_are_the_gradients_bit_for_bit(dtype: str) -> None:
    """−0.0 gradients included: backward adds into the vector, which starts at −0.0."""
    from gradlab.core.methods.torch_mlp_fast import VectorGradients, leaves_in_one_vector

    kind = getattr(torch, dtype)
    x = torch.tensor([[0.0], [-1.5], [2.0]], dtype=kind)
    start = torch.tensor([0.5, -0.25, 0.0, 1.0, -2.0, 0.0, 0.75, 0.0, -1.0, 3.0], dtype=kind)

    def loss_of(w: torch.Tensor, b: torch.Tensor, v: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        hidden = torch.relu(x @ w.T + b)  # relu: exact zeros in the gradients
        fit = torch.square((hidden @ v.T).flatten() * 0.5 - 1.0).sum()
        return fit - (c * x[0]).sum()  # ∂/∂c = −1 · 0.0 = −0.0

    vector, leaves = leaves_in_one_vector([(3, 1), (3,), (1, 3), (1,)], kind)
    with torch.no_grad():
        vector.copy_(start)
    plain = [leaf.detach().clone().requires_grad_() for leaf in leaves]
    loss_of(*plain).backward()
    with VectorGradients(leaves) as gradients:
        for _ in range(2):  # a second step starts from −0.0 again
            gradients.fill_(-0.0)
            loss_of(*leaves).backward()
            expected = torch.cat([p.grad.reshape(-1) for p in plain])  # type: ignore[union-attr]
            assert torch.equal(gradients, expected)
            assert torch.equal(torch.signbit(gradients), torch.signbit(expected))
            assert torch.signbit(gradients[-1]) and gradients[-1] == 0
    assert all(leaf.grad is None for leaf in leaves)


def test_direct_apply_runs_the_same_function_forward_and_backward() -> None:
    from gradlab.core.methods.torch_function_mlp import (
        Linear,
        LinearWithFlippedSign,
        direct_apply,
    )

    a = torch.linspace(-1.0, 1.0, 5, dtype=torch.float64).reshape(-1, 1)
    for function in (Linear, LinearWithFlippedSign):
        results = []
        for apply in (function.apply, direct_apply(function)):
            w = torch.tensor([[0.5], [-2.0]], dtype=torch.float64, requires_grad=True)
            b = torch.tensor([0.25, 1.0], dtype=torch.float64, requires_grad=True)
            z = apply(a, w, b)
            assert type(z.grad_fn).__name__ == f"{function.__name__}Backward"
            torch.square(z).sum().backward()
            results.append((z.detach(), w.grad, b.grad))
        for mine, theirs in zip(*results, strict=True):
            assert torch.equal(mine, theirs)
    # the flipped Function's own backward ran: ∂/∂b has the wrong sign
    assert torch.equal(results[1][2], -2 * results[1][0].sum(0))
