"""torch-function for a network: Linear and Activation Functions with hand-written backwards."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gradlab.cli import main
from gradlab.core.compare import three_way_check
from gradlab.core.config import Config
from gradlab.core.session import TrainingSession

torch = pytest.importorskip("torch")

from gradlab.core.methods.torch_function import run_gradcheck  # noqa: E402 - after the check
from gradlab.core.methods.torch_function_mlp import (  # noqa: E402 - after the torch check
    ACTIVATIONS,
    Linear,
    LinearWithFlippedSign,
    TorchFunctionMlp,
)
from gradlab.core.network import layer_table  # noqa: E402


@pytest.fixture(autouse=True)
def _one_torch_thread() -> object:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def network(**dotted: object) -> Config:
    changes: dict[str, object] = {
        "model.kind": "mlp",
        "model.hidden": 5,
        "model.layers": 2,
        "training.method": "torch-function",
        "training.reduction": "mean",
        "training.lr": 0.05,
        "data.points": 200,
    }
    return Config().with_changes(**(changes | dotted))


def _layer(seed: int) -> tuple[torch.Tensor, ...]:
    rng = np.random.default_rng(seed)
    return tuple(
        torch.tensor(rng.standard_normal(shape), dtype=torch.float64, requires_grad=True)
        for shape in ((7, 3), (4, 3), (4,))
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_each_function_passes_gradcheck(seed: int) -> None:
    assert torch.autograd.gradcheck(Linear.apply, _layer(seed))
    z = _layer(seed)[0]
    for function in ACTIVATIONS.values():
        assert torch.autograd.gradcheck(function.apply, (z,))


@pytest.mark.parametrize("kind", ["tanh", "relu", "sigmoid", "gelu"])
def test_run_gradcheck_checks_the_whole_network_per_parameter(kind: str) -> None:
    config = network(**{"model.activation": kind})
    result = run_gradcheck(config)
    assert result.passed and result.function == "Linear"
    assert result.analytical.shape == (config.model.parameter_count,)
    assert result.wrong_coefficients == ()
    np.testing.assert_allclose(result.analytical, result.numerical, rtol=1e-6, atol=1e-8)


def test_the_flipped_backward_is_caught_on_every_bias() -> None:
    config = network(**{"training.flip_backward_sign": True})
    result = run_gradcheck(config)
    assert not result.passed and result.function == "LinearWithFlippedSign"
    biases = tuple(
        k for layer in layer_table(config.model) for k in range(layer.bias.start, layer.bias.stop)
    )
    assert result.wrong_coefficients == biases
    session = TrainingSession(config)
    assert session.method.gradients_computed_by.id == "backward.function_flipped"
    check = three_way_check(config, 5)
    assert check.largest_gradient_difference > 1e-3  # the four-way check sees it too


def test_the_functions_give_autogradss_gradients_and_phase_values() -> None:
    config = network(**{"training.batch_size": 16})
    session = TrainingSession(config)
    session.advance(4)
    method = session.method
    assert isinstance(method, TorchFunctionMlp)
    assert session.step_phase() == "forward"
    assert method._y_pred is not None
    assert type(method._y_pred.grad_fn).__name__ == "ViewBackward0"  # flatten of the last
    assert type(method._y_pred.grad_fn.next_functions[0][0]).__name__ == "LinearBackward"
    values = method.layer_values()
    assert values is not None and len(values.activations) == 2
    session.step_phase()  # loss
    session.step_phase()  # backward: our Functions' backwards
    ours = method.gradients
    assert method.gradients_computed_by.id == "backward.function"
    # the same network differentiated by torch's own autograd
    theta = torch.tensor(session.coefficients, requires_grad=True)
    x = torch.tensor(session.dataset.x[method.batch_indices]).reshape(-1, 1)
    y = torch.tensor(session.dataset.y[method.batch_indices])
    a, views = x, []
    for layer in layer_table(config.model):
        views.append((theta[layer.weight].reshape(layer.fan_out, -1), theta[layer.bias]))
    for weight, bias in views[:-1]:
        a = torch.tanh(a @ weight.T + bias)
    weight, bias = views[-1]
    loss = torch.mean(((a @ weight.T + bias).flatten() - y) ** 2)
    (expected,) = torch.autograd.grad(loss, theta)
    np.testing.assert_allclose(ours, expected.numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(
        values.activations[0],
        torch.tanh(x @ views[0][0].T + views[0][1]).detach().numpy(),
        rtol=1e-13,
    )


def test_the_four_way_check_runs_for_a_network() -> None:
    result = three_way_check(network(), 50)
    assert len(result.methods) == 4 and "torch-function" in result.methods
    assert result.largest_coefficient_difference < 1e-12
    assert result.largest_gradient_difference < 1e-10


def test_flipped_linear_differs_only_in_the_bias_gradient() -> None:
    inputs = _layer(3)
    out_good = Linear.apply(*inputs)
    grads_good = torch.autograd.grad(out_good.sum(), inputs)
    out_bad = LinearWithFlippedSign.apply(*inputs)
    grads_bad = torch.autograd.grad(out_bad.sum(), inputs)
    assert torch.equal(grads_good[0], grads_bad[0]) and torch.equal(grads_good[1], grads_bad[1])
    assert torch.equal(grads_good[2], -grads_bad[2])


def test_the_cli_trains_a_network_with_the_functions(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["fit", "--model", "mlp", "--hidden", "4", "--method", "torch-function"]
    assert main([*args, "--steps", "40", "--lr", "1e-3", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["steps"] == 40 and not result["diverged"]
    assert len(result["parameters"]) == 13
