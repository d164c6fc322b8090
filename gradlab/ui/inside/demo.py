"""Screenshot set-ups, chosen with GRADLAB_DEMO (read by install_inside_training):

- ``phases``: the chapter's run, stepped phase by phase to the backward pass of step 3;
- ``landscape``: the chapter's run for 20,000 steps, its path on the loss over b and d;
- ``compare``: the four optimizers from the same start, their losses and paths side by side;
- ``loss``: the loss explorer on the chapter's listing 4;
- ``precision``: the chapter's listing 2 in float32 against float64, 2000 steps;
- ``network-phases`` / ``network-landscape``: a network of 16 tanh units stepped to the backward
  pass of step 2 / trained with Adam, its path on the loss over W1[0,0] and W2[0,0];
- ``network-update``: the same network with Adam (torch-optim) stepped to the update of step
  2: the optimizer state table, a block per tensor;
- ``extrapolation``: lesson 18, the network trained on -π..π and drawn from -2π to 2π;
- ``graph``: the chapter's listing 3 (torch-optim) stepped to the backward pass of step 2, the
  computation graph dock in front;
- ``network``: lesson 14's network with 6 tanh units (Adam, lr 0.01) training, the units plot
  under the fit (GRADLAB_SPEED slows it down, to catch it mid-training).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer

from gradlab.core.config import Config
from gradlab.resources import resource_path

START_DELAY_MS = 400  # after the window is shown and laid out


def schedule_demo(inside: Any, name: str) -> None:
    """Run the set-up called ``name`` once the event loop is running (unknown names: nothing)."""
    setups = {
        "phases": _phases,
        "landscape": _landscape,
        "compare": _compare,
        "loss": _loss,
        "precision": _precision,
        "graph": _graph,
        "network": _network,
        "network-phases": _network_phases,
        "network-update": _network_update,
        "network-landscape": _network_landscape,
        "extrapolation": _extrapolation,
    }
    setup = setups.get(name)
    if setup is not None:
        QTimer.singleShot(START_DELAY_MS, lambda: setup(inside))


def _phases(inside: Any) -> None:
    window = inside.window
    window.panel.set_config(Config())
    window.resizeDocks([inside.inside_dock], [540], Qt.Orientation.Horizontal)
    for _ in range(2 * 5 + 3):  # two whole steps phase by phase, then forward, loss, backward
        inside.step_phase()


def _graph(inside: Any) -> None:
    window = inside.window
    changes = {"training.method": "torch-optim", "training.lr": 1e-4, "model.dtype": "float32"}
    config = Config().with_changes(**changes)  # float32: the loss prints as in the chapter
    window.panel.set_config(config)
    inside.graph.dock.raise_()
    window.resizeDocks([inside.graph.dock], [560], Qt.Orientation.Horizontal)
    for _ in range(5 + 3):  # one whole step phase by phase, then forward, loss, backward
        inside.step_phase()


def _network(inside: Any) -> None:
    window = inside.window
    changes = {
        "model.kind": "mlp",
        "model.hidden": 6,
        "model.activation": "tanh",
        "training.method": "torch-optim",
        "training.reduction": "mean",
        "training.lr": 1e-2,
        "training.steps": 3000,
        "optimizer.name": "adam",
    }
    window.panel.set_config(Config().with_changes(**changes))
    window.controller.start()


def _network_config(**changes: Any) -> Config:
    return Config().with_changes(
        **{"model.kind": "mlp", "training.reduction": "mean", "training.lr": 1e-2, **changes}
    )


def _network_phases(inside: Any) -> None:
    window = inside.window
    window.panel.set_config(_network_config())
    window.resizeDocks([inside.inside_dock], [560], Qt.Orientation.Horizontal)
    for _ in range(5 + 3):  # one whole step phase by phase, then forward, loss, backward
        inside.step_phase()


def _network_update(inside: Any) -> None:
    window = inside.window
    changes = {"training.method": "torch-optim", "optimizer.name": "adam"}
    window.panel.set_config(_network_config(**changes))
    window.resizeDocks([inside.inside_dock], [560], Qt.Orientation.Horizontal)
    for _ in range(5 + 4):  # one whole step phase by phase, then up to the update
        inside.step_phase()


def _network_landscape(inside: Any) -> None:
    window = inside.window
    changes = {"training.method": "torch-optim", "optimizer.name": "adam", "training.steps": 3000}
    window.panel.set_config(_network_config(**changes))
    inside.landscape_dock.raise_()
    window.resizeDocks([inside.landscape_dock], [560], Qt.Orientation.Horizontal)
    window.controller.start()


def _extrapolation(inside: Any) -> None:
    window = inside.window
    window.classroom.lessons.open_lesson(
        resource_path("lessons") / "18-network-extrapolates-badly.json"
    )
    window.controller.start()


def _landscape(inside: Any) -> None:
    window = inside.window
    window.panel.set_config(Config().with_changes(**{"training.steps": 20_000}))
    inside.landscape_dock.raise_()
    window.resizeDocks([inside.landscape_dock], [520], Qt.Orientation.Horizontal)
    window.controller.start()


def _compare(inside: Any) -> None:
    window = inside.window
    config = Config().with_changes(
        **{"training.method": "torch-optim", "training.reduction": "mean", "training.lr": 1e-3}
    )
    window.panel.set_config(config)
    # the compare dock above the landscape, both out of the tabs: they show the same four runs
    right = Qt.DockWidgetArea.RightDockWidgetArea
    for dock in (inside.inside_dock, inside.runs_dock, inside.graph.dock):
        dock.hide()
    for dock in (inside.compare_dock, inside.landscape_dock):
        window.removeDockWidget(dock)
    window.addDockWidget(right, inside.compare_dock)
    window.splitDockWidget(inside.compare_dock, inside.landscape_dock, Qt.Orientation.Vertical)
    for dock in (inside.compare_dock, inside.landscape_dock):
        dock.show()
    window.resizeDocks([inside.compare_dock], [540], Qt.Orientation.Horizontal)
    docks = [inside.compare_dock, inside.landscape_dock]
    window.resizeDocks(docks, [330, 470], Qt.Orientation.Vertical)
    inside.compare_view.steps_spin.setValue(2000)
    inside.compare_optimizers()


def _loss(inside: Any) -> None:
    window = inside.window
    inside.loss_dock.show()
    inside.loss_dock.raise_()
    window.resizeDocks([inside.loss_dock], [700], Qt.Orientation.Horizontal)


def _precision(inside: Any) -> None:
    window = inside.window
    window.panel.set_config(Config())
    inside.compare_view.steps_spin.setValue(2000)
    window.resizeDocks([inside.compare_dock], [560], Qt.Orientation.Horizontal)
    inside.precision_check()
