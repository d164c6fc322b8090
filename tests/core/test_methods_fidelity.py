"""Each method against an independent loop written the chapter's way: same init, same numbers."""

from __future__ import annotations

import numpy as np
import pytest

from gradlab.core.config import Config
from gradlab.core.data import random_generator
from gradlab.core.features import feature_matrix
from gradlab.core.methods import StepBuffers, initial_coefficients, make_method
from gradlab.core.session import TrainingSession

STEPS = 300
INIT = (0.3, 0.7, 0.2, 0.9)


def make_config(**dotted: object) -> Config:
    base = {
        "data.points": 2000,
        "model.init": "values",
        "model.init_values": INIT,
        "training.steps": STEPS,
    }
    base.update(dotted)
    return Config().with_changes(**base)


def chapter_data() -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(-np.pi, np.pi, 2000)
    return x, np.sin(x)


def method_trajectory(config: Config, *, fast: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per-step loss and coefficients after each update, via run_fast or via step()."""
    x, y = chapter_data()
    d, m = config.data, config.model
    method = make_method(config, feature_matrix(x, m.degree, m.basis, d.x_min, d.x_max), y)
    if fast:
        buffers = StepBuffers(STEPS, m.degree + 1)
        result = method.run_fast(STEPS, buffers)
        assert result == (STEPS, False)
        return buffers.loss.copy(), buffers.coefficients.copy()
    records = [method.step() for _ in range(STEPS)]
    return np.array([r.loss for r in records]), np.array([r.coefficients for r in records])


def chapter_numpy_loop(
    lr: float, kind: str = "squared", reduction: str = "sum", delta: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Listing 1 as printed (x**2, x**3 every epoch), with the loss kind written out."""
    x, y = chapter_data()
    a, b, c, d = INIT
    n = x.size
    losses, coefficients = [], []
    for _ in range(STEPS):
        y_pred = a + b * x + c * x**2 + d * x**3
        r = y_pred - y
        if kind == "squared":
            pointwise, grad_y_pred = np.square(r), 2 * r
        elif kind == "l1":
            pointwise, grad_y_pred = np.abs(r), np.sign(r)
        else:
            small = np.abs(r) < delta
            pointwise = np.where(small, 0.5 * r**2, delta * (np.abs(r) - 0.5 * delta))
            grad_y_pred = np.where(small, r, delta * np.sign(r))
        loss = pointwise.sum()
        if reduction == "mean":
            loss, grad_y_pred = loss / n, grad_y_pred / n
        grad_a = grad_y_pred.sum()
        grad_b = (grad_y_pred * x).sum()
        grad_c = (grad_y_pred * x**2).sum()
        grad_d = (grad_y_pred * x**3).sum()
        a -= lr * grad_a
        b -= lr * grad_b
        c -= lr * grad_c
        d -= lr * grad_d
        losses.append(loss)
        coefficients.append((a, b, c, d))
    return np.array(losses), np.array(coefficients)


def assert_same_run(
    got: tuple[np.ndarray, np.ndarray], want: tuple[np.ndarray, np.ndarray], rtol: float = 1e-9
) -> None:
    scale = np.abs(want[1]).max()
    np.testing.assert_allclose(got[0], want[0], rtol=rtol)
    np.testing.assert_allclose(got[1], want[1], rtol=rtol, atol=rtol * scale)


@pytest.mark.parametrize("fast", [False, True], ids=["phases", "fast-path"])
@pytest.mark.parametrize(
    ("kind", "reduction", "lr"),
    [
        ("squared", "sum", 1e-6),
        ("squared", "mean", 1e-3),
        ("l1", "sum", 1e-5),
        ("huber", "mean", 5e-3),
        ("huber", "sum", 1e-5),
    ],
)
def test_numpy_manual_matches_the_chapter_loop(
    kind: str, reduction: str, lr: float, fast: bool
) -> None:
    config = make_config(
        **{"training.loss": kind, "training.reduction": reduction, "training.lr": lr}
    )
    got = method_trajectory(config, fast=fast)
    assert_same_run(got, chapter_numpy_loop(lr, kind, reduction))


def test_numpy_fast_path_is_the_quadratic_one_for_squared_float64() -> None:
    x, y = chapter_data()
    method = make_method(make_config(), feature_matrix(x, 3, "power", -np.pi, np.pi), y)
    assert getattr(method, "uses_quadratic_fast_path", False)
    l1 = make_method(
        make_config(**{"training.loss": "l1"}), feature_matrix(x, 3, "power", -np.pi, np.pi), y
    )
    assert not getattr(l1, "uses_quadratic_fast_path", True)


@pytest.mark.parametrize(
    "setting",
    [
        {"training.loss": "l1", "training.lr": 1e-5},
        {"training.loss": "huber", "training.batch_size": 300, "training.lr": 1e-5},
        {"model.dtype": "float32"},
    ],
    ids=["l1", "huber-batches", "float32"],
)
def test_numpy_explicit_fast_path_equals_phases_bit_for_bit(setting: dict[str, object]) -> None:
    config = make_config(**setting)
    fast, phases = method_trajectory(config, fast=True), method_trajectory(config, fast=False)
    np.testing.assert_array_equal(fast[0], phases[0])
    np.testing.assert_array_equal(fast[1], phases[1])


def test_torch_autograd_matches_the_chapter_loop() -> None:
    torch = pytest.importorskip("torch")
    lr = 1e-6
    x = torch.linspace(-torch.pi, torch.pi, 2000, dtype=torch.float64)
    y = torch.sin(x)
    a, b, c, d = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in INIT)
    losses, coefficients = [], []
    for _ in range(STEPS):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = torch.square(y_pred - y).sum()
        loss.backward()
        with torch.no_grad():
            a -= lr * a.grad
            b -= lr * b.grad
            c -= lr * c.grad
            d -= lr * d.grad
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None
        losses.append(loss.item())
        coefficients.append([a.item(), b.item(), c.item(), d.item()])
    want = (np.array(losses), np.array(coefficients))
    config = make_config(**{"training.method": "torch-autograd", "training.lr": lr})
    assert_same_run(method_trajectory(config, fast=False), want)
    assert_same_run(method_trajectory(config, fast=True), want)


@pytest.mark.parametrize(
    ("optimizer", "kind", "reduction"),
    [("rmsprop", "squared", "mean"), ("adam", "l1", "sum"), ("sgd", "huber", "mean")],
)
def test_torch_optim_matches_the_chapter_loop(optimizer: str, kind: str, reduction: str) -> None:
    torch = pytest.importorskip("torch")
    from torch import nn

    lr = 1e-3
    x = torch.linspace(-torch.pi, torch.pi, 2000, dtype=torch.float64)
    y = torch.sin(x)
    model = nn.Sequential(nn.Linear(3, 1, dtype=torch.float64), nn.Flatten(0, 1))
    with torch.no_grad():
        model[0].bias.fill_(INIT[0])
        model[0].weight.copy_(torch.tensor([INIT[1:]], dtype=torch.float64))
    inputs = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))
    if optimizer == "rmsprop":
        opt: torch.optim.Optimizer = torch.optim.RMSprop(model.parameters(), lr=lr)
    elif optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=lr)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, nesterov=True)
    loss_fn = {"squared": nn.MSELoss, "l1": nn.L1Loss, "huber": nn.HuberLoss}[kind](
        reduction=reduction
    )
    losses, coefficients = [], []
    for _ in range(STEPS):
        y_pre = model(inputs)
        loss = loss_fn(y_pre, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        coefficients.append([model[0].bias.item(), *model[0].weight[0].tolist()])
    want = (np.array(losses), np.array(coefficients))
    config = make_config(
        **{
            "training.method": "torch-optim",
            "training.loss": kind,
            "training.reduction": reduction,
            "training.lr": lr,
            "optimizer.name": optimizer,
            "optimizer.momentum": 0.9 if optimizer == "sgd" else 0.0,
            "optimizer.nesterov": optimizer == "sgd",
        }
    )
    assert_same_run(method_trajectory(config, fast=False), want)
    assert_same_run(method_trajectory(config, fast=True), want)


def test_random_init_is_the_seeds_init_stream() -> None:
    config = Config().with_changes(seed=7)
    expected = random_generator(7, "init").random(4)
    np.testing.assert_array_equal(initial_coefficients(config), expected)
    assert ((expected >= 0) & (expected < 1)).all()


@pytest.mark.parametrize("method", ["numpy-manual", "torch-autograd", "torch-optim"])
def test_mini_batches_follow_the_documented_shuffle(method: str) -> None:
    """Each step uses the next 300 points of its epoch's order default_rng([seed, 3, epoch])."""
    if method != "numpy-manual":
        pytest.importorskip("torch")
    lr, batch, steps, seed = 1e-5, 300, 20, 5  # 2000 points: 7 batches per epoch, last has 200
    config = make_config(
        **{
            "training.method": method,
            "training.lr": lr,
            "training.batch_size": batch,
            "training.steps": steps,
            "optimizer.name": "sgd",
        }
    ).with_changes(seed=seed)
    session = TrainingSession(config)
    session.advance(steps)
    x, y = chapter_data()
    theta = np.array(INIT)
    features = feature_matrix(x, 3, "power", -np.pi, np.pi)
    for step in range(steps):
        epoch, index = divmod(step, 7)
        order = np.random.default_rng([seed, 3, epoch]).permutation(x.size)
        rows = order[index * batch : (index + 1) * batch]
        residual = features[rows] @ theta - y[rows]
        assert session.history.loss[step] == pytest.approx(np.square(residual).sum(), rel=1e-9)
        theta = theta - lr * (features[rows].T @ (2 * residual))
    np.testing.assert_allclose(session.coefficients, theta, rtol=1e-9)
    again = TrainingSession(config)
    again.advance(steps)
    np.testing.assert_array_equal(again.history.coefficients, session.history.coefficients)
