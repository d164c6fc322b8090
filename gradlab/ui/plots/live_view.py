"""LiveView: draws the lab model's run into the plots and read-outs, at most ~30 times a second.

It subscribes to the model's events and only marks itself dirty (the rows are already in the
model's PlotBuffer); a GUI timer (33 ms, 36 ms while a run trains: model/frame_rate.py) redraws
when something new arrived (``redraw_count`` counts the redraws actually done). So the GUI
thread never waits for training, and training never waits for drawing.
"""

from __future__ import annotations

import time
from collections import deque

import numpy as np
from PySide6.QtCore import QObject, QTimer

from gradlab.core.config import Config
from gradlab.core.features import format_polynomial, to_power_coefficients
from gradlab.core.history import HistoryBatch
from gradlab.core.network import network_formula, unit_contributions
from gradlab.model.frame_rate import readouts_due, redraw_interval_ms
from gradlab.model.lab import LabModel
from gradlab.model.plot_buffer import PlotBuffer
from gradlab.model.problem import Problem
from gradlab.model.run_state import RunState
from gradlab.ui.plots.gradient import listing_gradient_floor, runs_exact_fast_path
from gradlab.ui.plots.grid import PlotGrid
from gradlab.ui.readouts import ReadoutBar

RATE_WINDOW_S = 1.0  # steps per second over the last second


class LiveView(QObject):
    """Draws one LabModel: the problem, the run's history, step, timing."""

    def __init__(
        self,
        model: LabModel,
        plots: PlotGrid,
        readouts: ReadoutBar,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.plots = plots
        self.readouts = readouts
        self.redraw_count = 0
        self.running = False
        self._elapsed = 0.0
        self._running_since: float | None = None
        self._rate_samples: deque[tuple[float, int]] = deque()
        self._redraw_times: deque[float] = deque()  # the last second's, while running
        self._dirty = False
        self.timer = QTimer(self)
        self.timer.setInterval(redraw_interval_ms(False))
        self.timer.timeout.connect(self.redraw)
        self.timer.start()
        e = model.events
        e.problem_changed.connect(self._on_problem)
        e.run_started.connect(self._on_run_started)
        e.run_cleared.connect(lambda _none: self._clear_run(None))
        e.rows_appended.connect(self._on_rows)
        e.state_changed.connect(self._on_state)
        e.session_ready.connect(lambda _start: self.mark_dirty())
        e.coefficients_set.connect(lambda _values: self.mark_dirty())
        e.run_config_changed.connect(lambda _config: self.mark_dirty())
        # the config on screen changed: the loss plot's reduction wording follows
        e.panel_config_changed.connect(lambda _config: self._show_reduction())
        e.panel_config_changed.connect(lambda _config: self._show_model())
        e.panel_config_changed.connect(self._on_panel_config)
        e.run_config_changed.connect(lambda _config: self._show_reduction())
        plots.units_shown.connect(self.mark_dirty)  # it skipped frames while hidden
        plots.parameters_chosen.connect(self.mark_dirty)

    @property
    def buffer(self) -> PlotBuffer:
        return self.model.history

    # ---- what a config fixes ----

    def _on_problem(self, problem: Problem | None) -> None:
        """Draw data, target and optimum of the problem on screen."""
        if problem is None:
            return
        config = self.model.display_config or Config()
        fit = self.plots.fit  # the data's ends are marked when the plot reaches past them
        fit.show_problem(
            problem.dataset, problem.grid, problem.target, problem.optimum_curve, problem.data_range
        )
        analysis = problem.analysis
        self._show_reduction()
        self.plots.loss.set_optimum(analysis.optimum_loss if analysis else None)
        self._show_model()
        self.plots.coefficients.set_optimum(analysis.optimum_coefficients if analysis else None)
        if self.model.run_config is None:
            self.readouts.clear(config.training.steps)
            self.show_prompt()
        self.mark_dirty()

    def _show_model(self) -> None:
        """A network's layout and parameter plot, or a polynomial's, for the config on screen
        (the panel's before a run: it changes before the problem's event reaches us)."""
        config = self.model.display_config
        if config is None:
            return  # a field being typed is invalid: the plots stay as they are
        network = config.model.kind == "mlp"
        self.plots.show_parameters(config.model if network else None)  # norms, or a tensor's
        if network:
            self.plots.units.show_problem(config.data.x_min, config.data.x_max)
            self.plots.units.set_signed(config.model.layers == 1)
        elif self.plots.coefficients.count != config.model.degree + 1:
            self.plots.coefficients.set_count(config.model.degree + 1)
        self.plots.show_units(network)

    def _on_panel_config(self, config: Config | None) -> None:
        """Before a run the read-outs describe the panel's run-to-be: "of N" steps follows the
        Steps field, and the prompt names the model that Start will train."""
        if config is None or self.model.run_config is not None:
            return
        self.readouts.clear(config.training.steps)
        self.show_prompt()

    def show_prompt(self) -> None:
        """Before a run: what to press, for the model on screen."""
        config = self.model.display_config
        if config is not None and config.model.kind == "mlp":
            self.readouts.show_equation(self.tr("Press Start (F5) to train the network."))
        else:
            self.readouts.show_equation(self.tr("Press Start (F5) to train the polynomial."))

    # ---- a run ----

    def _on_run_started(self, config: Config) -> None:
        self._clear_run(config)
        self._show_reduction()

    def _show_reduction(self) -> None:
        """The loss plot names its curves by how the losses add up (sum or mean); the gradient
        plot says whether its curve is the fast path's exact gradient."""
        config, problem = self.model.display_config, self.model.problem
        if config is not None and problem is not None:
            dataset = problem.dataset
            self.plots.loss.set_reduction(
                config.training.reduction, int(dataset.x.size), int(dataset.x_val.size)
            )
            exact = runs_exact_fast_path(config)
            floor = listing_gradient_floor(config, problem) if exact else None
            self.plots.gradient.set_floor(floor)

    def _clear_run(self, config: Config | None) -> None:
        """Forget the drawn run (Reset, or a new run with ``config``)."""
        self.plots.clear_run()
        self._elapsed = 0.0
        self._running_since = None
        self._rate_samples.clear()
        self.readouts.clear(config.training.steps if config else 0)
        if config is not None:
            self.readouts.show_equation("")  # the starting polynomial follows when ready
        else:
            self.show_prompt()
        self.mark_dirty()

    def _on_rows(self, batch: HistoryBatch) -> None:
        now = time.perf_counter()
        self._rate_samples.append((now, self.model.step_count))
        while self._rate_samples and now - self._rate_samples[0][0] > RATE_WINDOW_S:
            self._rate_samples.popleft()
        self.mark_dirty()

    def _on_state(self, state: RunState) -> None:
        self.set_running(state is RunState.RUNNING)

    def set_running(self, running: bool) -> None:
        """Count elapsed time and speed only while the run really runs."""
        now = time.perf_counter()
        if self._running_since is not None and not running:
            self._elapsed += now - self._running_since
            self._running_since = None
        elif running and self._running_since is None:
            self._running_since = now
            self._rate_samples.clear()
            self._redraw_times.clear()
        self.running = running
        self._set_interval(redraw_interval_ms(running))  # fewer redraws while training
        for plot in self.plots.plots:  # no repaint for a sub-pixel change while training
            plot.set_tolerant(running)
        self.mark_dirty()

    def mark_dirty(self) -> None:
        self._dirty = True

    # ---- drawing ----

    def redraw(self) -> None:
        """Draw what changed since the last redraw (the timer calls this every 33-36 ms)."""
        if not self._dirty:
            return
        self._dirty = False
        self.redraw_count += 1
        if self.running:
            self._pace_redraws()
        buffer = self.model.history
        self.plots.loss.draw(buffer)
        self.plots.coefficients.draw(buffer, self.model.norm_history)
        self.plots.gradient.draw(buffer)
        words = readouts_due(self.redraw_count, self.running)  # ~13 a second while training
        self._draw_current_fit(words)
        if words:
            self._draw_numbers()

    def _pace_redraws(self) -> None:
        """Back to ~30 redraws a second while fewer than ~26 came in the last second."""
        now = time.perf_counter()
        times = self._redraw_times
        times.append(now)
        while now - times[0] > RATE_WINDOW_S:
            times.popleft()
        known = now - (self._running_since or now) >= RATE_WINDOW_S
        self._set_interval(redraw_interval_ms(True, len(times) if known else None))

    def _set_interval(self, ms: int) -> None:
        if ms != self.timer.interval():  # setInterval restarts the timer: only on a change
            self.timer.setInterval(ms)

    def _draw_current_fit(self, words: bool = True) -> None:
        """The current fit (and a network's units); ``words``: its equation too."""
        m = self.model
        problem, config = m.problem, m.run_config
        coefficients = m.current_coefficients()
        if problem is None or config is None or coefficients is None:
            self.plots.fit.clear_prediction()
            self.plots.clear_units()
            return
        if coefficients.size != config.model.parameter_count:
            return
        with np.errstate(all="ignore"):  # a diverging fit may overflow: dropped, not drawn
            self.plots.fit.show_prediction(problem.grid, problem.prediction(coefficients))
        d, mc = config.data, config.model
        if mc.kind == "mlp":
            with np.errstate(all="ignore"):
                parts = unit_contributions(mc, coefficients, problem.grid)
            self.plots.fit.show_units(problem.grid, parts)
            self.plots.units.draw(mc, coefficients)
            if words:
                self.readouts.show_equation(network_formula(mc))
            return
        self.plots.fit.show_units(None, None)
        if not words:
            return
        with np.errstate(all="ignore"):  # huge coefficients of a diverging run
            power = to_power_coefficients(coefficients, mc.basis, d.x_min, d.x_max)
        self.readouts.show_equation(format_polynomial(power))

    def _draw_numbers(self) -> None:
        m = self.model
        if m.run_config is None:
            return
        self.readouts.show_step(m.step_count, m.total_steps)
        loss = m.history.last_loss
        analysis = m.problem.analysis if m.problem is not None else None
        gap = distance = None
        coefficients = m.history.last_coefficients
        if analysis is not None:
            if loss is not None:
                gap = loss - analysis.optimum_loss
            optimum = analysis.optimum_coefficients
            if coefficients is not None and coefficients.size == optimum.size:
                with np.errstate(over="ignore"):  # a diverging run: inf is the honest answer
                    distance = float(np.linalg.norm(coefficients - optimum))
        self.readouts.show_loss(loss, gap, distance)
        elapsed = self._elapsed
        if self._running_since is not None:
            elapsed += time.perf_counter() - self._running_since
        rate = None
        if self.running and len(self._rate_samples) >= 2:
            (t0, s0), (t1, s1) = self._rate_samples[0], self._rate_samples[-1]
            rate = (s1 - s0) / (t1 - t0) if t1 > t0 else None
        self.readouts.show_speed(rate, elapsed)
