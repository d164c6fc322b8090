"""A training step's computation graph as plain data, its layered layout, and the chapter's
first listing drawn the same way.

``ComputationGraph`` holds only tuples, floats and strings, so it crosses from the worker thread
to the GUI as it is. gradlab.core.autograd_graph fills one from torch's autograd graph;
``manual_graph`` here writes numpy-manual's hand-derived chain rule as one: loss ← y_pred ← a,
b, c, ..., with the formulas of each value and gradient, so the two can be compared.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from gradlab.core.losses import loss_formula, loss_grad_formula
from gradlab.core.phases import feature_names

if TYPE_CHECKING:
    from gradlab.core.methods.base import Method

ENTRIES = 4  # entries of a vector kept for display


@dataclass(frozen=True)
class Summary:
    """A tensor or array for display: its shape, its size and its first few entries."""

    shape: tuple[int, ...]
    size: int
    entries: tuple[float, ...]

    @classmethod
    def of(cls, values: Any) -> Summary:
        array = np.asarray(values, dtype=np.float64)
        flat = array.reshape(-1)
        entries = tuple(float(v) for v in flat[:ENTRIES])
        return cls(tuple(int(n) for n in array.shape), int(flat.size), entries)

    @property
    def scalar(self) -> float | None:
        return self.entries[0] if self.size == 1 and self.entries else None


@dataclass(frozen=True)
class GraphNode:
    """One node: an operation's backward node, a parameter leaf or a hand-written quantity."""

    id: int
    name: str  # torch's class name (MseLossBackward0, AccumulateGrad) or the listing's name
    leaf: str | None = None  # the parameter a leaf accumulates into: "θ", "bias", "weight", "a"
    coefficients: tuple[str, ...] = ()  # the coefficients that parameter holds
    formula: str = ""  # how the forward value is computed (hand-written graph)
    grad_formula: str = ""  # how the gradient flowing in is computed (hand-written graph)
    value: Summary | None = None  # what it produced in the forward pass (a leaf: its value)
    grad: Summary | None = None  # the gradient flowing into it in the backward pass
    after: Summary | None = None  # a leaf's value after the update
    stored_grad: Summary | None = None  # a leaf's ``.grad`` now (None: cleared, or none kept)
    backward_code: str = ""  # a custom autograd.Function's hand-written backward (its source)
    layer: tuple[str, int] | None = None  # a network's layer: ("linear", 1), ("tanh", 1), ...

    @property
    def is_leaf(self) -> bool:
        return self.leaf is not None


@dataclass(frozen=True)
class ComputationGraph:
    """A step's graph: ``edges`` go from a node to the inputs it sends gradients to (torch's
    ``next_functions`` direction), so the root (the loss) comes first and the leaves last."""

    method: str
    step: int
    phase: str | None  # the last phase run (None: read between steps, e.g. while running)
    nodes: tuple[GraphNode, ...]
    edges: tuple[tuple[int, int], ...]
    root: int | None  # the loss's node, once the loss is computed
    loss_repr: str = ""  # the loss as torch prints it, e.g. tensor(38.64, grad_fn=<...>)
    by_hand: bool = False  # the hand-written chain rule (numpy-manual)
    grads_cleared: bool | None = None  # True once zero_grad cleared the leaves' .grad
    positions: dict[int, tuple[float, float]] = field(default_factory=dict)  # see layout

    def node(self, node_id: int) -> GraphNode:
        return self.nodes[node_id]

    @property
    def names(self) -> list[str]:
        return [node.name for node in self.nodes]

    def forward_order(self) -> list[int]:
        """Node ids in the order the forward pass makes them: leaves first, the root last."""
        return [i for layer in reversed(_layers(self)) for i in layer]

    def backward_order(self) -> list[int]:
        """Node ids in the order gradients reach them: the root first, the leaves last."""
        return [i for layer in _layers(self) for i in layer]


def layered_layout(graph: ComputationGraph) -> ComputationGraph:
    """The graph with ``positions``: y is the layer (0 = the root's), x each node's place in
    it, under the mean of its parents where there is room, one unit apart at least."""
    parents: dict[int, list[int]] = {node.id: [] for node in graph.nodes}
    for source, target in graph.edges:
        parents[target].append(source)
    positions: dict[int, tuple[float, float]] = {}
    for depth, layer in enumerate(_layers(graph)):
        wanted = {}
        for i in layer:
            xs = [positions[p][0] for p in parents[i] if p in positions]
            wanted[i] = sum(xs) / len(xs) if xs else 0.0
        ordered = sorted(layer, key=lambda i: (wanted[i], i))
        xs = []
        for i in ordered:  # left to right, pushed right where a neighbour is too close
            xs.append(wanted[i] if not xs else max(wanted[i], xs[-1] + 1.0))
        shift = sum(wanted.values()) / len(xs) - sum(xs) / len(xs)
        for i, x in zip(ordered, xs, strict=True):
            positions[i] = (x + shift, float(depth))
    return replace(graph, positions=positions)


def _layers(graph: ComputationGraph) -> list[list[int]]:
    """Topological generations from the root down (networkx): every node one layer below
    the lowest node that uses it."""
    import networkx as nx

    dag = nx.DiGraph()
    dag.add_nodes_from(node.id for node in graph.nodes)
    dag.add_edges_from(graph.edges)
    return [sorted(layer) for layer in nx.topological_generations(dag)]


# ---- numpy-manual: the chain rule written out -------------------------------------------------


def manual_graph(method: Method, phase: str | None) -> ComputationGraph:
    """The chapter's first listing as a graph: loss ← y_pred ← a, b, c, ..., each node with
    the formula of its value and of the gradient flowing into it (grad_y_pred, grad_a, ...)."""
    config = method.config
    if config.model.kind == "mlp":  # backpropagation through the layers, written out
        from gradlab.core.graph_network import manual_network_graph
        from gradlab.core.methods.numpy_mlp import NumpyMlp

        assert isinstance(method, NumpyMlp)  # the one hand-written method for a network
        return manual_network_graph(method, phase)
    t = config.training
    letters = config.coefficient_names
    features = feature_names(config)
    loss_node = GraphNode(
        0,
        "loss",
        formula=f"loss = {loss_formula(t.loss, t.reduction)}",
        value=None if method.loss is None else Summary.of(method.loss),
        grad=None if method.gradients is None else Summary.of(1.0),
    )
    terms = [
        name if feature == "1" else f"{name}·{feature}"
        for name, feature in zip(letters, features, strict=True)
    ]
    predictions = method.predictions
    grad_y_pred = method.grad_wrt_predictions()
    y_pred = GraphNode(
        1,
        "y_pred",
        formula="y_pred = " + " + ".join(terms),
        grad_formula=f"grad_y_pred = {loss_grad_formula(t.loss, 'sum')}",
        value=None if predictions is None else Summary.of(predictions),
        grad=None if grad_y_pred is None else Summary.of(grad_y_pred),
    )
    coefficients = method.coefficients
    before, after = method.coefficients_before, method.coefficients_after
    gradients = method.gradients
    leaves = []
    for k, (name, feature) in enumerate(zip(letters, features, strict=True)):
        times = "" if feature == "1" else f" · {feature}"
        total = "(1/n) Σ" if t.reduction == "mean" else "Σ"
        updated = before is not None and after is not None
        leaves.append(
            GraphNode(
                2 + k,
                name,
                leaf=name,
                coefficients=(name,),
                grad_formula=f"grad_{name} = {total} grad_y_pred{times}",
                value=Summary.of(before[k] if updated and before is not None else coefficients[k]),
                grad=None if gradients is None else Summary.of(gradients[k]),
                after=Summary.of(after[k]) if updated and after is not None else None,
            )
        )
    nodes = [loss_node, y_pred, *leaves]
    edges = [(0, 1)] + [(1, leaf.id) for leaf in leaves]
    loss = method.loss
    if loss is None:  # before the loss phase only y_pred and the coefficients exist
        shown = nodes[1:] if predictions is not None else []
        nodes = [replace(n, id=n.id - 1) for n in shown]
        edges = [(0, leaf.id - 1) for leaf in leaves] if shown else []
    graph = ComputationGraph(
        method=method.name,
        step=method.step_count + (1 if method.phase_index else 0),
        phase=phase,
        nodes=tuple(nodes),
        edges=tuple(edges),
        root=0 if loss is not None else None,
        loss_repr="" if loss is None or not math.isfinite(loss) else f"{loss!r}",
        by_hand=True,
    )
    return layered_layout(graph) if nodes else graph
