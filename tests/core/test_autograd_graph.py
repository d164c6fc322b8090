"""The step's computation graph as plain data: torch's own graph, and listing 1's by hand."""

from __future__ import annotations

import dataclasses
import itertools
import pickle

import numpy as np
import pytest
import torch

from gradlab.core.autograd_graph import (
    AutogradParts,
    GraphTracer,
    latest_graph,
    next_phase_with_graph,
)
from gradlab.core.config import Config
from gradlab.core.graph_data import ComputationGraph, Summary, layered_layout
from gradlab.core.methods.base import PHASES
from gradlab.core.session import TrainingSession


def _session(method: str, **changes) -> TrainingSession:
    base = {"training.method": method, "training.steps": 20, "data.points": 50}
    base.update(changes)
    return TrainingSession(Config().with_changes(**base))


def _phases(session: TrainingSession, n: int) -> list[ComputationGraph | None]:
    return [next_phase_with_graph(session)[1] for _ in range(n)]


def _traverse(root) -> list[str]:
    """torch's names breadth first from ``root``, each node once (written apart from the core)."""
    names, seen, queue = [], {root}, [root]
    while queue:
        node = queue.pop(0)
        names.append(type(node).__name__)
        for child, _ in node.next_functions:
            if child is not None and child not in seen:
                seen.add(child)
                queue.append(child)
    return names


@pytest.mark.parametrize("method", ["torch-autograd", "torch-optim"])
def test_node_names_are_torchs(method):
    session = _session(method)
    graphs = _phases(session, 2)  # forward, loss
    graph = graphs[-1]
    assert graph is not None and graph.phase == "loss"
    loss = session.method.autograd_parts().loss
    assert graph.names == _traverse(loss.grad_fn)
    assert graph.loss_repr == repr(loss)
    assert graph.root == 0 and graph.nodes[0].name == type(loss.grad_fn).__name__


def test_listing_2_and_3_graphs():
    autograd = _phases(_session("torch-autograd"), 2)[-1]
    assert autograd.names == [
        "SumBackward0",
        "PowBackward0",
        "SubBackward0",
        "MvBackward0",
        "AccumulateGrad",
    ]
    (leaf,) = [n for n in autograd.nodes if n.is_leaf]
    assert leaf.leaf == "θ" and leaf.coefficients == ("a", "b", "c", "d")
    optim = _phases(_session("torch-optim", **{"training.reduction": "mean"}), 2)[-1]
    assert optim.names[0] == "MseLossBackward0"
    leaves = {n.leaf: n.coefficients for n in optim.nodes if n.is_leaf}
    assert leaves == {"bias": ("a",), "weight": ("b", "c", "d")}
    assert "grad_fn=<MseLossBackward0>" in optim.loss_repr


def test_forward_graph_hangs_from_the_predictions_and_has_no_root():
    graph = _phases(_session("torch-optim"), 1)[0]
    assert graph.phase == "forward" and graph.root is None and graph.loss_repr == ""
    assert "MseLossBackward0" not in graph.names and "AddmmBackward0" in graph.names


def test_values_and_gradients_are_the_steps_own():
    session = _session("torch-autograd", **{"model.dtype": "float64"})
    graphs = _phases(session, 3)  # forward, loss, backward
    method = session.method
    graph = graphs[-1]
    by_name = {n.name: n for n in graph.nodes}
    root = by_name["SumBackward0"]
    assert root.value.scalar == pytest.approx(method.loss, rel=1e-12)
    assert root.grad.scalar == 1.0  # backward() starts from d loss / d loss = 1
    predictions = method.predictions
    mv = by_name["MvBackward0"]
    assert mv.value.shape == predictions.shape
    np.testing.assert_allclose(mv.value.entries, predictions[:4], rtol=1e-12)
    residual = predictions - session.dataset.y
    np.testing.assert_allclose(by_name["SubBackward0"].value.entries, residual[:4], rtol=1e-12)
    np.testing.assert_allclose(by_name["PowBackward0"].value.entries, residual[:4] ** 2)
    # the gradient reaching y_pred is the chapter's grad_y_pred = 2 (y_pred - y)
    np.testing.assert_allclose(mv.grad.entries, 2 * residual[:4], rtol=1e-12)
    leaf = by_name["AccumulateGrad"]
    np.testing.assert_allclose(leaf.grad.entries, method.gradients, rtol=1e-12)
    np.testing.assert_allclose(leaf.stored_grad.entries, method.gradients, rtol=1e-12)


def test_update_and_zero_grad_change_the_leaves():
    session = _session("torch-optim")
    graphs = _phases(session, 5)
    update, zero = graphs[3], graphs[4]
    method = session.method
    for graph in (update, zero):
        leaves = {n.leaf: n for n in graph.nodes if n.is_leaf}
        np.testing.assert_allclose(leaves["bias"].value.entries, method.coefficients_before[:1])
        np.testing.assert_allclose(leaves["bias"].after.entries, method.coefficients_after[:1])
        np.testing.assert_allclose(leaves["weight"].after.entries, method.coefficients_after[1:])
    assert all(n.stored_grad is not None for n in update.nodes if n.is_leaf)
    assert all(n.stored_grad is None for n in zero.nodes if n.is_leaf)
    assert zero.grads_cleared is True and update.grads_cleared is None


def test_numpy_manual_is_the_chain_rule_by_hand():
    session = _session("numpy-manual")
    graphs = _phases(session, 3)
    forward, backward = graphs[0], graphs[2]
    assert forward.names == ["y_pred", "a", "b", "c", "d"] and forward.root is None
    assert backward.by_hand and backward.names == ["loss", "y_pred", "a", "b", "c", "d"]
    method = session.method
    by_name = {n.name: n for n in backward.nodes}
    assert by_name["loss"].value.scalar == method.loss
    assert by_name["loss"].formula == "loss = Σ (ŷ − y)²"
    assert by_name["y_pred"].grad_formula == "grad_y_pred = 2 (ŷ − y)"
    assert by_name["b"].grad_formula == "grad_b = Σ grad_y_pred · x"
    np.testing.assert_allclose(
        by_name["y_pred"].grad.entries, method.grad_wrt_predictions()[:4], rtol=0
    )
    assert [by_name[k].grad.scalar for k in "abcd"] == list(method.gradients)


def test_hand_and_torch_graphs_carry_the_same_numbers():
    config = {"model.dtype": "float64"}
    hand = _phases(_session("numpy-manual", **config), 3)[-1]
    torch_graph = _phases(_session("torch-autograd", **config), 3)[-1]
    hand_grads = [n.grad.scalar for n in hand.nodes if n.is_leaf]
    (leaf,) = [n for n in torch_graph.nodes if n.is_leaf]
    np.testing.assert_allclose(leaf.grad.entries, hand_grads, rtol=1e-10)
    y_pred = next(n for n in hand.nodes if n.name == "y_pred")
    mv = next(n for n in torch_graph.nodes if n.name == "MvBackward0")
    np.testing.assert_allclose(mv.grad.entries, y_pred.grad.entries, rtol=1e-10)


def test_custom_function_appears_as_one_node():
    class Polynomial(torch.autograd.Function):
        @staticmethod
        def forward(ctx, features, theta):
            ctx.save_for_backward(features)
            return features @ theta

        @staticmethod
        def backward(ctx, grad):
            (features,) = ctx.saved_tensors
            return None, features.T @ grad

    theta = torch.rand(4, dtype=torch.float64, requires_grad=True)
    features = torch.rand(6, 4, dtype=torch.float64)
    y_pred = Polynomial.apply(features, theta)
    loss = torch.square(y_pred - 1).sum()
    parts = AutogradParts(loss, y_pred, ((theta, "θ", (0, 1, 2, 3)),))
    assert _traverse(loss.grad_fn)[3] == "PolynomialBackward"
    session = _session("torch-autograd")
    method = session.method
    method.autograd_parts = lambda: parts  # the same method, its tensors swapped
    graph = GraphTracer().graph(method, "loss")
    assert graph.names == _traverse(loss.grad_fn)
    assert "PolynomialBackward" in graph.names


def test_between_steps_the_latest_graph_is_read():
    session = _session("torch-optim")
    session.advance(5)
    graph = latest_graph(session)
    assert graph is not None and graph.phase is None and graph.names[0] == "MseLossBackward0"
    leaves = [n for n in graph.nodes if n.is_leaf]
    np.testing.assert_allclose(
        np.concatenate([n.grad.entries for n in leaves]), session.method.gradients
    )
    next_phase_with_graph(session)  # forward of the next step: phase stepping owns it now
    assert latest_graph(session) is None


def _plain(value) -> bool:
    """Only Python numbers, strings, tuples, dicts and the graph's own dataclasses."""
    if value is None or type(value) in (int, float, str, bool):
        return True
    if type(value) in (tuple, list):
        return all(_plain(v) for v in value)
    if type(value) is dict:
        return all(_plain(k) and _plain(v) for k, v in value.items())
    if dataclasses.is_dataclass(value):
        return all(_plain(getattr(value, f.name)) for f in dataclasses.fields(value))
    return False


def test_graph_is_plain_data():
    session = _session("torch-autograd")
    for graph in _phases(session, 5):
        assert _plain(graph)  # no tensor, no torch node, nothing shared with the worker
        assert pickle.loads(pickle.dumps(graph)).names == graph.names
    assert not _plain(torch.zeros(1)) and not _plain(np.zeros(1))


def test_layout_puts_each_node_below_its_users():
    graph = _phases(_session("torch-optim"), 2)[-1]
    ys = {i: y for i, (_x, y) in graph.positions.items()}
    for consumer, source in graph.edges:
        assert ys[source] > ys[consumer]
    for layer in set(ys.values()):
        xs = sorted(x for i, (x, y) in graph.positions.items() if y == layer)
        assert all(b - a >= 1.0 for a, b in itertools.pairwise(xs))
    assert graph.forward_order()[-1] == graph.root == graph.backward_order()[0]
    assert layered_layout(graph).positions == graph.positions


def test_summary_keeps_shape_and_first_entries():
    summary = Summary.of(np.arange(10.0).reshape(5, 2))
    assert summary.shape == (5, 2) and summary.size == 10 and summary.entries == (0, 1, 2, 3)
    assert Summary.of(3.5).scalar == 3.5 and summary.scalar is None
    assert all(type(v) is float for v in summary.entries)


def test_every_phase_gives_a_graph_for_every_method():
    for method in ("numpy-manual", "torch-autograd", "torch-optim"):
        graphs = _phases(_session(method), len(PHASES))
        assert [g.phase for g in graphs] == list(PHASES)


def test_the_fourth_method_shows_its_hand_written_backward():
    session = _session("torch-function")
    graph = _phases(session, 2)[-1]
    loss = session.method.autograd_parts().loss
    assert graph.names == _traverse(loss.grad_fn)
    (custom,) = [n for n in graph.nodes if n.backward_code]
    assert custom.name == "PolynomialBackward" and custom.value is not None
    assert custom.backward_code.startswith("def backward(")
    assert "ctx.saved_tensors" in custom.backward_code
    assert all(not n.backward_code for n in graph.nodes if n is not custom)


def _network(method: str) -> TrainingSession:
    changes = {"model.kind": "mlp", "model.layers": 2, "model.hidden": 3, "model.dtype": "float64"}
    return _session(method, **changes)


@pytest.mark.parametrize("method", ["torch-autograd", "torch-optim"])
def test_a_networks_torch_graph_names_its_layers(method):
    session = _network(method)
    graph = _phases(session, 2)[-1]  # forward, loss
    assert graph.names == _traverse(session.method.autograd_parts().loss.grad_fn)
    leaves = {n.leaf: n for n in graph.nodes if n.is_leaf}
    assert sorted(leaves) == ["W1", "W2", "W3", "b1", "b2", "b3"]
    assert leaves["W2"].value.shape == (3, 3) and leaves["W2"].coefficients == ()
    tanh = [n.layer for n in graph.nodes if n.name == "TanhBackward0"]
    assert sorted(tanh) == [("tanh", 1), ("tanh", 2)]
    linear = {n.layer[1] for n in graph.nodes if n.layer and n.layer[0] == "linear"}
    assert linear == {1, 2, 3}
    assert graph.node(graph.root).layer is None  # the loss belongs to no layer


def test_a_networks_hand_written_graph_has_torchs_gradients():
    by_hand, autograd = _network("numpy-manual"), _network("torch-autograd")
    for session in (by_hand, autograd):
        session.advance(2)
    hand, torch_graph = latest_graph(by_hand), latest_graph(autograd)
    assert hand.by_hand and hand.names[:6] == ["loss", "y_pred", "a2", "z2", "a1", "z1"]
    assert [n.layer for n in hand.nodes[1:6]] == [
        ("linear", 3), ("tanh", 2), ("linear", 2), ("tanh", 1), ("linear", 1)
    ]  # fmt: skip
    torch_leaves = {n.leaf: n for n in torch_graph.nodes if n.is_leaf}
    for node in hand.nodes:
        if node.is_leaf:
            expected = torch_leaves[node.leaf]
            assert node.value.shape == expected.value.shape
            np.testing.assert_allclose(node.grad.entries, expected.grad.entries, rtol=1e-9)
