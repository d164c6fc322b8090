"""The chapter's listing 1: gradients written out by hand in NumPy, plain gradient descent.

The listing, for the cubic::

    y_pred = a + b*x + c*x**2 + d*x**3
    loss = np.square(y_pred - y).sum()
    grad_y_pred = 2 * (y_pred - y)
    grad_a = grad_y_pred.sum();  grad_b = (grad_y_pred * x).sum();  ...
    a -= learning_rate * grad_a; ...

Here the powers of x are computed once (the columns of X, so y_pred = X @ θ for any degree and
for the Legendre basis too) instead of every epoch, and the loss may be squared, L1 or Huber.

Fast path: for a squared loss on the full batch in float64, many steps are computed at once.
Gradient descent on a quadratic is an affine recurrence. With θ = θ* + d (θ* the least-squares
optimum, r* = Xθ* − y, g* = Xᵀr*, G = XᵀX, s = 1 for sum or n for mean)::

    loss(θ) = (r*·r* + 2 d·g* + |R d|²) / s        (X = QR, so |X d| = |R d|)
    ∇loss(θ) = 2 (G d + g*) / s
    d_next  = A d + c,   A = I − (2 lr/s) G,   c = −(2 lr/s) g*

so B steps ahead d_j = A^j d_0 + (I + A + … + A^(j−1)) c, one batched matrix product per block.
Writing d relative to the optimum (instead of θᵀGθ − 2θᵀXᵀy + yᵀy) avoids cancelling large
numbers, so the losses agree with the step-by-step ones to ~1e-13 even near the optimum.
Blocks start at fixed steps (every B steps from where the fast path last started: the beginning,
a learning-rate change, or a step taken phase by phase), so any chunking of ``run_fast`` gives
bit-identical numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from gradlab.core.config import Config
from gradlab.core.losses import loss_grad_wrt_pred, loss_value
from gradlab.core.methods.base import (
    Method,
    RunResult,
    StepBuffers,
    StepRecord,
    gradient_norm,
    initial_coefficients,
)

BLOCK_STEPS = 128


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
        self.loss_grad_wrt_predictions: np.ndarray | None = None  # the chapter's grad_y_pred
        exact_quadratic = t.loss == "squared" and self._batches is None
        self._blocks = (
            _QuadraticBlocks(self._X, self._y, t.reduction)
            if exact_quadratic and self.dtype == np.float64
            else None
        )
        self._anchor: _Anchor | None = None  # where the current block of fast steps started
        self._block: _Block | None = None
        self._d: np.ndarray | None = None  # θ − θ* exactly as the fast path holds it

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
        self.loss_grad_wrt_predictions = grad_y_pred
        # grad_a = Σ grad_y_pred, grad_b = Σ grad_y_pred·x, grad_c = Σ grad_y_pred·x², ...
        self._gradients = self._batch_X.T @ grad_y_pred
        self.gradients = self._gradients.astype(np.float64, copy=False)
        return self.gradients

    def update(self) -> None:
        self.coefficients_before = self._theta.astype(np.float64, copy=False)
        # plain gradient descent: a -= learning_rate * grad_a, and so on for every coefficient
        self._theta = self._theta - self.learning_rate * self._gradients
        self.coefficients_after = self._theta.astype(np.float64, copy=False)
        self._forget_fast_state()  # the coefficients moved outside the fast path

    def zero_grad(self) -> None:
        """Nothing to clear: NumPy gradients are computed afresh every step."""

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
        self._forget_fast_state()

    def _clear_phase_values(self) -> None:
        super()._clear_phase_values()
        self._predictions = None
        self._residual = None
        self.loss_grad_wrt_predictions = None

    # -- the fast path -------------------------------------------------------------------------
    @property
    def uses_quadratic_fast_path(self) -> bool:
        """True for squared loss, full batch, float64: steps come in exact affine blocks."""
        return self._blocks is not None

    def step_phase(self) -> StepRecord | None:
        with np.errstate(all="ignore"):  # overflow while diverging is a result, not a warning
            return super().step_phase()

    def step(self) -> StepRecord:
        with np.errstate(all="ignore"):
            return super().step()

    def run_fast(self, n: int, out: StepBuffers) -> RunResult:
        if n > out.capacity:
            raise ValueError(f"buffers hold {out.capacity} rows, asked for {n} steps")
        with np.errstate(all="ignore"):
            done = 0
            if self.phase_index and n:  # finish a step begun phase by phase, then go fast
                done, diverged = super().run_fast(1, out)
                if diverged:
                    return RunResult(0, True)
            if self._blocks is None:
                result = self._run_explicit(n - done, out, done)
            else:
                result = self._run_blocks(n - done, out, done)
            return RunResult(done + result.steps, result.diverged)

    def _run_explicit(self, n: int, out: StepBuffers, first_row: int) -> RunResult:
        """The phases' arithmetic (same operations, same numbers) without their bookkeeping:
        for L1 and Huber losses, mini-batches and float32."""
        X, y, theta, lr = self._X, self._y, self._theta, self.learning_rate
        kind, reduction, delta = self._loss_args
        schedule = self._batches
        loss, gradients, before = math.nan, None, theta
        for row in range(first_row, first_row + n):
            if schedule is not None:
                rows = schedule.indices(self.step_count)
                X, y = self._X[rows], self._y[rows]
            residual = X @ theta - y  # forward and loss, as forward() and compute_loss()
            loss = loss_value(residual, kind, reduction, delta)
            gradient = X.T @ loss_grad_wrt_pred(residual, kind, reduction, delta)  # backward()
            gradients = gradient.astype(np.float64, copy=False)
            norm = gradient_norm(gradients)
            updated = theta - lr * gradient  # update()
            if not (
                math.isfinite(loss)
                and math.isfinite(norm)
                and all(map(math.isfinite, updated.tolist()))
            ):
                self._finish_explicit_run(theta, before, math.nan, None)
                return RunResult(row - first_row, True)
            out.loss[row] = loss
            out.coefficients[row] = updated
            out.grad_norm[row] = norm
            before, theta = theta, updated
            self.step_count += 1
        self._finish_explicit_run(theta, before, loss, gradients)
        return RunResult(n, False)

    def _finish_explicit_run(
        self, theta: np.ndarray, before: np.ndarray, loss: float, gradients: np.ndarray | None
    ) -> None:
        """Leave the phase values as the last whole step left them."""
        self._clear_phase_values()
        self._theta = theta
        if gradients is not None:
            self.loss, self.gradients = loss, gradients
            self.grad_norm = gradient_norm(gradients)
            self.coefficients_before = before.astype(np.float64, copy=False)
            self.coefficients_after = theta.astype(np.float64, copy=False)

    def _run_blocks(self, n: int, out: StepBuffers, first_row: int) -> RunResult:
        done = 0
        while done < n:
            block = self._current_block()
            position = self.step_count - block.start
            count = min(n - done, BLOCK_STEPS - position, block.first_bad - position)
            rows = slice(position, position + count)
            target = slice(first_row + done, first_row + done + count)
            out.loss[target] = block.loss[rows]
            out.coefficients[target] = block.theta_after[rows]
            out.grad_norm[target] = block.grad_norm[rows]
            if count:
                self._consume(block, position, count)
            done += count
            if position + count == block.first_bad < BLOCK_STEPS:
                return RunResult(done, True)
        return RunResult(done, False)

    def _current_block(self) -> _Block:
        assert self._blocks is not None
        anchor = self._anchor
        if anchor is None or anchor.lr != self.learning_rate:
            d = self._d if self._d is not None else self._theta - self._blocks.optimum
            anchor = self._anchor = _Anchor(self.step_count, d, self.learning_rate)
            self._block = None
        if self._block is None:
            self._block = self._blocks.block(anchor)
        return self._block

    def _consume(self, block: _Block, position: int, count: int) -> None:
        last = position + count - 1
        self._clear_phase_values()
        self.coefficients_before = (
            block.theta_after[last - 1].copy() if last else self._theta.astype(np.float64)
        )
        self.loss = float(block.loss[last])
        self.gradients = block.gradients[last].copy()
        self.grad_norm = float(block.grad_norm[last])
        self._theta = block.theta_after[last].copy()
        self.coefficients_after = self._theta
        self._d = block.d_after[last]
        self.step_count += count
        if last == BLOCK_STEPS - 1:  # the next block starts where this one ended
            self._anchor = _Anchor(self.step_count, self._d, block.lr)
            self._block = None

    def _forget_fast_state(self) -> None:
        self._anchor = None
        self._block = None
        self._d = None

    def _snapshot_state(self) -> dict[str, Any]:
        return {"anchor": self._anchor, "d": None if self._d is None else self._d.copy()}

    def _restore_state(self, state: dict[str, Any]) -> None:
        self._anchor = state.get("anchor")
        self._d = state.get("d")
        self._block = None  # recomputed from the anchor: the same numbers as before


@dataclass(frozen=True, eq=False)
class _Anchor:
    step: int  # the block covers steps step+1 .. step+BLOCK_STEPS
    d: np.ndarray  # θ − θ* before the block's first step
    lr: float


@dataclass(frozen=True, eq=False)
class _Block:
    start: int
    lr: float
    d_after: np.ndarray  # (B, p): θ − θ* after each step
    theta_after: np.ndarray  # (B, p)
    loss: np.ndarray  # (B,): before each step's update
    gradients: np.ndarray  # (B, p)
    grad_norm: np.ndarray  # (B,)
    first_bad: int  # index of the first non-finite step, BLOCK_STEPS if none


class _QuadraticBlocks:
    """Precomputed pieces of the squared loss for the block recurrence (module docstring)."""

    def __init__(self, X: np.ndarray, y: np.ndarray, reduction: str) -> None:
        self.scale = float(X.shape[0]) if reduction == "mean" else 1.0
        norms = np.linalg.norm(X, axis=0)
        norms[norms == 0] = 1.0
        self.optimum = np.linalg.lstsq(X / norms, y, rcond=None)[0] / norms  # θ*
        residual = X @ self.optimum - y
        self.optimum_loss = float(residual @ residual)  # r*·r*
        self.optimum_gradient = X.T @ residual  # g* = Xᵀr*, ~0
        self.gram = X.T @ X  # G
        self.r_factor = np.linalg.qr(X).R  # X = QR with orthonormal Q, so |X d| = |R d|
        self._powers_lr: float | None = None
        self._powers = np.empty((BLOCK_STEPS, X.shape[1], X.shape[1]))
        self._offsets = np.empty((BLOCK_STEPS, X.shape[1]))

    def _ensure_powers(self, lr: float) -> None:
        """A^j and Σ_{i<j} A^i c for j = 1..B (recomputed when the learning rate changes)."""
        if self._powers_lr == lr:
            return
        p = self.gram.shape[0]
        factor = 2.0 * lr / self.scale
        matrix = np.eye(p) - factor * self.gram
        offset = -factor * self.optimum_gradient
        with np.errstate(all="ignore"):
            self._powers[0], self._offsets[0] = matrix, offset
            for j in range(1, BLOCK_STEPS):
                self._powers[j] = matrix @ self._powers[j - 1]
                self._offsets[j] = matrix @ self._offsets[j - 1] + offset
        self._powers_lr = lr

    def block(self, anchor: _Anchor) -> _Block:
        self._ensure_powers(anchor.lr)
        with np.errstate(all="ignore"):
            d_after = self._powers @ anchor.d + self._offsets
            d_before = np.concatenate((anchor.d[None, :], d_after[:-1]))
            projected = d_before @ self.r_factor.T
            squares = np.einsum("ij,ij->i", projected, projected)
            loss = self.optimum_loss + 2.0 * (d_before @ self.optimum_gradient) + squares
            loss /= self.scale
            gradients = (2.0 / self.scale) * (d_before @ self.gram + self.optimum_gradient)
            theta_after = self.optimum + d_after
            finite = np.isfinite(loss) & np.isfinite(theta_after).all(axis=1)
            finite &= np.isfinite(gradients).all(axis=1)
        bad = np.flatnonzero(~finite)
        return _Block(
            start=anchor.step,
            lr=anchor.lr,
            d_after=d_after,
            theta_after=theta_after,
            loss=loss,
            gradients=gradients,
            grad_norm=np.hypot.reduce(gradients, axis=1),
            first_bad=int(bad[0]) if bad.size else BLOCK_STEPS,
        )
