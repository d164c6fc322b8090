"""A fourth way: the polynomial as a custom ``torch.autograd.Function`` with a hand-written
backward, driven by the same loop as the chapter's listing 2.

The Function, for the cubic::

    class Polynomial(torch.autograd.Function):
        @staticmethod
        def forward(ctx, X, a, b, c, d):
            ctx.save_for_backward(X)  # backward needs the features x**k
            return a + b * X[:, 1] + c * X[:, 2] + d * X[:, 3]

        @staticmethod
        def backward(ctx, grad_y_pred):
            (X,) = ctx.saved_tensors
            return None, grad_y_pred.sum(), (grad_y_pred * X[:, 1]).sum(), ...

``loss.backward()`` differentiates the loss itself (giving grad_y_pred = ∂loss/∂ŷ) and then calls
this ``backward``: the chain rule of listing 1, written in torch. Here the coefficients are one
tensor ``theta`` (so the same code serves every degree and the Legendre basis), the forward is
``X @ theta`` and the backward ``Xᵀ @ grad_y_pred``, which is grad_a, grad_b, ... at once.

``training.flip_backward_sign`` (a lesson setting, off by default) makes the backward return
−∂loss/∂b on purpose, so that a student can watch ``gradcheck`` and the four-way check catch it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from gradlab.core.config import Config
from gradlab.core.messages import Message
from gradlab.core.methods.base import initial_coefficients
from gradlab.core.methods.torch_autograd import TorchAutograd

FLIPPED_COEFFICIENT = 1  # b: the coefficient of x (of P1 in the Legendre basis)


class Polynomial(torch.autograd.Function):
    """ŷ = X @ θ (a + b·x + c·x² + ... per point) with the gradients written by hand."""

    @staticmethod
    def forward(ctx: Any, features: torch.Tensor, theta: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(features)  # backward needs the features x**k, not ŷ
        return features @ theta

    @staticmethod
    def backward(ctx: Any, grad_y_pred: torch.Tensor) -> tuple[None, torch.Tensor]:
        (features,) = ctx.saved_tensors
        # chain rule: ∂loss/∂θ_k = Σ_i ∂loss/∂ŷ_i · ∂ŷ_i/∂θ_k = Σ_i grad_y_pred_i · X[i, k]
        return None, features.T @ grad_y_pred  # no gradient for the features themselves


class PolynomialWithFlippedSign(Polynomial):
    """The same Function with a deliberate bug: its backward returns −∂loss/∂b."""

    @staticmethod
    def backward(ctx: Any, grad_y_pred: torch.Tensor) -> tuple[None, torch.Tensor]:
        _, grad_theta = Polynomial.backward(ctx, grad_y_pred)
        sign = torch.ones_like(grad_theta)
        sign[FLIPPED_COEFFICIENT] = -1.0  # the wrong sign: gradient ascent in b
        return None, grad_theta * sign


def apply_function(
    function: type[Polynomial], features: torch.Tensor, theta: torch.Tensor
) -> torch.Tensor:
    """``function.apply(features, theta)``: ŷ, recorded in the graph as one node."""
    result: torch.Tensor = function.apply(features, theta)  # type: ignore[no-untyped-call]
    return result


def polynomial_function(config: Config) -> type[Polynomial]:
    """The Function ``config`` trains with: correct, or with the lesson's flipped sign."""
    return PolynomialWithFlippedSign if config.training.flip_backward_sign else Polynomial


class TorchFunction(TorchAutograd):
    """Listing 2's loop with ŷ = Polynomial.apply(X, θ): loss.backward() runs our backward."""

    name = "torch-function"

    def __init__(self, features: np.ndarray, targets: np.ndarray, config: Config) -> None:
        super().__init__(features, targets, config)
        self.function = polynomial_function(config)

    def forward(self) -> None:
        if self.batch_indices is None:
            self._features, self._y = self._all_features, self._all_y
        else:
            index = torch.from_numpy(self.batch_indices)
            self._features, self._y = self._all_features[index], self._all_y[index]
        # the custom Function's forward; autograd records it as one node of the graph
        self._y_pred = apply_function(self.function, self._features, self.theta)

    @property
    def gradients_computed_by(self) -> Message:
        if self.function is PolynomialWithFlippedSign:
            return Message("backward.function_flipped")
        return Message("backward.function")


@dataclass(frozen=True, eq=False)
class GradcheckResult:
    """``torch.autograd.gradcheck`` on a Function, with the two gradients it compared.

    ``analytical`` is what the Function's backward returns for ∂(w·ŷ)/∂θ with random weights w,
    ``numerical`` the same by central differences (float64); ``passed`` is gradcheck's verdict.
    """

    function: str  # the Function's class name
    passed: bool
    analytical: np.ndarray
    numerical: np.ndarray
    points: int

    @property
    def largest_difference(self) -> float:
        return float(np.max(np.abs(self.analytical - self.numerical)))

    @property
    def wrong_coefficients(self) -> tuple[int, ...]:
        """Indices (a = 0) whose analytical and numerical gradients disagree."""
        close = np.isclose(self.analytical, self.numerical, rtol=1e-3, atol=1e-5)
        return tuple(int(k) for k in np.flatnonzero(~close))


GRADCHECK_POINTS = 8


def run_gradcheck(config: Config, features: np.ndarray | None = None) -> GradcheckResult:
    """gradcheck ``config``'s Function in float64 at its start coefficients on a few points.

    ``features`` (n, p) defaults to the powers of GRADCHECK_POINTS evenly spaced x in [-1, 1]
    (small values keep the finite differences accurate); at most GRADCHECK_POINTS rows are used.
    A network's Functions are checked per parameter on GRADCHECK_POINTS x in [-1, 1].
    """
    if config.model.kind == "mlp":
        from gradlab.core.methods.torch_function_mlp import run_network_gradcheck

        return run_network_gradcheck(config)
    function = polynomial_function(config)
    p = config.model.degree + 1
    if features is None:
        x = np.linspace(-1.0, 1.0, GRADCHECK_POINTS)
        features = x[:, None] ** np.arange(p)
    rows = np.asarray(features, dtype=np.float64)[:GRADCHECK_POINTS]
    X = torch.tensor(rows, dtype=torch.float64)
    theta = torch.tensor(initial_coefficients(config), dtype=torch.float64, requires_grad=True)
    passed = bool(torch.autograd.gradcheck(function.apply, (X, theta), raise_exception=False))
    weights = torch.tensor(
        np.random.default_rng(config.seed).standard_normal(rows.shape[0]), dtype=torch.float64
    )
    (analytical,) = torch.autograd.grad((apply_function(function, X, theta) * weights).sum(), theta)
    numerical = np.empty(p)
    with torch.no_grad():
        for k in range(p):
            step = torch.zeros(p, dtype=torch.float64)
            step[k] = 1e-6
            up = (apply_function(function, X, theta + step) * weights).sum()
            down = (apply_function(function, X, theta - step) * weights).sum()
            numerical[k] = float((up - down) / 2e-6)
    return GradcheckResult(
        function.__name__, passed, analytical.detach().numpy().copy(), numerical, len(rows)
    )
