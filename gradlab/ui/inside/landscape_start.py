"""A click on the loss landscape: where training starts from, or goes on from.

Before a run the click writes the two coefficients into the panel's start values (the others
keep theirs); during a run it moves the running session's two parameters (in the worker, through
``controller.submit``) and training goes on from there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from PySide6.QtCore import QObject, SignalInstance

from gradlab.core.config import ConfigError
from gradlab.core.methods.base import initial_coefficients
from gradlab.ui.error_text import error_text

if TYPE_CHECKING:
    from gradlab.ui.inside.landscape_grid import PathRecorder
    from gradlab.ui.inside.landscape_view import LandscapeView
    from gradlab.ui.inside.phase_view import PhaseView
    from gradlab.ui.main_window import MainWindow


class _HasCoefficientsSet(Protocol):
    coefficients_set: SignalInstance  # (coefficients, step count), queued from the worker


class LandscapeStart(QObject):
    """Turns the landscape's ``start_point_chosen`` into a new start (see the module)."""

    def __init__(
        self,
        window: MainWindow,
        landscape: LandscapeView,
        path: PathRecorder,
        phase_view: PhaseView,
        relay: _HasCoefficientsSet,
    ) -> None:
        super().__init__(window)
        self.window, self.landscape, self.path = window, landscape, path
        self.phase_view, self.relay = phase_view, relay
        landscape.start_point_chosen.connect(self.set_start)
        relay.coefficients_set.connect(self._on_coefficients_set)

    def set_start(self, i: int, j: int, a: float, b: float) -> None:
        """Start from (a, b) for coefficients i and j."""
        if self.window.controller.has_session:
            self._move_running(i, j, a, b)
        else:
            self._set_panel_start(i, j, a, b)

    def _set_panel_start(self, i: int, j: int, a: float, b: float) -> None:
        w = self.window
        config = w.model.panel_config
        if config is None:
            return
        if config.model.kind == "mlp":  # hundreds of start values in a field help no one
            w.statusBar().showMessage(
                self.tr(
                    "For a network, start or step the run first: a click then moves the "
                    "two parameters of the running network."
                ),
                8000,
            )
            return
        # the others keep their start to 6 digits: a short field, the same landscape
        start = np.array([float(f"{v:.6g}") for v in initial_coefficients(config)])
        start[i], start[j] = a, b
        try:
            changed = config.with_changes(
                **{"model.init": "values", "model.init_values": tuple(map(float, start))}
            )
        except ConfigError as error:
            w.statusBar().showMessage(error_text(error), 5000)
            return
        w.panel.set_config(changed)
        self.path.clear(start)
        self.landscape.set_path(self.path.points, self.path.latest)

    def _move_running(self, i: int, j: int, a: float, b: float) -> None:
        current = self.path.latest
        if current is None:
            return
        values = current.copy()
        values[i], values[j] = a, b
        relay = self.relay

        def set_coefficients(session: Any) -> None:
            session.set_coefficients(values)
            relay.coefficients_set.emit(values.copy(), int(session.step_count))

        self.window.controller.submit(set_coefficients)

    def _on_coefficients_set(self, values: np.ndarray, step: int) -> None:
        self.path.jump(values, step)
        self.landscape.set_path(self.path.points, self.path.latest)
        self.window.model.coefficients_set(values)  # the fit plot shows the new start
        self.phase_view.show_idle(
            lambda: self.tr("New starting point set: training goes on from there.")
        )
