"""A small network trained with backpropagation written out by hand in NumPy.

The classic derivation, one hidden layer (h units) shown; deeper networks repeat the middle::

    z1 = x W1ᵀ + b1            # (n, h) pre-activations
    a1 = tanh(z1)              # (n, h) hidden units
    y_pred = a1 W2ᵀ + b2       # (n,)  the output unit is linear
    loss = Σ (y_pred − y)²
    grad_y_pred = 2 (y_pred − y)                    # ∂L/∂ŷ
    grad_W2 = grad_y_predᵀ a1;  grad_b2 = Σ grad_y_pred
    grad_a1 = grad_y_pred W2                        # back through the output layer
    grad_z1 = grad_a1 · tanh'(z1) = grad_a1 · (1 − a1²)
    grad_W1 = grad_z1ᵀ x;       grad_b1 = Σ grad_z1
    W -= learning_rate * grad_W; b -= learning_rate * grad_b   (every layer)

The parameters are one flat vector in torch's order (see gradlab.core.network), so the
gradients are too; ``layer_views`` gives each layer's W and b as views into it.
"""

from __future__ import annotations

import numpy as np

from gradlab.core.config import Config
from gradlab.core.losses import loss_grad_wrt_pred, loss_value
from gradlab.core.messages import Message
from gradlab.core.methods.base import Method
from gradlab.core.network import Forward, activation_slope, forward, initial_parameters, layer_views


class NumpyMlp(Method):
    """Forward layer by layer, the loss by hand, backpropagation by hand, θ ← θ − lr·∂L/∂θ."""

    name = "numpy-manual"

    def __init__(self, features: np.ndarray, targets: np.ndarray, config: Config) -> None:
        super().__init__(features, targets, config)
        t = config.training
        self.dtype = np.dtype(config.model.dtype)
        self._model = config.model
        self._x = np.ascontiguousarray(features[:, 0], dtype=self.dtype)
        self._y = np.ascontiguousarray(targets, dtype=self.dtype)
        self._loss_args = (t.loss, t.reduction, t.huber_delta)
        self._theta = initial_parameters(config).astype(self.dtype)
        self._batch_x, self._batch_y = self._x, self._y
        self._forward: Forward | None = None
        self._residual: np.ndarray | None = None
        self._grad_y_pred: np.ndarray | None = None
        self._gradients = np.zeros_like(self._theta)

    # -- the phases --------------------------------------------------------------------------
    def forward(self) -> None:
        if self.batch_indices is None:
            self._batch_x, self._batch_y = self._x, self._y
        else:
            self._batch_x, self._batch_y = self._x[self.batch_indices], self._y[self.batch_indices]
        # z = a W^T + b then a = act(z), layer after layer; the output unit is linear
        self._forward = forward(self._model, self._theta, self._batch_x)

    def compute_loss(self) -> float:
        assert self._forward is not None
        self._residual = self._forward.predictions - self._batch_y  # y_pred - y
        self.loss = loss_value(self._residual, *self._loss_args)
        return self.loss

    def backward(self) -> np.ndarray:
        assert self._forward is not None and self._residual is not None
        grad_y_pred = loss_grad_wrt_pred(self._residual, *self._loss_args)  # ∂L/∂ŷ per point
        self._grad_y_pred = grad_y_pred
        gradients = np.empty_like(self._theta)
        grad_views = layer_views(self._model, gradients)
        weights = layer_views(self._model, self._theta)
        # inputs of each layer: x, a1, a2, ...
        inputs = [self._batch_x.reshape(-1, 1), *self._forward.activations]
        grad_z = grad_y_pred.reshape(-1, 1)  # the output unit is linear: ∂L/∂z_out = ∂L/∂ŷ
        for k in range(len(weights) - 1, -1, -1):
            grad_w, grad_b = grad_views[k]
            grad_w[...] = grad_z.T @ inputs[k]  # ∂L/∂W_k = (∂L/∂z_k)ᵀ a_(k−1)
            grad_b[...] = grad_z.sum(axis=0)  # ∂L/∂b_k = Σ over points of ∂L/∂z_k
            if k == 0:
                break
            grad_a = grad_z @ weights[k][0]  # back through layer k: ∂L/∂a_(k−1)
            z, a = self._forward.pre_activations[k - 1], self._forward.activations[k - 1]
            grad_z = grad_a * activation_slope(self._model.activation, z, a)  # × act'(z)
        self._gradients = gradients
        self.gradients = gradients.astype(np.float64, copy=False)
        return self.gradients

    def update(self) -> None:
        self.coefficients_before = self._theta.astype(np.float64, copy=False)
        # plain gradient descent on every weight and bias: W -= learning_rate * grad_W, ...
        self._theta = self._theta - self.learning_rate * self._gradients
        self.coefficients_after = self._theta.astype(np.float64, copy=False)

    def zero_grad(self) -> None:
        """Nothing to clear: NumPy gradients are computed afresh every step."""

    # -- what the phase view shows -----------------------------------------------------------
    @property
    def gradients_computed_by(self) -> Message:
        return Message("backward.by_hand")

    def zero_grad_cleared(self) -> Message:
        return Message("zero_grad.nothing_to_clear")

    def grad_wrt_predictions(self) -> np.ndarray | None:
        if self._grad_y_pred is None:
            return None
        return np.array(self._grad_y_pred, dtype=np.float64)

    def layer_values(self) -> Forward | None:
        """This step's per-layer pre-activations and activations (None before forward)."""
        return self._forward

    @property
    def predictions(self) -> np.ndarray | None:
        if self._forward is None:
            return None
        return self._forward.predictions.astype(np.float64)

    @property
    def coefficients(self) -> np.ndarray:
        return self._theta.astype(np.float64)

    def _set_parameters(self, values: np.ndarray) -> None:
        self._theta = np.asarray(values, dtype=self.dtype).copy()

    def _clear_phase_values(self) -> None:
        super()._clear_phase_values()
        self._forward = None
        self._residual = None
        self._grad_y_pred = None
