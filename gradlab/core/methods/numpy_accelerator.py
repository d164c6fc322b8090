"""Whole numpy-manual steps computed faster than phase by phase, with the phases' numbers.

``make_accelerator`` picks one of two:

``ExplicitSteps`` (L1 and Huber losses, mini-batches, float32) runs the phases' arithmetic in a
tight loop without their bookkeeping: the same operations in the same order, so the numbers are
bit for bit those of the phases.

``QuadraticBlocks`` (squared loss, full batch, float64) computes many steps at once. Gradient
descent on a quadratic is an affine recurrence. With θ = θ* + d (θ* the least-squares optimum,
r* = Xθ* − y, g* = Xᵀr*, G = XᵀX, s = 1 for sum or n for mean)::

    loss(θ) = (r*·r* + 2 d·g* + |R d|²) / s        (X = QR, so |X d| = |R d|)
    ∇loss(θ) = 2 (G d + g*) / s
    d_next  = A d + c,   A = I − (2 lr/s) G,   c = −(2 lr/s) g*

so B steps ahead d_j = A^j d_0 + (I + A + … + A^(j−1)) c, one batched matrix product per block.
Writing d relative to the optimum (instead of θᵀGθ − 2θᵀXᵀy + yᵀy) avoids cancelling large
numbers, so the losses agree with the phases' to ~1e-13 even near the optimum. Blocks start at
fixed steps (every B steps from where the blocks last started: the beginning, a learning-rate
change, or coefficients that came from elsewhere, e.g. a step taken phase by phase), so any
chunking gives bit-identical numbers.

Both stop before a step that would not be finite: the method's phases run that one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from gradlab.core.losses import loss_grad_wrt_pred, loss_value
from gradlab.core.methods.base import StepBuffers, gradient_norm
from gradlab.core.methods.batches import BatchSchedule

BLOCK_STEPS = 128


@dataclass(frozen=True, eq=False)
class LastStep:
    """What the phases of the run's last step would have left behind (float64)."""

    loss: float
    gradients: np.ndarray
    grad_norm: float
    before: np.ndarray  # the coefficients before its update
    batch_indices: np.ndarray | None


@dataclass(frozen=True, eq=False)
class FastRun:
    steps: int  # whole finite steps run
    theta: np.ndarray  # the coefficients after them, in the method's dtype
    last: LastStep | None  # None when no step ran


class Accelerator(Protocol):
    def run(
        self, theta: np.ndarray, step_count: int, lr: float, n: int, out: StepBuffers, row: int
    ) -> FastRun:
        """Up to ``n`` steps from ``theta`` (steps ``step_count + 1``...) into rows ``row``...
        of ``out``; stops before a step that would not be finite."""
        ...

    def state(self, theta: np.ndarray) -> object:
        """What ``restore`` needs to continue from ``theta`` with the same numbers."""
        ...

    def restore(self, state: object, theta: np.ndarray) -> None:
        """Continue from ``theta`` as from the state ``state(theta)`` returned."""
        ...


def make_accelerator(
    X: np.ndarray,
    y: np.ndarray,
    loss: tuple[str, str, float],
    batches: BatchSchedule | None,
) -> Accelerator:
    """The exact block recurrence where it applies, the explicit loop elsewhere."""
    kind, reduction, _delta = loss
    if kind == "squared" and batches is None and X.dtype == np.float64:
        return QuadraticBlocks(X, y, reduction)
    return ExplicitSteps(X, y, loss, batches)


class ExplicitSteps:
    """The phases' arithmetic (same operations, same numbers) without their bookkeeping."""

    def __init__(
        self,
        X: np.ndarray,
        y: np.ndarray,
        loss: tuple[str, str, float],
        batches: BatchSchedule | None,
    ) -> None:
        self._X, self._y, self._loss, self._batches = X, y, loss, batches

    def run(
        self, theta: np.ndarray, step_count: int, lr: float, n: int, out: StepBuffers, row: int
    ) -> FastRun:
        kind, reduction, delta = self._loss
        X, y, schedule = self._X, self._y, self._batches
        indices: np.ndarray | None = None
        before, loss, gradients, norm, last_indices = theta, math.nan, None, math.nan, indices
        for done in range(n):
            if schedule is not None:
                indices = schedule.indices(step_count + done)
                X, y = self._X[indices], self._y[indices]
            residual = X @ theta - y  # forward and loss, as forward() and compute_loss()
            step_loss = loss_value(residual, kind, reduction, delta)
            gradient = X.T @ loss_grad_wrt_pred(residual, kind, reduction, delta)  # backward()
            step_gradients = gradient.astype(np.float64, copy=False)
            step_norm = gradient_norm(step_gradients)
            updated = theta - lr * gradient  # update()
            finite = math.isfinite(step_loss) and math.isfinite(step_norm)
            if not (finite and all(map(math.isfinite, updated.tolist()))):
                return _explicit_run(done, theta, before, loss, gradients, norm, last_indices)
            out.loss[row + done] = step_loss
            out.coefficients[row + done] = updated
            out.grad_norm[row + done] = step_norm
            before, theta = theta, updated
            loss, gradients, norm, last_indices = step_loss, step_gradients, step_norm, indices
        return _explicit_run(n, theta, before, loss, gradients, norm, last_indices)

    def state(self, theta: np.ndarray) -> object:
        del theta
        return None  # every run starts from the coefficients it is given

    def restore(self, state: object, theta: np.ndarray) -> None:
        del state, theta


def _explicit_run(
    steps: int,
    theta: np.ndarray,
    before: np.ndarray,
    loss: float,
    gradients: np.ndarray | None,
    norm: float,
    indices: np.ndarray | None,
) -> FastRun:
    if gradients is None:  # no step ran
        return FastRun(0, theta, None)
    last = LastStep(loss, gradients, norm, before.astype(np.float64), indices)
    return FastRun(steps, theta, last)


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


@dataclass(frozen=True, eq=False)
class _Position:
    """Where the blocks stand: the anchor of the current block and θ − θ* as they hold it."""

    anchor: _Anchor
    d: np.ndarray


class QuadraticBlocks:
    """Squared loss, full batch, float64: exact affine blocks of steps (module docstring)."""

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
        self._position: _Position | None = None
        self._theta: np.ndarray | None = None  # the coefficients the blocks last produced
        self._block: _Block | None = None

    def run(
        self, theta: np.ndarray, step_count: int, lr: float, n: int, out: StepBuffers, row: int
    ) -> FastRun:
        last: LastStep | None = None
        done = 0
        while done < n:
            position, block = self._block_for(theta, step_count + done, lr)
            offset = step_count + done - block.start
            count = min(n - done, BLOCK_STEPS - offset, block.first_bad - offset)
            if count <= 0:
                break  # the next step is not finite here: the phases run it
            rows, target = slice(offset, offset + count), slice(row + done, row + done + count)
            out.loss[target] = block.loss[rows]
            out.coefficients[target] = block.theta_after[rows]
            out.grad_norm[target] = block.grad_norm[rows]
            end = offset + count - 1
            before = block.theta_after[end - 1].copy() if end else theta.astype(np.float64)
            last = LastStep(
                float(block.loss[end]),
                block.gradients[end].copy(),
                float(block.grad_norm[end]),
                before,
                None,
            )
            theta = self._theta = block.theta_after[end].copy()
            done += count
            d = block.d_after[end]
            if end == BLOCK_STEPS - 1:  # the next block starts where this one ended
                self._position = _Position(_Anchor(step_count + done, d, lr), d)
                self._block = None
            else:
                self._position = _Position(position.anchor, d)
        return FastRun(done, theta, last)

    def state(self, theta: np.ndarray) -> object:
        return self._position if theta is self._theta else None

    def restore(self, state: object, theta: np.ndarray) -> None:
        self._position = state if isinstance(state, _Position) else None
        self._theta = theta if self._position is not None else None
        self._block = None  # recomputed from the anchor: the same numbers as before

    def _block_for(self, theta: np.ndarray, step: int, lr: float) -> tuple[_Position, _Block]:
        position = self._position if theta is self._theta else None
        if position is None or position.anchor.lr != lr:
            d = theta - self.optimum if position is None else position.d
            position = self._position = _Position(_Anchor(step, d, lr), d)
            self._theta = theta
            self._block = None
        if self._block is None:
            self._block = self._compute_block(position.anchor)
        return position, self._block

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

    def _compute_block(self, anchor: _Anchor) -> _Block:
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
