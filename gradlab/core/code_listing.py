"""The selected method's training loop as readable code, with the current settings filled in.

The GUI's code pane shows it beside the phase view and highlights the lines of the current phase
(``Listing.phase_lines``). The same pieces make the loop of an exported script
(gradlab.core.export_script), so what a student reads is what the script runs.

The code follows the chapter's listings: named coefficients a, b, c, ... and the hand-written
chain rule (listing 1), tensors with ``requires_grad`` and ``loss.backward()`` (listing 2), an
``nn.Sequential`` model with a loss module and a ``torch.optim`` optimizer (listing 3), and
listing 2's loop around a custom ``torch.autograd.Function`` whose backward is written by hand
(torch-function: the Function's forward and backward lines belong to those phases). The
features X[:, k] (x**k, or the k-th Legendre polynomial) are computed once before the loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from gradlab.core.config import COEFFICIENT_NAMES, Config
from gradlab.core.methods.base import PHASES
from gradlab.core.methods.batches import BATCH_STREAM

# (phase or None, line): None marks set-up and bookkeeping lines that belong to no phase
CodeLines = list[tuple[str | None, str]]


class Say(Protocol):
    """A comment catalogue: comment ``key`` with its ``{name}`` fields filled in, in the
    language the caller chose (gradlab.text.comments.Comments)."""

    def __call__(self, key: str, **values: object) -> str: ...


def comment_catalogue(say: Say | None) -> Say:
    """``say``, or the English catalogue when the caller chose none."""
    if say is not None:
        return say
    from gradlab.text.comments import ENGLISH  # the words live at the edge, not in the core

    return ENGLISH


OPTIMIZER_CLASSES = {
    "sgd": "SGD",
    "rmsprop": "RMSprop",
    "adam": "Adam",
    "adamw": "AdamW",
    "adagrad": "Adagrad",
}
LOSS_MODULES = {"squared": "MSELoss", "l1": "L1Loss", "huber": "HuberLoss"}
# the methods whose loop is listing 2's: one tensor per coefficient and loss.backward()
AUTOGRAD_LOOPS = ("torch-autograd", "torch-function")
_BODY = "    "


@dataclass(frozen=True)
class Listing:
    """Lines of code and, per phase, the indices (0-based) of the lines that carry it out."""

    lines: list[str]
    phase_lines: dict[str, list[int]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def code_listing(config: Config, say: Say | None = None) -> Listing:
    """The set-up and training loop of ``config``'s method, with its hyperparameters filled in
    and its comments from ``say`` (English when None).

    Every phase in ``PHASES`` maps to at least one line; for numpy-manual, ``zero_grad`` maps to
    the comment saying there is nothing to clear.
    """
    if config.model.kind == "mlp":  # a network's loop: gradlab.core.network_listing
        from gradlab.core.network_listing import network_listing

        return network_listing(config, say)
    say = comment_catalogue(say)
    return listing_of(setup_code(config, say) + loop_code(config, say=say))


def listing_of(code: CodeLines) -> Listing:
    """The lines of ``code`` and, per phase, which of them carry it out."""
    phase_lines: dict[str, list[int]] = {phase: [] for phase in PHASES}
    for index, (phase, _) in enumerate(code):
        if phase is not None:
            phase_lines[phase].append(index)
    return Listing([line for _, line in code], phase_lines)


def coefficient_names(config: Config) -> list[str]:
    """a, b, c, ... for the config's degree."""
    return list(COEFFICIENT_NAMES[: config.model.degree + 1])


def training_points(config: Config) -> int:
    """How many points train (the rest are held out), by gradlab.core.data's rule."""
    d = config.data
    held_out = round(d.points * d.val_fraction)
    if d.val_fraction > 0:
        held_out = max(held_out, 1)
    return d.points - held_out


def uses_batches(config: Config) -> bool:
    """True when steps use mini-batches (a batch size between 0 and the training points)."""
    return 0 < config.training.batch_size < training_points(config)


def setup_code(config: Config, say: Say | None = None) -> CodeLines:
    """Hyperparameters, the data as the method needs it and the coefficients (or the model).

    Expects ``X`` (float64 features, column 0 the constant 1), ``y`` and ``w_init`` defined.
    """
    say = comment_catalogue(say)
    t, method = config.training, config.training.method
    names = coefficient_names(config)
    float32 = config.model.dtype == "float32"
    code: CodeLines = []
    if method == "numpy-manual":
        if float32:
            code.append((None, "X32, y32 = X.astype(np.float32), y.astype(np.float32)"))
        start = "w_init.astype(np.float32)" if float32 else "w_init"
        code.append((None, f"{', '.join(names)} = {start}  # {say('setup.coefficients')}"))
    else:
        dtype = f"torch.{config.model.dtype}"
        if method in AUTOGRAD_LOOPS:
            tensors = say("setup.features_as_tensors")
            code.append((None, f"X_t = torch.tensor(X, dtype={dtype})  # {tensors}"))
        else:
            code.append((None, f"inputs = torch.tensor(X[:, 1:], dtype={dtype})  # x, x^2, ..."))
        code.append((None, f"y_t = torch.tensor(y, dtype={dtype})"))
    code.append((None, f"learning_rate = {t.lr!r}"))
    code.append((None, f"steps = {t.steps}"))
    if t.loss == "huber" and method == "numpy-manual":
        code.append((None, f"delta = {t.huber_delta!r}  # {say('setup.huber_delta')}"))
    if uses_batches(config):
        code.append((None, f"batch_size = {t.batch_size}"))
        code.append((None, "batches_per_epoch = -(-len(y) // batch_size)  # ceil(n / batch_size)"))
    if method in AUTOGRAD_LOOPS:
        code.append((None, f"# {say('setup.requires_grad')}"))
        code.append(
            (
                None,
                f"{', '.join(names)} = (torch.tensor(v, dtype={dtype}, requires_grad=True) "
                "for v in w_init)",
            )
        )
    if method == "torch-function":
        code += _function_class(config, say)
    elif method == "torch-optim":
        code += _model_and_optimizer(config, say)
    return code


def _function_class(config: Config, say: Say) -> CodeLines:
    """The custom Function: its forward and backward lines belong to those phases."""
    names = coefficient_names(config)
    arguments = ", ".join(names)
    flipped = config.training.flip_backward_sign
    code: CodeLines = [
        (None, ""),
        (None, ""),
        (None, "class Polynomial(torch.autograd.Function):"),
        (None, f'    """{say("function.docstring")}"""'),
        (None, ""),
        (None, "    @staticmethod"),
        ("forward", f"    def forward(ctx, X, {arguments}):"),
        ("forward", f"        ctx.save_for_backward(X)  # {say('function.save')}"),
        ("forward", f"        return {_polynomial(config, 'X')}"),
        (None, ""),
        (None, "    @staticmethod"),
        ("backward", "    def backward(ctx, grad_y_pred):"),
        ("backward", f"        # {say('function.chain_rule')}"),
        ("backward", "        (X,) = ctx.saved_tensors"),
        ("backward", f"        grad_{names[0]} = grad_y_pred.sum()"),
    ]
    for k, name in enumerate(names[1:], start=1):
        gradient = f"(grad_y_pred * X[:, {k}]).sum()"
        if flipped and k == 1:
            code.append(("backward", f"        grad_{name} = -{gradient}  # {say('function.bug')}"))
        else:
            code.append(("backward", f"        grad_{name} = {gradient}"))
    gradients = ", ".join(f"grad_{name}" for name in names)
    code.append(("backward", f"        return None, {gradients}  # {say('function.no_x_grad')}"))
    code += [(None, ""), (None, "")]
    return code


def _model_and_optimizer(config: Config, say: Say) -> CodeLines:
    t, o = config.training, config.optimizer
    degree, dtype = config.model.degree, f"torch.{config.model.dtype}"
    loss_args = f'reduction="{t.reduction}"'
    if t.loss == "huber":
        loss_args += f", delta={t.huber_delta!r}"
    return [
        (None, f"model = nn.Sequential(nn.Linear({degree}, 1, dtype={dtype}), nn.Flatten(0, 1))"),
        (None, f"with torch.no_grad():  # {say('setup.start_values')}"),
        (None, "    model[0].bias.copy_(torch.tensor(w_init[:1]))  # a"),
        (None, "    model[0].weight.copy_(torch.tensor(w_init[None, 1:]))  # b, c, d, ..."),
        (None, f"loss_fn = nn.{LOSS_MODULES[t.loss]}({loss_args})"),
        (None, f"optimizer = torch.optim.{OPTIMIZER_CLASSES[o.name]}("),
        (None, "    model.parameters(), lr=learning_rate,"),
        (None, f"    {optimizer_arguments(config)},"),
        (None, ")"),
    ]


def optimizer_arguments(config: Config) -> str:
    """The configured optimizer's hyperparameters as keyword arguments (lr excluded)."""
    o = config.optimizer
    values: dict[str, str] = {}
    if o.name == "sgd":
        values = {"momentum": repr(o.momentum), "nesterov": repr(o.nesterov)}
    elif o.name == "rmsprop":
        values = {"alpha": repr(o.alpha), "eps": repr(o.eps), "momentum": repr(o.momentum)}
    elif o.name in ("adam", "adamw"):
        values = {"betas": f"({o.beta1!r}, {o.beta2!r})", "eps": repr(o.eps)}
    else:
        values = {"eps": repr(o.eps)}
    values["weight_decay"] = repr(o.weight_decay)
    return ", ".join(f"{key}={value}" for key, value in values.items())


def loop_code(
    config: Config,
    *,
    print_every: int | None = None,
    guard_divergence: bool = False,
    say: Say | None = None,
) -> CodeLines:
    """The training loop, phase by phase.

    ``print_every`` adds the chapter's ``print(loss)`` every so many steps. ``guard_divergence``
    (for exported scripts) stops the loop as GradLab does when the loss or a coefficient stops
    being finite, keeping the last finite coefficients in ``last_finite``.
    """
    say = comment_catalogue(say)
    method = config.training.method
    batched = uses_batches(config)
    code: CodeLines = [(None, "for step in range(1, steps + 1):")]
    body: CodeLines = []
    if batched:
        body += _batch_lines(method, say)
    if method == "numpy-manual":
        body += _numpy_phases(config, batched, say)
    elif method in AUTOGRAD_LOOPS:
        body += _autograd_phases(config, batched, say)
    else:
        body += _optim_phases(config, batched, say)
    if print_every:
        loss_text = "loss" if method == "numpy-manual" else "loss.item()"
        body.append((None, f"if step % {print_every} == 0:"))
        body.append((None, f"    print(step, {loss_text})"))
    if guard_divergence:
        body += _divergence_guard(config, say)
    code += [(phase, _BODY + line) for phase, line in body]
    return code


def current_values_expression(config: Config) -> str:
    """Python floats of the current coefficients, constant term first, in the method's terms."""
    names = coefficient_names(config)
    if config.training.method == "torch-optim":
        return "[model[0].bias.item(), *model[0].weight[0].tolist()]"
    return "[" + ", ".join(f"{name}.item()" for name in names) + "]"


def _batch_lines(method: str, say: Say) -> CodeLines:
    tensors = method != "numpy-manual"
    lines: CodeLines = [
        ("forward", f"# {say('batch.next')}"),
        ("forward", "epoch, k = divmod(step - 1, batches_per_epoch)"),
        ("forward", f"if k == 0:  # {say('batch.new_epoch')}"),
        (
            "forward",
            f"    order = np.random.default_rng([seed, {BATCH_STREAM}, epoch]).permutation(len(y))",
        ),
    ]
    pick = "order[k * batch_size : (k + 1) * batch_size]"
    lines.append(("forward", f"batch = torch.from_numpy({pick})" if tensors else f"batch = {pick}"))
    return lines


def _data_names(config: Config, batched: bool) -> tuple[str, str]:
    """Names of this step's features and targets inside the loop."""
    if batched:
        return "Xb", "yb"
    method = config.training.method
    if method == "numpy-manual":
        return ("X32", "y32") if config.model.dtype == "float32" else ("X", "y")
    return ("X_t", "y_t") if method in AUTOGRAD_LOOPS else ("inputs", "y_t")


def _batch_select(config: Config) -> tuple[str | None, str]:
    whole_X, whole_y = _data_names(config, batched=False)
    return ("forward", f"Xb, yb = {whole_X}[batch], {whole_y}[batch]")


def _polynomial(config: Config, X: str) -> str:
    names = coefficient_names(config)
    terms = [names[0]] + [f"{name} * {X}[:, {k}]" for k, name in enumerate(names) if k]
    return " + ".join(terms)


def _numpy_phases(config: Config, batched: bool, say: Say) -> CodeLines:
    X, y = _data_names(config, batched)
    names = coefficient_names(config)
    code: CodeLines = [_batch_select(config)] if batched else []
    code.append(("forward", f"# {say('forward.numpy')}"))
    code.append(("forward", f"y_pred = {_polynomial(config, X)}"))
    code.append(("loss", f"# {say('loss')}"))
    loss_lines, grad = numpy_loss(config, y)
    code += loss_lines
    code.append(("backward", f"# {say('backward.numpy')}"))
    code.append(
        ("backward", f"# ∂loss/∂b = Σ ∂loss/∂y_pred · ∂y_pred/∂b = Σ grad_y_pred · {X}[:, 1]")
    )
    code.append(("backward", f"grad_y_pred = {grad}"))
    code.append(("backward", f"grad_{names[0]} = grad_y_pred.sum()"))
    for k, name in enumerate(names[1:], start=1):
        code.append(("backward", f"grad_{name} = (grad_y_pred * {X}[:, {k}]).sum()"))
    code.append(("update", f"# {say('update.numpy')}"))
    for name in names:
        code.append(("update", f"{name} -= learning_rate * grad_{name}"))
    code.append(("zero_grad", f"# {say('zero_grad.numpy')}"))
    return code


def numpy_loss(config: Config, y: str) -> tuple[CodeLines, str]:
    """The loss lines of listing 1 (targets ``y``, predictions ``y_pred``) and the expression of
    ``grad_y_pred``, ∂loss/∂y_pred per point."""
    t = config.training
    reduce = ".mean()" if t.reduction == "mean" else ".sum()"
    per_point = f" / {y}.size" if t.reduction == "mean" else ""
    if t.loss == "squared":
        return [("loss", f"loss = np.square(y_pred - {y}){reduce}")], (
            f"2 * (y_pred - {y}){per_point}"
        )
    if t.loss == "l1":
        return [("loss", f"loss = np.abs(y_pred - {y}){reduce}")], (
            f"np.sign(y_pred - {y}){per_point}"
        )
    lines: CodeLines = [
        ("loss", f"residual = y_pred - {y}"),
        ("loss", "size = np.abs(residual)"),
        (
            "loss",
            f"loss = np.where(size < delta, 0.5 * residual**2, "
            f"delta * (size - 0.5 * delta)){reduce}",
        ),
    ]
    return lines, f"np.clip(residual, -delta, delta){per_point}"


def autograd_loss(config: Config, y: str) -> tuple[str, str]:
    """Listing 2's loss line (targets ``y``, predictions ``y_pred``), as its phase and text."""
    t = config.training
    reduce = f".{t.reduction}()"
    if t.loss == "squared":
        return ("loss", f"loss = torch.square(y_pred - {y}){reduce}")
    if t.loss == "l1":
        return ("loss", f"loss = torch.abs(y_pred - {y}){reduce}")
    return (
        "loss",
        f"loss = torch.nn.functional.huber_loss(y_pred, {y}, "
        f'reduction="{t.reduction}", delta={t.huber_delta!r})',
    )


def _autograd_phases(config: Config, batched: bool, say: Say) -> CodeLines:
    X, y = _data_names(config, batched)
    names = coefficient_names(config)
    code: CodeLines = [_batch_select(config)] if batched else []
    if config.training.method == "torch-function":
        code.append(("forward", f"# {say('forward.function')}"))
        code.append(("forward", f"y_pred = Polynomial.apply({X}, {', '.join(names)})"))
    else:
        code.append(("forward", f"# {say('forward.autograd')}"))
        code.append(("forward", f"y_pred = {_polynomial(config, X)}"))
    code.append(("loss", f"# {say('loss')}"))
    code.append(autograd_loss(config, y))
    if config.training.method == "torch-function":
        code.append(("backward", f"# {say('backward.function')}"))
    else:
        code.append(("backward", f"# {say('backward.autograd')}"))
    code.append(("backward", "loss.backward()"))
    code.append(("update", f"# {say('update.autograd')}"))
    code.append(("update", "with torch.no_grad():"))
    for name in names:
        code.append(("update", f"    {name} -= learning_rate * {name}.grad"))
    code.append(("zero_grad", f"# {say('zero_grad.autograd')}"))
    for name in names:
        code.append(("zero_grad", f"{name}.grad = None"))
    return code


def _optim_phases(config: Config, batched: bool, say: Say) -> CodeLines:
    X, y = _data_names(config, batched)
    optimizer = OPTIMIZER_CLASSES[config.optimizer.name]
    code: CodeLines = [_batch_select(config)] if batched else []
    code += [
        ("forward", f"# {say('forward.optim')}"),
        ("forward", f"y_pred = model({X})"),
        ("loss", f"# {say('loss')}"),
        ("loss", f"loss = loss_fn(y_pred, {y})"),
        ("backward", f"# {say('backward.optim')}"),
        ("backward", "loss.backward()"),
        ("update", f"# {say('update.optim', optimizer=optimizer)}"),
        ("update", "optimizer.step()"),
        ("zero_grad", f"# {say('zero_grad.optim')}"),
        ("zero_grad", "optimizer.zero_grad()"),
    ]
    return code


def _divergence_guard(config: Config, say: Say) -> CodeLines:
    loss = "loss" if config.training.method == "numpy-manual" else "loss.item()"
    return [
        (None, f"# {say('guard.diverged')}"),
        (None, f"current = {current_values_expression(config)}"),
        (None, f"if not np.isfinite([{loss}, *current]).all():"),
        (None, "    diverged_at = step"),
        (None, "    break"),
        (None, "last_finite = current"),
        (None, f"last_loss = {loss}  # {say('guard.last_loss')}"),
    ]
