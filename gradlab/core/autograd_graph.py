"""The computation graph of one training step, as plain data.

For the torch methods it is the real autograd graph: read from ``loss.grad_fn`` and each node's
``next_functions`` down to the ``AccumulateGrad`` leaves, with torch's own node names
(``MseLossBackward0``, ``PowBackward0``, a custom Function's ``...Backward``). ``GraphTracer``
records, while the phases run in the worker thread, the value each node produced in the forward
pass (a ``TorchFunctionMode`` sees the operations) and the gradient flowing into it in the
backward pass (pre-hooks on the nodes). For ``numpy-manual`` it is the chain rule of the chapter's
first listing written out by hand: loss ← y_pred ← a, b, c, ..., with the formulas.

Only ``ComputationGraph`` (tuples, floats, strings) leaves the worker: torch objects stay there.
torch is imported only when a torch method's graph is read.
"""

from __future__ import annotations

import inspect
import math
import textwrap
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from gradlab.core.losses import loss_formula, loss_grad_formula
from gradlab.core.phases import PhaseRecord, PhaseStepper, feature_names

if TYPE_CHECKING:
    from gradlab.core.methods.base import Method
    from gradlab.core.session import TrainingSession

ENTRIES = 4  # entries of a vector kept for display
MAX_CODE_LINES = 12  # of a custom Function's backward


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


# ---- the torch methods: the real autograd graph ----------------------------------------------


@dataclass(frozen=True)
class AutogradParts:
    """What a torch method holds of its current step: the tensors its graph hangs from."""

    loss: Any  # the loss tensor (None before the loss phase)
    predictions: Any  # y_pred (None before the forward phase)
    parameters: tuple[tuple[Any, str, tuple[int, ...]], ...]  # (tensor, name, coefficient indices)


class GraphTracer:
    """Watches one torch method's phases in the worker thread and reads its graph.

    Wrap each phase in ``phase(method, name)``; afterwards ``graph(method, ...)`` gives plain
    data. Between steps (a run going on) it reads what the method still holds of its last step.
    """

    def __init__(self) -> None:
        self._outputs: dict[Any, Summary] = {}  # backward node -> the value it came from
        self._grads: dict[Any, Summary] = {}  # backward node -> the gradient flowing in

    @contextmanager
    def phase(self, method: Method, name: str) -> Iterator[None]:
        """Run one phase of ``method`` inside: records values (forward, loss) or gradients."""
        parts = method.autograd_parts()
        if parts is None:
            yield
            return
        if name == "forward":
            self._outputs.clear()
            self._grads.clear()
        if name in ("forward", "loss"):
            with _OutputRecorder(self._outputs):
                yield
        elif name == "backward" and parts.loss is not None and parts.loss.grad_fn is not None:
            handles = [
                node.register_prehook(self._grad_hook(node)) for node in _walk(parts.loss.grad_fn)
            ]
            try:
                yield
            finally:
                for handle in handles:
                    handle.remove()
        else:
            yield

    def _grad_hook(self, node: Any) -> Any:
        def record(grad_outputs: tuple[Any, ...]) -> None:
            grad = grad_outputs[0] if grad_outputs else None
            if grad is not None:
                self._grads[node] = Summary.of(grad.detach().cpu().double().numpy())

        return record

    def graph(self, method: Method, phase: str | None) -> ComputationGraph | None:
        """The step's graph as plain data; None for a method without one."""
        if method.autograd_parts() is None:
            return manual_graph(method, phase)
        return self._torch_graph(method, phase)

    def _torch_graph(self, method: Method, phase: str | None) -> ComputationGraph | None:
        parts = method.autograd_parts()
        assert parts is not None
        top = parts.loss if parts.loss is not None else parts.predictions
        if top is None or top.grad_fn is None:
            return None
        known = dict(self._outputs)
        for tensor in (parts.predictions, parts.loss):
            if tensor is not None and tensor.grad_fn is not None:
                known[tensor.grad_fn] = Summary.of(tensor.detach().cpu().double().numpy())
        params = {id(tensor): (name, idx) for tensor, name, idx in parts.parameters}
        letters = method.config.coefficient_names
        order = list(_walk(top.grad_fn))
        ids = {node: i for i, node in enumerate(order)}
        nodes, edges = [], []
        for i, node in enumerate(order):
            for child, _ in node.next_functions:
                if child is not None:
                    edges.append((i, ids[child]))
            nodes.append(self._node(i, node, known, params, letters, method))
        loss = parts.loss
        cleared = all(t.grad is None for t, _, _ in parts.parameters) if phase else None
        graph = ComputationGraph(
            method=method.name,
            step=method.step_count + (1 if method.phase_index else 0),
            phase=phase,
            nodes=tuple(nodes),
            edges=tuple(edges),
            root=0 if loss is not None else None,
            loss_repr="" if loss is None else repr(loss),
            grads_cleared=cleared if phase == "zero_grad" else None,
        )
        return layered_layout(graph)

    def _node(
        self,
        i: int,
        node: Any,
        known: dict[Any, Summary],
        params: dict[int, tuple[str, tuple[int, ...]]],
        letters: tuple[str, ...],
        method: Method,
    ) -> GraphNode:
        name = type(node).__name__
        grad = self._grads.get(node)  # keyed by the node itself: only this graph's hooks match
        variable = getattr(node, "variable", None)
        if variable is None:
            function = getattr(node, "_forward_cls", None)  # set on custom Function nodes only
            code = "" if function is None else _backward_source(function)
            return GraphNode(i, name, value=known.get(node), grad=grad, backward_code=code)
        label, indices = params.get(id(variable), ("?", ()))
        value = variable.detach().cpu().double().numpy()
        stored = (
            None if variable.grad is None else Summary.of(variable.grad.detach().double().numpy())
        )
        gradients = method.gradients
        if grad is None and gradients is not None and indices:
            grad = Summary.of(np.asarray(gradients)[list(indices)].reshape(value.shape))
        before = method.coefficients_before
        after = None
        if before is not None and method.coefficients_after is not None and indices:
            # read before the update, shown with the value it had when the graph was built
            after = Summary.of(value)
            value = np.asarray(before)[list(indices)].reshape(value.shape)
        return GraphNode(
            i,
            name,
            leaf=label,
            coefficients=tuple(letters[k] for k in indices),
            value=Summary.of(value),
            grad=grad,
            after=after,
            stored_grad=stored,
        )


_TRACERS: weakref.WeakKeyDictionary[Method, GraphTracer] = weakref.WeakKeyDictionary()


def tracer_for(method: Method) -> GraphTracer:
    """The tracer that watches ``method`` (one per method, made on first use)."""
    tracer = _TRACERS.get(method)
    if tracer is None:
        tracer = _TRACERS[method] = GraphTracer()
    return tracer


def next_phase_with_graph(session: TrainingSession) -> tuple[PhaseRecord, ComputationGraph | None]:
    """Run the session's next phase (as PhaseStepper does) and read the graph it left."""
    method = session.method
    phase = method.next_phase
    tracer = tracer_for(method)
    with tracer.phase(method, phase):
        record = PhaseStepper(session).next_phase()
    return record, tracer.graph(method, phase)


def latest_graph(session: TrainingSession) -> ComputationGraph | None:
    """The graph of the session's latest step, read between steps (a run going on); None in
    the middle of a step, which phase stepping shows phase by phase."""
    if session.method.phase_index:
        return None
    return tracer_for(session.method).graph(session.method, None)


def _backward_source(function: type) -> str:
    """The ``backward`` a custom Function was written with, as its source ("" if unreadable)."""
    try:
        source = inspect.getsource(function.backward)  # type: ignore[attr-defined]
    except (OSError, TypeError, AttributeError):
        return ""
    lines = [line for line in textwrap.dedent(source).splitlines() if not line.startswith("@")]
    return "\n".join(lines[:MAX_CODE_LINES])


def _walk(root: Any) -> Iterator[Any]:
    """Every node reachable from ``root`` through ``next_functions``, breadth first, once."""
    seen = {root}
    queue = [root]
    while queue:
        node = queue.pop(0)
        yield node
        for child, _ in node.next_functions:
            if child is not None and child not in seen:
                seen.add(child)
                queue.append(child)


class _OutputRecorder:
    """A TorchFunctionMode that notes, for every result with a ``grad_fn``, its value."""

    def __init__(self, outputs: dict[Any, Summary]) -> None:
        from torch.overrides import TorchFunctionMode

        store = outputs

        class Recorder(TorchFunctionMode):
            def __torch_function__(
                self,
                func: Any,
                types: Any,
                args: tuple[Any, ...] = (),
                kwargs: dict[str, Any] | None = None,
            ) -> Any:
                result = func(*args, **(kwargs or {}))
                grad_fn = getattr(result, "grad_fn", None)
                if grad_fn is not None:
                    store[grad_fn] = Summary.of(result.detach().cpu().double().numpy())
                return result

        self._mode: Any = Recorder()  # torch's mode methods carry no annotations

    def __enter__(self) -> None:
        self._mode.__enter__()

    def __exit__(self, *exc: object) -> None:
        self._mode.__exit__(*exc)


# ---- numpy-manual: the chain rule written out -------------------------------------------------


def manual_graph(method: Method, phase: str | None) -> ComputationGraph:
    """The chapter's first listing as a graph: loss ← y_pred ← a, b, c, ..., each node with
    the formula of its value and of the gradient flowing into it (grad_y_pred, grad_a, ...)."""
    config = method.config
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
