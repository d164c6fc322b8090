"""The small network's bare loops, written the chapter's way, for bench_core.py.

One hidden layer of 16 tanh units on sin(x), 2000 points in [-π, π], full batch, squared loss
summed; plain gradient descent (lr 1e-4) for NumPy, autograd and the custom Functions, Adam
(lr 1e-2) for optim.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from gradlab.core.config import Config

HIDDEN = 16
MLP = Config().with_changes(
    **{"model.kind": "mlp", "model.hidden": HIDDEN, "model.activation": "tanh", "training.lr": 1e-4}
)
MLP_OPTIM = MLP.with_changes(
    **{"training.method": "torch-optim", "optimizer.name": "adam", "training.lr": 1e-2}
)


def numpy_mlp_loop() -> Callable[[int], None]:
    """The two-layer network by hand, as a NumPy lesson writes it."""
    x = np.linspace(-np.pi, np.pi, 2000)
    y = np.sin(x)
    rng = np.random.default_rng(0)
    w1, b1 = rng.uniform(-1, 1, HIDDEN), rng.uniform(-1, 1, HIDDEN)
    bound = 1 / np.sqrt(HIDDEN)
    w2, b2 = rng.uniform(-bound, bound, HIDDEN), rng.uniform(-bound, bound)
    learning_rate = 1e-4

    def loop(epochs: int) -> None:
        nonlocal w1, b1, w2, b2
        for _ in range(epochs):
            h = np.outer(x, w1) + b1
            h_act = np.tanh(h)
            y_pred = h_act @ w2 + b2
            loss = np.square(y_pred - y).sum()
            grad_y_pred = 2.0 * (y_pred - y)
            grad_w2 = h_act.T @ grad_y_pred
            grad_b2 = grad_y_pred.sum()
            grad_h_act = np.outer(grad_y_pred, w2)
            grad_h = grad_h_act * (1 - h_act**2)
            grad_w1 = x @ grad_h
            grad_b1 = grad_h.sum(axis=0)
            w1 = w1 - learning_rate * grad_w1
            b1 = b1 - learning_rate * grad_b1
            w2 = w2 - learning_rate * grad_w2
            b2 = b2 - learning_rate * grad_b2
            del loss

    return loop


def autograd_mlp_loop(dtype_name: str) -> Callable[[int], None]:
    """Explicit weight tensors with requires_grad, loss.backward(), updates under no_grad."""
    import torch

    dtype = getattr(torch, dtype_name)
    x = torch.linspace(-torch.pi, torch.pi, 2000, dtype=dtype).unsqueeze(-1)
    y = torch.sin(x).flatten()
    w1 = (torch.rand(HIDDEN, 1, dtype=dtype) * 2 - 1).requires_grad_()
    b1 = (torch.rand(HIDDEN, dtype=dtype) * 2 - 1).requires_grad_()
    w2 = (torch.rand(1, HIDDEN, dtype=dtype) * 0.5 - 0.25).requires_grad_()
    b2 = torch.zeros(1, dtype=dtype, requires_grad=True)
    learning_rate = 1e-4

    def loop(epochs: int) -> None:
        for _ in range(epochs):
            y_pred = (torch.tanh(x @ w1.T + b1) @ w2.T + b2).flatten()
            loss = torch.square(y_pred - y).sum()
            loss.backward()
            with torch.no_grad():
                for p in (w1, b1, w2, b2):
                    p -= learning_rate * p.grad  # type: ignore[operator]  # set by backward()
                    p.grad = None

    return loop


def optim_mlp_loop(dtype_name: str) -> Callable[[int], None]:
    """nn.Sequential(Linear(1, 16), Tanh(), Linear(16, 1), Flatten(0, 1)), MSELoss, Adam."""
    import torch
    from torch import nn

    dtype = getattr(torch, dtype_name)
    x = torch.linspace(-torch.pi, torch.pi, 2000, dtype=dtype).unsqueeze(-1)
    y = torch.sin(x).flatten()
    model = nn.Sequential(
        nn.Linear(1, HIDDEN, dtype=dtype),
        nn.Tanh(),
        nn.Linear(HIDDEN, 1, dtype=dtype),
        nn.Flatten(0, 1),
    )
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-2)
    loss_fn = nn.MSELoss(reduction="sum")

    def loop(epochs: int) -> None:
        for _ in range(epochs):
            y_pre = model(x)
            loss = loss_fn(y_pre, y)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()

    return loop


def function_mlp_loop(dtype_name: str) -> Callable[[int], None]:
    """The autograd loop with ŷ from two custom Functions whose backward is written by hand:
    Linear (z = a Wᵀ + b) and Tanh (a = tanh z), as a lesson on torch.autograd.Function writes
    them."""
    import torch

    class Linear(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, w, b):  # type: ignore[no-untyped-def]
            ctx.save_for_backward(a, w)
            return a @ w.T + b

        @staticmethod
        def backward(ctx, grad_z):  # type: ignore[no-untyped-def]
            a, w = ctx.saved_tensors
            grad_a = grad_z @ w if ctx.needs_input_grad[0] else None
            return grad_a, grad_z.T @ a, grad_z.sum(0)

    class Tanh(torch.autograd.Function):
        @staticmethod
        def forward(ctx, z):  # type: ignore[no-untyped-def]
            a = torch.tanh(z)
            ctx.save_for_backward(a)
            return a

        @staticmethod
        def backward(ctx, grad_a):  # type: ignore[no-untyped-def]
            (a,) = ctx.saved_tensors
            return grad_a * (1 - a * a)

    dtype = getattr(torch, dtype_name)
    x = torch.linspace(-torch.pi, torch.pi, 2000, dtype=dtype).unsqueeze(-1)
    y = torch.sin(x).flatten()
    w1 = (torch.rand(HIDDEN, 1, dtype=dtype) * 2 - 1).requires_grad_()
    b1 = (torch.rand(HIDDEN, dtype=dtype) * 2 - 1).requires_grad_()
    w2 = (torch.rand(1, HIDDEN, dtype=dtype) * 0.5 - 0.25).requires_grad_()
    b2 = torch.zeros(1, dtype=dtype, requires_grad=True)
    learning_rate = 1e-4

    def loop(epochs: int) -> None:
        for _ in range(epochs):
            # Function.apply is untyped in torch
            hidden = Tanh.apply(Linear.apply(x, w1, b1))  # type: ignore[no-untyped-call]
            y_pred = Linear.apply(hidden, w2, b2).flatten()  # type: ignore[no-untyped-call]
            loss = torch.square(y_pred - y).sum()
            loss.backward()
            with torch.no_grad():
                for p in (w1, b1, w2, b2):
                    p -= learning_rate * p.grad  # type: ignore[operator]  # set by backward()
                    p.grad = None

    return loop
