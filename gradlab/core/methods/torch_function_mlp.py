"""torch-function for a small network: each layer is two custom ``torch.autograd.Function`` s
whose backward is the hand derivation of the NumPy method (gradlab.core.methods.numpy_mlp).

The Functions, one hidden layer shown::

    class Linear(torch.autograd.Function):          # z = a Wᵀ + b
        @staticmethod
        def forward(ctx, a, W, b):
            ctx.save_for_backward(a, W)
            return a @ W.T + b
        @staticmethod
        def backward(ctx, grad_z):
            a, W = ctx.saved_tensors
            return grad_z @ W, grad_z.T @ a, grad_z.sum(0)   # ∂L/∂a, ∂L/∂W, ∂L/∂b

    class Tanh(torch.autograd.Function):             # a = tanh(z)
        @staticmethod
        def forward(ctx, z):
            a = torch.tanh(z)
            ctx.save_for_backward(a)
            return a
        @staticmethod
        def backward(ctx, grad_a):
            (a,) = ctx.saved_tensors
            return grad_a * (1 - a * a)                       # ∂L/∂z = ∂L/∂a · tanh'(z)

    z1 = Linear.apply(x, W1, b1); a1 = Tanh.apply(z1)
    y_pred = Linear.apply(a1, W2, b2).flatten()
    loss = torch.square(y_pred - y).sum(); loss.backward()   # autograd calls our backwards
    with torch.no_grad(): W -= learning_rate * W.grad; ...    (every layer)

ReLU, Sigmoid and GELU Functions are written the same way (their slopes are those of
gradlab.core.network's ``activation_slope``, in torch). With
``training.flip_backward_sign`` the Linear backward returns −∂loss/∂b for every layer (the
lesson's bug, which gradcheck and the four-way check catch).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch.nn import functional

from gradlab.core.config import Config, ModelConfig
from gradlab.core.messages import Message
from gradlab.core.methods.torch_function import GRADCHECK_POINTS, GradcheckResult
from gradlab.core.methods.torch_mlp import TorchAutogradMlp
from gradlab.core.network import GELU_C, GELU_K, initial_parameters, layer_table


class Linear(torch.autograd.Function):
    """z = a Wᵀ + b for one layer, with ∂L/∂a, ∂L/∂W and ∂L/∂b written by hand."""

    @staticmethod
    def forward(
        ctx: Any, inputs: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor
    ) -> torch.Tensor:
        ctx.save_for_backward(inputs, weight)  # backward needs a and W, not z
        return torch.addmm(bias, inputs, weight.T)  # a Wᵀ + b in one kernel, as nn.Linear does

    @staticmethod
    def backward(
        ctx: Any, grad_z: torch.Tensor
    ) -> tuple[torch.Tensor | None, torch.Tensor, torch.Tensor]:
        inputs, weight = ctx.saved_tensors
        # ∂L/∂a = ∂L/∂z W (back to the layer below; the data x needs none)
        grad_inputs = grad_z @ weight if ctx.needs_input_grad[0] else None
        grad_weight = grad_z.T @ inputs  # ∂L/∂W = (∂L/∂z)ᵀ a
        grad_bias = grad_z.sum(0)  # ∂L/∂b = Σ over points of ∂L/∂z
        return grad_inputs, grad_weight, grad_bias


class LinearWithFlippedSign(Linear):
    """The same Function with the lesson's bug: its backward returns −∂loss/∂b."""

    @staticmethod
    def backward(
        ctx: Any, grad_z: torch.Tensor
    ) -> tuple[torch.Tensor | None, torch.Tensor, torch.Tensor]:
        grad_inputs, grad_weight, grad_bias = Linear.backward(ctx, grad_z)
        return grad_inputs, grad_weight, -grad_bias  # the wrong sign: gradient ascent in b


class Tanh(torch.autograd.Function):
    """a = tanh(z); ∂L/∂z = ∂L/∂a · (1 − a²)."""

    @staticmethod
    def forward(ctx: Any, z: torch.Tensor) -> torch.Tensor:
        a = torch.tanh(z)
        ctx.save_for_backward(a)  # the slope needs a only
        return a

    @staticmethod
    def backward(ctx: Any, grad_a: torch.Tensor) -> torch.Tensor:
        a: torch.Tensor = ctx.saved_tensors[0]
        return grad_a * (1 - a * a)


class ReLU(torch.autograd.Function):
    """a = max(z, 0); ∂L/∂z = ∂L/∂a where z > 0, else 0 (torch's slope at 0 is 0)."""

    @staticmethod
    def forward(ctx: Any, z: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(z)
        return torch.relu(z)

    @staticmethod
    def backward(ctx: Any, grad_a: torch.Tensor) -> torch.Tensor:
        z: torch.Tensor = ctx.saved_tensors[0]
        return grad_a * (z > 0).to(z.dtype)


class Sigmoid(torch.autograd.Function):
    """a = 1 / (1 + e^−z); ∂L/∂z = ∂L/∂a · a(1 − a)."""

    @staticmethod
    def forward(ctx: Any, z: torch.Tensor) -> torch.Tensor:
        a = torch.sigmoid(z)
        ctx.save_for_backward(a)
        return a

    @staticmethod
    def backward(ctx: Any, grad_a: torch.Tensor) -> torch.Tensor:
        a: torch.Tensor = ctx.saved_tensors[0]
        return grad_a * (a * (1 - a))


class GELU(torch.autograd.Function):
    """a = z/2 · (1 + tanh(k(z + c z³))) (torch's tanh approximation); its slope by hand."""

    @staticmethod
    def forward(ctx: Any, z: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(z)
        return functional.gelu(z, approximate="tanh")

    @staticmethod
    def backward(ctx: Any, grad_a: torch.Tensor) -> torch.Tensor:
        z: torch.Tensor = ctx.saved_tensors[0]
        inner = torch.tanh(GELU_K * (z + GELU_C * z * z * z))
        slope_inner = GELU_K * (1 + 3 * GELU_C * z * z)
        return grad_a * (0.5 * (1 + inner) + 0.5 * z * (1 - inner * inner) * slope_inner)


ACTIVATIONS: dict[str, type[torch.autograd.Function]] = {
    "tanh": Tanh,
    "relu": ReLU,
    "sigmoid": Sigmoid,
    "gelu": GELU,
}


def linear_function(config: Config) -> type[Linear]:
    """The Linear Function ``config`` trains with: correct, or with the lesson's bug."""
    return LinearWithFlippedSign if config.training.flip_backward_sign else Linear


def network_output(
    linear: type[Linear],
    kind: str,
    inputs: torch.Tensor,
    parameters: list[torch.Tensor],
    layers: list[tuple[torch.Tensor, torch.Tensor]] | None = None,
    *,
    direct: bool = False,
) -> torch.Tensor:
    """ŷ (n,) for x as one column (n, 1) through the Functions; ``parameters`` are W1, b1, ...
    Each hidden layer's (z, a) is appended to ``layers`` when given. ``direct``: each Function
    through ``direct_apply`` (the same call, a little cheaper)."""
    activation = ACTIVATIONS[kind]
    apply_linear: Callable[..., torch.Tensor] = linear.apply
    apply_activation: Callable[..., torch.Tensor] = activation.apply
    if direct:
        apply_linear, apply_activation = direct_apply(linear), direct_apply(activation)
    a, last = inputs, len(parameters) - 2
    for k in range(0, last, 2):
        z = apply_linear(a, parameters[k], parameters[k + 1])
        a = apply_activation(z)
        if layers is not None:
            layers.append((z, a))
    y_pred: torch.Tensor = apply_linear(a, parameters[last], parameters[last + 1])
    return y_pred.flatten()  # the linear output unit, (n,)


@functools.cache
def direct_apply(function: type[torch.autograd.Function]) -> Callable[..., torch.Tensor]:
    """``function.apply`` without what torch.autograd.Function.apply checks before it calls
    autograd's own apply (``super().apply``): functorch transforms and ``setup_context``, which
    the whole-step path never uses. The same Function node, forward and backward; a few
    microseconds less per call (three calls a step for one hidden layer)."""
    return super(torch.autograd.Function, function).apply  # type: ignore[misc,no-any-return]


class TorchFunctionMlp(TorchAutogradMlp):
    """torch-autograd's loop for the network, with ŷ from our Functions: ``loss.backward()``
    runs the hand-written backward of every layer."""

    name = "torch-function"

    def __init__(self, features: np.ndarray, targets: np.ndarray, config: Config) -> None:
        super().__init__(features, targets, config)
        self.function = linear_function(config)

    def _network(
        self, x: torch.Tensor, layers: list[tuple[torch.Tensor, torch.Tensor]] | None
    ) -> torch.Tensor:
        """ŷ through our Functions (the forward phase)."""
        return network_output(self.function, self._model.activation, x, self.parameters, layers)

    def _whole_step_network(
        self, x: torch.Tensor, layers: list[tuple[torch.Tensor, torch.Tensor]] | None
    ) -> torch.Tensor:
        """ŷ through the same Functions for the whole-step path (direct_apply)."""
        kind, parameters = self._model.activation, self.parameters
        return network_output(self.function, kind, x, parameters, layers, direct=True)

    @property
    def gradients_computed_by(self) -> Message:
        if self.function is LinearWithFlippedSign:
            return Message("backward.function_flipped")
        return Message("backward.function")


def _split(model: ModelConfig, theta: torch.Tensor) -> list[torch.Tensor]:
    """W1, b1, W2, b2, ... as views of the flat vector (torch's order)."""
    return [
        theta[part].reshape(shape)
        for layer in layer_table(model)
        for part, shape in ((layer.weight, (layer.fan_out, layer.fan_in)), (layer.bias, (-1,)))
    ]


def run_network_gradcheck(config: Config) -> GradcheckResult:
    """gradcheck the network's Functions in float64 at its start parameters on a few points:
    ∂(w·ŷ)/∂θ from the hand-written backwards against central differences, per parameter."""
    linear, kind, model = linear_function(config), config.model.activation, config.model
    x = torch.linspace(-1.0, 1.0, GRADCHECK_POINTS, dtype=torch.float64).reshape(-1, 1)
    start = initial_parameters(config)
    theta = torch.tensor(start, dtype=torch.float64, requires_grad=True)

    def output(values: torch.Tensor) -> torch.Tensor:
        return network_output(linear, kind, x, _split(model, values))

    passed = bool(torch.autograd.gradcheck(output, (theta,), raise_exception=False))
    weights = torch.tensor(
        np.random.default_rng(config.seed).standard_normal(GRADCHECK_POINTS), dtype=torch.float64
    )
    (analytical,) = torch.autograd.grad((output(theta) * weights).sum(), theta)
    numerical = np.empty(start.size)
    with torch.no_grad():
        for k in range(start.size):
            step = torch.zeros(start.size, dtype=torch.float64)
            step[k] = 1e-6
            up = (output(theta + step) * weights).sum()
            down = (output(theta - step) * weights).sum()
            numerical[k] = float((up - down) / 2e-6)
    return GradcheckResult(
        linear.__name__, passed, analytical.detach().numpy().copy(), numerical, GRADCHECK_POINTS
    )
