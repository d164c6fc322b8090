"""A network chosen in the panel trains in the window without an error anywhere."""

from __future__ import annotations

import sys
import traceback

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QToolButton

from gradlab.app import create_window
from gradlab.core.config import Config

WAIT_MS = 60_000  # generous: the machine is shared


@pytest.fixture
def window(qtbot):
    win = create_window()
    qtbot.addWidget(win)
    win.dialogs.confirm = lambda text: True
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


@pytest.fixture
def errors():
    caught: list[str] = []
    previous = sys.excepthook
    sys.excepthook = lambda *info: caught.append("".join(traceback.format_exception(*info)))
    yield caught
    sys.excepthook = previous


def test_the_panel_shows_network_fields_only_for_a_network(qtbot, window) -> None:
    panel = window.panel
    assert not panel.fields["model.hidden"].shown().isVisible()
    assert panel.fields["model.degree"].shown().isVisible()
    panel.set_config(Config().with_changes(**{"model.kind": "mlp"}))
    qtbot.waitUntil(lambda: panel.fields["model.hidden"].shown().isVisible(), timeout=WAIT_MS)
    assert not panel.fields["model.degree"].shown().isVisible()
    assert panel.config().model.kind == "mlp"


def test_a_network_run_goes_to_the_end(qtbot, window, errors) -> None:
    config = Config().with_changes(
        **{
            "model.kind": "mlp",
            "model.hidden": 3,
            "training.lr": 1e-3,
            "training.reduction": "mean",
            "training.steps": 3000,
        }
    )
    window.panel.set_config(config)
    start = window.findChild(QToolButton, "startButton")
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.run_state == "finished" or bool(errors), timeout=WAIT_MS)
    equation = window.findChild(QLabel, "equationLabel")
    qtbot.waitUntil(lambda: equation.text().startswith("y = W2·tanh(W1·x + b1)"), timeout=WAIT_MS)
    assert not errors, errors[0]


def test_the_fit_plot_shows_each_hidden_units_part(qtbot, window, errors) -> None:
    import numpy as np

    from gradlab.core.network import layer_views

    config = Config().with_changes(
        **{
            "model.kind": "mlp",
            "model.hidden": 4,
            "training.lr": 1e-3,
            "training.reduction": "mean",
            "training.steps": 200,
        }
    )
    window.panel.set_config(config)
    start = window.findChild(QToolButton, "startButton")
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.run_state == "finished" or bool(errors), timeout=WAIT_MS)
    fit = window.plots.fit
    qtbot.waitUntil(lambda: sum(c.isVisible() for c in fit.unit_curves) == 4, timeout=WAIT_MS)
    assert not errors, errors[0]
    theta = window.model.current_coefficients()
    bias = layer_views(config.model, theta)[-1][1][0]
    grid = window.model.problem.grid
    expected = window.model.problem.prediction(theta)

    def parts_add_up_to_the_fit() -> None:  # the curves were visible mid-run: the last redraw
        parts = np.array([c.getData()[1] for c in fit.unit_curves[:4]])
        np.testing.assert_allclose(parts.sum(axis=0) + bias, expected, rtol=1e-9, atol=1e-12)

    qtbot.waitUntil(parts_add_up_to_the_fit, timeout=WAIT_MS)
    assert fit.unit_curves[0].getData()[0].size == grid.size
    coefficients = window.plots.coefficients
    assert coefficients.count == 4  # ‖W1‖, ‖b1‖, ‖W2‖, ‖b2‖: 13 parameters in four tensors
    window.plots.parameter_choice.setCurrentIndex(1)  # or the first entries of W1, by name
    names = [label.text for _sample, label in coefficients.legend.items]
    assert names == ["W1[0,0]", "W1[1,0]", "W1[2,0]", "W1[3,0]"]


def test_a_network_shows_no_polynomial_limits_or_optimum(qtbot, window) -> None:
    """The polynomial's 2/λmax note, optimum and best fit have no meaning for a network: none
    of them stays on screen after switching to one (the loss plot's note was redrawn)."""
    stability = window.inside.stability
    note = stability.plot_text
    qtbot.waitUntil(lambda: "stable below" in note.textItem.toPlainText(), timeout=WAIT_MS)
    window.panel.set_config(Config().with_changes(**{"model.kind": "mlp", "training.lr": 0.1}))
    qtbot.waitUntil(lambda: window.model.problem.analysis is None, timeout=WAIT_MS)
    stability._place_text()  # a resize or a new range places the note again
    assert note.textItem.toPlainText() == ""
    assert stability.lr_label.text() == ""
    legends = [
        label.text for plot in (window.plots.fit, window.plots.loss)
        for _sample, label in plot.legend.items
    ]  # fmt: skip
    assert "best possible fit" not in legends and "optimum" not in legends
    window.panel.set_config(Config())  # the polynomial again: both come back
    qtbot.waitUntil(lambda: window.model.problem.analysis is not None, timeout=WAIT_MS)
    legends = [label.text for _sample, label in window.plots.fit.legend.items]
    assert "best possible fit" in legends


def test_the_parameter_plot_is_titled_for_what_it_shows(qtbot, window) -> None:
    title = window.plots.coefficients.getPlotItem().titleLabel
    assert title.text == "Coefficients"
    network = {"model.kind": "mlp", "model.hidden": 3, "training.steps": 50}
    window.panel.set_config(Config().with_changes(**network))
    window.controls.start_action.trigger()
    wanted = "Parameters: norm of each tensor"
    qtbot.waitUntil(lambda: title.text == wanted, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.run_state == "finished", timeout=WAIT_MS)
    window.controls.reset_action.trigger()
    window.panel.set_config(Config())
    window.controls.start_action.trigger()
    qtbot.waitUntil(lambda: title.text == "Coefficients", timeout=WAIT_MS)


def test_the_custom_function_method_trains_a_network(qtbot, window, errors) -> None:
    network = {"model.kind": "mlp", "model.hidden": 3, "training.steps": 100, "training.lr": 1e-3}
    window.panel.set_config(Config().with_changes(**network))
    combo = window.panel.method_combo
    combo.setCurrentIndex(combo.findData("torch-function"))
    config = window.panel.config()
    assert config.model.kind == "mlp" and config.training.method == "torch-function"
    window.controls.start_action.trigger()
    qtbot.waitUntil(lambda: window.run_state == "finished" or bool(errors), timeout=WAIT_MS)
    assert not errors, errors[0]
    assert window.model.history.last_step == 100
