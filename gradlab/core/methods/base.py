"""What every training method shares: one step split into the chapter's phases.

A step is the chapter's loop body, phase by phase::

    forward    ŷ = the model's predictions for this step's points
    loss       L(ŷ, y), a number
    backward   ∂L/∂θ for every coefficient θ (a, b, c, ...)
    update     θ ← new values (plain gradient descent or a torch optimizer)
    zero_grad  clear the gradients for the next step

Each phase is a method of its own and keeps what it computed (``predictions``, ``loss``,
``gradients``, ``coefficients_before``/``coefficients_after``, ``update_delta``), so a view can
run one phase at a time and show the real numbers. There is one driver: ``step_phase()`` runs
the next phase, ``step()`` is ``step_phase()`` until the step ends, and ``run_fast()`` runs many
whole steps the same way, except where a method can compute whole steps faster with the same
numbers (``_run_accelerated``). A non-finite loss, gradient or coefficient ends the step as
*diverged* before anything non-finite is kept: the method stays at its last finite state, and
the phase values say how far the step got, whichever way it was run.

Each method also says, in its own terms, what the phase view shows about it: how its gradients
are computed, what ``zero_grad`` clears, its update rule and its optimizer's state.

Mini-batches: with ``batch_size`` in (0, n) each step uses the next ``batch_size`` points of its
epoch's shuffled order; epoch e's order is ``np.random.default_rng([seed, 3, e]).permutation(n)``
(3 is the "batches" stream of gradlab.core.data). The batch is a pure function of the seed and
the step count, so a snapshot only needs the step count to continue identically.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, NamedTuple

import numpy as np

from gradlab.core.config import Config
from gradlab.core.data import random_generator
from gradlab.core.messages import Message
from gradlab.core.methods.batches import BatchSchedule

if TYPE_CHECKING:
    from gradlab.core.autograd_graph import AutogradParts
    from gradlab.core.network import Forward

PHASES = ("forward", "loss", "backward", "update", "zero_grad")
LAST_PHASE = len(PHASES) - 1
GRADIENT_DESCENT_RULE = "θ ← θ − lr · g"


@dataclass(frozen=True, eq=False)
class StepRecord:
    """One step's results: the loss of its forward pass (before its update, as the chapter
    prints it), the coefficients after its update and the gradients the update used.

    When ``diverged`` is true the step did not complete: ``loss`` or ``gradients`` may be
    non-finite (NaN where not computed) and ``coefficients`` are the last finite ones.
    """

    step: int
    loss: float
    coefficients: np.ndarray
    gradients: np.ndarray
    diverged: bool = False


@dataclass(frozen=True, eq=False)
class MethodSnapshot:
    """A method's training state between steps: restoring it and stepping again reproduces the
    same numbers bit for bit. Hyperparameters (learning rate, momentum, ...) are not part of it:
    they stay as currently set."""

    step_count: int
    coefficients: np.ndarray  # float64, exact copies even for float32 methods
    state: dict[str, object] = field(default_factory=dict)  # method-specific (optimizer buffers)


@dataclass(frozen=True, eq=False)
class UpdateDirection:
    """The last update written as θ_after − θ_before = −lr × u, per coefficient.

    ``kind`` names the rule (a message id the UI words: "gd", "sgd_momentum", "sgd_nesterov",
    "rmsprop", "rmsprop_momentum", "adam", "adamw", "adagrad"), ``formula`` writes u out (e.g.
    ``m̂ / (√v̂ + ε)``), ``u`` holds its values (float64) and ``parts`` the named numbers the
    formula is made of (e.g. ``m_hat``, ``denominator``, ``t``), all from the optimizer itself.
    """

    kind: str
    formula: str
    u: np.ndarray
    lr: float
    parts: dict[str, object] = field(default_factory=dict)

    def __eq__(self, other: object) -> bool:
        """Equal values (arrays compared element by element), e.g. from a replayed step."""
        if not isinstance(other, UpdateDirection):
            return NotImplemented
        mine, theirs = self._key(), other._key()
        return mine.keys() == theirs.keys() and all(
            np.array_equal(np.asarray(value), np.asarray(theirs[key]))
            for key, value in mine.items()
        )

    __hash__ = None  # type: ignore[assignment]

    def _key(self) -> dict[str, object]:
        parts = {f"parts.{key}": value for key, value in self.parts.items()}
        return {"kind": self.kind, "formula": self.formula, "u": self.u, "lr": self.lr, **parts}


class RunResult(NamedTuple):
    steps: int  # whole steps completed (rows written)
    diverged: bool  # the next step went non-finite; the method stayed at its last finite state


class StepBuffers:
    """Preallocated per-step arrays that ``run_fast`` fills, one row per completed step."""

    def __init__(self, capacity: int, num_coefficients: int) -> None:
        self.capacity = capacity
        self.loss = np.empty(capacity)
        self.coefficients = np.empty((capacity, num_coefficients))
        self.grad_norm = np.empty(capacity)


def initial_coefficients(config: Config) -> np.ndarray:
    """The starting coefficients (float64): uniform [0, 1) from the seed's "init" stream (the
    chapter's ``np.random.rand()`` per coefficient), zeros, or the configured values."""
    count = config.model.degree + 1
    if config.model.init == "random":
        return random_generator(config.seed, "init").random(count)
    if config.model.init == "zeros":
        return np.zeros(count)
    return np.array(config.model.init_values, dtype=np.float64)


def gradient_norm(gradients: np.ndarray) -> float:
    """The Euclidean norm without overflow for huge (but finite) gradients."""
    return math.hypot(*gradients.tolist())


class Method(ABC):
    """A training method built from the training features X (n, p), targets y (n,) and config.

    Coefficients are reported as float64 copies, constant term first (a, b, c, ...).
    """

    name: ClassVar[str]
    # what the phases of the current (or last) step computed; None until computed
    loss: float | None  # by compute_loss
    gradients: np.ndarray | None  # by backward, float64
    grad_norm: float  # by backward, NaN until computed
    coefficients_before: np.ndarray | None  # by update
    coefficients_after: np.ndarray | None  # by update

    def __init__(self, features: np.ndarray, targets: np.ndarray, config: Config) -> None:
        features = np.asarray(features, dtype=np.float64)
        targets = np.asarray(targets, dtype=np.float64).reshape(-1)
        # a network's one feature is x itself; a polynomial's are 1, x, x², ...
        p = 1 if config.model.kind == "mlp" else config.model.degree + 1
        if features.ndim != 2 or features.shape[1] != p or features.shape[0] != targets.size:
            raise ValueError(
                f"features must be (n, {p}) with one target per row, "
                f"got {features.shape} and {targets.size} targets"
            )
        if targets.size == 0:
            raise ValueError("training needs at least one point, got none")
        self.config = config
        self.num_points = features.shape[0]
        self.num_coefficients = config.model.parameter_count
        self.learning_rate = float(config.training.lr)
        self.step_count = 0
        self.phase_index = 0  # the next phase to run; 0 = the next step starts with forward
        batch_size = config.training.batch_size
        self._batches = (
            BatchSchedule(self.num_points, batch_size, config.seed)
            if 0 < batch_size < self.num_points
            else None
        )
        self.batch_indices: np.ndarray | None = None  # this step's points (None = all)
        self._phase_runners: tuple[Callable[[], bool], ...] = (
            self._run_forward,
            self._run_loss,
            self._run_backward,
            self._run_update,
            self._run_zero_grad,
        )
        self._clear_phase_values()

    # -- the phases (each subclass writes them the way its chapter listing does) ----------------
    @abstractmethod
    def forward(self) -> None:
        """Compute this step's predictions ŷ (read them as ``predictions``)."""

    @abstractmethod
    def compute_loss(self) -> float:
        """Compute, store in ``loss`` and return the loss of the predictions."""

    @abstractmethod
    def backward(self) -> np.ndarray:
        """Compute, store in ``gradients`` (float64) and return ∂loss/∂coefficient."""

    @abstractmethod
    def update(self) -> None:
        """Change the coefficients; sets ``coefficients_before`` and ``coefficients_after``."""

    @abstractmethod
    def zero_grad(self) -> None:
        """Clear the gradients (nothing to clear for methods that recompute them each step)."""

    @property
    @abstractmethod
    def predictions(self) -> np.ndarray | None:
        """This step's ŷ as float64 (None before the forward phase)."""

    @property
    @abstractmethod
    def coefficients(self) -> np.ndarray:
        """The current coefficients, a float64 copy, constant term first."""

    @abstractmethod
    def _set_parameters(self, values: np.ndarray) -> None:
        """Write float64 ``values`` into the model's own storage (in its dtype)."""

    # -- what the phase view shows, in the method's own terms -----------------------------------
    @property
    @abstractmethod
    def gradients_computed_by(self) -> Message:
        """How ``backward`` finds the gradients (by hand, or autograd)."""

    @abstractmethod
    def zero_grad_cleared(self) -> Message:
        """What ``zero_grad`` cleared."""

    def gradients_cleared(self) -> bool | None:
        """True when the method's stored gradients are cleared now; None when it keeps none."""
        return None

    def grad_wrt_predictions(self) -> np.ndarray | None:
        """∂loss/∂ŷ per point when the method computes it itself (the chapter's grad_y_pred)."""
        return None

    def layer_values(self) -> Forward | None:
        """A network's per-layer pre-activations and activations this step (None for a
        polynomial, or before forward)."""
        return None

    def autograd_parts(self) -> AutogradParts | None:
        """The tensors the step's autograd graph hangs from; None for a method without one."""
        return None

    def update_rule(self) -> str:
        """The update formula per coefficient θ with gradient g."""
        return GRADIENT_DESCENT_RULE

    @property
    def optimizer_name(self) -> str | None:
        """The torch optimizer that makes the update; None for plain gradient descent."""
        return None

    def update_direction(self) -> UpdateDirection | None:
        """The last update as −lr × u (None before an update): u = g for gradient descent."""
        if self.gradients is None or self.coefficients_after is None:
            return None
        return UpdateDirection("gd", "g", np.array(self.gradients), float(self.learning_rate))

    def optimizer_state(self) -> dict[str, np.ndarray] | None:
        """What the optimizer keeps per coefficient (float64, one value each) after its last
        step, by torch's names; None for plain gradient descent, which keeps nothing."""
        return None

    # -- driving the phases: one code path --------------------------------------------------------
    @property
    def update_delta(self) -> np.ndarray | None:
        """The change the last update made (θ_after − θ_before; −lr·∇ for gradient descent)."""
        if self.coefficients_before is None or self.coefficients_after is None:
            return None
        return np.asarray(self.coefficients_after - self.coefficients_before)

    @property
    def next_phase(self) -> str:
        return PHASES[self.phase_index]

    def step_phase(self) -> StepRecord | None:
        """Run the next phase; returns the step's record when this phase ended the step."""
        with np.errstate(all="ignore"):  # overflow while diverging is a result, not a warning
            ended = self._advance_phase()
        return None if ended is None else self._record(ended)

    def step(self) -> StepRecord:
        """Run the rest of the current step (all phases, from forward when between steps):
        ``step_phase()`` until the step ends."""
        with np.errstate(all="ignore"):
            ended = self._advance_phase()
            while ended is None:
                ended = self._advance_phase()
        return self._record(ended)

    def run_fast(self, n: int, out: StepBuffers) -> RunResult:
        """Run up to ``n`` whole steps, writing loss, coefficients and gradient norm into ``out``
        (rows 0..steps-1). Stops at a step that goes non-finite (``diverged``).

        Between steps a method may compute many whole steps at once (``_run_accelerated``) with
        the numbers its phases would give; any other step runs through the phases."""
        if n > out.capacity:
            raise ValueError(f"buffers hold {out.capacity} rows, asked for {n} steps")
        done = 0
        with np.errstate(all="ignore"):
            while done < n:
                if not self.phase_index:
                    done += self._run_accelerated(n - done, out, done)
                    if done == n:
                        break
                ended = self._advance_phase()
                while ended is None:
                    ended = self._advance_phase()
                if not ended:
                    return RunResult(done, True)
                assert self.loss is not None and self.coefficients_after is not None
                out.loss[done] = self.loss
                out.coefficients[done] = self.coefficients_after
                out.grad_norm[done] = self.grad_norm
                done += 1
        return RunResult(done, False)

    def _run_accelerated(self, n: int, out: StepBuffers, first_row: int) -> int:
        """Run up to ``n`` whole steps faster than phase by phase, with the same numbers, into
        rows ``first_row``...; stop before a step that is not finite (the phases then run it).
        Returns the steps run; this default runs none."""
        del n, out, first_row
        return 0

    def _advance_phase(self) -> bool | None:
        """Run the next phase: None while the step goes on, True when this phase completed the
        step, False when its result was not finite (the step has then ended as diverged)."""
        index = self.phase_index
        if not self._phase_runners[index]():
            self._end_diverged_step()
            return False
        if index < LAST_PHASE:
            self.phase_index = index + 1
            return None
        self.phase_index = 0
        self.step_count += 1
        return True

    def _run_forward(self) -> bool:
        self._clear_phase_values()
        if self._batches is not None:
            self.batch_indices = self._batches.indices(self.step_count)
        self.forward()
        return True

    def _run_loss(self) -> bool:
        return math.isfinite(self.compute_loss())

    def _run_backward(self) -> bool:
        # the norm is what the history records; it is finite exactly when every gradient is
        # (short of a norm above 1.8e308, which counts as divergence too)
        self.grad_norm = gradient_norm(self.backward())
        return math.isfinite(self.grad_norm)

    def _run_update(self) -> bool:
        self.update()
        assert self.coefficients_after is not None
        return all(map(math.isfinite, self.coefficients_after.tolist()))

    def _run_zero_grad(self) -> bool:
        self.zero_grad()
        return True

    def _end_diverged_step(self) -> None:
        """Leave the method at its last finite state, between steps."""
        if self.coefficients_before is not None:
            self._set_parameters(self.coefficients_before)  # undo a non-finite update
        self.zero_grad()
        self.phase_index = 0

    def _record(self, completed: bool) -> StepRecord:
        """The record of the step that just ended (completed, or diverged)."""
        gradients = self.gradients
        if completed:
            assert self.loss is not None and gradients is not None
            return StepRecord(self.step_count, self.loss, self.coefficients, gradients.copy())
        if gradients is None:
            gradients = np.full(self.num_coefficients, np.nan)
        loss = self.loss if self.loss is not None else math.nan
        return StepRecord(self.step_count + 1, loss, self.coefficients, gradients.copy(), True)

    def _clear_phase_values(self) -> None:
        self.loss = None
        self.gradients = None
        self.grad_norm = math.nan
        self.coefficients_before = None
        self.coefficients_after = None

    # -- state -----------------------------------------------------------------------------------
    def set_coefficients(self, values: np.ndarray) -> None:
        """Start from these coefficients (constant term first); abandons a half-done step."""
        values = np.array(values, dtype=np.float64).reshape(-1)
        if values.size != self.num_coefficients or not np.isfinite(values).all():
            raise ValueError(
                f"expected {self.num_coefficients} finite coefficients, got {values.tolist()}"
            )
        self._abandon_step()
        self._set_parameters(values)

    def set_learning_rate(self, lr: float) -> None:
        """Use ``lr`` from the next update on."""
        self.set_hyperparameters(lr=lr)

    def set_hyperparameters(self, **values: float) -> None:
        """Change hyperparameters from the next update on. Plain gradient descent has only lr."""
        unknown = sorted(set(values) - {"lr"})
        if unknown:
            raise ValueError(
                f"{self.name} uses plain gradient descent: only the learning rate can change, "
                f"got {', '.join(unknown)}"
            )
        lr = float(values["lr"])
        if not (math.isfinite(lr) and lr > 0):
            raise ValueError(f"learning rate must be > 0 and finite, got {lr:g}")
        self.learning_rate = lr

    def snapshot(self) -> MethodSnapshot:
        """The training state between steps (see MethodSnapshot)."""
        if self.phase_index:
            raise RuntimeError("finish the current step before taking a snapshot")
        return MethodSnapshot(self.step_count, self.coefficients, self._snapshot_state())

    def restore(self, snapshot: MethodSnapshot) -> None:
        """Return to a snapshot's state; stepping on reproduces the numbers that followed it."""
        self._abandon_step()
        self._set_parameters(np.array(snapshot.coefficients, dtype=np.float64))
        self.step_count = snapshot.step_count
        self._restore_state(snapshot.state)

    def _abandon_step(self) -> None:
        if self.phase_index:
            self.zero_grad()
            self.phase_index = 0
        self._clear_phase_values()

    def _snapshot_state(self) -> dict[str, object]:
        return {}

    def _restore_state(self, state: dict[str, object]) -> None:
        del state
