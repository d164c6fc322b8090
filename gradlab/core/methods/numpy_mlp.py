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

import math

import numpy as np

from gradlab.core.config import Config
from gradlab.core.losses import loss_grad_wrt_pred, loss_value
from gradlab.core.messages import Message
from gradlab.core.methods.base import Method, StepBuffers, gradient_norm
from gradlab.core.network import (
    Forward,
    activation_slope,
    forward_from_inputs,
    initial_parameters,
    layer_views,
    with_ones,
)


class NumpyMlp(Method):
    """Forward layer by layer, the loss by hand, backpropagation by hand, θ ← θ − lr·∂L/∂θ."""

    name = "numpy-manual"

    def __init__(self, features: np.ndarray, targets: np.ndarray, config: Config) -> None:
        super().__init__(features, targets, config)
        t = config.training
        self.dtype = np.dtype(config.model.dtype)
        self._model = config.model
        self._inputs = with_ones(features[:, 0], self.dtype)  # rows [x, 1]
        self._y = np.ascontiguousarray(targets, dtype=self.dtype)
        self._loss_args = (t.loss, t.reduction, t.huber_delta)
        self._theta = initial_parameters(config).astype(self.dtype)
        self._batch_inputs, self._batch_y = self._inputs, self._y
        self._forward: Forward | None = None
        self._residual: np.ndarray | None = None
        self._grad_y_pred: np.ndarray | None = None
        self._gradients = np.zeros_like(self._theta)

    # -- the phases --------------------------------------------------------------------------
    def forward(self) -> None:
        if self.batch_indices is None:
            self._batch_inputs, self._batch_y = self._inputs, self._y
        else:
            index = self.batch_indices
            self._batch_inputs, self._batch_y = self._inputs[index], self._y[index]
        # z = a Wᵀ + b then a = act(z), layer after layer; the output unit is linear
        self._forward = forward_from_inputs(self._model, self._theta, self._batch_inputs)

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
        grads = layer_views(self._model, gradients)
        weights = layer_views(self._model, self._theta)
        z, a = self._forward.pre_activations, self._forward.activations
        last = len(weights) - 1
        # the output layer (one linear unit): ∂L/∂W_out = Σ ∂L/∂ŷ · a, ∂L/∂b_out = Σ ∂L/∂ŷ
        grads[last][0][0] = grad_y_pred @ a[last - 1]
        grads[last][1][0] = grad_y_pred.sum()
        grad_a = np.outer(grad_y_pred, weights[last][0][0])  # ∂L/∂a = ∂L/∂ŷ · W_out
        for k in range(last - 1, -1, -1):  # then each hidden layer, last to first
            grad_z = grad_a
            grad_z *= activation_slope(
                self._model.activation, z[k], a[k]
            )  # ∂L/∂z = ∂L/∂a · act'(z)
            if k == 0:  # [∂L/∂W1ᵀ; ∂L/∂b1] = [x, 1]ᵀ @ ∂L/∂z1 (Σ x·∂L/∂z1 and Σ ∂L/∂z1)
                h = self._model.hidden
                gradients[: 2 * h].reshape(2, h)[...] = self._batch_inputs.T @ grad_z
                break
            grad_w, grad_b = grads[k]
            grad_w[...] = grad_z.T @ a[k - 1]  # ∂L/∂W_k = (∂L/∂z_k)ᵀ a_(k−1)
            grad_b[...] = grad_z.sum(axis=0)  # ∂L/∂b_k = Σ over points of ∂L/∂z_k
            grad_a = grad_z @ weights[k][0]  # back through layer k: ∂L/∂a_(k−1)
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

    # -- many whole steps at once --------------------------------------------------------------
    def _run_accelerated(self, n: int, out: StepBuffers, first_row: int) -> int:
        """The same phase methods, called without the driver's bookkeeping between them; a step
        that would go non-finite is left to the phases (nothing of it is kept here)."""
        batches = self._batches
        for i in range(n):
            if batches is not None:
                self.batch_indices = batches.indices(self.step_count)
            self.forward()
            loss = self.compute_loss()
            if not math.isfinite(loss):
                return self._give_back(i)
            norm = gradient_norm(self.backward())
            if not math.isfinite(norm):
                return self._give_back(i)
            theta = self._theta
            self.update()
            if not np.isfinite(self._theta).all():
                self._theta = theta
                return self._give_back(i)
            self.grad_norm = norm
            self.step_count += 1
            row = first_row + i
            out.loss[row] = loss
            out.coefficients[row] = self._theta
            out.grad_norm[row] = norm
        return n

    def _give_back(self, steps: int) -> int:
        """Stop before the current step: the phases run it again, from the same state."""
        self._clear_phase_values()
        return steps
