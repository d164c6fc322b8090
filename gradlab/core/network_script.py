"""Export a network's run as a standalone Python script that reproduces it.

The script needs NumPy (and PyTorch for the torch methods), never GradLab: it builds the same
points as gradlab.core.data (the data lines are the polynomial script's), runs the network's
listing (gradlab.core.network_listing, the code the code pane shows: the same start values from
the seed, the same mini-batches, the same arithmetic as GradLab's method), prints the loss every
so often and a ``RESULT_JSON {...}`` line with the numbers ``gradlab fit --model mlp --json``
reports (the parameters in torch's order, the loss at them, the validation loss).
"""

from __future__ import annotations

from gradlab.core.code_listing import OPTIMIZER_CLASSES, Say, comment_catalogue, uses_batches
from gradlab.core.config import Config
from gradlab.core.data import make_dataset
from gradlab.core.export_script import (
    data_lines,
    print_every,
    shown_number,
    target_numpy_code,
)
from gradlab.core.network import layer_table
from gradlab.core.network_listing import (
    gelu_functions,
    network_loop_code,
    network_setup_code,
    numpy_activation,
    parameters_expression,
)


def network_script(config: Config, say: Say | None = None) -> str:
    """The whole script for the network ``config`` describes, its comments from ``say``
    (English when None)."""
    say = comment_catalogue(say)
    dataset = make_dataset(config)  # also checks the target is finite on the range
    target_code = target_numpy_code(config.data.target)
    lines = _header(config, target_code, say)
    lines += ["import json", "", "import numpy as np"]
    if config.training.method != "numpy-manual":
        lines += ["import torch", "from torch import nn"]
    lines += ["", f"seed = {config.seed}", ""]
    lines += data_lines(config, target_code, dataset.x_val.size, say)
    lines += [f"# {say('script.loop')}"]
    lines += [line for _, line in network_setup_code(config, say, seed_line=False)]
    lines += [f"last_finite = {parameters_expression(config)}", "diverged_at = None"]
    lines += ["last_loss = None"]
    every = print_every(config.training.steps)
    loop = network_loop_code(config, print_every=every, guard_divergence=True, say=say)
    lines += [line for _, line in loop]
    lines += _result_lines(config, dataset.x_val.size > 0, say)
    return "\n".join(lines) + "\n"


def _header(config: Config, target_code: str, say: Say) -> list[str]:
    d, m, t = config.data, config.model, config.training
    method = t.method
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
    held_out = say("script.held_out", percent=f"{d.val_fraction:.0%}") if d.val_fraction else ""
    loss, reduction = say(f"loss.{t.loss}"), say(f"reduction.{t.reduction}")
    low, high = shown_number(d.x_min), shown_number(d.x_max)
    return [
        '"""' + say("script.title"),
        "",
        say("script.target", target=target_code, noise=noise),
        say("script.points", points=d.points, low=low, high=high, held_out=held_out),
        say("script.network_model", layers=m.layers, hidden=m.hidden, activation=m.activation),
        say("script.network_model_end", count=m.parameter_count, dtype=m.dtype),
        say("script.method", method=method, title=say(f"method.net.{method}")),
        say("script.training", loss=loss, reduction=reduction, update=update, lr=repr(t.lr)),
        say("script.steps", steps=t.steps, batches=batches, seed=config.seed),
        say("script.needs_numpy" if method == "numpy-manual" else "script.needs_torch"),
        "",
        *say("script.network_prints").splitlines(),
        '"""',
        "",
    ]


def _predict_function(config: Config, say: Say) -> list[str]:
    """``predict(p, x)``: the network at x from its flat parameters, in float64 NumPy."""
    m = config.model
    layers = layer_table(m)
    lines = [
        "def predict(p, x):",
        f'    """{say("script.network_predict")}"""',
        "    p = np.asarray(p, dtype=np.float64)",
        "    a = x[:, None]",
    ]
    for number, layer in enumerate(layers, start=1):
        w, b = layer.weight, layer.bias
        weight = f"p[{w.start}:{w.stop}].reshape({layer.fan_out}, {layer.fan_in})"
        bias = f"p[{b.start}:{b.stop}]"
        if number < len(layers):
            lines.append(f"    z = a @ {weight}.T + {bias}")
            lines.append(f"    a = {numpy_activation(m.activation, 'z')}")
        else:
            lines.append(f"    return a @ p[{w.start}:{w.stop}] + p[{b.start}]")
    return lines


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
        "def loss_at(p, x, y):",
        f'    """{say("script.network_loss_at")}"""',
        "    residual = predict(p, x) - y",
        *body,
    ]


def _result_lines(config: Config, has_validation: bool, say: Say) -> list[str]:
    needs_gelu = config.model.activation == "gelu" and config.training.method != "numpy-manual"
    lines = gelu_functions(say, slope=False) if needs_gelu else ["", ""]
    lines += _predict_function(config, say)
    lines += ["", ""]
    lines += _loss_function(config, say)
    validation = "loss_at(parameters, x_val, y_val).item()" if has_validation else "None"
    final = f"final_loss = loss_at(parameters, x, y).item()  # {say('script.final_parameters')}"
    lines += [
        "",
        "",
        "parameters = last_finite.tolist()",
        "steps_done = steps if diverged_at is None else diverged_at - 1",
        "if diverged_at is not None:",
        f'    print(f"{say("script.network_diverged")}")',
        final,
        "result = {",
        '    "steps": steps_done,',
        '    "parameters": parameters,',
        '    "loss": final_loss if np.isfinite(final_loss) else last_loss,',
        f'    "val_loss": {validation},',
        '    "diverged": diverged_at is not None,',
        '    "diverged_at": diverged_at,',
        "}",
        'print("RESULT_JSON " + json.dumps(result))',
    ]
    return lines
