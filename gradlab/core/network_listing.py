"""A network's training loop as readable code, with the current settings filled in.

The code pane shows it (``code_listing`` hands a network's config here) and highlights the lines
of the current phase; the exported script (gradlab.core.network_script) runs the same lines.
One listing per method, each written the way GradLab's own method computes it
(gradlab.core.methods.numpy_mlp, torch_mlp, torch_function_mlp), so the script repeats GradLab's
trajectory:

- numpy-manual: ``z = a Wᵀ + b`` and ``a = act(z)`` layer by layer, then backpropagation
  written out layer by layer from the output back (the classic hand derivation);
- torch-autograd: one tensor per weight matrix and bias vector, ``loss.backward()``, the update
  under ``torch.no_grad()``;
- torch-function: torch-autograd's loop through custom ``Linear`` and activation Functions whose
  backward is written by hand (gradlab.core.network_function_listing);
- torch-optim: ``nn.Sequential(nn.Linear(1, h), act, ..., nn.Linear(h, 1), nn.Flatten(0, 1))``
  with the configured loss module and optimizer.

The start values are drawn as gradlab.core.network draws them: per layer the weights, then the
biases, uniform in ±1/√fan_in from the seed's "init" stream. Expects ``x`` and ``y`` (float64
training points) defined before it; ``seed`` is its first line.
"""

from __future__ import annotations

import math

from gradlab.core.code_listing import (
    AUTOGRAD_LOOPS,
    LOSS_MODULES,
    OPTIMIZER_CLASSES,
    CodeLines,
    Listing,
    Say,
    _batch_lines,
    autograd_loss,
    comment_catalogue,
    listing_of,
    numpy_loss,
    optimizer_arguments,
    uses_batches,
)
from gradlab.core.config import Config
from gradlab.core.data import RANDOM_STREAMS
from gradlab.core.network import GELU_C, GELU_K, layer_table
from gradlab.core.network_function_listing import function_classes, function_forward

_BODY = "    "
_TORCH_ACTIVATIONS = {
    "tanh": "torch.tanh({z})",
    "relu": "torch.relu({z})",
    "sigmoid": "torch.sigmoid({z})",
    "gelu": 'torch.nn.functional.gelu({z}, approximate="tanh")',
}
_NUMPY_ACTIVATIONS = {
    "tanh": "np.tanh({z})",
    "relu": "np.maximum({z}, 0)",
    "sigmoid": "1 / (1 + np.exp(-{z}))",
    "gelu": "gelu({z})",
}
_MODULES = {
    "tanh": "nn.Tanh()",
    "relu": "nn.ReLU()",
    "sigmoid": "nn.Sigmoid()",
    "gelu": 'nn.GELU(approximate="tanh")',
}


def network_listing(config: Config, say: Say | None = None) -> Listing:
    """The set-up and training loop of the network ``config`` describes, its comments from
    ``say`` (English when None); every phase maps to at least one line."""
    say = comment_catalogue(say)
    return listing_of(network_setup_code(config, say) + network_loop_code(config, say=say))


def weight_names(config: Config) -> list[str]:
    """W1, b1, W2, b2, ...: one name per parameter tensor, in torch's order."""
    count = len(layer_table(config.model))
    return [name for k in range(1, count + 1) for name in (f"W{k}", f"b{k}")]


def numpy_activation(kind: str, z: str) -> str:
    """NumPy code for act(z), as gradlab.core.network computes it (GELU: the ``gelu`` helper)."""
    return _NUMPY_ACTIVATIONS[kind].format(z=z)


def gelu_functions(say: Say, *, slope: bool = True) -> list[str]:
    """``gelu`` (and ``gelu_slope``) in NumPy, as gradlab.core.network computes them."""
    k, c = repr(GELU_K), repr(GELU_C)
    lines = [
        "",
        "",
        "def gelu(z):",
        f'    """{say("net.gelu")}"""',
        f"    return 0.5 * z * (1 + np.tanh({k} * (z + {c} * z * z * z)))",
        "",
        "",
    ]
    if not slope:
        return lines
    return [
        *lines,
        "def gelu_slope(z):",
        f'    """{say("net.gelu_slope")}"""',
        f"    inner = np.tanh({k} * (z + {c} * z * z * z))",
        f"    slope_inner = {k} * (1 + 3 * {c} * z * z)",
        "    return 0.5 * (1 + inner) + 0.5 * z * (1 - inner * inner) * slope_inner",
        "",
        "",
    ]


def network_setup_code(
    config: Config, say: Say | None = None, *, seed_line: bool = True
) -> CodeLines:
    """The seed, the data as the method needs it, the hyperparameters, the start values and the
    weights (or the model, its loss and its optimizer). ``seed_line=False`` leaves out
    ``seed = ...`` (a script defines it before its data)."""
    say = comment_catalogue(say)
    t, m, method = config.training, config.model, config.training.method
    dtype = m.dtype
    code: CodeLines = [(None, f"seed = {config.seed}")] if seed_line else []
    if method == "numpy-manual":
        if dtype == "float32":
            code.append((None, f"x32 = x[:, None].astype(np.float32)  # {say('net.input')}"))
            code.append((None, "y32 = y.astype(np.float32)"))
        else:
            code.append((None, f"x_col = x[:, None]  # {say('net.input')}"))
    else:
        code.append(
            (None, f"x_t = torch.tensor(x[:, None], dtype=torch.{dtype})  # {say('net.input')}")
        )
        code.append((None, f"y_t = torch.tensor(y, dtype=torch.{dtype})"))
    code.append((None, f"learning_rate = {t.lr!r}"))
    code.append((None, f"steps = {t.steps}"))
    if t.loss == "huber" and method == "numpy-manual":
        code.append((None, f"delta = {t.huber_delta!r}  # {say('setup.huber_delta')}"))
    if uses_batches(config):
        code.append((None, f"batch_size = {t.batch_size}"))
        code.append((None, "batches_per_epoch = -(-len(y) // batch_size)  # ceil(n / batch_size)"))
    code += _start_values(config, say)
    names = ", ".join(weight_names(config))
    if method == "numpy-manual":
        start = "(p.astype(np.float32) for p in start)" if dtype == "float32" else "start"
        code.append((None, f"{names} = {start}  # {say('net.weights')}"))
        if m.activation == "gelu":
            code += [(None, line) for line in gelu_functions(say)]
    elif method in AUTOGRAD_LOOPS:
        code.append((None, f"# {say('net.requires_grad')}"))
        code.append(
            (
                None,
                f"{names} = (torch.tensor(p, dtype=torch.{dtype}, requires_grad=True) "
                "for p in start)",
            )
        )
        if method == "torch-function":
            code += function_classes(config, say)
    else:
        code += _model_and_optimizer(config, say)
    return code


def _start_values(config: Config, say: Say) -> CodeLines:
    """``start``: the parameter arrays in torch's order, as gradlab.core.network draws them."""
    m = config.model
    layers = layer_table(m)
    if m.init == "random":
        stream = RANDOM_STREAMS.index("init")
        code: CodeLines = [
            (None, f"# {say('net.start.random')}"),
            (None, f"# {say('net.start.random_seed')}"),
            (None, f"rng = np.random.default_rng([seed, {stream}])"),
            (None, "start = ["),
        ]
        for number, layer in enumerate(layers, start=1):
            bound = repr(1.0 / math.sqrt(layer.fan_in))
            shape = f"({layer.fan_out}, {layer.fan_in})"
            uniform = f"rng.uniform(-{bound}, {bound}"
            code.append((None, f"    {uniform}, {shape}),  # W{number}: ±1/√{layer.fan_in}"))
            code.append((None, f"    {uniform}, {layer.fan_out}),  # b{number}"))
        return [*code, (None, "]")]
    if m.init == "zeros":
        code = [(None, f"# {say('net.start.zeros')}"), (None, "start = [")]
        for number, layer in enumerate(layers, start=1):
            code.append((None, f"    np.zeros(({layer.fan_out}, {layer.fan_in})),  # W{number}"))
            code.append((None, f"    np.zeros({layer.fan_out}),  # b{number}"))
        return [*code, (None, "]")]
    values = ", ".join(repr(float(v)) for v in m.init_values)
    code = [
        (None, f"# {say('net.start.values')}"),
        (None, f"values = np.array([{values}])"),
        (None, "start = ["),
    ]
    for number, layer in enumerate(layers, start=1):
        w, b = layer.weight, layer.bias
        shape = f"({layer.fan_out}, {layer.fan_in})"
        code.append((None, f"    values[{w.start}:{w.stop}].reshape{shape},  # W{number}"))
        code.append((None, f"    values[{b.start}:{b.stop}],  # b{number}"))
    return [*code, (None, "]")]


def _model_and_optimizer(config: Config, say: Say) -> CodeLines:
    t, o, m = config.training, config.optimizer, config.model
    dtype = f"torch.{m.dtype}"
    code: CodeLines = [
        (None, f"# {say('net.model', activation=m.activation)}"),
        (None, "model = nn.Sequential("),
    ]
    for layer in layer_table(m)[:-1]:
        code.append((None, f"    nn.Linear({layer.fan_in}, {layer.fan_out}, dtype={dtype}),"))
        code.append((None, f"    {_MODULES[m.activation]},"))
    code += [
        (None, f"    nn.Linear({m.hidden}, 1, dtype={dtype}),"),
        (None, "    nn.Flatten(0, 1),"),
        (None, ")"),
        (None, f"with torch.no_grad():  # {say('setup.start_values')}"),
        (None, "    for p, value in zip(model.parameters(), start, strict=True):"),
        (None, "        p.copy_(torch.tensor(value))"),
    ]
    loss_args = f'reduction="{t.reduction}"'
    if t.loss == "huber":
        loss_args += f", delta={t.huber_delta!r}"
    code += [
        (None, f"loss_fn = nn.{LOSS_MODULES[t.loss]}({loss_args})"),
        (None, f"optimizer = torch.optim.{OPTIMIZER_CLASSES[o.name]}("),
        (None, "    model.parameters(), lr=learning_rate,"),
        (None, f"    {optimizer_arguments(config)},"),
        (None, ")"),
    ]
    return code


def parameters_expression(config: Config) -> str:
    """A float64 NumPy vector of the current parameters in torch's order, in the method's
    terms."""
    method = config.training.method
    names = ", ".join(weight_names(config))
    if method == "numpy-manual":
        return f"np.concatenate([p.ravel() for p in ({names})]).astype(np.float64)"
    tensors = "model.parameters()" if method == "torch-optim" else f"({names})"
    return f"torch.cat([p.detach().flatten() for p in {tensors}]).double().numpy()"


def network_loop_code(
    config: Config,
    *,
    print_every: int | None = None,
    guard_divergence: bool = False,
    say: Say | None = None,
) -> CodeLines:
    """The training loop, phase by phase; ``print_every`` and ``guard_divergence`` as in
    gradlab.core.code_listing.loop_code (the guard keeps ``last_finite`` as a float64 vector)."""
    say = comment_catalogue(say)
    method = config.training.method
    batched = uses_batches(config)
    body: CodeLines = _batch_lines(method, say) if batched else []
    x, y = _data_names(config)
    if batched:
        body.append(("forward", f"xb, yb = {x}[batch], {y}[batch]"))
        x, y = "xb", "yb"
    if method == "numpy-manual":
        body += _numpy_phases(config, x, y, say)
    elif method in AUTOGRAD_LOOPS:
        body += _autograd_phases(config, x, y, say)
    else:
        body += _optim_phases(config, x, y, say)
    loss = "loss" if method == "numpy-manual" else "loss.item()"
    if print_every:
        body.append((None, f"if step % {print_every} == 0:"))
        body.append((None, f"    print(step, {loss})"))
    if guard_divergence:
        body += [
            (None, f"# {say('net.guard.diverged')}"),
            (None, f"current = {parameters_expression(config)}"),
            (None, f"if not (np.isfinite({loss}) and np.isfinite(current).all()):"),
            (None, "    diverged_at = step"),
            (None, "    break"),
            (None, "last_finite = current"),
            (None, f"last_loss = {loss}  # {say('guard.last_loss')}"),
        ]
    code: CodeLines = [(None, "for step in range(1, steps + 1):")]
    return code + [(phase, _BODY + line) for phase, line in body]


def _data_names(config: Config) -> tuple[str, str]:
    if config.training.method != "numpy-manual":
        return "x_t", "y_t"
    return ("x32", "y32") if config.model.dtype == "float32" else ("x_col", "y")


def _slope(kind: str, z: str, a: str) -> tuple[str, str]:
    """act'(z) as code, given z and a = act(z), and its formula for the comment."""
    return {
        "tanh": (f"(1 - {a}**2)", "tanh'(z) = 1 − tanh(z)²"),
        "relu": (f"({z} > 0)", "ReLU'(z) = [z > 0]"),
        "sigmoid": (f"{a} * (1 - {a})", "σ'(z) = σ(z) (1 − σ(z))"),
        "gelu": (f"gelu_slope({z})", "GELU'(z)"),
    }[kind]


def _numpy_phases(config: Config, x: str, y: str, say: Say) -> CodeLines:
    m = config.model
    hidden = m.layers
    out = hidden + 1
    code: CodeLines = [("forward", f"# {say('net.forward.numpy', activation=m.activation)}")]
    previous = x
    for k in range(1, hidden + 1):
        code.append(("forward", f"z{k} = {previous} @ W{k}.T + b{k}  # (n, {m.hidden})"))
        code.append(("forward", f"a{k} = {numpy_activation(m.activation, f'z{k}')}"))
        previous = f"a{k}"
    code.append(("forward", f"y_pred = a{hidden} @ W{out}[0] + b{out}[0]  # {say('net.output')}"))
    code.append(("loss", f"# {say('loss')}"))
    loss_lines, grad = numpy_loss(config, y)
    code += loss_lines
    last = f"a{hidden}"
    code += [
        ("backward", f"# {say('net.backward.numpy')}"),
        ("backward", f"grad_y_pred = {grad}  # ∂loss/∂y_pred"),
        ("backward", f"grad_W{out} = grad_y_pred[None, :] @ {last}  # Σ grad_y_pred · {last}"),
        ("backward", f"grad_b{out} = grad_y_pred.sum(keepdims=True)  # Σ grad_y_pred"),
        (
            "backward",
            f"grad_{last} = grad_y_pred[:, None] * W{out}  # ∂loss/∂{last} = grad_y_pred · W{out}",
        ),
    ]
    for k in range(hidden, 0, -1):
        slope, formula = _slope(m.activation, f"z{k}", f"a{k}")
        below = f"a{k - 1}" if k > 1 else x
        code.append(("backward", f"grad_z{k} = grad_a{k} * {slope}  # {formula}"))
        code.append(("backward", f"grad_W{k} = grad_z{k}.T @ {below}  # ∂loss/∂W{k}"))
        code.append(("backward", f"grad_b{k} = grad_z{k}.sum(axis=0)  # ∂loss/∂b{k}"))
        if k > 1:
            back = f"# ∂loss/∂a{k - 1} = ∂loss/∂z{k} · W{k}"
            code.append(("backward", f"grad_a{k - 1} = grad_z{k} @ W{k}  {back}"))
    code.append(("update", f"# {say('net.update.numpy')}"))
    for name in weight_names(config):
        code.append(("update", f"{name} -= learning_rate * grad_{name}"))
    code.append(("zero_grad", f"# {say('zero_grad.numpy')}"))
    return code


def _autograd_phases(config: Config, x: str, y: str, say: Say) -> CodeLines:
    """torch-autograd's loop (torch-function's: the forward pass through its Functions)."""
    if config.training.method == "torch-function":
        code, backward = function_forward(config, x, say), "net.backward.function"
    else:
        code, backward = _autograd_forward(config, x, say), "net.backward.autograd"
    names = ", ".join(weight_names(config))
    code += [
        ("loss", f"# {say('loss')}"),
        autograd_loss(config, y),
        ("backward", f"# {say(backward)}"),
        ("backward", "loss.backward()"),
        ("update", f"# {say('net.update.autograd')}"),
        ("update", "with torch.no_grad():"),
        ("update", f"    for p in ({names}):"),
        ("update", "        p -= learning_rate * p.grad"),
        ("zero_grad", f"# {say('zero_grad.autograd')}"),
        ("zero_grad", f"for p in ({names}):"),
        ("zero_grad", "    p.grad = None"),
    ]
    return code


def _autograd_forward(config: Config, x: str, say: Say) -> CodeLines:
    m = config.model
    out = m.layers + 1
    code: CodeLines = [("forward", f"# {say('net.forward.autograd')}")]
    previous = x
    for k in range(1, m.layers + 1):
        code.append(("forward", f"z{k} = {previous} @ W{k}.T + b{k}  # (n, {m.hidden})"))
        code.append(("forward", f"a{k} = {_TORCH_ACTIVATIONS[m.activation].format(z=f'z{k}')}"))
        previous = f"a{k}"
    code.append(
        ("forward", f"y_pred = ({previous} @ W{out}.T + b{out}).flatten()  # {say('net.output')}")
    )
    return code


def _optim_phases(config: Config, x: str, y: str, say: Say) -> CodeLines:
    optimizer = OPTIMIZER_CLASSES[config.optimizer.name]
    return [
        ("forward", f"# {say('net.forward.optim')}"),
        ("forward", f"y_pred = model({x})"),
        ("loss", f"# {say('loss')}"),
        ("loss", f"loss = loss_fn(y_pred, {y})"),
        ("backward", f"# {say('net.backward.optim')}"),
        ("backward", "loss.backward()"),
        ("update", f"# {say('update.optim', optimizer=optimizer)}"),
        ("update", "optimizer.step()"),
        ("zero_grad", f"# {say('zero_grad.optim')}"),
        ("zero_grad", "optimizer.zero_grad()"),
    ]
