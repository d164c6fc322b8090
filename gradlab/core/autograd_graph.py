"""The computation graph of one training step, as plain data.

For the torch methods it is the real autograd graph: read from ``loss.grad_fn`` and each node's
``next_functions`` down to the ``AccumulateGrad`` leaves, with torch's own node names
(``MseLossBackward0``, ``PowBackward0``, a custom Function's ``...Backward``). ``GraphTracer``
records, while the phases run in the worker thread, the value each node produced in the forward
pass (a ``TorchFunctionMode`` sees the operations) and the gradient flowing into it in the
backward pass (pre-hooks on the nodes). For ``numpy-manual`` it is the chain rule of the chapter's
first listing written out by hand (gradlab.core.graph_data.manual_graph).

Only ``ComputationGraph`` (tuples, floats, strings) leaves the worker: torch objects stay there.
torch is imported only when a torch method's graph is read.
"""

from __future__ import annotations

import inspect
import textwrap
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from gradlab.core.graph_data import (
    ComputationGraph,
    GraphNode,
    Summary,
    layered_layout,
    manual_graph,
)
from gradlab.core.graph_network import name_layers, parameter_layer
from gradlab.core.phases import PhaseRecord, PhaseStepper

if TYPE_CHECKING:
    from gradlab.core.methods.base import Method
    from gradlab.core.session import TrainingSession

MAX_CODE_LINES = 12  # of a custom Function's backward


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
        return layered_layout(name_layers(graph))

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
            # a network's W1 holds many numbers: its name says which, not a list of them
            coefficients=() if parameter_layer(label) else tuple(letters[k] for k in indices),
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
                _types: Any,
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
