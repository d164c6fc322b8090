"""A network's loss landscape: every grid value is the network's own loss at that point."""

from __future__ import annotations

import numpy as np
import pytest

from gradlab.core.config import Config
from gradlab.core.data import make_dataset
from gradlab.core.network import initial_parameters, layer_views
from gradlab.core.network_landscape import locate, network_loss_grid, network_resolution

torch = pytest.importorskip("torch")


def network(layers: int, hidden: int, activation: str = "tanh") -> Config:
    return Config().with_changes(
        **{
            "model.kind": "mlp",
            "model.layers": layers,
            "model.hidden": hidden,
            "model.activation": activation,
            "data.points": 300,
        }
    )


def torch_loss(config: Config, theta: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    """The loss computed by torch's own nn.Sequential holding ``theta``."""
    m, t = config.model, config.training
    act = {"tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}[m.activation]
    modules: list[torch.nn.Module] = [torch.nn.Linear(1, m.hidden), act()]
    for _ in range(m.layers - 1):
        modules += [torch.nn.Linear(m.hidden, m.hidden), act()]
    model = torch.nn.Sequential(*modules, torch.nn.Linear(m.hidden, 1), torch.nn.Flatten(0, 1))
    model = model.double()
    with torch.no_grad():
        parameters = list(model.parameters())
        for k, (w, b) in enumerate(layer_views(m, theta)):
            parameters[2 * k].copy_(torch.from_numpy(w.copy()))
            parameters[2 * k + 1].copy_(torch.from_numpy(b.copy()))
        prediction = model(torch.tensor(x).reshape(-1, 1))
        target = torch.tensor(y)
        loss = {
            "squared": torch.nn.MSELoss(reduction=t.reduction),
            "l1": torch.nn.L1Loss(reduction=t.reduction),
            "huber": torch.nn.HuberLoss(reduction=t.reduction, delta=t.huber_delta),
        }[t.loss]
        return float(loss(prediction, target))


CASES = [  # (layers, hidden, activation, name i, name j): every way two parameters can sit
    (1, 4, "tanh", "W1[0,0]", "W2[0,0]"),
    (1, 4, "tanh", "W1[1,0]", "b1[1]"),
    (1, 4, "relu", "W1[0,0]", "b1[2]"),
    (1, 4, "tanh", "W2[0,1]", "b2[0]"),
    (2, 3, "tanh", "W1[2,0]", "W2[1,2]"),
    (2, 3, "relu", "b1[0]", "W3[0,1]"),
    (2, 3, "tanh", "W2[0,1]", "W2[2,0]"),
    (3, 2, "tanh", "b1[1]", "b3[0]"),
]


@pytest.mark.parametrize(("layers", "hidden", "activation", "first", "second"), CASES)
@pytest.mark.parametrize(("loss", "reduction"), [("squared", "mean"), ("huber", "sum")])
def test_grid_values_are_torchs_loss(layers, hidden, activation, first, second, loss, reduction):
    config = network(layers, hidden, activation).with_changes(
        **{"training.loss": loss, "training.reduction": reduction, "training.huber_delta": 0.3}
    )
    data = make_dataset(config)
    theta = initial_parameters(config)
    names = config.coefficient_names
    i, j = names.index(first), names.index(second)
    a = theta[i] + np.linspace(-2.0, 2.0, 7)
    b = theta[j] + np.linspace(-1.5, 1.5, 5)
    grid = network_loss_grid(config.model, data.x, data.y, theta, i, j, a, b, loss, reduction, 0.3)
    assert grid.shape == (5, 7)
    for r, c in [(0, 0), (4, 6), (2, 3), (1, 5), (3, 1)]:
        moved = theta.copy()
        moved[i], moved[j] = a[c], b[r]
        assert grid[r, c] == pytest.approx(torch_loss(config, moved, data.x, data.y), rel=1e-10)


def test_the_landscape_of_a_network_is_not_convex():
    # W1[0,0] against its unit's output weight: the loss is (nearly) symmetric under flipping
    # both signs (tanh is odd), so it has two valleys and a ridge between them
    config = network(1, 3)
    data = make_dataset(config)
    theta = initial_parameters(config)
    names = config.coefficient_names
    i, j = names.index("W1[0,0]"), names.index("W2[0,0]")
    a = np.linspace(-3, 3, 61)
    grid = network_loss_grid(config.model, data.x, data.y, theta, i, j, a, a)
    # convexity along the diagonal through both valleys would need midpoints below the chords
    diagonal = np.diag(grid)
    chords = (diagonal[:-20] + diagonal[20:]) / 2
    assert (diagonal[10:-10] > chords + 1e-9).any()


def test_locate_and_resolution():
    model = network(2, 3).model
    assert locate(model, 0) == (0, 0, 0)
    assert locate(model, 3) == (0, 0, None)  # b1[0]
    assert locate(model, 6 + 4) == (1, 1, 1)  # W2[1,1]
    assert locate(model, model.parameter_count - 1) == (2, 0, None)  # the output bias
    size = network_resolution(model, 2000, 0, 1)
    assert size % 2 == 1 and 21 <= size <= 201
    assert network_resolution(model, 2000, 0, 1) <= network_resolution(model, 2000, 20, 21)
