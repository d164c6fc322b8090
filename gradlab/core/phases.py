"""Stepping inside one training step: forward, loss, backward, update, zero_grad, one at a time.

``PhaseStepper(session).next_phase()`` runs the session's next phase through the method's own
phase methods (``TrainingSession.step_phase``: no second copy of the maths) and returns a
``PhaseRecord`` with the numbers that phase really computed, read back from the method. The
fifth phase completes the step, which the session records in its history exactly as
``session.step()`` would. Whole-step stepping mixes freely: ``session.advance()`` and
``session.step()`` first finish a half-done step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from gradlab.core.config import Config
from gradlab.core.features import SUPERSCRIPTS
from gradlab.core.losses import loss_formula, loss_grad_formula
from gradlab.core.methods.base import PHASES
from gradlab.core.network import gradient_rules, group_summaries, layer_table

if TYPE_CHECKING:
    from gradlab.core.session import TrainingSession

SAMPLE_ROWS = 5  # (x, ŷ, y) rows shown for the forward pass
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


@dataclass(frozen=True, eq=False)
class PhaseRecord:
    """One phase's results: ``values`` holds the numbers the core computed (see PhaseStepper)."""

    phase: str  # one of PHASES
    step: int  # the step this phase belongs to (1-based, as in the history)
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def completes_step(self) -> bool:
        return self.phase == PHASES[-1] or bool(self.values.get("diverged"))


class PhaseStepper:
    """Drives a TrainingSession one phase at a time.

    ``next_phase()`` values by phase (NumPy arrays are float64 copies):

    - forward: ``predictions`` (ŷ for this step's points), ``x``, ``y``, ``batch_indices``
      (None for the full batch) and ``samples``, a few ``(x, ŷ, y)`` rows.
    - loss: ``loss``, ``formula`` (e.g. ``Σ (ŷ − y)²``), ``kind``, ``reduction``, ``num_points``.
    - backward: ``gradients``, ``names`` (a, b, ...), ``chain_rule`` (one string per coefficient,
      e.g. ``∂loss/∂b = Σ 2 (ŷ − y) · x``), ``computed_by`` (a Message: how the method found
      them), and where the method computes it itself ``grad_wrt_predictions`` (the chapter's
      grad_y_pred).
    - update: ``before``, ``after``, ``step`` (after − before: the effective step),
      ``lr_times_grad``, ``lr``, ``rule`` (the update formula), ``direction`` (an
      UpdateDirection: the step as −lr × u, u from the optimizer's own rule and state); for a
      torch optimizer also
      ``optimizer`` and ``optimizer_state`` (momentum_buffer, square_avg, exp_avg, exp_avg_sq,
      sum: one value per coefficient, after the step).
    - zero_grad: ``cleared`` (a Message: what was cleared) and ``gradients_cleared`` (True when
      the torch gradients are now None; None for NumPy, which keeps none).

    What differs between methods comes from the method itself (see Method's phase-view hooks).

    Any phase whose result is not finite ends the step as diverged: its record has
    ``diverged: True`` and the session's status is "diverged".
    """

    def __init__(self, session: TrainingSession) -> None:
        self.session = session

    @property
    def upcoming_phase(self) -> str:
        """The phase ``next_phase()`` will run."""
        return str(self.session.method.next_phase)

    @property
    def current_phase(self) -> str | None:
        """The last phase run in the unfinished step; None between steps."""
        index = self.session.method.phase_index
        return PHASES[index - 1] if index else None

    @property
    def in_middle(self) -> bool:
        """True when a step has begun but not all its phases have run."""
        return bool(self.session.method.phase_index)

    def next_phase(self) -> PhaseRecord:
        """Run one phase and return what it computed (RuntimeError when the run is over)."""
        session = self.session
        step = session.step_count + 1
        phase = session.step_phase()
        values = _READERS[phase](session)
        if session.status == "diverged" and session.diverged_at == step:
            values["diverged"] = True
        record = PhaseRecord(phase, step, values)
        return record

    def finish_step(self) -> None:
        """Run the remaining phases of a half-done step (as ``session.step()`` does)."""
        if self.in_middle:
            self.session.step()


def _forward(session: TrainingSession) -> dict[str, Any]:
    method = session.method
    indices = method.batch_indices
    x = session.dataset.x if indices is None else session.dataset.x[indices]
    y = session.dataset.y if indices is None else session.dataset.y[indices]
    predictions = method.predictions
    assert predictions is not None
    rows = np.unique(np.linspace(0, x.size - 1, min(SAMPLE_ROWS, x.size)).round().astype(int))
    values: dict[str, Any] = {
        "predictions": predictions,
        "x": np.array(x, dtype=np.float64),
        "y": np.array(y, dtype=np.float64),
        "batch_indices": None if indices is None else np.array(indices),
        "samples": [(float(x[r]), float(predictions[r]), float(y[r])) for r in rows],
    }
    layers = method.layer_values()
    if layers is not None:  # a network: each hidden layer's z and a at the sample rows
        values["layers"] = [
            (np.array(z[rows], dtype=np.float64), np.array(a[rows], dtype=np.float64))
            for z, a in zip(layers.pre_activations, layers.activations, strict=True)
        ]
    return values


def _loss(session: TrainingSession) -> dict[str, Any]:
    t = session.config.training
    method = session.method
    indices = method.batch_indices
    return {
        "loss": float("nan") if method.loss is None else float(method.loss),
        "formula": loss_formula(t.loss, t.reduction),
        "kind": t.loss,
        "reduction": t.reduction,
        "num_points": method.num_points if indices is None else int(indices.size),
    }


def _backward(session: TrainingSession) -> dict[str, Any]:
    method = session.method
    config = session.config
    names = list(config.coefficient_names)
    gradients = method.gradients
    values: dict[str, Any] = {
        "gradients": np.full(len(names), np.nan) if gradients is None else gradients.copy(),
        "names": names,
        "chain_rule": chain_rule_formulas(config),
        "computed_by": method.gradients_computed_by,
    }
    if config.model.kind == "mlp":  # per tensor: its norm, first entries and backprop rule
        values["groups"] = group_summaries(config.model, values["gradients"])
        values["group_rules"] = list(gradient_rules(config.model))
    grad_y_pred = method.grad_wrt_predictions()
    if grad_y_pred is not None:
        values["grad_wrt_predictions"] = grad_y_pred
    return values


def _update(session: TrainingSession) -> dict[str, Any]:
    method = session.method
    before, after = method.coefficients_before, method.coefficients_after
    gradients = method.gradients
    lr = float(method.learning_rate)
    values: dict[str, Any] = {
        "before": None if before is None else before.copy(),
        "after": None if after is None else after.copy(),
        "step": None if before is None or after is None else after - before,
        "lr_times_grad": None if gradients is None else lr * gradients,
        "lr": lr,
        "rule": method.update_rule(),
        "direction": method.update_direction(),
    }
    if session.config.model.kind == "mlp" and before is not None and after is not None:
        model = session.config.model
        values["groups"] = list(
            zip(
                group_summaries(model, before),
                group_summaries(model, after),
                group_summaries(model, after - before),
                strict=True,
            )
        )
    state = method.optimizer_state()
    if state is not None:
        values["optimizer"] = method.optimizer_name
        values["optimizer_state"] = state
    return values


def _zero_grad(session: TrainingSession) -> dict[str, Any]:
    method = session.method
    return {"cleared": method.zero_grad_cleared(), "gradients_cleared": method.gradients_cleared()}


_READERS = {
    "forward": _forward,
    "loss": _loss,
    "backward": _backward,
    "update": _update,
    "zero_grad": _zero_grad,
}
assert tuple(_READERS) == PHASES


def feature_names(config: Config) -> list[str]:
    """What each coefficient multiplies: 1, x, x², ... or 1, P₁(t), P₂(t), ...; for a network
    the input of its layer: x or a_(k−1) for a weight, 1 for a bias."""
    if config.model.kind == "mlp":
        return _network_inputs(config)
    names = ["1"]
    for k in range(1, config.model.degree + 1):
        if config.model.basis == "power":
            names.append("x" if k == 1 else "x" + str(k).translate(SUPERSCRIPTS))
        else:
            names.append(f"P{str(k).translate(SUBSCRIPTS)}(t)")
    return names


def _network_inputs(config: Config) -> list[str]:
    inputs: list[str] = []
    for number, layer in enumerate(layer_table(config.model), start=1):
        below = "x" if number == 1 else f"a{number - 1}"
        inputs += [
            below if layer.fan_in == 1 else f"{below}[{j}]"
            for _ in range(layer.fan_out)
            for j in range(layer.fan_in)
        ]
        inputs += ["1"] * layer.fan_out
    return inputs


def chain_rule_formulas(config: Config) -> list[str]:
    """∂loss/∂θ_k written out for the config's loss and reduction, one string per coefficient,
    e.g. ``∂loss/∂b = Σ 2 (ŷ − y) · x`` (the chapter's ∂loss/∂b = ∂loss/∂ŷ · ∂ŷ/∂b)."""
    if config.model.kind == "mlp":
        return _network_chain_rule(config)
    t = config.training
    per_point = loss_grad_formula(t.loss, "sum")  # d(loss)/d(ŷ) for one point, e.g. 2 (ŷ − y)
    total = "(1/n) Σ" if t.reduction == "mean" else "Σ"
    formulas = []
    for name, feature in zip(config.coefficient_names, feature_names(config), strict=True):
        times = "" if feature == "1" else f" · {feature}"
        formulas.append(f"∂loss/∂{name} = {total} {per_point}{times}")
    return formulas


def _network_chain_rule(config: Config) -> list[str]:
    """∂L/∂W1[i,j] = Σ ∂L/∂z1[i] · x, ∂L/∂b1[i] = Σ ∂L/∂z1[i], ...: each parameter's gradient
    is its unit's ∂L/∂z summed over the points, times the input the weight multiplies."""
    out = config.model.layers + 1
    formulas = []
    inputs = _network_inputs(config)
    for name, feature in zip(config.coefficient_names, inputs, strict=True):
        layer = int(name[1 : name.index("[")])
        unit = name[name.index("[") + 1 :].split(",")[0].rstrip("]")
        dz = "∂L/∂ŷ" if layer == out else f"∂L/∂z{layer}[{unit}]"
        times = "" if feature == "1" else f" · {feature}"
        formulas.append(f"∂L/∂{name} = Σ {dz}{times}")
    return formulas
