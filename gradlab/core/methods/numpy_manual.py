"""The chapter's listing 1: gradients written out by hand in NumPy, plain gradient descent.

The listing, for the cubic::

    y_pred = a + b*x + c*x**2 + d*x**3
    loss = np.square(y_pred - y).sum()
    grad_y_pred = 2 * (y_pred - y)
    grad_a = grad_y_pred.sum();  grad_b = (grad_y_pred * x).sum();  ...
    a -= learning_rate * grad_a; ...

Here the powers of x are computed once (the columns of X, so y_pred = X @ θ for any degree and
for the Legendre basis too) instead of every epoch, and the loss may be squared, L1 or Huber.
Many whole steps at once are left to an accelerator (numpy_accelerator.py) that gives the same
numbers as these phases.
"""

from __future__ import annotations

import numpy as np

from gradlab.core.config import Config
from gradlab.core.losses import loss_grad_wrt_pred, loss_value
from gradlab.core.messages import Message
from gradlab.core.methods.base import Method, StepBuffers, initial_coefficients
from gradlab.core.methods.numpy_accelerator import QuadraticBlocks, make_accelerator


class NumpyManual(Method):
    """Forward ŷ = X @ θ, the loss by hand, ∂L/∂θ by the chain rule, θ ← θ − lr·∂L/∂θ."""

    name = "numpy-manual"

    def __init__(self, features: np.ndarray, targets: np.ndarray, config: Config) -> None:
        super().__init__(features, targets, config)
        t = config.training
        self.dtype = np.dtype(config.model.dtype)
        # columns 1, x, x², x³, ... stored column by column (Fortran order), which halves the
        # cost of X @ θ and Xᵀ @ g for a few long columns
        self._X = np.asfortranarray(features, dtype=self.dtype)
        self._y = np.ascontiguousarray(targets, dtype=self.dtype)
        self._loss_args = (t.loss, t.reduction, t.huber_delta)
        self._theta = initial_coefficients(config).astype(self.dtype)  # a, b, c, d, ...
        self._batch_X, self._batch_y = self._X, self._y
        self._predictions: np.ndarray | None = None
        self._residual: np.ndarray | None = None
        self._grad_y_pred: np.ndarray | None = None  # the chapter's grad_y_pred
        self._gradients: np.ndarray = np.zeros(self.num_coefficients, dtype=self.dtype)
        self._accelerator = make_accelerator(self._X, self._y, self._loss_args, self._batches)

    # -- the phases --------------------------------------------------------------------------
    def forward(self) -> None:
        if self.batch_indices is None:
            self._batch_X, self._batch_y = self._X, self._y
        else:
            self._batch_X, self._batch_y = self._X[self.batch_indices], self._y[self.batch_indices]
        # y_pred = a + b*x + c*x**2 + ... for every point at once
        self._predictions = self._batch_X @ self._theta

    def compute_loss(self) -> float:
        assert self._predictions is not None
        self._residual = self._predictions - self._batch_y  # y_pred - y
        self.loss = loss_value(self._residual, *self._loss_args)  # e.g. Σ (y_pred - y)²
        return self.loss

    def backward(self) -> np.ndarray:
        assert self._residual is not None
        # chain rule: ∂L/∂θ_k = Σ_i ∂L/∂ŷ_i · ∂ŷ_i/∂θ_k, and ∂ŷ_i/∂θ_k = X[i, k] (= x_i**k)
        grad_y_pred = loss_grad_wrt_pred(self._residual, *self._loss_args)  # e.g. 2 (ŷ − y)
        self._grad_y_pred = grad_y_pred
        # grad_a = Σ grad_y_pred, grad_b = Σ grad_y_pred·x, grad_c = Σ grad_y_pred·x², ...
        self._gradients = self._batch_X.T @ grad_y_pred
        self.gradients = self._gradients.astype(np.float64, copy=False)
        return self.gradients

    def update(self) -> None:
        self.coefficients_before = self._theta.astype(np.float64, copy=False)
        # plain gradient descent: a -= learning_rate * grad_a, and so on for every coefficient
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

    @property
    def predictions(self) -> np.ndarray | None:
        if self._predictions is None:
            return None
        return self._predictions.astype(np.float64)

    @property
    def coefficients(self) -> np.ndarray:
        return self._theta.astype(np.float64)

    def _set_parameters(self, values: np.ndarray) -> None:
        self._theta = np.asarray(values, dtype=self.dtype).copy()

    def _clear_phase_values(self) -> None:
        super()._clear_phase_values()
        self._predictions = None
        self._residual = None
        self._grad_y_pred = None

    # -- many whole steps at once --------------------------------------------------------------
    @property
    def uses_quadratic_fast_path(self) -> bool:
        """True for squared loss, full batch, float64: steps come in exact affine blocks."""
        return isinstance(self._accelerator, QuadraticBlocks)

    def _run_accelerated(self, n: int, out: StepBuffers, first_row: int) -> int:
        run = self._accelerator.run(
            self._theta, self.step_count, self.learning_rate, n, out, first_row
        )
        last = run.last
        if last is not None:  # leave the phase values as the last step's phases would
            self._clear_phase_values()
            self._theta = run.theta
            self.step_count += run.steps
            self.loss, self.gradients, self.grad_norm = last.loss, last.gradients, last.grad_norm
            self.coefficients_before = last.before
            self.coefficients_after = run.theta.astype(np.float64, copy=False)
            self.batch_indices = last.batch_indices
        return run.steps

    def _snapshot_state(self) -> dict[str, object]:
        return {"accelerator": self._accelerator.state(self._theta)}

    def _restore_state(self, state: dict[str, object]) -> None:
        self._accelerator.restore(state.get("accelerator"), self._theta)
