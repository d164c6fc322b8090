"""The computation graph dock: torch's own node names, and what each phase changes on screen."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from gradlab.core.config import Config
from gradlab.core.features import feature_matrix
from gradlab.core.methods.base import initial_coefficients
from gradlab.model.run_state import RunState
from gradlab.ui.palette import colour

WAIT_MS = 30_000  # the first torch phase imports torch in the worker thread


# A node per 20 ms instead of the classroom's 260 ms: the same unfolding, in order, without
# idling a test worker for seconds on every phase the tests step through
TEST_TICK_MS = 20


@pytest.fixture
def window(app_window):
    app_window.inside.graph.view.timer.setInterval(TEST_TICK_MS)
    return app_window  # tests/ui/conftest.py


def show_graph_dock(qtbot, window):
    panel = window.inside.graph
    panel.dock.raise_()
    qtbot.waitUntil(lambda: panel.on_screen, timeout=WAIT_MS)
    return panel


def step(qtbot, window, phase: str):
    """Step one phase; wait for its graph to arrive and for its animation to end."""
    panel = window.inside.graph
    with qtbot.waitSignal(panel.relay.graph_ready, timeout=WAIT_MS) as blocker:
        window.inside.step_phase_action.trigger()
    graph = blocker.args[0]
    assert graph.phase == phase
    qtbot.waitUntil(lambda: panel.view.graph is graph and not panel.view.animating, timeout=WAIT_MS)
    return graph


def traverse(loss: torch.Tensor) -> list[str]:
    """torch's node names reachable from ``loss.grad_fn``, each node once (depth first)."""
    names, seen = [], set()

    def visit(node) -> None:
        if node is None or node in seen:
            return
        seen.add(node)
        names.append(type(node).__name__)
        for child, _ in node.next_functions:
            visit(child)

    visit(loss.grad_fn)
    return names


def listing_2_loss(config: Config) -> torch.Tensor:
    """Listing 2 written out here: y_pred = features @ theta, loss = Σ (y_pred − y)²."""
    from gradlab.core.data import make_dataset

    data = make_dataset(config)
    features = torch.from_numpy(feature_matrix(data.x, config.model.degree, "power", -1.0, 1.0))
    theta = torch.tensor(initial_coefficients(config), requires_grad=True)
    y_pred = features @ theta
    return torch.square(y_pred - torch.tensor(data.y)).sum()


def listing_3_loss(config: Config) -> torch.Tensor:
    """Listing 3 written out here: nn.Sequential(Linear, Flatten), MSELoss(reduction="sum")."""
    from gradlab.core.data import make_dataset

    data = make_dataset(config)
    inputs = torch.from_numpy(
        feature_matrix(data.x, config.model.degree, "power", -1.0, 1.0)[:, 1:]
    )
    model = nn.Sequential(nn.Linear(3, 1, dtype=torch.float64), nn.Flatten(0, 1))
    return nn.MSELoss(reduction="sum")(model(inputs), torch.tensor(data.y))


@pytest.mark.parametrize(
    ("method", "reference"),
    [("torch-autograd", listing_2_loss), ("torch-optim", listing_3_loss)],
)
def test_node_names_are_those_torch_reports(qtbot, window, method, reference):
    config = Config().with_changes(**{"training.method": method, "model.dtype": "float64"})
    window.panel.set_config(config)
    panel = show_graph_dock(qtbot, window)
    step(qtbot, window, "forward")
    step(qtbot, window, "loss")
    expected = traverse(reference(config))
    assert sorted(panel.view.node_names()) == sorted(expected)
    assert panel.view.graph.nodes[panel.view.graph.root].name == expected[0]


def test_each_phase_changes_what_the_graph_shows(qtbot, window):
    window.panel.set_config(Config().with_changes(**{"training.method": "torch-optim"}))
    panel = show_graph_dock(qtbot, window)
    view = panel.view
    assert view.node_names() == [] and "Step one phase" in view.caption.text()

    forward = step(qtbot, window, "forward")
    assert view.caption.text().startswith("Step 1:")  # the step in progress, named
    assert "MseLossBackward0" not in view.node_names()
    assert sorted(view.node_names()) == sorted(forward.names)
    assert view.repr_label.text() == ""  # no loss, no root yet

    loss = step(qtbot, window, "loss")
    root = view.items[loss.root]
    assert root.isVisible() and root.node.name == "MseLossBackward0"
    assert root.pen().color().name() == colour("graph_root_border")
    assert "grad_fn=&lt;MseLossBackward0&gt;" in view.repr_label.text()
    assert view.reached_names() == []  # no gradient before backward()

    with qtbot.waitSignal(panel.relay.graph_ready, timeout=WAIT_MS):
        window.inside.step_phase_action.trigger()
    assert view.animating and len(view.reached_names()) < len(loss.nodes)  # flowing down
    qtbot.waitUntil(lambda: not view.animating, timeout=WAIT_MS)
    assert view.reached_names() == [view.items[i].node.name for i in view.graph.backward_order()]
    assert view.reached_names()[0] == "MseLossBackward0"
    leaves = [item for item in view.items.values() if item.node.is_leaf]
    bias = next(item for item in leaves if item.node.leaf == "bias")
    gradient = bias.node.grad.entries[0]
    assert f".grad = [1] {gradient:.4g}" in bias.text.toPlainText()

    step(qtbot, window, "update")
    bias = next(item for item in view.items.values() if item.node.leaf == "bias")
    after = bias.node.after.entries[0]
    assert f"→ [1] {after:.4g}" in bias.text.toPlainText()

    step(qtbot, window, "zero_grad")
    for item in view.items.values():
        if item.node.is_leaf:
            assert ".grad = None" in item.text.toPlainText()

    view.select_node(bias.node.id)
    details = view.details.toPlainText()
    assert "leaf: the parameter bias = a" in details and ".grad = None" in details


def test_numpy_manual_shows_the_chain_rule_by_hand(qtbot, window):
    window.panel.set_config(Config().with_changes(**{"training.method": "numpy-manual"}))
    panel = show_graph_dock(qtbot, window)
    view = panel.view
    for phase in ("forward", "loss", "backward"):
        graph = step(qtbot, window, phase)
    assert view.node_names() == ["loss", "y_pred", "a", "b", "c", "d"]
    assert "chain rule of listing 1" in view.caption.text()
    y_pred = next(i for i in graph.nodes if i.name == "y_pred")
    view.select_node(y_pred.id)
    assert "grad_y_pred = 2 (ŷ − y)" in view.details.toPlainText()
    assert np.isfinite(y_pred.grad.entries).all()


def test_the_custom_function_is_one_box_with_its_backward(qtbot, window):
    window.panel.set_config(Config().with_changes(**{"training.method": "torch-function"}))
    panel = show_graph_dock(qtbot, window)
    step(qtbot, window, "forward")
    graph = step(qtbot, window, "loss")
    (custom,) = [n for n in graph.nodes if n.name.endswith("Backward") and n.backward_code]
    assert custom.name == "PolynomialBackward"  # the class name + "Backward", as torch names it
    item = panel.view.items[custom.id]
    assert "custom Function: backward by hand" in item.text.toPlainText()
    panel.view.select_node(custom.id)
    assert "ctx.saved_tensors" in panel.view.details.toPlainText()


def test_a_hidden_dock_costs_nothing_while_running_and_catches_up_when_shown(
    qtbot, window, monkeypatch
):
    panel = window.inside.graph
    asked: list[float] = []
    original = panel._ask_latest
    monkeypatch.setattr(panel, "_ask_latest", lambda: (asked.append(1), original())[1])
    window.inside.inside_dock.raise_()
    qtbot.waitUntil(lambda: not panel.on_screen, timeout=WAIT_MS)
    config = Config().with_changes(**{"training.method": "torch-autograd", "training.steps": 3000})
    window.panel.set_config(config)
    window.controller.start()
    qtbot.waitUntil(lambda: window.model.step_count > 0, timeout=WAIT_MS)
    window.controller.pause()
    qtbot.waitUntil(lambda: window.model.state is RunState.PAUSED, timeout=WAIT_MS)
    assert asked == [] and panel.view.graph is None  # hidden: nothing asked, nothing drawn
    show_graph_dock(qtbot, window)
    qtbot.waitUntil(lambda: panel.view.graph is not None, timeout=WAIT_MS)
    graph = panel.view.graph
    assert graph.phase is None and graph.names[0] == "SumBackward0"
    assert sorted(panel.view.node_names()) == sorted(graph.names)
    assert "grad_fn=&lt;SumBackward0&gt;" in panel.view.repr_label.text()


def test_while_running_the_shown_dock_follows_the_latest_step(qtbot, window):
    panel = show_graph_dock(qtbot, window)
    config = Config().with_changes(
        **{"training.method": "torch-autograd", "training.steps": 200_000}
    )
    window.panel.set_config(config)
    window.controller.start()
    qtbot.waitUntil(
        lambda: panel.view.graph is not None and window.model.state is RunState.RUNNING,
        timeout=WAIT_MS,
    )
    first = panel.view.graph
    assert first.phase is None and first.names[0] == "SumBackward0"
    assert not panel.view.animating  # a running graph is drawn at once, not replayed
    qtbot.waitUntil(lambda: panel.view.graph.step > first.step, timeout=WAIT_MS)
    window.controller.stop()
    qtbot.waitUntil(lambda: window.model.state is RunState.STOPPED, timeout=WAIT_MS)


def test_the_graph_follows_a_language_switch(qtbot, window, classroom_sandbox):
    from gradlab.ui import i18n

    window.panel.set_config(Config().with_changes(**{"training.method": "torch-autograd"}))
    panel = show_graph_dock(qtbot, window)
    step(qtbot, window, "forward")
    loss = step(qtbot, window, "loss")
    root = panel.view.items[loss.root]
    assert "value" in root.text.toPlainText()
    i18n.language_manager().set_language("zh", remember=False)
    box = lambda: panel.view.items[loss.root].text.toPlainText()  # noqa: E731
    qtbot.waitUntil(lambda: "值 " in box(), timeout=WAIT_MS)  # redrawn, not replayed
    assert "SumBackward0" in box() and "根节点" in panel.view.caption.text()
    assert panel.dock.windowTitle() == "计算图"
    assert "根节点" in panel.view.details.toPlainText()


@pytest.mark.parametrize("method", ["torch-optim", "torch-autograd", "numpy-manual"])
def test_a_networks_graph_shows_its_layers(qtbot, window, method, monkeypatch):
    # the graph alone: the phase table's network wording is another view's (and test's) job
    monkeypatch.setattr(window.inside.phase_view, "show_record", lambda *_args: None)
    config = Config().with_changes(
        **{
            "training.method": method,
            "model.kind": "mlp",
            "model.layers": 2,
            "model.hidden": 3,
            "model.activation": "tanh",
        }
    )
    window.panel.set_config(config)
    panel = show_graph_dock(qtbot, window)
    step(qtbot, window, "forward")
    graph = step(qtbot, window, "loss")
    view = panel.view
    texts = {i: item.text.toPlainText() for i, item in view.items.items()}
    leaves = sorted(n.leaf for n in graph.nodes if n.is_leaf)
    assert leaves == ["W1", "W2", "W3", "b1", "b2", "b3"]
    for layer in (1, 2):  # each hidden layer: its linear part and its tanh, named on the box
        assert any(f"layer {layer}: tanh" in text for text in texts.values())
        assert any(f"layer {layer}: linear (W{layer}, b{layer})" in text for text in texts.values())
    assert any("layer 3: linear (W3, b3)" in text for text in texts.values())  # the output
    if method != "numpy-manual":  # torch's own nodes: a Linear and a tanh per hidden layer
        assert view.node_names().count("TanhBackward0") == 2
        w1 = next(n for n in graph.nodes if n.leaf == "W1")
        assert w1.value.shape == (3, 1) and "W1 · layer 1" in texts[w1.id]
    else:
        assert {"z1", "a1", "z2", "a2", "y_pred"} <= set(view.node_names())


def test_the_boxes_stay_legible_in_the_dark_and_high_contrast_themes(qtbot, window):
    from gradlab.ui import themes
    from gradlab.ui.palette import DARK, HIGH_CONTRAST, LIGHT, SYSTEM, luminance

    def contrast(a: str, b: str) -> float:
        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    window.panel.set_config(Config().with_changes(**{"training.method": "torch-optim"}))
    panel = show_graph_dock(qtbot, window)
    step(qtbot, window, "forward")
    loss = step(qtbot, window, "loss")
    manager = themes.theme_manager()
    try:
        for name in (DARK, HIGH_CONTRAST):
            manager.set_choice(name, remember=False)  # the boxes on screen are redrawn
            background = colour("base")
            for item in panel.view.items.values():
                fill = item.brush().color().name()
                ink = item.text.defaultTextColor().name()
                assert contrast(ink, fill) >= 4.5, (name, item.node.name, ink, fill)
                assert contrast(item.pen().color().name(), background) >= 3.0, name
            root = panel.view.items[loss.root]
            assert root.pen().color().name() == colour("graph_root_border")
            assert f"background: {colour('graph_root')}" in panel.view.repr_label.text()
    finally:
        manager.set_choice(LIGHT, remember=False)
        manager.choice = SYSTEM
