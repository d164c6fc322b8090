"""The small network: the four methods walk the same path, phases show torch's numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gradlab.core.config import Config, ConfigError
from gradlab.core.methods import make_method
from gradlab.core.network import (
    first_layer_kinks,
    initial_parameters,
    layer_norms,
    layer_table,
    layer_views,
    parameter_names,
    predict,
    unit_contributions,
)
from gradlab.core.session import TrainingSession

torch = pytest.importorskip("torch")

METHODS = ("numpy-manual", "torch-autograd", "torch-optim", "torch-function")


@pytest.fixture(autouse=True)
def _one_torch_thread() -> object:
    """Small matrices: on a busy shared machine torch's thread pool only waits for cores."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def mlp_config(method: str = "numpy-manual", **dotted: object) -> Config:
    changes: dict[str, object] = {
        "model.kind": "mlp",
        "model.hidden": 8,
        "training.method": method,
        "training.reduction": "mean",
        "training.lr": 0.05,
        "training.steps": 1000,
        "optimizer.name": "sgd",
        "data.points": 300,
    }
    changes.update(dotted)
    return Config().with_changes(**changes)


@pytest.mark.parametrize(
    "setting",
    [
        {"training.batch_size": 32},
        {"model.layers": 2, "model.activation": "relu", "training.batch_size": 50},
        {"model.layers": 3, "model.activation": "sigmoid", "training.lr": 0.2},
        {
            "model.activation": "gelu",
            "training.loss": "huber",
            "training.reduction": "sum",
            "training.lr": 1e-3,
            "training.batch_size": 40,
        },
    ],
    ids=["tanh-batches", "relu-2-layers", "sigmoid-3-layers", "gelu-huber-sum"],
)
def test_four_methods_same_trajectory_over_1000_steps(setting: dict[str, object]) -> None:
    runs = {}
    for method in METHODS:
        session = TrainingSession(mlp_config(method, **setting))
        assert session.advance(10**6) == 1000
        assert session.status == "finished"
        runs[method] = session.history
    reference = runs["numpy-manual"]
    assert reference.loss[-1] < reference.loss[0]  # it learned something
    for method in METHODS[1:]:
        np.testing.assert_allclose(runs[method].loss, reference.loss, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(
            runs[method].coefficients, reference.coefficients, rtol=1e-9, atol=1e-9
        )
        np.testing.assert_allclose(runs[method].grad_norm, reference.grad_norm, rtol=1e-9)


def test_initialisation_is_torchs_linear_default_from_the_seed() -> None:
    config = mlp_config(**{"model.layers": 2, "model.hidden": 5})
    theta = initial_parameters(config)
    assert theta.size == config.model.parameter_count == 5 * 2 + 30 + 6
    assert np.array_equal(theta, initial_parameters(config))  # reproducible
    assert not np.array_equal(theta, initial_parameters(config.with_changes(seed=1)))
    views = layer_views(config.model, theta)
    for layer, (weight, bias) in zip(layer_table(config.model), views, strict=True):
        bound = 1 / math.sqrt(layer.fan_in)
        assert weight.shape == (layer.fan_out, layer.fan_in)
        assert np.abs(weight).max() <= bound and np.abs(bias).max() <= bound
    # torch's own default draws from the same bounds: the scheme, not torch's random numbers
    linear = torch.nn.Linear(5, 5, dtype=torch.float64)
    assert linear.weight.abs().max().item() <= 1 / math.sqrt(5)
    zeros = initial_parameters(config.with_changes(**{"model.init": "zeros"}))
    assert not zeros.any()


def test_every_method_starts_from_the_same_numbers_and_names_them_in_torchs_order() -> None:
    config = mlp_config(**{"model.hidden": 3})
    starts = [TrainingSession(mlp_config(m, **{"model.hidden": 3})).coefficients for m in METHODS]
    for start in starts[1:]:
        assert np.array_equal(start, starts[0])
    model = torch.nn.Sequential(torch.nn.Linear(1, 3), torch.nn.Tanh(), torch.nn.Linear(3, 1))
    shapes = [tuple(p.shape) for p in model.parameters()]
    assert shapes == [(3, 1), (3,), (1, 3), (1,)]
    names = parameter_names(config.model)
    assert names[:4] == ("W1[0,0]", "W1[1,0]", "W1[2,0]", "b1[0]")
    assert names[-1] == "b2[0]" and len(names) == config.model.parameter_count == 10


def test_zero_initialisation_never_breaks_symmetry() -> None:
    config = mlp_config(**{"model.init": "zeros", "model.hidden": 4, "training.steps": 200})
    session = TrainingSession(config)
    session.advance(200)
    weight, bias = layer_views(config.model, session.coefficients)[0]
    # every hidden unit gets the same gradient at every step: they stay copies of each other
    assert np.ptp(weight) == 0 and np.ptp(bias) == 0


@pytest.mark.parametrize("method", METHODS)
def test_phase_values_per_layer_match_torch(method: str) -> None:
    config = mlp_config(method, **{"model.layers": 2, "model.hidden": 4, "training.batch_size": 16})
    session = TrainingSession(config)
    session.advance(3)
    theta = session.coefficients
    assert session.step_phase() == "forward"
    values = session.method.layer_values()  # type: ignore[attr-defined]
    indices = session.method.batch_indices
    x = torch.tensor(session.dataset.x[indices], dtype=torch.float64).reshape(-1, 1)
    y = torch.tensor(session.dataset.y[indices], dtype=torch.float64)
    model = torch.nn.Sequential(
        torch.nn.Linear(1, 4),
        torch.nn.Tanh(),
        torch.nn.Linear(4, 4),
        torch.nn.Tanh(),
        torch.nn.Linear(4, 1),
        torch.nn.Flatten(0, 1),
    ).double()
    parameters = list(model.parameters())
    with torch.no_grad():
        for k, (w, b) in enumerate(layer_views(config.model, theta)):
            parameters[2 * k].copy_(torch.from_numpy(w))
            parameters[2 * k + 1].copy_(torch.from_numpy(b))
    z1 = model[0](x)
    a1 = model[1](z1)
    z2 = model[2](a1)
    a2 = model[3](z2)
    np.testing.assert_allclose(values.pre_activations[0], z1.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(values.activations[1], a2.detach().numpy(), rtol=1e-12)
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    session.step_phase()
    assert session.method.loss == pytest.approx(loss.item(), rel=1e-12)
    assert session.step_phase() == "backward"
    grads = session.method.gradients
    assert grads is not None
    expected = np.concatenate([p.grad.numpy().reshape(-1) for p in model.parameters()])
    np.testing.assert_allclose(grads, expected, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("method", METHODS)
def test_divergence_keeps_the_last_finite_state_and_rewind_goes_on(method: str) -> None:
    config = mlp_config(method, **{"training.lr": 1e3, "training.reduction": "sum"})
    session = TrainingSession(config, snapshot_every=1)
    session.advance(100)
    assert session.status == "diverged"
    assert np.isfinite(session.coefficients).all()
    assert session.rewind()
    assert session.status != "diverged"


@pytest.mark.parametrize("method", METHODS)
def test_snapshot_restore_reproduces_the_steps(method: str) -> None:
    config = mlp_config(method, **{"optimizer.name": "adam", "training.batch_size": 20})
    session = TrainingSession(config, snapshot_every=10)
    session.advance(30)
    after = session.history.coefficients[-1].copy()
    session.rewind(10)
    session.advance(20)
    assert np.array_equal(session.history.coefficients[-1], after)


@pytest.mark.parametrize("method", METHODS)
def test_float32_trains(method: str) -> None:
    session = TrainingSession(mlp_config(method, **{"model.dtype": "float32"}))
    session.advance(300)
    assert session.history.loss[-1] < session.history.loss[0]


@pytest.mark.parametrize("name", ["sgd", "rmsprop", "adam", "adamw", "adagrad"])
def test_every_optimizer_drives_the_network(name: str) -> None:
    config = mlp_config("torch-optim", **{"optimizer.name": name, "training.lr": 1e-2})
    session = TrainingSession(config)
    session.advance(200)
    assert session.history.loss[-1] < session.history.loss[0]
    state = session.method.optimizer_state()
    assert state is not None
    for values in state.values():
        assert values.shape == (config.model.parameter_count,)
    direction = session.method.update_direction()
    assert direction is not None and direction.u.shape == (config.model.parameter_count,)


def test_views_sum_to_the_prediction() -> None:
    config = mlp_config(**{"model.hidden": 5})
    theta = initial_parameters(config)
    x = np.linspace(-3, 3, 50)
    parts = unit_contributions(config.model, theta, x)
    output_bias = layer_views(config.model, theta)[-1][1][0]
    np.testing.assert_allclose(parts.sum(axis=0) + output_bias, predict(config.model, theta, x))
    kinks = first_layer_kinks(config.model, theta)
    weight, bias = layer_views(config.model, theta)[0]
    np.testing.assert_allclose(weight[:, 0] * kinks + bias, 0, atol=1e-12)
    norms = layer_norms(config.model, np.stack([theta, 2 * theta]))
    assert norms.shape == (2, 4)
    np.testing.assert_allclose(norms[1], 2 * norms[0])


@pytest.mark.parametrize(
    ("changes", "field", "message_id"),
    [
        ({"model.kind": "net"}, "model.kind", "not_a_choice"),
        ({"model.kind": "mlp", "model.hidden": 65}, "model.hidden", "out_of_range"),
        ({"model.kind": "mlp", "model.hidden": 0}, "model.hidden", "out_of_range"),
        ({"model.kind": "mlp", "model.layers": 4}, "model.layers", "out_of_range"),
        ({"model.kind": "mlp", "model.layers": 1.5}, "model.layers", "not_an_integer"),
        ({"model.kind": "mlp", "model.activation": "elu"}, "model.activation", "not_a_choice"),
        (
            {"model.kind": "mlp", "model.init": "values", "model.init_values": (1.0, 2.0)},
            "model.init_values",
            "init_values_count",
        ),
    ],
)
def test_bad_network_settings_name_the_field(
    changes: dict[str, object], field: str, message_id: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        Config().with_changes(**changes)
    assert caught.value.field == field
    assert caught.value.message_id == message_id


def test_make_method_builds_each_network_method() -> None:
    config = mlp_config()
    features = np.linspace(-1, 1, 10).reshape(-1, 1)
    for method in METHODS:
        built = make_method(
            config.with_changes(**{"training.method": method}), features, features[:, 0]
        )
        assert built.num_coefficients == config.model.parameter_count


def test_local_curvature_matches_the_full_hessian() -> None:
    from gradlab.core.network_analysis import local_curvature

    config = mlp_config(**{"model.hidden": 3})
    session = TrainingSession(config)
    session.advance(50)
    theta = session.coefficients
    x, y = session.dataset.x.copy(), session.dataset.y.copy()
    model = config.model

    def loss_of(flat: torch.Tensor) -> torch.Tensor:
        a = torch.from_numpy(x).reshape(-1, 1)
        views = []
        start = 0
        for layer in layer_table(model):
            size = layer.fan_in * layer.fan_out
            w = flat[start : start + size].reshape(layer.fan_out, layer.fan_in)
            b = flat[start + size : start + size + layer.fan_out]
            views.append((w, b))
            start += size + layer.fan_out
        for w, b in views[:-1]:
            a = torch.tanh(a @ w.T + b)
        w, b = views[-1]
        return torch.mean(((a @ w.T + b).flatten() - torch.from_numpy(y)) ** 2)

    hessian = torch.autograd.functional.hessian(loss_of, torch.from_numpy(theta)).numpy()
    expected = float(np.linalg.eigvalsh(hessian)[-1])
    found = local_curvature(config, x, y, theta)
    assert found.converged
    assert found.largest_eigenvalue == pytest.approx(expected, rel=1e-5)
    assert found.stable_lr == pytest.approx(2 / expected, rel=1e-5)
