"""The chapter's listing 2: a tensor with ``requires_grad``, ``loss.backward()``, a manual update.

The listing, for the cubic::

    a, b, c, d = torch.rand((), requires_grad=True), ...
    y_pred = a + b*x + c*x**2 + d*x**3
    loss = torch.square(y_pred - y).sum()
    loss.backward()
    with torch.no_grad():
        a -= learning_rate * a.grad; ...
    a.grad = None; ...

Here the coefficients a, b, c, d, ... are the entries of one tensor ``theta`` (so the same code
serves every degree), the feature columns 1, x, x², x³ (or Legendre polynomials) are computed
once instead of every epoch, and ``y_pred = features @ theta`` is a + b*x + c*x**2 + ... for
every point in one product. autograd then fills ``theta.grad`` = (∂loss/∂a, ∂loss/∂b, ...).
"""

from __future__ import annotations

import numpy as np
import torch
from torch.nn import functional

from gradlab.core.autograd_graph import AutogradParts
from gradlab.core.config import Config
from gradlab.core.messages import Message
from gradlab.core.methods.base import Method, initial_coefficients


class TorchAutograd(Method):
    """Forward, ``loss.backward()``, ``theta -= lr * theta.grad`` under no_grad, grad = None."""

    name = "torch-autograd"

    def __init__(self, features: np.ndarray, targets: np.ndarray, config: Config) -> None:
        super().__init__(features, targets, config)
        t = config.training
        self.dtype = getattr(torch, config.model.dtype)
        # one row per point: 1, x, x**2, x**3, ... (computed once, not every epoch)
        self._all_features = torch.from_numpy(np.ascontiguousarray(features)).to(self.dtype)
        self._all_y = torch.from_numpy(np.array(targets, dtype=np.float64)).to(self.dtype)
        self._features, self._y = self._all_features, self._all_y
        self._loss_kind, self._reduction, self._delta = t.loss, t.reduction, t.huber_delta
        # theta = (a, b, c, d, ...): the coefficients autograd differentiates the loss by
        self.theta = torch.tensor(initial_coefficients(config), dtype=self.dtype)
        self.theta.requires_grad_(True)
        self._theta_view = self.theta.detach().numpy()  # shares memory: cheap to read
        self._theta = self._theta_view.astype(np.float64)
        self._y_pred: torch.Tensor | None = None
        self._loss_tensor: torch.Tensor | None = None

    # -- the phases --------------------------------------------------------------------------
    def forward(self) -> None:
        if self.batch_indices is None:
            self._features, self._y = self._all_features, self._all_y
        else:
            index = torch.from_numpy(self.batch_indices)
            self._features, self._y = self._all_features[index], self._all_y[index]
        self._y_pred = self._features @ self.theta  # a + b*x + c*x**2 + d*x**3 + ... per point

    def compute_loss(self) -> float:
        assert self._y_pred is not None
        self._loss_tensor = self._loss_of(self._y_pred, self._y)
        self.loss = self._loss_tensor.item()
        return self.loss

    def _loss_of(self, y_pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """The loss tensor of ``y_pred`` against ``y``: pointwise, then summed or averaged."""
        if self._loss_kind == "squared":
            pointwise = torch.square(y_pred - y)
        elif self._loss_kind == "l1":
            pointwise = torch.abs(y_pred - y)
        else:
            pointwise = functional.huber_loss(y_pred, y, reduction="none", delta=self._delta)
        return pointwise.sum() if self._reduction == "sum" else pointwise.mean()

    def backward(self) -> np.ndarray:
        assert self._loss_tensor is not None
        self._loss_tensor.backward()  # fills theta.grad = (∂loss/∂a, ∂loss/∂b, ...)
        assert self.theta.grad is not None
        self.gradients = np.array(self.theta.grad.tolist())  # float64
        return self.gradients

    def update(self) -> None:
        self.coefficients_before = self._theta
        gradient = self.theta.grad
        assert gradient is not None
        with torch.no_grad():  # the update itself must not become part of the graph
            self.theta -= self.learning_rate * gradient  # a -= learning_rate * a.grad, ...
        self._theta = self._theta_view.astype(np.float64)
        self.coefficients_after = self._theta

    def zero_grad(self) -> None:
        self.theta.grad = None  # the next backward starts from zero

    # -- what the phase view shows -----------------------------------------------------------
    @property
    def gradients_computed_by(self) -> Message:
        return Message("backward.autograd")

    def zero_grad_cleared(self) -> Message:
        return Message("zero_grad.grad_none", {"letters": ", ".join(self.config.coefficient_names)})

    def gradients_cleared(self) -> bool:
        return self.theta.grad is None

    def autograd_parts(self) -> AutogradParts:
        indices = tuple(range(self.num_coefficients))
        return AutogradParts(self._loss_tensor, self._y_pred, ((self.theta, "θ", indices),))

    @property
    def predictions(self) -> np.ndarray | None:
        if self._y_pred is None:
            return None
        return self._y_pred.detach().numpy().astype(np.float64)

    @property
    def coefficients(self) -> np.ndarray:
        return self._theta.copy()

    def _set_parameters(self, values: np.ndarray) -> None:
        with torch.no_grad():
            self.theta.copy_(torch.from_numpy(np.asarray(values, dtype=np.float64)))
        self._theta = self._theta_view.astype(np.float64)

    def _clear_phase_values(self) -> None:
        super()._clear_phase_values()
        self._y_pred = None
        self._loss_tensor = None
