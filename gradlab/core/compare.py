"""Several training runs side by side, advanced in lockstep from the same start.

``compare_optimizers`` trains SGD, SGD+momentum, RMSprop, Adam, ... on the same data from the
same initial coefficients, so their loss curves and landscape paths can be overlaid; each at its
own learning rate (given) or all at the base config's.
``three_way_check`` runs the chapter's three methods and the fourth (a custom autograd Function
with a hand-written backward) with plain gradient descent and records, per step, how far apart
their coefficients and gradients are: "does autograd compute what we derived by hand?" (in
float64 they agree to ~1e-12; a wrong backward shows from the first step).

``LockstepRun`` has the Steppable protocol (advance/drain/step_count/total_steps/done/status),
so the shared Qt worker runs it like a single TrainingSession.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from gradlab.core.config import OPTIMIZERS, Config, ConfigError
from gradlab.core.history import History, HistoryBatch
from gradlab.core.methods.base import StepRecord
from gradlab.core.runs import run_label
from gradlab.core.session import TrainingSession

__all__ = [
    "COMPARE_CHOICES",
    "LockstepBatch",
    "LockstepRun",
    "ThreeWayResult",
    "compare_config",
    "compare_optimizers",
    "run_label",
    "three_way_check",
]

# name -> (legend label, optimizer settings); "sgd+momentum" is SGD with momentum 0.9
COMPARE_CHOICES: dict[str, tuple[str, dict[str, object]]] = {
    "sgd": ("SGD", {"optimizer.name": "sgd", "optimizer.momentum": 0.0}),
    "sgd+momentum": ("SGD+momentum", {"optimizer.name": "sgd", "optimizer.momentum": 0.9}),
    "rmsprop": ("RMSprop", {"optimizer.name": "rmsprop", "optimizer.momentum": 0.0}),
    "adam": ("Adam", {"optimizer.name": "adam"}),
    "adamw": ("AdamW", {"optimizer.name": "adamw"}),
    "adagrad": ("Adagrad", {"optimizer.name": "adagrad"}),
}
assert {settings["optimizer.name"] for _, settings in COMPARE_CHOICES.values()} == set(OPTIMIZERS)
DEFAULT_COMPARISON = ("sgd", "sgd+momentum", "rmsprop", "adam")
CHECK_METHODS = ("numpy-manual", "torch-autograd", "torch-optim", "torch-function")
THREE_METHODS = CHECK_METHODS  # the name from before the fourth method, kept for importers


@dataclass(frozen=True, eq=False)
class LockstepBatch:
    """What ``LockstepRun.drain()`` hands over: NumPy copies only.

    ``runs`` holds one HistoryBatch per run (rows since the last drain), in ``labels`` order.
    With ``exact_steps``, ``diff_steps``/``coefficient_difference``/``gradient_difference``
    hold the new rows of the per-step differences (empty otherwise).
    """

    labels: tuple[str, ...]
    runs: tuple[HistoryBatch, ...]
    statuses: tuple[str, ...]
    status: str
    step_count: int
    total_steps: int
    diff_steps: np.ndarray
    coefficient_difference: np.ndarray
    gradient_difference: np.ndarray


class LockstepRun:
    """TrainingSessions advanced together: ``advance(n)`` runs n more steps of each.

    With ``exact_steps=False`` each session uses its fast path, and a run that diverges or ends
    early simply stops while the others go on. With ``exact_steps=True`` every step goes through
    each method's phases one step at a time (slower) and the largest pairwise difference of the
    coefficients and of the gradients is recorded per step; the lockstep ends when any run ends.
    """

    def __init__(
        self,
        configs: Sequence[Config],
        labels: Sequence[str] | None = None,
        *,
        exact_steps: bool = False,
    ) -> None:
        if not configs:
            raise ValueError("a comparison needs at least one config")
        if labels is None:
            labels = [run_label(c, configs[0] if i else None) for i, c in enumerate(configs)]
        if len(labels) != len(configs):
            raise ValueError(f"got {len(labels)} labels for {len(configs)} configs")
        self.configs = tuple(configs)
        self.labels = tuple(labels)
        self.exact_steps = exact_steps
        self.sessions = tuple(TrainingSession(config) for config in configs)
        self._diff_steps: list[int] = []
        self._coefficient_difference: list[float] = []
        self._gradient_difference: list[float] = []
        self._gradient_scale: list[float] = []  # largest |gradient| of the step, for relative
        self._drained_diffs = 0

    # -- the Steppable protocol ----------------------------------------------------------------
    @property
    def step_count(self) -> int:
        return max(session.step_count for session in self.sessions)

    @property
    def total_steps(self) -> int:
        return max(session.total_steps for session in self.sessions)

    @property
    def done(self) -> bool:
        if self.exact_steps:
            return any(session.done for session in self.sessions)
        return all(session.done for session in self.sessions)

    @property
    def status(self) -> str:
        """ "ready", "running", then "finished" ("diverged" when every run diverged)."""
        statuses = [session.status for session in self.sessions]
        if self.done:
            return "diverged" if all(s == "diverged" for s in statuses) else "finished"
        return "running" if self.step_count else "ready"

    def advance(self, n: int) -> int:
        """Up to ``n`` more steps of every run; returns how many steps the furthest run made."""
        if n <= 0 or self.done:
            return 0
        if not self.exact_steps:
            return max(session.advance(n) for session in self.sessions)
        done = 0
        while done < n and not self.done:
            records = [session.step() for session in self.sessions]
            if any(record.diverged for record in records):
                break
            self._record_differences(records[0].step, records)
            done += 1
        return done

    def drain(self) -> LockstepBatch:
        """New rows of every run (and of the differences) since the last drain."""
        start = self._drained_diffs
        self._drained_diffs = len(self._diff_steps)
        return LockstepBatch(
            labels=self.labels,
            runs=tuple(session.drain() for session in self.sessions),
            statuses=tuple(session.status for session in self.sessions),
            status=self.status,
            step_count=self.step_count,
            total_steps=self.total_steps,
            diff_steps=np.array(self._diff_steps[start:], dtype=np.int64),
            coefficient_difference=np.array(self._coefficient_difference[start:]),
            gradient_difference=np.array(self._gradient_difference[start:]),
        )

    # -- results -------------------------------------------------------------------------------
    @property
    def histories(self) -> tuple[History, ...]:
        """Each run's History (read-only arrays: steps, loss, coefficients, ...)."""
        return tuple(session.history for session in self.sessions)

    @property
    def coefficients(self) -> np.ndarray:
        """(runs, coefficients): where each run is now."""
        return np.array([session.coefficients for session in self.sessions])

    def differences(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(steps, largest coefficient difference, largest gradient difference, largest
        |gradient|) per step so far (exact_steps only)."""
        return (
            np.array(self._diff_steps, dtype=np.int64),
            np.array(self._coefficient_difference),
            np.array(self._gradient_difference),
            np.array(self._gradient_scale),
        )

    def _record_differences(self, step: int, records: Sequence[StepRecord]) -> None:
        coefficients = [np.asarray(r.coefficients) for r in records]
        gradients = [np.asarray(r.gradients) for r in records]
        self._diff_steps.append(step)
        self._coefficient_difference.append(_largest_pairwise(coefficients))
        self._gradient_difference.append(_largest_pairwise(gradients))
        self._gradient_scale.append(max(float(np.max(np.abs(g))) for g in gradients))


def _largest_pairwise(vectors: Sequence[np.ndarray]) -> float:
    """The largest |u_k − v_k| over every pair of vectors and every entry k (0 for one vector)."""
    pairs = combinations(vectors, 2)
    return max((float(np.max(np.abs(u - v))) for u, v in pairs), default=0.0)


def compare_config(base_config: Config, name: str) -> Config:
    """The torch-optim config of ``name`` (a key of COMPARE_CHOICES) on ``base_config``."""
    _label, settings = COMPARE_CHOICES[name]
    changes = {"training.method": "torch-optim", "optimizer.nesterov": False, **settings}
    return base_config.with_changes(**changes)


def compare_optimizers(
    base_config: Config,
    names: Sequence[str] = DEFAULT_COMPARISON,
    learning_rates: Mapping[str, float] | None = None,
) -> LockstepRun:
    """torch-optim runs of ``names`` (keys of COMPARE_CHOICES) from ``base_config``'s data, init
    and loss, labelled "SGD", "SGD+momentum", "RMSprop", "Adam", ... Each runs at
    ``learning_rates[name]`` when given (a rate suited to each), else at the base config's."""
    unknown = [name for name in names if name not in COMPARE_CHOICES]
    if unknown:
        raise ConfigError(
            "optimizer.name",
            f"cannot compare {', '.join(map(repr, unknown))}; "
            f"choose from {', '.join(COMPARE_CHOICES)}",
            message_id="not_a_choice",
            value=unknown[0],
            allowed=tuple(COMPARE_CHOICES),
        )
    if len(set(names)) != len(names) or not names:
        raise ConfigError(
            "optimizer.name",
            "name each optimizer to compare once (at least one)",
            message_id="compare_each_once",
            value=", ".join(names),
        )
    configs, labels = [], []
    for name in names:
        config = compare_config(base_config, name)
        if learning_rates is not None:
            config = config.with_changes(**{"training.lr": float(learning_rates[name])})
        configs.append(config)
        labels.append(COMPARE_CHOICES[name][0])
    return LockstepRun(configs, labels)


@dataclass(frozen=True, eq=False)
class ThreeWayResult:
    """Per step, the largest difference between any two of the checked methods.

    ``coefficient_difference[k]`` and ``gradient_difference[k]`` belong to step ``steps[k]``
    (the gradients that step used, the coefficients after it); ``gradient_scale[k]`` is that
    step's largest |gradient|, so ``relative_gradient_difference`` reads as "agree to 14
    digits". ``final_coefficients`` has one row per method, in ``methods`` order.
    """

    methods: tuple[str, ...]
    steps: np.ndarray
    coefficient_difference: np.ndarray
    gradient_difference: np.ndarray
    gradient_scale: np.ndarray
    final_coefficients: np.ndarray
    status: str

    @property
    def relative_gradient_difference(self) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.where(
                self.gradient_scale > 0, self.gradient_difference / self.gradient_scale, 0.0
            )

    @property
    def largest_coefficient_difference(self) -> float:
        return float(self.coefficient_difference.max(initial=0.0))

    @property
    def largest_gradient_difference(self) -> float:
        return float(self.gradient_difference.max(initial=0.0))


def three_way_configs(base_config: Config) -> list[Config]:
    """The checked methods (CHECK_METHODS) on ``base_config``'s problem, all with plain gradient
    descent (torch-optim with SGD, no momentum, no weight decay). A flipped backward sign is
    kept: only torch-function's Function uses it, so the check shows it."""
    plain = {
        "optimizer.name": "sgd",
        "optimizer.momentum": 0.0,
        "optimizer.nesterov": False,
        "optimizer.weight_decay": 0.0,
    }
    return [base_config.with_changes(**{"training.method": m, **plain}) for m in CHECK_METHODS]


def three_way_run(base_config: Config) -> LockstepRun:
    """The checked methods in exact lockstep (for the GUI worker); see ``three_way_check``."""
    return LockstepRun(three_way_configs(base_config), CHECK_METHODS, exact_steps=True)


def three_way_check(base_config: Config, steps: int) -> ThreeWayResult:
    """Run the checked methods ``steps`` steps in lockstep and compare them step by step."""
    if steps < 1:
        raise ValueError(f"steps must be >= 1, got {steps}")
    run = three_way_run(base_config.with_changes(**{"training.steps": steps}))
    run.advance(steps)
    step_numbers, coefficient_difference, gradient_difference, gradient_scale = run.differences()
    return ThreeWayResult(
        methods=CHECK_METHODS,
        steps=step_numbers,
        coefficient_difference=coefficient_difference,
        gradient_difference=gradient_difference,
        gradient_scale=gradient_scale,
        final_coefficients=run.coefficients,
        status=run.status,
    )
