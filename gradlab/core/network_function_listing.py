"""The network's torch-function listing: its custom ``torch.autograd.Function`` classes and the
forward pass through them (gradlab.core.network_listing writes the rest of the loop, which is
torch-autograd's).

Written the way gradlab.core.methods.torch_function_mlp computes, so the exported script repeats
GradLab's trajectory: a ``Linear`` Function, z = a Wᵀ + b, whose backward returns ∂L/∂a, ∂L/∂W
and ∂L/∂b (−∂L/∂b with ``training.flip_backward_sign``, the lesson's bug), and one Function for
the configured activation whose backward multiplies by its slope. The classes' ``forward`` lines
belong to the forward phase and their ``backward`` lines to the backward phase: ``loss.backward()``
runs them.
"""

from __future__ import annotations

from gradlab.core.code_listing import CodeLines, Say
from gradlab.core.config import Config
from gradlab.core.network import GELU_C, GELU_K

# the activation's Function: its class name, forward body (z in, a out), the tensor its
# backward needs and the slope it multiplies by, as the method writes them
_ACTIVATION_FUNCTIONS: dict[str, tuple[str, list[str], str, str, str]] = {
    "tanh": (
        "Tanh",
        ["a = torch.tanh(z)", "ctx.save_for_backward(a)"],
        "a",
        "(1 - a * a)",
        "tanh'(z) = 1 − a²",
    ),
    "relu": (
        "ReLU",
        ["a = torch.relu(z)", "ctx.save_for_backward(z)"],
        "z",
        "(z > 0).to(z.dtype)",
        "ReLU'(z) = [z > 0]",
    ),
    "sigmoid": (
        "Sigmoid",
        ["a = torch.sigmoid(z)", "ctx.save_for_backward(a)"],
        "a",
        "(a * (1 - a))",
        "σ'(z) = a (1 − a)",
    ),
    "gelu": (
        "GELU",
        ['a = torch.nn.functional.gelu(z, approximate="tanh")', "ctx.save_for_backward(z)"],
        "z",
        "(0.5 * (1 + inner) + 0.5 * z * (1 - inner * inner) * slope_inner)",
        "GELU'(z)",
    ),
}


def activation_class(kind: str) -> str:
    """The name of the activation's Function class: Tanh, ReLU, Sigmoid or GELU."""
    return _ACTIVATION_FUNCTIONS[kind][0]


def function_classes(config: Config, say: Say) -> CodeLines:
    """``Linear`` and the activation's Function, their forward and backward lines in those
    phases."""
    return [(None, ""), (None, ""), *_linear_class(config, say), *_activation_class(config, say)]


def _linear_class(config: Config, say: Say) -> CodeLines:
    bias = "grad_b = grad_z.sum(0)  # ∂loss/∂b = Σₙ ∂loss/∂z"
    if config.training.flip_backward_sign:
        bias = f"grad_b = -grad_z.sum(0)  # {say('function.bug')}"
    return [
        (None, "class Linear(torch.autograd.Function):"),
        (None, f'    """{say("net.function.linear")}"""'),
        (None, ""),
        (None, "    @staticmethod"),
        ("forward", "    def forward(ctx, a, W, b):"),
        ("forward", f"        ctx.save_for_backward(a, W)  # {say('net.function.linear_save')}"),
        ("forward", "        return a @ W.T + b"),
        (None, ""),
        (None, "    @staticmethod"),
        ("backward", "    def backward(ctx, grad_z):"),
        ("backward", "        a, W = ctx.saved_tensors"),
        ("backward", f"        # ∂loss/∂a = ∂loss/∂z · W: {say('net.function.grad_input')}"),
        ("backward", "        grad_a = grad_z @ W if ctx.needs_input_grad[0] else None"),
        ("backward", "        grad_W = grad_z.T @ a  # ∂loss/∂W = (∂loss/∂z)ᵀ a"),
        ("backward", f"        {bias}"),
        ("backward", "        return grad_a, grad_W, grad_b"),
        (None, ""),
        (None, ""),
    ]


def _activation_class(config: Config, say: Say) -> CodeLines:
    kind = config.model.activation
    name, forward, saved, slope, formula = _ACTIVATION_FUNCTIONS[kind]
    code: CodeLines = [
        (None, f"class {name}(torch.autograd.Function):"),
        (None, f'    """{say("net.function.activation", activation=kind)}"""'),
        (None, ""),
        (None, "    @staticmethod"),
        ("forward", "    def forward(ctx, z):"),
        ("forward", f"        {forward[0]}"),
        ("forward", f"        {forward[1]}  # {say('net.function.slope_needs', name=saved)}"),
        ("forward", "        return a"),
        (None, ""),
        (None, "    @staticmethod"),
        ("backward", "    def backward(ctx, grad_a):"),
        ("backward", f"        ({saved},) = ctx.saved_tensors"),
    ]
    if kind == "gelu":
        k, c = repr(GELU_K), repr(GELU_C)
        code.append(("backward", f"        inner = torch.tanh({k} * (z + {c} * z * z * z))"))
        code.append(("backward", f"        slope_inner = {k} * (1 + 3 * {c} * z * z)"))
    code.append(("backward", f"        # ∂loss/∂z = ∂loss/∂a · {formula}"))
    code.append(("backward", f"        return grad_a * {slope}"))
    return [*code, (None, ""), (None, "")]


def function_forward(config: Config, x: str, say: Say) -> CodeLines:
    """The forward pass through the Functions: z = Linear(a), a = act(z) per hidden layer, then
    the linear output unit."""
    m = config.model
    activation = activation_class(m.activation)
    code: CodeLines = [("forward", f"# {say('net.forward.function')}")]
    previous = x
    for k in range(1, m.layers + 1):
        code.append(("forward", f"z{k} = Linear.apply({previous}, W{k}, b{k})  # (n, {m.hidden})"))
        code.append(("forward", f"a{k} = {activation}.apply(z{k})"))
        previous = f"a{k}"
    out = m.layers + 1
    code.append(
        (
            "forward",
            f"y_pred = Linear.apply({previous}, W{out}, b{out}).flatten()  # {say('net.output')}",
        )
    )
    return code
