"""What `gradlab fit` reports when a run ends: the JSON summary (--json) and the lines a person
reads, for the polynomial and for a network, in the user's language."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _encoded(value: float) -> float | str:
    """JSON has no infinity or NaN: those become "inf", "-inf", "nan"."""
    return value if math.isfinite(value) else repr(value)


def _reported_loss(session: Any) -> tuple[float, int]:
    """(loss, step): at the current coefficients, or where it was last finite if it is not.

    A diverged run keeps its last finite coefficients, but their loss may already overflow;
    then the last finite loss recorded (at the step before) is the one to report.
    """
    loss = float(session.current_loss())
    if math.isfinite(loss) or not len(session.history):
        return loss, session.step_count
    losses = np.asarray(session.history.loss)
    finite = np.flatnonzero(np.isfinite(losses))
    if not finite.size:
        return loss, session.step_count
    row = int(finite[-1])
    return float(losses[row]), int(np.asarray(session.history.steps)[row]) - 1


def _divergence_cause(session: Any) -> str:
    """Why a run diverged, in one clause: only blame the learning rate when it is to blame."""
    config, limit = session.config, session.analysis.max_stable_lr
    lr, t, o = config.training.lr, config.training, config.optimizer
    plain = t.method != "torch-optim" or (o.name == "sgd" and o.momentum == 0)
    if plain and t.loss == "squared" and lr > limit:
        return f"the learning rate {lr:g} is above the stable limit {limit:.4g}"
    if not plain:
        return (
            f"the learning rate {lr:g} is too large for {o.name}"
            + (f" with momentum {o.momentum:g}" if o.momentum else "")
            + f" (the limit {limit:.4g} holds for plain gradient descent only)"
        )
    return (
        f"the numbers grew too large for {config.model.dtype} although the learning rate "
        f"{lr:g} is below the stable limit {limit:.4g}"
    )


def summary(session: Any, elapsed: float) -> dict[str, Any]:
    if session.config.model.kind == "mlp":
        return _network_summary(session, elapsed)
    analysis = session.analysis
    steps = session.step_count
    loss, _ = _reported_loss(session)
    summary: dict[str, Any] = {
        "steps": steps,
        "loss": _finite_or_none(loss),
        "coefficients": [float(c) for c in session.coefficients],
        "optimum": {
            "coefficients": [float(c) for c in analysis.optimum_coefficients],
            "loss": float(analysis.optimum_loss),
        },
        "max_stable_lr": float(analysis.max_stable_lr),
        "condition_number": float(analysis.condition_number),
        "diverged": session.status == "diverged",
        "diverged_at": session.diverged_at,
        "elapsed_s": round(elapsed, 6),
        "steps_per_s": round(steps / elapsed, 1) if elapsed > 0 else None,
    }
    if session.status == "diverged":  # the value that ended the run, kept apart from "loss"
        summary["diverged_loss"] = _encoded(float(session.current_loss()))
    return summary


def _network_summary(session: Any, elapsed: float) -> dict[str, Any]:
    """A network has no closed-form optimum: none is reported, and the stable learning rate is
    the local estimate 2/λmax at the final parameters (λmax by power iteration)."""
    steps = session.step_count
    loss, _ = _reported_loss(session)
    curvature = _local_curvature(session)
    summary: dict[str, Any] = {
        "steps": steps,
        "loss": _finite_or_none(loss),
        "mean_loss": _finite_or_none(_mean_loss(session)),
        "parameters": [float(c) for c in session.coefficients],
        "parameter_names": list(session.config.coefficient_names),
        "optimum": None,
        "max_stable_lr": None,
        "local_max_stable_lr": None if curvature is None else _finite_or_none(curvature.stable_lr),
        "local_hessian_max_eigenvalue": None
        if curvature is None
        else _finite_or_none(curvature.largest_eigenvalue),
        "condition_number": None,
        "diverged": session.status == "diverged",
        "diverged_at": session.diverged_at,
        "elapsed_s": round(elapsed, 6),
        "steps_per_s": round(steps / elapsed, 1) if elapsed > 0 else None,
    }
    if session.status == "diverged":
        summary["diverged_loss"] = _encoded(float(session.current_loss()))
    return summary


def _mean_loss(session: Any) -> float:
    """The training loss with the mean reduction, whatever the config's reduction."""
    from gradlab.core.losses import loss_value

    t, data = session.config.training, session.dataset
    residual = session.predict(data.x) - data.y
    return loss_value(residual, t.loss, "mean", t.huber_delta)


def _local_curvature(session: Any) -> Any:
    """λmax at the current parameters, None when the loss there is not finite."""
    from gradlab.core.network_analysis import local_curvature

    if not math.isfinite(session.current_loss()):
        return None
    data = session.dataset
    return local_curvature(session.config, data.x, data.y, session.coefficients)


def _print_network(session: Any, elapsed: float) -> None:
    m = session.config.model
    loss, at_step = _reported_loss(session)
    if session.status == "diverged":
        print(
            f"diverged at step {session.diverged_at}: the learning rate "
            f"{session.config.training.lr:g} is too large here; the last finite parameters "
            "are kept"
        )
    where = f" (the last finite loss, at step {at_step})" if at_step != session.step_count else ""
    print(f"loss = {loss:.6g}{where} after {session.step_count} steps ({elapsed:.2f} s)")
    print(
        f"network: {m.layers} hidden layer(s) of {m.hidden} {m.activation} units, "
        f"{m.parameter_count} parameters; no closed-form optimum exists"
    )
    curvature = _local_curvature(session)
    if curvature is not None and math.isfinite(curvature.stable_lr):
        print(
            f"local curvature: λmax = {curvature.largest_eigenvalue:.4g} here, so plain "
            f"gradient descent is stable near here for lr < {curvature.stable_lr:.4g}"
        )


def print_human(session: Any, elapsed: float) -> None:
    from gradlab.core.features import format_polynomial, to_power_coefficients

    config = session.config
    if config.model.kind == "mlp":
        _print_network(session, elapsed)
        return
    loss, at_step = _reported_loss(session)
    if session.status == "diverged":
        print(
            f"diverged at step {session.diverged_at}: {_divergence_cause(session)}; "
            "the last finite coefficients are shown"
        )
    where = f" (the last finite loss, at step {at_step})" if at_step != session.step_count else ""
    print(
        f"loss = {loss:.6g}{where} after {session.step_count} steps "
        f"({elapsed:.2f} s); optimum loss = {session.analysis.optimum_loss:.6g}"
    )
    power = to_power_coefficients(
        session.coefficients, config.model.basis, config.data.x_min, config.data.x_max
    )
    print(format_polynomial(power, style="chapter"))
