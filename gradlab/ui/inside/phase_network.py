"""The phase view's tables for a network: per hidden layer its pre-activations z and activations a
at the sample points (forward), per tensor W1, b1, ... the gradient's norm and first entries
with the backpropagation rule (backward), and each tensor before and after the update.

The numbers are the core's (PhaseRecord values from gradlab.core.phases), only formatted here;
a network has tens or hundreds of parameters, so the tables go by layer and tensor, never one
row per parameter.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication

from gradlab.core.config import Config
from gradlab.core.network import GroupSummary

UNITS_SHOWN = 3  # hidden units per layer in the forward tables

Table = Callable[[list[str], list[list[str]]], str]
Number = Callable[..., str]


def _tr(text: str) -> str:
    return QCoreApplication.translate("PhaseView", text)


def _note(text: str) -> str:
    return f"<p style='color:#555'>{html.escape(text)}</p>"


def _mono(text: str) -> str:
    return f"<span style='font-family:monospace'>{html.escape(text)}</span>"


def _shape(shape: tuple[int, ...]) -> str:
    return " × ".join(str(n) for n in shape)


def _first(values: np.ndarray, size: int, number: Number) -> str:
    shown = ", ".join(number(v, 4) for v in np.asarray(values))
    return shown + (", …" if size > len(values) else "")


def forward_layers_html(
    layers: list[tuple[np.ndarray, np.ndarray]],
    samples: list[tuple[float, float, float]],
    config: Config,
    table: Table,
    number: Number,
) -> str:
    """One table per hidden layer: x, then z_k and a_k of its first units at the sample rows."""
    model = config.model
    shown = min(UNITS_SHOWN, model.hidden)
    parts = []
    for k, (z, a) in enumerate(layers, start=1):
        below = "x" if k == 1 else f"a{k - 1}"
        formula = f"z{k} = {below}·W{k}ᵀ + b{k},  a{k} = {model.activation}(z{k})"
        if shown < model.hidden:
            units = _tr("hidden layer {k}, the first {shown} of its {h} units").format(
                k=k, shown=shown, h=model.hidden
            )
        else:
            units = _tr("hidden layer {k}, its {h} units").format(k=k, h=model.hidden)
        parts.append(f"<p><b>{html.escape(units)}</b>: {_mono(formula)}</p>")
        header = ["x"]
        for unit in range(shown):
            header += [f"z{k}[{unit}]", f"a{k}[{unit}]"]
        rows = []
        for row, (x, _p, _y) in enumerate(samples):
            cells = [number(x, 4)]
            for unit in range(shown):
                cells += [number(z[row, unit], 4), f"<b>{number(a[row, unit], 4)}</b>"]
            rows.append(cells)
        parts.append(table(header, rows))
    last = len(layers)
    parts.append(
        "<p><b>"
        + html.escape(_tr("output unit (linear)"))
        + f"</b>: {_mono(f'ŷ = a{last}·W{last + 1}ᵀ + b{last + 1}')}</p>"
    )
    return "".join(parts)


def backward_groups_html(
    groups: list[GroupSummary], rules: list[str], table: Table, number: Number
) -> str:
    """Per tensor: its shape, the gradient's norm, its first entries and the rule that gave it."""
    rows = [
        [
            g.name,
            _shape(g.shape),
            f"<b>{number(g.norm, 4)}</b>",
            _first(g.first, int(np.prod(g.shape)), number),
        ]
        for g in groups
    ]
    header = [_tr("tensor"), _tr("shape"), "‖∂L/∂θ‖", _tr("first entries")]
    lines = "<br>".join(_mono(rule) for rule in rules)
    title = html.escape(_tr("By backpropagation, from the output back:"))
    return (
        table(header, rows)
        + f"<p>{title}<br>{lines}</p>"
        + _note(
            _tr(
                "L is the loss; z_k = a_(k−1)·W_kᵀ + b_k is layer k before its activation, "
                "a_0 = x. The gradients flow from the output back to layer 1."
            )
        )
    )


def update_groups_html(
    groups: list[tuple[GroupSummary, GroupSummary, GroupSummary]], table: Table, number: Number
) -> str:
    """Per tensor the norms before and after and the norm of the change; then, in a second
    table (the dock stays narrow), each tensor's first entries before and after."""
    norms = [
        [
            before.name,
            number(before.norm, 6),
            f"<b>{number(after.norm, 6)}</b>",
            number(change.norm, 4),
        ]
        for before, after, change in groups
    ]
    header = [_tr("tensor"), _tr("‖before‖"), _tr("‖after‖"), _tr("‖change‖")]
    entries = [
        [
            before.name,
            _first(before.first, int(np.prod(before.shape)), number),
            f"<b>{_first(after.first, int(np.prod(after.shape)), number)}</b>",
        ]
        for before, after, _change in groups
    ]
    first = [_tr("tensor"), _tr("first entries before"), _tr("after")]
    return table(header, norms) + table(first, entries)
