"""Curvature of a network's loss where the parameters are now: a local, honest estimate.

A network has no closed-form optimum and its loss is not a quadratic: the Hessian changes from
point to point. What can be computed is the Hessian's largest eigenvalue λmax *at the current
parameters*, by power iteration with Hessian-vector products (autograd differentiates the
gradient along a vector, so the Hessian itself is never formed). 2/λmax is then the largest
learning rate at which plain gradient descent is stable *near here*: a local statement, which
the curvature further along the path may contradict.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from gradlab.core.config import Config

if TYPE_CHECKING:
    import torch

POWER_ITERATIONS = 100
POWER_TOLERANCE = 1e-6  # relative change of the eigenvalue estimate that counts as converged


@dataclass(frozen=True)
class LocalCurvature:
    """λmax of the loss's Hessian at ``parameters``' point and 2/λmax (inf when λmax <= 0)."""

    largest_eigenvalue: float
    stable_lr: float
    iterations: int
    converged: bool


def local_curvature(
    config: Config,
    x: np.ndarray,
    y: np.ndarray,
    theta: np.ndarray,
    *,
    iterations: int = POWER_ITERATIONS,
    seed: int = 0,
) -> LocalCurvature:
    """λmax of ∇²L(θ) on the points (x, y) with the config's loss and reduction, in float64."""
    import torch

    from gradlab.core.methods.torch_mlp import make_sequential
    from gradlab.core.methods.torch_optim import make_loss_module

    t = config.training
    model = make_sequential(config.model, torch.float64)
    parameters = list(model.parameters())
    flat = torch.from_numpy(np.array(theta, dtype=np.float64))
    start = 0
    with torch.no_grad():
        for parameter in parameters:
            size = parameter.numel()
            parameter.copy_(flat[start : start + size].reshape(parameter.shape))
            start += size
    inputs = torch.from_numpy(np.array(x, dtype=np.float64).reshape(-1, 1))
    targets = torch.from_numpy(np.array(y, dtype=np.float64).reshape(-1))
    loss = make_loss_module(t.loss, t.reduction, t.huber_delta)(model(inputs), targets)
    gradient = torch.autograd.grad(loss, parameters, create_graph=True)
    flat_gradient = torch.cat([g.reshape(-1) for g in gradient])

    def hessian_times(vector: torch.Tensor) -> torch.Tensor:
        parts = torch.autograd.grad(flat_gradient, parameters, vector, retain_graph=True)
        return torch.cat([p.reshape(-1) for p in parts])

    dominant, steps_a, done_a = _power_iteration(hessian_times, flat.numel(), iterations, seed)
    if dominant < 0:  # the largest-magnitude eigenvalue is negative: shift to find the top one
        shift = -dominant

        def shifted(vector: torch.Tensor) -> torch.Tensor:
            return hessian_times(vector) + shift * vector

        top, steps_b, done_b = _power_iteration(shifted, flat.numel(), iterations, seed + 1)
        largest, steps, converged = top - shift, steps_a + steps_b, done_a and done_b
    else:
        largest, steps, converged = dominant, steps_a, done_a
    stable = 2.0 / largest if largest > 0 else math.inf
    return LocalCurvature(largest, stable, steps, converged)


def _power_iteration(
    multiply: Callable[[torch.Tensor], torch.Tensor], size: int, iterations: int, seed: int
) -> tuple[float, int, bool]:
    """(Rayleigh quotient of the dominant eigenvector, iterations used, converged)."""
    import torch

    rng = np.random.default_rng(seed)
    vector = torch.from_numpy(rng.standard_normal(size))
    vector /= torch.linalg.vector_norm(vector)
    estimate = 0.0
    for step in range(1, iterations + 1):
        product = multiply(vector).detach()
        new_estimate = float(torch.dot(vector, product))
        norm = float(torch.linalg.vector_norm(product))
        if norm == 0 or not math.isfinite(norm):
            return new_estimate, step, norm == 0
        vector = product / norm
        if step > 1 and abs(new_estimate - estimate) <= POWER_TOLERANCE * abs(new_estimate):
            return new_estimate, step, True
        estimate = new_estimate
    return estimate, iterations, False
