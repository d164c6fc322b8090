"""Whole steps of the torch methods (the network's, and the polynomial's torch-optim) with
nothing per step but torch calls.

Each step keeps its loss tensor and its gradient tensors (``zero_grad`` drops them, so keeping
them costs no copy) and one copy of the parameters (``torch.cat`` of views of their memory);
all are converted to float64 once per chunk, as ``item()`` and the phases' reads would convert
them, so the recorded loss, parameters and gradient norms are the phases' bit for bit. A chunk
holding a non-finite value is replayed from a snapshot up to the step before it; the phases
then run that step and end it as diverged, as always (see Method.run_fast).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence

import numpy as np
import torch
from torch.nn import functional

from gradlab.core.methods.base import Method, StepBuffers

# whole steps per accelerated chunk: records are copied out once per chunk, and a chunk that
# went non-finite is replayed from its start up to the step before the bad one
FAST_CHUNK = 256
# from one step on: the GUI worker asks for ~10 ms of work a call, a few network steps on
# a busy PC, and even one whole step costs less than the phases (measured)
FAST_MIN_STEPS = 1

# runs ``count`` steps into rows ``row``... and returns how many of them were finite
ChunkRunner = Callable[[int, StepBuffers, int], int]


def run_in_chunks(
    method: Method, n: int, out: StepBuffers, first_row: int, chunk: ChunkRunner
) -> int:
    """Up to ``n`` whole steps in chunks of FAST_CHUNK; stops before a non-finite step."""
    if n < FAST_MIN_STEPS:
        return 0
    done = 0
    while done < n:
        count = min(FAST_CHUNK, n - done)
        snapshot = method.snapshot()
        finite = chunk(count, out, first_row + done)
        if finite < count:
            method.restore(snapshot)
            if finite:
                chunk(finite, out, first_row + done)
            return done + finite
        done += count
    return done


@functools.cache
def backward_function(dtype: torch.dtype) -> Callable[[torch.Tensor], None]:
    """``loss.backward()`` for a scalar loss of ``dtype``: the same call into autograd's engine
    that ``torch.autograd.backward`` makes, without the Python checks around it (the same
    gradients; about a tenth of a small network's step here). torch's own if that entry point
    is not there."""
    engine = getattr(getattr(torch.autograd, "Variable", None), "_execution_engine", None)
    run = getattr(engine, "run_backward", None)
    if run is None:
        return torch.Tensor.backward
    one = torch.ones((), dtype=dtype)  # ∂loss/∂loss; the engine only reads it

    def backward(loss: torch.Tensor) -> None:
        # outputs, their gradients, keep_graph, create_graph, inputs, allow_unreachable,
        # accumulate_grad: what loss.backward() passes
        run((loss,), (one,), False, False, (), True, True)

    return backward


def loss_function(module: torch.nn.Module) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """``loss_fn(y_pred, y)`` for MSELoss, L1Loss or HuberLoss: the functional call their
    forward makes, without the module's call machinery (the module itself when it has hooks
    or is another kind)."""
    if module._forward_hooks or module._forward_pre_hooks:
        return module
    if type(module) is torch.nn.MSELoss:
        return functools.partial(functional.mse_loss, reduction=module.reduction)
    if type(module) is torch.nn.L1Loss:
        return functools.partial(functional.l1_loss, reduction=module.reduction)
    if type(module) is torch.nn.HuberLoss:
        return functools.partial(
            functional.huber_loss, reduction=module.reduction, delta=module.delta
        )
    return module


def leaves_in_one_vector(
    shapes: Sequence[tuple[int, ...]], dtype: torch.dtype
) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """A zero vector and leaf tensors of these shapes (with requires_grad) that are views of
    it, one after the other: what an in-place operation does to the vector it does to them."""
    vector = torch.zeros(sum(math.prod(shape) for shape in shapes), dtype=dtype)
    leaves, start = [], 0
    for shape in shapes:
        size = math.prod(shape)
        leaves.append(vector[start : start + size].view(shape).requires_grad_())
        start += size
    return vector, leaves


class VectorGradients:
    """``with VectorGradients(leaves) as gradients:`` each leaf's ``.grad`` is a view of the
    one vector ``gradients`` (leaves in order, as from leaves_in_one_vector), and None again
    afterwards. autograd's backward adds each gradient into an existing ``.grad``; filled with
    −0.0 (the sum's identity in IEEE arithmetic, +0.0 is not: +0.0 + −0.0 = +0.0) that sum is
    the gradient itself, bit for bit, as when backward hands it over to a ``.grad`` of None."""

    def __init__(self, leaves: Sequence[torch.Tensor]) -> None:
        self._leaves = leaves
        self._vector = torch.empty(sum(leaf.numel() for leaf in leaves), dtype=leaves[0].dtype)
        self._views, start = [], 0
        for leaf in leaves:
            self._views.append(self._vector[start : start + leaf.numel()].view(leaf.shape))
            start += leaf.numel()

    def __enter__(self) -> torch.Tensor:
        for leaf, view in zip(self._leaves, self._views, strict=True):
            leaf.grad = view
        return self._vector

    def __exit__(self, *exc: object) -> None:
        for leaf in self._leaves:
            leaf.grad = None


class ChunkRecords:
    """One preallocated row per step of a chunk: its loss, its gradients and the parameters
    after its update, copied in by one ``torch.cat`` (keeping the steps' own tensors alive
    instead costs more: Python's garbage collector then walks them at every collection)."""

    def __init__(self, parameters: Sequence[torch.Tensor], count: int) -> None:
        self._parameters = parameters
        self._values: list[torch.Tensor] = []  # views of the parameters' memory, for keep()
        self._size = sum(p.numel() for p in parameters)
        self.rows = torch.empty((count, 1 + 2 * self._size), dtype=parameters[0].dtype)
        self.count = 0
        self._row_views: tuple[torch.Tensor, ...] = ()

    def keep(self, loss: torch.Tensor, gradients: Sequence[torch.Tensor]) -> None:
        """Record a step after its update: its loss, its gradients, the parameters now."""
        if not self._values:
            self._values = [p.detach().view(-1) for p in self._parameters]
        parts = [loss.detach().view(1)] + [g.view(-1) for g in gradients] + self._values
        torch.cat(parts, out=self.rows[self.count])
        self.count += 1

    def keep_vectors(
        self, loss: torch.Tensor, gradients: torch.Tensor, values: torch.Tensor
    ) -> None:
        """keep() for gradients and parameters held in one vector each (torch's order)."""
        if not self._row_views:
            self._row_views = self.rows.unbind(0)  # one call for all the rows' views
        torch.cat((loss.detach().view(1), gradients, values), out=self._row_views[self.count])
        self.count += 1

    def write(self, method: Method, out: StepBuffers, row: int, before: np.ndarray) -> int:
        """Copy the rows out (float64) up to the first non-finite step; returns how many. When
        all are finite, ``method``'s phase values become the last step's, as after the phases
        (the caller adds its own tensors: predictions, inputs); ``before`` is the parameters
        before the chunk."""
        count, size = self.count, self._size
        rows = self.rows[:count].numpy().astype(np.float64)
        loss64, grads64, theta64 = rows[:, 0], rows[:, 1 : 1 + size], rows[:, 1 + size :]
        norms = np.array([math.hypot(*g) for g in grads64.tolist()])
        ok = np.isfinite(loss64) & np.isfinite(norms) & np.isfinite(theta64).all(axis=1)
        finite = count if ok.all() else int(np.argmin(ok))
        out.loss[row : row + finite] = loss64[:finite]
        out.coefficients[row : row + finite] = theta64[:finite]
        out.grad_norm[row : row + finite] = norms[:finite]
        if finite == count:
            method._clear_phase_values()
            method.coefficients_before = theta64[-2].copy() if count > 1 else before
            method.coefficients_after = theta64[-1].copy()
            method.loss, method.gradients = float(loss64[-1]), grads64[-1].copy()
            method.grad_norm = float(norms[-1])
        return finite
