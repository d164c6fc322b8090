"""NumPy losses and their gradients agree with torch's loss modules exactly."""

import numpy as np
import pytest

from gradlab.core.losses import loss_formula, loss_grad_formula, loss_grad_wrt_pred, loss_value

KINDS = ["squared", "l1", "huber"]
REDUCTIONS = ["sum", "mean"]


def _torch_loss(kind, reduction, delta):
    import torch

    if kind == "squared":
        return torch.nn.MSELoss(reduction=reduction)
    if kind == "l1":
        return torch.nn.L1Loss(reduction=reduction)
    return torch.nn.HuberLoss(reduction=reduction, delta=delta)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("delta", [1.0, 0.3])
def test_value_and_gradient_match_torch(kind, reduction, delta):
    import torch

    rng = np.random.default_rng(0)
    y = rng.normal(size=200)
    y_pred = y + rng.normal(scale=1.5, size=200)
    y_pred[:3] = y[:3]  # exact zeros: sign(0) = 0
    y_pred[3] = y[3] + delta  # exactly on the Huber boundary
    y_pred[4] = y[4] - delta
    pred_t = torch.tensor(y_pred, dtype=torch.float64, requires_grad=True)
    loss_t = _torch_loss(kind, reduction, delta)(pred_t, torch.tensor(y, dtype=torch.float64))
    loss_t.backward()

    residual = y_pred - y
    assert loss_value(residual, kind, reduction, delta) == pytest.approx(loss_t.item(), rel=1e-13)
    np.testing.assert_allclose(
        loss_grad_wrt_pred(residual, kind, reduction, delta), pred_t.grad.numpy(), rtol=1e-13
    )


def test_chapter_demo_l1_and_mse_sum():
    residual = np.array([1.0, 2.0, 3.0]) - np.array([1.0, 2.0, 5.0])
    assert loss_value(residual, "l1", "sum") == 2.0
    assert loss_value(residual, "squared", "sum") == 4.0


def test_float32_stays_float32():
    r = np.array([0.5, -2.0], dtype=np.float32)
    for kind in KINDS:
        assert loss_grad_wrt_pred(r, kind, "mean").dtype == np.float32
    assert isinstance(loss_value(r, "huber", "sum"), float)


def test_squared_gradient_is_the_chapters_grad_y_pred():
    r = np.array([1.0, -3.0])
    np.testing.assert_array_equal(loss_grad_wrt_pred(r, "squared", "sum"), 2 * r)


def test_formulas():
    assert loss_formula("squared", "sum") == "Σ (ŷ − y)²"
    assert loss_formula("l1", "mean") == "(1/n) Σ |ŷ − y|"
    assert loss_formula("huber", "sum") == "Σ huber_δ(ŷ − y)"
    assert loss_grad_formula("squared", "sum") == "2 (ŷ − y)"
    assert loss_grad_formula("l1", "mean") == "(1/n) sign(ŷ − y)"


@pytest.mark.parametrize(
    ("kind", "reduction", "match"),
    [("hinge", "sum", "loss must be one of"), ("l1", "max", "reduction must be one of")],
)
def test_bad_names(kind, reduction, match):
    with pytest.raises(ValueError, match=match):
        loss_value(np.ones(2), kind, reduction)


def test_no_points_is_an_error():
    with pytest.raises(ValueError, match="at least one point"):
        loss_value(np.array([]), "squared", "mean")
