"""Export a run as a standalone Python script that reproduces it exactly.

The script needs NumPy (and PyTorch for the torch methods), never GradLab: it builds the same
points (noise and validation split from the same seeded streams as gradlab.core.data), the same
features and start values, runs the method's loop from gradlab.core.code_listing (the code the
GUI shows) and prints the chapter's ``y_pred = a + b*x + c*x^2 + d*x^3`` line and a
``RESULT_JSON {...}`` line with the numbers ``gradlab fit --json`` reports. A network's script is
gradlab.core.network_script's.

A custom target is written out as NumPy code generated from its parsed tree
(gradlab.core.expression), never from the text the user typed: nothing typed can become code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gradlab.core.code_listing import (
    OPTIMIZER_CLASSES,
    Say,
    coefficient_names,
    comment_catalogue,
    current_values_expression,
    loop_code,
    setup_code,
    uses_batches,
)
from gradlab.core.config import Config, ConfigError
from gradlab.core.data import NOISY_SINE_SD, RANDOM_STREAMS, make_dataset
from gradlab.core.expression import (
    Expression,
    ExpressionError,
    _Call,
    _Node,
    _Number,
    _Variable,
    parse_expression,
)

_NAMED_TARGETS = {
    "sin": "np.sin(x)",
    "cos": "np.cos(x)",
    "exp": "np.exp(x)",
    "abs": "np.abs(x)",
    "step": "np.where(x >= 0, 1.0, 0.0)",
    "noisy-sine": "np.sin(x)",
}
PRINTS_PER_RUN = 10


def export_script(config: Config, say: Say | None = None) -> str:
    """The whole script for ``config`` as text (see the module docstring), its comments from
    ``say`` (English when None)."""
    if config.model.kind == "mlp":  # a network's script: gradlab.core.network_script
        from gradlab.core.network_script import network_script

        return network_script(config, say)
    say = comment_catalogue(say)
    dataset = make_dataset(config)  # also checks the target is finite on the range
    target_code = target_numpy_code(config.data.target)
    torch_method = config.training.method != "numpy-manual"
    lines = _header(config, target_code, say)
    lines += ["import json", "", "import numpy as np"]
    if torch_method:
        lines += ["import torch", "from torch import nn"]
    lines += ["", f"seed = {config.seed}", ""]
    lines += data_lines(config, target_code, dataset.x_val.size, say)
    lines += _feature_lines(config, say)
    lines += ["", *_init_lines(config, say)]
    lines += ["", f"# {say('script.loop')}"]
    lines += [line for _, line in setup_code(config, say)]
    lines += [f"last_finite = {current_values_expression(config)}", "diverged_at = None"]
    lines += ["last_loss = None"]
    every = print_every(config.training.steps)
    loop = loop_code(config, print_every=every, guard_divergence=True, say=say)
    lines += [line for _, line in loop]
    lines += _result_lines(config, dataset.x_val.size > 0, say)
    return "\n".join(lines) + "\n"


# ---- the target, from the parsed tree -----------------------------------------------------------


def target_numpy_code(target: str) -> str:
    """NumPy code for the target as a function of the array ``x``: a named target's formula, or
    a custom expression regenerated from its parse tree (ConfigError if it does not parse)."""
    name = target.strip()
    if name in _NAMED_TARGETS:
        return _NAMED_TARGETS[name]
    try:
        expression = parse_expression(name)
    except ExpressionError as error:
        raise ConfigError(
            "data.target",
            f"target {name!r}: {error.message}",
            message_id="bad_expression",
            value=name,
        ) from error
    return expression_numpy_code(expression)


def _is_constant(target: str) -> bool:
    name = target.strip()
    return name not in _NAMED_TARGETS and not _code(parse_expression(name)._tree).array


def expression_numpy_code(expression: Expression) -> str:
    """Python/NumPy source computing ``expression`` of the array ``x``, generated from its tree.

    Only whitelisted functions (as ``np.<name>``), the variable ``x``, float literals and the
    operators + - * / ** appear; parentheses follow Python's precedence, which the parser shares.
    Arithmetic on constants alone is done in ``np.float64`` so that, as in GradLab, 1/0 gives
    inf rather than an exception.
    """
    return _code(expression._tree).text


@dataclass(frozen=True)
class _Code:
    text: str
    precedence: int  # 1: + -, 2: * /, 3: unary minus, 4: **, 5: atom
    numpy: bool  # evaluating it gives a NumPy value (not a plain Python float)
    array: bool  # it depends on x


_ATOM = 5
_BINARY_LEVELS = {"+": 1, "-": 1, "*": 2, "/": 2}
_FUNCTIONS = ("sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh")


def _code(node: _Node) -> _Code:
    if isinstance(node, _Number):
        return _Code(_number_text(node.value), _ATOM, False, False)
    if isinstance(node, _Variable):
        return _Code("x", _ATOM, True, True)
    if isinstance(node, _Call):
        argument = _code(node.argument)
        if node.function == "neg":
            inner = _wrapped(argument, 3)
            inner = f"({inner})" if inner.startswith("-") else inner
            return _Code("-" + inner, 3, argument.numpy, argument.array)
        if node.function not in _FUNCTIONS:
            raise ValueError(f"function {node.function!r} is not allowed")
        # a float argument, as in GradLab: np.abs(10) would be an integer
        text = argument.text if argument.numpy else _float_text(argument.text)
        return _Code(f"np.{node.function}({text})", _ATOM, True, argument.array)
    left, right = _code(node.left), _code(node.right)
    array = left.array or right.array
    if node.operator == "**":
        if not array:
            # NumPy's scalar ** can differ from the ufunc in the last bit; GradLab uses the ufunc
            base = left.text
            if not left.numpy:  # a float base, or NumPy would raise on int ** negative int
                base = _float_text(base)
            return _Code(f"np.power({base}, {right.text})", _ATOM, True, False)
        # the base of ** binds tighter than unary minus; the exponent may be signed (2**-x)
        base, exponent = _wrapped(left, _ATOM), _wrapped(right, 3)
        simple = _is_simple(base) and _is_simple(exponent)
        return _Code(f"{base}**{exponent}" if simple else f"{base} ** {exponent}", 4, True, True)
    if not (left.numpy or right.numpy):
        # constants alone: compute in np.float64, so 1/0 is inf (as in GradLab), not an error
        left = _Code(f"np.float64({left.text})", _ATOM, True, False)
    level = _BINARY_LEVELS[node.operator]
    text = f"{_wrapped(left, level)} {node.operator} {_wrapped(right, level + 1)}"
    return _Code(text, level, True, array)


def _number_text(value: float) -> str:
    """pi and e by name; whole numbers as ints (exact below 2**53), others as float literals."""
    if value == math.pi:
        return "np.pi"
    if value == math.e:
        return "np.e"
    if float(value).is_integer() and 0 < abs(value) < 2**53:  # 0.0 keeps the sign of -0.0
        return str(int(value))
    return repr(float(value))


def _float_text(text: str) -> str:
    """A plain-number expression written so that it is a float: 2 -> 2.0."""
    unsigned = text.removeprefix("-")
    if unsigned.isdigit():
        return text + ".0"
    if unsigned in ("np.pi", "np.e") or unsigned.replace(".", "").replace("e-", "").isdigit():
        return text
    return f"np.float64({text})"


def _is_simple(text: str) -> bool:
    """A name, number or attribute, maybe negated: ``x**2``, ``2**-x`` without spaces (ruff's
    style); anything else gets spaces: ``(-x) ** 2``."""
    return text.removeprefix("-").replace(".", "").replace("_", "").isalnum()


def _wrapped(code: _Code, needed: int) -> str:
    return code.text if code.precedence >= needed else f"({code.text})"


# ---- the script's parts ------------------------------------------------------------------------


def _header(config: Config, target_code: str, say: Say) -> list[str]:
    d, m, t = config.data, config.model, config.training
    method = t.method
    basis = say(f"script.basis.{m.basis}")
    batches = (
        say("script.minibatches", size=t.batch_size)
        if uses_batches(config)
        else say("script.full_batch")
    )
    update = (
        f"torch.optim.{OPTIMIZER_CLASSES[config.optimizer.name]}"
        if method == "torch-optim"
        else say("script.plain_gd")
    )
    noise = say("script.noise", sd=repr(d.noise)) if d.noise > 0 else ""
    percent = f"{d.val_fraction:.0%}"
    held_out = say("script.held_out", percent=percent) if d.val_fraction > 0 else ""
    low, high = shown_number(d.x_min), shown_number(d.x_max)
    loss, reduction = say(f"loss.{t.loss}"), say(f"reduction.{t.reduction}")
    return [
        '"""' + say("script.title"),
        "",
        say("script.target", target=target_code, noise=noise),
        say("script.points", points=d.points, low=low, high=high, held_out=held_out),
        say("script.model", degree=m.degree, basis=basis, dtype=m.dtype),
        say("script.method", method=method, title=say(f"method.{method}")),
        say("script.training", loss=loss, reduction=reduction, update=update, lr=repr(t.lr)),
        say("script.steps", steps=t.steps, batches=batches, seed=config.seed),
        say("script.needs_numpy" if method == "numpy-manual" else "script.needs_torch"),
        *(
            [say("script.flipped_sign")]
            if method == "torch-function" and t.flip_backward_sign
            else []
        ),
        "",
        *say("script.prints").splitlines(),
        '"""',
        "",
    ]


def shown_number(value: float) -> str:
    return {math.pi: "π", -math.pi: "-π"}.get(value, repr(float(value)))


def _literal(value: float) -> str:
    if value == math.pi:
        return "np.pi"
    if value == -math.pi:
        return "-np.pi"
    return repr(float(value))


def data_lines(config: Config, target_code: str, n_val: int, say: Say) -> list[str]:
    d = config.data
    noise_stream, split_stream = RANDOM_STREAMS.index("noise"), RANDOM_STREAMS.index("split")
    lines = [
        f"# {say('script.data')}",
        f"x = np.linspace({_literal(d.x_min)}, {_literal(d.x_max)}, {d.points})",
    ]
    # a target without x (say "2") is one number: spread it over the points, as GradLab does
    constant = _is_constant(d.target)
    value = f"np.full(x.shape, {target_code})" if constant else target_code
    if d.target.strip() in _NAMED_TARGETS:
        lines.append(f"y = {value}")
    else:
        lines.append(f"with np.errstate(all='ignore'):  # {say('script.errstate')}")
        lines.append(f"    y = {value}")
    noisy_sine = d.target.strip() == "noisy-sine"
    if noisy_sine or d.noise > 0:
        lines.append(f"noise_rng = np.random.default_rng([seed, {noise_stream}])")
    if noisy_sine:
        lines.append(
            f"y = y + noise_rng.normal(0.0, {NOISY_SINE_SD!r}, size=x.size)"
            f"  # {say('script.noisy_sine')}"
        )
    if d.noise > 0:
        lines.append(
            f"y = y + noise_rng.normal(0.0, {d.noise!r}, size=x.size)"
            f"  # {say('script.gaussian_noise')}"
        )
    if n_val:
        lines += [
            f"# {say('script.hold_out', n=n_val)}",
            "held_out = np.zeros(x.size, dtype=bool)",
            f"held_out[np.random.default_rng([seed, {split_stream}]).permutation(x.size)"
            f"[:{n_val}]] = True",
            "x_val, y_val = x[held_out], y[held_out]",
            "x, y = x[~held_out], y[~held_out]",
        ]
    return [*lines, ""]


def _feature_lines(config: Config, say: Say) -> list[str]:
    d, m = config.data, config.model
    p = m.degree + 1
    if m.basis == "power":
        lines = [
            "",
            "def features(x):",
            f'    """{say("script.power_features", degree=m.degree)}"""',
            f"    X = np.empty((x.size, {p}))",
            "    X[:, 0] = 1.0",
            "    X[:, 1] = x",
            f"    for k in range(1, {m.degree}):",
            "        X[:, k + 1] = X[:, k] * x",
            "    return X",
        ]
        note = say("script.power_note")
    else:
        lines = [
            f"centre = ({d.x_max!r} + {d.x_min!r}) / 2.0  # {say('script.centre')}",
            f"half_width = ({d.x_max!r} - {d.x_min!r}) / 2.0",
            "",
            "",
            "def features(x):",
            f'    """{say("script.legendre_features", degree=m.degree)}"""',
            "    t = (x - centre) / half_width",
            f"    X = np.empty((x.size, {p}))",
            "    X[:, 0] = 1.0",
            "    X[:, 1] = t",
            f"    for k in range(1, {m.degree}):",
            f"        # {say('script.bonnet')}",
            "        X[:, k + 1] = ((2 * k + 1) * t * X[:, k] - k * X[:, k - 1]) / (k + 1)",
            "    return X",
        ]
        note = say("script.legendre_note")
    lines += ["", "", f"X = features(x)  # {note}"]
    if config.data.val_fraction > 0:
        lines.append("X_val = features(x_val)")
    return lines


def _init_lines(config: Config, say: Say) -> list[str]:
    m = config.model
    p = m.degree + 1
    if m.init == "random":
        stream = RANDOM_STREAMS.index("init")
        return [
            f"# {say('script.random_init')}",
            f"w_init = np.random.default_rng([seed, {stream}]).random({p})",
        ]
    if m.init == "zeros":
        return [f"w_init = np.zeros({p})  # {say('script.start_values')}"]
    values = ", ".join(repr(float(v)) for v in m.init_values)
    return [f"w_init = np.array([{values}])  # {say('script.start_values')}"]


def _loss_function(config: Config, say: Say) -> list[str]:
    t = config.training
    reduce = ".mean()" if t.reduction == "mean" else ".sum()"
    if t.loss == "squared":
        body = [f"    return np.square(residual){reduce}"]
    elif t.loss == "l1":
        body = [f"    return np.abs(residual){reduce}"]
    else:
        body = [
            f"    delta = {t.huber_delta!r}",
            "    size = np.abs(residual)",
            "    pointwise = np.where(size < delta, 0.5 * residual**2, "
            "delta * (size - 0.5 * delta))",
            f"    return pointwise{reduce}",
        ]
    return [
        "",
        "",
        "def loss_at(w, X, y):",
        f'    """{say("script.loss_at")}"""',
        "    residual = X @ np.array(w) - y",
        *body,
        "",
        "",
    ]


def _result_lines(config: Config, has_validation: bool, say: Say) -> list[str]:
    m = config.model
    names = coefficient_names(config)
    lines = _loss_function(config, say)
    lines += [
        "coefficients = last_finite",
        "steps_done = steps if diverged_at is None else diverged_at - 1",
        "if diverged_at is not None:",
        f'    print(f"{say("script.diverged")}")',
        f"{', '.join(names)} = coefficients",
    ]
    powers = " + ".join(
        f"{{{name}}}" if k == 0 else f"{{{name}}}*x" if k == 1 else f"{{{name}}}*x^{k}"
        for k, name in enumerate(names)
    )
    if m.basis == "power":
        lines.append(f'print(f"y_pred = {powers}")')
    else:
        legendre = " + ".join(f"{{{name}}}*P{k}(t)" for k, name in enumerate(names))
        lines += [
            f'print(f"y_pred = {legendre}, t = (x - {{centre}}) / {{half_width}}")',
            f"# {say('script.in_powers')}",
            "in_t = np.polynomial.legendre.leg2poly(coefficients)",
            "in_x = np.zeros(1)",
            f"for value in in_t[::-1]:  # {say('script.horner')}",
            "    in_x = np.convolve(in_x, [-centre / half_width, 1.0 / half_width])",
            "    in_x[0] += value",
            f"power = np.zeros({len(names)})",
            f"power[: min({len(names)}, in_x.size)] = in_x[:{len(names)}]",
            f"{', '.join(names)} = power.tolist()",
            f'print(f"y_pred = {powers}")',
        ]
    validation = "loss_at(coefficients, X_val, y_val).item()" if has_validation else "None"
    lines += [
        f"final_loss = loss_at(coefficients, X, y).item()  # {say('script.final_loss')}",
        "result = {",
        '    "steps": steps_done,',
        '    "coefficients": coefficients,',
        '    "loss": final_loss if np.isfinite(final_loss) else last_loss,',
        f'    "val_loss": {validation},',
        '    "diverged": diverged_at is not None,',
        '    "diverged_at": diverged_at,',
        "}",
        'print("RESULT_JSON " + json.dumps(result))',
    ]
    return lines


def print_every(steps: int) -> int:
    """A round number of steps giving about PRINTS_PER_RUN loss lines."""
    target = max(1, steps // PRINTS_PER_RUN)
    scale: int = 10 ** (len(str(target)) - 1)
    for factor in (1, 2, 5, 10):
        if factor * scale >= target:
            return factor * scale
    return target
