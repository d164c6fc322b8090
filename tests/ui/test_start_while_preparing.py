"""While a run's session is still being built (PyTorch may be loading for seconds on a lab PC),
the fit plot and the equation already show where the run starts: not an empty headline."""

from __future__ import annotations

import threading

import numpy as np
from PySide6.QtWidgets import QLabel

from gradlab.core.config import Config
from gradlab.core.features import format_polynomial, to_power_coefficients
from gradlab.core.methods import starting_parameters
from gradlab.core.network import network_formula
from gradlab.model.run_state import RunState
from gradlab.ui.lab_controller import make_session

NETWORK = {"model.kind": "mlp", "model.hidden": 4, "training.reduction": "mean"}


def start_with_a_slow_session(qtbot, window, changes: dict[str, object]) -> threading.Event:
    """Start a run whose session waits for the returned event; return once it is preparing."""
    built = threading.Event()

    def slow_session(config: Config) -> object:
        built.wait(20)  # as a first torch run waits for PyTorch's import
        return make_session(config)

    window.controller.session_factory = slow_session
    window.panel.set_config(window.panel.config().with_changes(**changes))
    window.controls.start_action.trigger()
    assert window.model.state is RunState.PREPARING
    return built


def test_the_start_polynomial_shows_before_the_session_is_built(qtbot, app_window):
    built = start_with_a_slow_session(qtbot, app_window, {"training.steps": 50})
    try:
        config = app_window.model.run_config
        d, mc = config.data, config.model
        start = starting_parameters(config)
        words = format_polynomial(to_power_coefficients(start, mc.basis, d.x_min, d.x_max))
        equation = app_window.findChild(QLabel, "equationLabel")
        qtbot.waitUntil(lambda: equation.text() == words, timeout=5000)
        problem = app_window.model.problem
        _x, y = app_window.plots.fit.prediction.getData()
        np.testing.assert_allclose(y, problem.prediction(start))
        assert app_window.model.state is RunState.PREPARING
    finally:
        built.set()
    qtbot.waitUntil(lambda: app_window.model.step_count > 0, timeout=20_000)


def test_a_networks_formula_and_start_fit_show_before_its_session_is_built(qtbot, app_window):
    built = start_with_a_slow_session(qtbot, app_window, {**NETWORK, "training.steps": 50})
    try:
        config = app_window.model.run_config
        equation = app_window.findChild(QLabel, "equationLabel")
        qtbot.waitUntil(lambda: equation.text() == network_formula(config.model), timeout=5000)
        _x, y = app_window.plots.fit.prediction.getData()
        grid = app_window.model.problem.grid
        assert y is not None and y.size == grid.size and np.isfinite(y).all()
        assert app_window.model.state is RunState.PREPARING
    finally:
        built.set()
    qtbot.waitUntil(lambda: app_window.model.step_count > 0, timeout=20_000)
