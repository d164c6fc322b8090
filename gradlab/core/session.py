"""A training run that advances step by step: what the GUI worker and the CLI drive.

``TrainingSession(config)`` builds the data, the features, the configured method and an empty
history; ``advance(n)`` runs up to n steps (the method's fast path), ``step()`` exactly one step
through the method's phases and ``step_phase()`` one phase. Stepping in any chunking gives the
same numbers as one long run. A non-finite loss or coefficient ends the run as ``"diverged"`` at
that step (``diverged_at``) with the last finite state and all history before it kept.

Validation loss (when the config holds points out) is measured every ``validation_every``
steps (a power of two, about 500 times per run) and at the last step, at the same coefficients
as that row's training loss (before the row's update); other rows hold NaN.

``pause_when(optimum_loss, tolerance)`` sets a stop condition: ``advance`` never runs past the
first step whose loss is within ``tolerance`` of ``optimum_loss``; it ends there with the status
``"paused_at_target"`` (the worker then pauses) and ``target_reached_at`` set. The condition
fires once; a rewind or restart to before that step arms it again.

A ring of snapshots (every ``snapshot_every`` steps, the last ``snapshots_kept``) lets
``rewind()`` return exactly to an earlier state, e.g. the last good one after a divergence.
Not thread-safe: call it from one thread.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import fields, replace
from typing import TYPE_CHECKING

import numpy as np

from gradlab.core.config import Config, ConfigError, OptimizerConfig
from gradlab.core.data import Dataset, make_dataset
from gradlab.core.features import feature_matrix
from gradlab.core.history import History, HistoryBatch
from gradlab.core.losses import loss_value
from gradlab.core.methods import Method, MethodSnapshot, StepBuffers, StepRecord, make_method
from gradlab.core.methods.base import gradient_norm

if TYPE_CHECKING:
    from gradlab.core.analysis import Analysis

CHUNK_ROWS = 8192  # steps per run_fast call inside advance(): bounds the scratch buffers
VALIDATIONS_PER_RUN = 500
SNAPSHOT_EVERY = 1000
SNAPSHOTS_KEPT = 32
PAUSED_AT_TARGET = "paused_at_target"  # advance() stopped at the pause_when() condition


class TrainingSession:
    """One experiment: dataset, method, history and status (see the module docstring)."""

    def __init__(
        self,
        config: Config,
        *,
        snapshot_every: int = SNAPSHOT_EVERY,
        snapshots_kept: int = SNAPSHOTS_KEPT,
    ) -> None:
        if snapshot_every < 1 or snapshots_kept < 1:
            raise ValueError("snapshot_every and snapshots_kept must be >= 1")
        self.config = config
        self.dataset: Dataset = make_dataset(config)
        self.features = self._features(self.dataset.x)
        self.val_features = self._features(self.dataset.x_val)
        self.snapshot_every = snapshot_every
        self._snapshots: deque[MethodSnapshot] = deque(maxlen=snapshots_kept)
        self._analysis: Analysis | None = None
        self.history = History(config.model.parameter_count)
        self.total_steps = config.training.steps
        self._target: tuple[float, float] | None = None  # (optimum loss, tolerance)
        self.target_reached_at: int | None = None
        self._start()

    def _start(self) -> None:
        self.method: Method = make_method(self.config, self.features, self.dataset.y)
        self._buffers = StepBuffers(CHUNK_ROWS, self.method.num_coefficients)
        self.history.clear()
        self.status = "ready"
        self.diverged_at: int | None = None
        self._drained_step = 0
        self._rewound_to: int | None = None
        self._snapshots.clear()
        self._snapshots.append(self.method.snapshot())
        self.target_reached_at = None

    # -- state ---------------------------------------------------------------------------------
    @property
    def step_count(self) -> int:
        return self.method.step_count

    @property
    def done(self) -> bool:
        return self.status in ("finished", "diverged")

    @property
    def coefficients(self) -> np.ndarray:
        return self.method.coefficients

    @property
    def analysis(self) -> Analysis:
        """The least-squares optimum, Hessian eigenvalues, stable lr (computed once)."""
        if self._analysis is None:
            from gradlab.core.analysis import analyse

            self._analysis = analyse(self.config, self.dataset)
        return self._analysis

    @property
    def validation_every(self) -> int:
        """Steps between validation losses: a power of two, ~500 measurements per run."""
        return 1 << max(0, (self.total_steps // VALIDATIONS_PER_RUN).bit_length() - 1)

    @property
    def snapshot_steps(self) -> list[int]:
        """Steps that ``rewind(to_step)`` can return to exactly."""
        return [snapshot.step_count for snapshot in self._snapshots]

    # -- running -------------------------------------------------------------------------------
    def advance(self, n: int) -> int:
        """Run up to ``n`` steps; stops at ``total_steps``, divergence or the ``pause_when``
        condition (at the exact step that first meets it). Returns the count."""
        if n <= 0 or self.done:
            return 0
        if self.status == PAUSED_AT_TARGET:
            self._update_status()  # asked to go on from there
        done = 0
        if self.method.phase_index:  # a step begun phase by phase: finish it first
            self.step()
            done = 1
        while done < n and not self.done and self.status != PAUSED_AT_TARGET:
            count = min(
                n - done,
                self.total_steps - self.step_count,
                self._buffers.capacity,
                self.snapshot_every - self.step_count % self.snapshot_every,
            )
            theta_start = self.method.coefficients if self.dataset.has_validation else None
            first_step = self.step_count + 1
            start = self.method.snapshot() if self._armed else None
            result = self.method.run_fast(count, self._buffers)
            hit = self._first_row_at_target(result.steps)
            if hit is not None:
                if start is not None and hit + 1 < result.steps:
                    # replay exactly up to that step: the same numbers, no step past it
                    self.method.restore(start)
                    result = self.method.run_fast(hit + 1, self._buffers)
                self._record_rows(first_step, result.steps, theta_start)
                done += result.steps
                self._after_steps()
                self._reach_target(self.step_count)
                break
            self._record_rows(first_step, result.steps, theta_start)
            done += result.steps
            if result.diverged:
                self._mark_diverged(self.step_count + 1)
                break
            self._after_steps()
        return done

    def pause_when(self, optimum_loss: float | None, tolerance: float | None = None) -> None:
        """Stop ``advance`` at the first step whose loss is at most ``optimum_loss + tolerance``
        (None for either clears the condition). A step already past it does not count: the
        condition looks at the steps still to come."""
        if optimum_loss is None or tolerance is None:
            self._target = None
        else:
            optimum, tol = float(optimum_loss), float(tolerance)
            if not (math.isfinite(optimum) and math.isfinite(tol) and tol > 0):
                raise ValueError(
                    f"the stop condition needs a finite optimum and a tolerance > 0, "
                    f"got {optimum_loss!r} and {tolerance!r}"
                )
            self._target = (optimum, tol)
        self.target_reached_at = None
        if self.status == PAUSED_AT_TARGET:
            self._update_status()

    @property
    def _armed(self) -> bool:
        return self._target is not None and self.target_reached_at is None

    def step(self) -> StepRecord:
        """Exactly one step through the method's phases (the rest of it, if begun by phase)."""
        self._check_not_done()
        record = self.method.step()
        self._record_step(record)
        return record

    def step_phase(self) -> str:
        """Run the method's next phase; returns its name. The step is recorded when it ends."""
        self._check_not_done()
        name = self.method.next_phase
        record = self.method.step_phase()
        if record is not None:
            self._record_step(record)
        return name

    def current_loss(self) -> float:
        """The loss at the current coefficients on all training points (float64)."""
        return self._loss_on(self.features, self.dataset.y)

    def validation_loss(self) -> float | None:
        """The loss at the current coefficients on the held-out points, None without any."""
        if not self.dataset.has_validation:
            return None
        return self._loss_on(self.val_features, self.dataset.y_val)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The current model at ``x`` (float64)."""
        with np.errstate(all="ignore"):
            return self._predict_at(self.method.coefficients, self._features(np.asarray(x)))

    # -- controls ------------------------------------------------------------------------------
    def set_learning_rate(self, lr: float) -> None:
        """Use ``lr`` from the next step on (ConfigError if out of range)."""
        self.config = self.config.with_changes(**{"training.lr": lr})
        self.method.set_learning_rate(lr)

    def set_optimizer_hyperparameters(self, **values: float) -> None:
        """Change torch-optim's hyperparameters (momentum, beta1, eps, ...) from the next step.

        The other methods use plain gradient descent; for them only the config changes.
        """
        values = dict(values)
        if "name" in values:
            raise ValueError("changing the optimizer starts a new run: make a new session")
        known = {f.name for f in fields(OptimizerConfig)} - {"name"}
        for key in values:
            if key not in known and key != "lr":
                raise ConfigError(
                    f"optimizer.{key}",
                    f"unknown optimizer setting {key!r}; known: lr, {', '.join(sorted(known))}",
                    message_id="unknown_field",
                    value=key,
                )
        if "lr" in values:
            self.set_learning_rate(values.pop("lr"))
        self.config = self.config.with_changes(**{f"optimizer.{k}": v for k, v in values.items()})
        if self.config.training.method == "torch-optim" and values:
            self.method.set_hyperparameters(**values)

    def set_total_steps(self, n: int) -> None:
        """Change how many steps the run has (may finish it, or let a finished run go on)."""
        self.config = self.config.with_changes(**{"training.steps": n})
        self.total_steps = n
        if self.status != "diverged":
            self._update_status()

    def set_coefficients(self, values: np.ndarray) -> None:
        """Continue from these coefficients (e.g. a point picked on the loss landscape); a
        divergence is cleared, since training can go on from there."""
        self.method.set_coefficients(values)
        if self.status == "diverged":
            self.diverged_at = None
            self._update_status()

    def drain(self) -> HistoryBatch:
        """Rows recorded since the last drain (NumPy copies) and the current status."""
        batch = self.history.rows_after(self._drained_step)
        self._drained_step = max(self._drained_step, self.history.last_step)
        batch = replace(
            batch,
            status=self.status,
            step_count=self.step_count,
            diverged_at=self.diverged_at,
            rewound_to=self._rewound_to,
        )
        self._rewound_to = None
        return batch

    def rewind(self, to_step: int | None = None) -> bool:
        """Return exactly to a snapshot, dropping later history and clearing a divergence.

        With ``to_step``: the latest snapshot at or before that step (see ``snapshot_steps``).
        Without: after a divergence, the snapshot in the ring with the lowest training loss (the
        latest on ties), i.e. the last good state before the loss ran away. The very last finite
        coefficients are no place to continue from: the loss there is the one that overflowed.
        Returns False when there is nothing to rewind to.
        """
        if to_step is None:
            if self.status != "diverged":
                return False
            target = self._best_snapshot()
        else:
            earlier = [s for s in self._snapshots if s.step_count <= to_step]
            target = earlier[-1] if earlier else None
        if target is None:
            return False
        while self._snapshots[-1] is not target:
            self._snapshots.pop()
        self.method.restore(target)
        self.history.truncate_after(target.step_count)
        if self._drained_step > target.step_count:
            self._drained_step = target.step_count
            earlier_rewind = self._rewound_to
            self._rewound_to = (
                target.step_count
                if earlier_rewind is None
                else min(earlier_rewind, target.step_count)
            )
        self.diverged_at = None
        if self.target_reached_at is not None and self.target_reached_at > target.step_count:
            self.target_reached_at = None  # the steps to come may meet the condition again
        self._update_status()
        return True

    def _best_snapshot(self) -> MethodSnapshot | None:
        best, best_loss = None, math.inf
        for snapshot in self._snapshots:
            loss = self._loss_at(snapshot.coefficients, self.features, self.dataset.y)
            if loss <= best_loss:
                best, best_loss = snapshot, loss
        return best

    def restart(self) -> None:
        """Start again from the initial coefficients with the current config."""
        self._start()
        self._rewound_to = 0

    # -- internals -----------------------------------------------------------------------------
    def _features(self, x: np.ndarray) -> np.ndarray:
        d, m = self.config.data, self.config.model
        if m.kind == "mlp":  # a network's one input is x itself
            return np.asarray(x, dtype=np.float64).reshape(-1, 1)
        return feature_matrix(x, m.degree, m.basis, d.x_min, d.x_max)

    def _predict_at(self, coefficients: np.ndarray, features: np.ndarray) -> np.ndarray:
        if self.config.model.kind == "mlp":
            from gradlab.core.network import predict

            return predict(self.config.model, coefficients, features[:, 0])
        return np.asarray(features @ coefficients)

    def _loss_on(self, features: np.ndarray, y: np.ndarray) -> float:
        return self._loss_at(self.method.coefficients, features, y)

    def _loss_at(self, coefficients: np.ndarray, features: np.ndarray, y: np.ndarray) -> float:
        t = self.config.training
        with np.errstate(all="ignore"):
            residual = self._predict_at(coefficients, features) - y
            return loss_value(residual, t.loss, t.reduction, t.huber_delta)

    def _check_not_done(self) -> None:
        if self.status == "diverged":
            raise RuntimeError("training diverged: rewind() or restart() to go on")
        if self.status == "finished":
            raise RuntimeError("training is finished: raise the step count to go on")

    def _record_rows(self, first_step: int, count: int, theta_start: np.ndarray | None) -> None:
        if count == 0:
            return
        buffers = self._buffers
        steps = np.arange(first_step, first_step + count, dtype=np.int64)
        val_loss = np.full(count, np.nan)
        if theta_start is not None:
            every = self.validation_every
            rows = np.flatnonzero((steps % every == 0) | (steps == self.total_steps))
            for row in rows.tolist():
                before = theta_start if row == 0 else buffers.coefficients[row - 1]
                val_loss[row] = self._val_loss_at(before)
        self.history.append_block(
            steps,
            buffers.loss[:count],
            val_loss,
            buffers.coefficients[:count],
            buffers.grad_norm[:count],
        )

    def _record_step(self, record: StepRecord) -> None:
        if record.diverged:
            self._mark_diverged(record.step)
            return
        val_loss = math.nan
        due = record.step % self.validation_every == 0 or record.step == self.total_steps
        before = self.method.coefficients_before
        if self.dataset.has_validation and due and before is not None:
            val_loss = self._val_loss_at(before)
        self.history.append(
            record.step, record.loss, val_loss, record.coefficients, gradient_norm(record.gradients)
        )
        self._after_steps()
        if self._armed and self._at_target(np.array([record.loss])).size:
            self._reach_target(record.step)

    def _first_row_at_target(self, count: int) -> int | None:
        """The first of the buffers' ``count`` rows whose loss meets the stop condition."""
        if not self._armed or count == 0:
            return None
        rows = self._at_target(self._buffers.loss[:count])
        return int(rows[0]) if rows.size else None

    def _at_target(self, losses: np.ndarray) -> np.ndarray:
        assert self._target is not None
        optimum, tolerance = self._target
        with np.errstate(invalid="ignore"):
            return np.flatnonzero(losses - optimum <= tolerance)

    def _reach_target(self, step: int) -> None:
        self.target_reached_at = step
        if self.status != "finished":
            self.status = PAUSED_AT_TARGET

    def _val_loss_at(self, coefficients: np.ndarray) -> float:
        return self._loss_at(coefficients, self.val_features, self.dataset.y_val)

    def _after_steps(self) -> None:
        if self.step_count % self.snapshot_every == 0 and self.method.phase_index == 0:
            if not self._snapshots or self._snapshots[-1].step_count != self.step_count:
                self._snapshots.append(self.method.snapshot())
        self._update_status()

    def _update_status(self) -> None:
        if self.step_count >= self.total_steps:
            self.status = "finished"
        else:
            self.status = "running" if self.step_count or len(self.history) else "ready"

    def _mark_diverged(self, step: int) -> None:
        self.status = "diverged"
        self.diverged_at = step
