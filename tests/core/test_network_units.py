"""The units view's numbers: each first-layer unit's centre, slope and weight onwards, checked
against torch's own nn.Sequential holding the same parameters."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gradlab.core.config import Config
from gradlab.core.network import first_layer_units, initial_parameters

torch = pytest.importorskip("torch")
nn = torch.nn


def network(layers: int, hidden: int, seed: int = 3) -> tuple[Config, np.ndarray, nn.Sequential]:
    """A config, its starting parameters, and torch's Sequential loaded with them (in the
    order of ``model.parameters()``, filled here without GradLab's layer table)."""
    config = Config().with_changes(
        **{"model.kind": "mlp", "model.layers": layers, "model.hidden": hidden, "seed": seed}
    )
    theta = initial_parameters(config)
    modules: list[nn.Module] = []
    sizes = [1] + [hidden] * layers + [1]
    for fan_in, fan_out in itertools.pairwise(sizes):
        modules += [nn.Linear(fan_in, fan_out, dtype=torch.float64), nn.Tanh()]
    model = nn.Sequential(*modules[:-1])
    start = 0
    with torch.no_grad():
        for parameter in model.parameters():
            count = parameter.numel()
            parameter.copy_(torch.from_numpy(theta[start : start + count]).view_as(parameter))
            start += count
    assert start == theta.size
    return config, theta, model


def test_one_hidden_layer_centres_slopes_and_output_weights() -> None:
    config, theta, model = network(1, 7)
    units = first_layer_units(config.model, theta)
    first, output = model[0], model[2]
    w = first.weight.detach().numpy()[:, 0]
    b = first.bias.detach().numpy()
    np.testing.assert_allclose(units.slopes, w)
    np.testing.assert_allclose(units.biases, b)
    np.testing.assert_allclose(units.centres, -b / w)
    # at its centre each unit's pre-activation is zero, in torch's own forward pass
    z = first(torch.from_numpy(units.centres).view(-1, 1)).detach().numpy()
    np.testing.assert_allclose(np.diag(z), 0, atol=1e-12)
    assert units.signed
    np.testing.assert_allclose(units.outgoing, output.weight.detach().numpy()[0])


def test_deeper_network_uses_the_length_of_each_units_column() -> None:
    config, theta, model = network(2, 5)
    units = first_layer_units(config.model, theta)
    second = model[2].weight.detach().numpy()  # (5, 5): column j reads unit j
    expected = [np.sqrt(sum(second[i, j] ** 2 for i in range(5))) for j in range(5)]
    assert not units.signed
    np.testing.assert_allclose(units.outgoing, expected)


def test_a_flat_unit_has_no_centre() -> None:
    config, theta, _model = network(1, 3)
    theta = theta.copy()
    theta[1] = 0.0  # W1[1, 0]
    units = first_layer_units(config.model, theta)
    assert np.isnan(units.centres[1])
    assert np.isfinite(units.centres[[0, 2]]).all()
