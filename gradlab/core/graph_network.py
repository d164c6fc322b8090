"""A network's training step as a computation graph: the layers of torch's autograd graph
named, and numpy-manual's backpropagation written out as a graph of the same layers.

Torch's graph of ``nn.Sequential(nn.Linear(1, h), nn.Tanh(), nn.Linear(h, 1), nn.Flatten(0, 1))``
is a chain of AddmmBackward0 / TanhBackward0 / ... nodes with the parameters as leaves. Each
node that uses a layer's W or b (directly, or through the transpose TBackward0) belongs to that
layer's linear part; an activation's node (TanhBackward0, ReluBackward0, ...) to the layer of
the linear part below it. ``GraphNode.layer`` says so as data, ("linear", 1) or ("tanh", 1);
the view writes the words.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from gradlab.core.graph_data import ComputationGraph, GraphNode, Summary, layered_layout
from gradlab.core.losses import loss_formula, loss_grad_formula
from gradlab.core.network import activation_slope, layer_table, layer_views

if TYPE_CHECKING:
    from gradlab.core.methods.numpy_mlp import NumpyMlp

ACTIVATION_NODES = {
    "TanhBackward0": "tanh",
    "ReluBackward0": "relu",
    "SigmoidBackward0": "sigmoid",
    "GeluBackward0": "gelu",
}
_PARAMETER = re.compile(r"^[Wb](\d+)$")  # W1, b1, W2, ...: a network's parameter tensors
_PASS_THROUGH = {"TBackward0", "PermuteBackward0"}  # W.T on its way to the product


def parameter_layer(leaf: str | None) -> int | None:
    """The layer number of a network parameter's name (W2 -> 2); None for anything else."""
    found = _PARAMETER.match(leaf or "")
    return int(found.group(1)) if found else None


def name_layers(graph: ComputationGraph) -> ComputationGraph:
    """``graph`` with each node's ``layer`` filled in where a network's layer made it (see the
    module's docstring); a polynomial's graph comes back unchanged."""
    nodes = {node.id: node for node in graph.nodes}
    children: dict[int, list[int]] = {i: [] for i in nodes}
    for source, target in graph.edges:
        children[source].append(target)

    def leaf_layer(i: int) -> int | None:
        node = nodes[i]
        if node.is_leaf:
            return parameter_layer(node.leaf)
        if node.name in _PASS_THROUGH and len(children[i]) == 1:
            return leaf_layer(children[i][0])
        return None

    linear: dict[int, int] = {}
    for i, node in nodes.items():
        if node.is_leaf or node.name in _PASS_THROUGH:
            continue
        found = [k for k in map(leaf_layer, children[i]) if k is not None]
        if found:
            linear[i] = min(found)
    named = {i: ("linear", k) for i, k in linear.items()}
    for i, node in nodes.items():
        kind = ACTIVATION_NODES.get(node.name)
        below = [linear[c] for c in children[i] if c in linear]
        if kind is not None and below:
            named[i] = (kind, below[0])
    for i, node in nodes.items():
        if node.is_leaf and parameter_layer(node.leaf) is not None:
            named[i] = ("linear", int(parameter_layer(node.leaf) or 0))
        elif node.name in _PASS_THROUGH and leaf_layer(i) is not None:
            named[i] = ("linear", int(leaf_layer(i) or 0))
    if not named:
        return graph
    return replace(
        graph,
        nodes=tuple(replace(node, layer=named.get(node.id)) for node in graph.nodes),
    )


# ---- numpy-manual: backpropagation written out, layer by layer --------------------------------


def manual_network_graph(method: NumpyMlp, phase: str | None) -> ComputationGraph:
    """numpy-manual's network step as a graph: loss ← y_pred ← a_L, W_out, b_out; a_k ← z_k ←
    a_(k−1), W_k, b_k; with each value's and gradient's formula, as the hand derivation goes."""
    config = method.config
    model, t = config.model, config.training
    act = model.activation
    out = model.layers + 1
    forward = method.layer_values()
    grad_y_pred = method.grad_wrt_predictions()
    nodes: list[GraphNode] = [
        GraphNode(
            0,
            "loss",
            formula=f"loss = {loss_formula(t.loss, t.reduction)}",
            value=None if method.loss is None else Summary.of(method.loss),
            grad=None if method.gradients is None else Summary.of(1.0),
        ),
        GraphNode(
            1,
            "y_pred",
            formula=f"y_pred = a{model.layers} @ W{out}.T + b{out}",
            grad_formula=f"grad_y_pred = {loss_grad_formula(t.loss, t.reduction)}",
            value=None if method.predictions is None else Summary.of(method.predictions),
            grad=None if grad_y_pred is None else Summary.of(grad_y_pred),
            layer=("linear", out),
        ),
    ]
    edges: list[tuple[int, int]] = [(0, 1)]
    grads_a, grads_z = _hidden_gradients(method, grad_y_pred)
    above = 1  # the node that uses a_k
    for k in range(model.layers, 0, -1):
        used = "grad_y_pred ⊗ W{0}" if k == model.layers else "grad_z{0} @ W{0}"
        a_id, z_id = len(nodes), len(nodes) + 1
        nodes.append(
            GraphNode(
                a_id,
                f"a{k}",
                formula=f"a{k} = {act}(z{k})",
                grad_formula=f"grad_a{k} = " + used.format(k + 1),
                value=None if forward is None else Summary.of(forward.activations[k - 1]),
                grad=None if grads_a is None else Summary.of(grads_a[k - 1]),
                layer=(act, k),
            )
        )
        before = "x" if k == 1 else f"a{k - 1}"
        nodes.append(
            GraphNode(
                z_id,
                f"z{k}",
                formula=f"z{k} = {before} @ W{k}.T + b{k}",
                grad_formula=f"grad_z{k} = grad_a{k} * {act}'(z{k})",
                value=None if forward is None else Summary.of(forward.pre_activations[k - 1]),
                grad=None if grads_z is None else Summary.of(grads_z[k - 1]),
                layer=("linear", k),
            )
        )
        edges += [(above, a_id), (a_id, z_id)]
        above = z_id
    leaves = _leaves(method, len(nodes))
    for leaf in leaves:
        k = parameter_layer(leaf.leaf) or 0
        user = 1 if k == out else next(n.id for n in nodes if n.name == f"z{k}")
        edges.append((user, leaf.id))
    nodes += leaves
    root: int | None = 0
    loss = method.loss
    if loss is None:  # before the loss phase only the forward values exist
        if method.predictions is None:
            nodes, edges = [], []
        else:
            nodes = [replace(n, id=n.id - 1) for n in nodes[1:]]
            edges = [(s - 1, e - 1) for s, e in edges[1:]]
        root = None
    graph = ComputationGraph(
        method=method.name,
        step=method.step_count + (1 if method.phase_index else 0),
        phase=phase,
        nodes=tuple(nodes),
        edges=tuple(edges),
        root=root,
        loss_repr="" if loss is None or not math.isfinite(loss) else f"{loss!r}",
        by_hand=True,
    )
    return layered_layout(graph) if nodes else graph


def _hidden_gradients(
    method: NumpyMlp, grad_y_pred: np.ndarray | None
) -> tuple[list[np.ndarray], list[np.ndarray]] | tuple[None, None]:
    """∂L/∂a_k and ∂L/∂z_k of every hidden layer, from ∂L/∂y_pred back (None before backward)."""
    forward = method.layer_values()
    if grad_y_pred is None or forward is None or method.gradients is None:
        return None, None
    model = method.config.model
    theta = method.coefficients_before
    if theta is None:
        theta = method.coefficients
    views = layer_views(model, np.asarray(theta, dtype=np.float64))
    grads_a: list[np.ndarray] = [np.empty(0)] * model.layers
    grads_z: list[np.ndarray] = [np.empty(0)] * model.layers
    grad_a = np.outer(grad_y_pred, views[-1][0][0])
    for k in range(model.layers - 1, -1, -1):
        z, a = forward.pre_activations[k], forward.activations[k]
        grads_a[k] = grad_a
        grads_z[k] = grad_a * activation_slope(model.activation, z, a)
        grad_a = grads_z[k] @ views[k][0]
    return grads_a, grads_z


def _leaves(method: NumpyMlp, first_id: int) -> list[GraphNode]:
    """W1, b1, ..., W_out, b_out: each value (before the update, if it ran), gradient and new
    value, with the formula of its gradient."""
    model = method.config.model
    out = model.layers + 1
    before, after = method.coefficients_before, method.coefficients_after
    updated = before is not None and after is not None
    now = before if updated and before is not None else method.coefficients
    gradients = method.gradients
    leaves: list[GraphNode] = []
    for number, layer in enumerate(layer_table(model), start=1):
        incoming = "grad_y_pred" if number == out else f"grad_z{number}"
        source = "x" if number == 1 else f"a{number - 1}"
        shape = (layer.fan_out, layer.fan_in)
        for name, part, formula, form in (
            (f"W{number}", layer.weight, f"{incoming}.T @ {source}", shape),
            (f"b{number}", layer.bias, f"{incoming}.sum(0)", (layer.fan_out,)),
        ):
            leaves.append(
                GraphNode(
                    first_id + len(leaves),
                    name,
                    leaf=name,
                    grad_formula=f"grad_{name} = {formula}",
                    value=Summary.of(np.asarray(now)[part].reshape(form)),
                    grad=None if gradients is None else Summary.of(gradients[part].reshape(form)),
                    after=None
                    if after is None or not updated
                    else Summary.of(after[part].reshape(form)),
                    layer=("linear", number),
                )
            )
    return leaves
