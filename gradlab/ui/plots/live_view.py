"""LiveView: turns worker batches into plots and read-outs, at most ~30 times a second.

``add_batch`` only stores rows in the PlotBuffer and marks the view dirty; a 33 ms GUI timer
redraws when something new arrived (``redraw_count`` counts the redraws actually done). So the
GUI thread never waits for training, and training never waits for drawing.
"""

from __future__ import annotations

import time
from collections import deque

import numpy as np
from PySide6.QtCore import QObject, QTimer

from gradlab.core.config import Config
from gradlab.core.features import format_polynomial, to_power_coefficients
from gradlab.ui.plot_buffer import PlotBuffer
from gradlab.ui.plots.grid import PlotGrid
from gradlab.ui.plots.problem import Problem, ProblemCache
from gradlab.ui.readouts import ReadoutBar

REDRAW_MS = 33  # ~30 redraws a second at most, whatever the data rate
RATE_WINDOW_S = 1.0  # steps per second over the last second


class LiveView(QObject):
    """The drawn state of one run: buffer, reference curves, step, timing."""

    def __init__(self, plots: PlotGrid, readouts: ReadoutBar, parent: QObject | None = None):
        super().__init__(parent)
        self.plots = plots
        self.readouts = readouts
        self.problems = ProblemCache()
        self.problem: Problem | None = None
        self.config: Config | None = None  # the run's config (None: nothing run yet)
        self.buffer = PlotBuffer(Config().model.degree + 1)
        self.redraw_count = 0
        self.initial_coefficients: np.ndarray | None = None
        self.step_count = 0
        self.total_steps = 0
        self.diverged_at: int | None = None
        self.running = False
        self._elapsed = 0.0
        self._running_since: float | None = None
        self._rate_samples: deque[tuple[float, int]] = deque()
        self._dirty = False
        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self.redraw)
        self.timer.start()

    # ---- what a config fixes ----

    def show_problem(self, config: Config) -> Problem:
        """Draw data, target and optimum for ``config`` (ConfigError if its data is bad)."""
        problem = self.problems.get(config)
        assert problem is not None
        self.problem = problem
        self.plots.fit.show_problem(
            problem.dataset, problem.grid, problem.target, problem.optimum_curve
        )
        analysis = problem.analysis
        self.plots.loss.set_optimum(analysis.optimum_loss if analysis else None)
        self.plots.coefficients.set_count(config.model.degree + 1)
        self.plots.coefficients.set_optimum(analysis.optimum_coefficients if analysis else None)
        if self.config is None:
            self.readouts.clear(config.training.steps)
            self.readouts.show_equation(self.tr("Press Start (F5) to train the polynomial."))
        return problem

    # ---- a run ----

    def clear_run(self, config: Config | None) -> None:
        """Forget the run's rows (Reset, or a new run with ``config``)."""
        self.config = config
        degree = (config or Config()).model.degree
        self.buffer = PlotBuffer(degree + 1)
        self.plots.clear_run()
        self.initial_coefficients = None
        self.step_count = 0
        self.total_steps = config.training.steps if config else 0
        self.diverged_at = None
        self._elapsed = 0.0
        self._running_since = None
        self._rate_samples.clear()
        self.readouts.clear(self.total_steps)
        if config is not None:
            self.readouts.show_equation("")  # the starting polynomial follows when ready
        self.mark_dirty()

    def add_batch(self, batch: object) -> None:
        """Store a HistoryBatch from the worker; drawing waits for the timer."""
        self.buffer.append(batch)
        self.step_count = int(batch.step_count)
        self.diverged_at = batch.diverged_at
        now = time.perf_counter()
        self._rate_samples.append((now, self.step_count))
        while self._rate_samples and now - self._rate_samples[0][0] > RATE_WINDOW_S:
            self._rate_samples.popleft()
        self.mark_dirty()

    def set_running(self, running: bool) -> None:
        """Count elapsed time and speed only while the run really runs."""
        now = time.perf_counter()
        if self._running_since is not None and not running:
            self._elapsed += now - self._running_since
            self._running_since = None
        elif running and self._running_since is None:
            self._running_since = now
            self._rate_samples.clear()
        self.running = running
        self.mark_dirty()

    def mark_dirty(self) -> None:
        self._dirty = True

    # ---- drawing ----

    def redraw(self) -> None:
        """Draw what changed since the last redraw (the timer calls this every 33 ms)."""
        if not self._dirty:
            return
        self._dirty = False
        self.redraw_count += 1
        self.plots.loss.draw(self.buffer)
        self.plots.coefficients.draw(self.buffer)
        self.plots.gradient.draw(self.buffer)
        self._draw_current_fit()
        self._draw_numbers()

    def current_coefficients(self) -> np.ndarray | None:
        """The latest finite coefficients (the starting ones before the first step)."""
        latest = self.buffer.last_coefficients
        return latest if latest is not None else self.initial_coefficients

    def _draw_current_fit(self) -> None:
        problem, config = self.problem, self.config
        coefficients = self.current_coefficients()
        if problem is None or config is None or coefficients is None:
            self.plots.fit.clear_prediction()
            return
        if coefficients.size != problem.grid_features.shape[1]:
            return
        with np.errstate(all="ignore"):  # a diverging fit may overflow: dropped, not drawn
            self.plots.fit.show_prediction(problem.grid, problem.grid_features @ coefficients)
        d, m = config.data, config.model
        with np.errstate(all="ignore"):  # huge coefficients of a diverging run
            power = to_power_coefficients(coefficients, m.basis, d.x_min, d.x_max)
        self.readouts.show_equation(format_polynomial(power))

    def _draw_numbers(self) -> None:
        if self.config is None:
            return
        self.readouts.show_step(self.step_count, self.total_steps)
        loss = self.buffer.last_loss
        analysis = self.problem.analysis if self.problem is not None else None
        gap = distance = None
        coefficients = self.buffer.last_coefficients
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
