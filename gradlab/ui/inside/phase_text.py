"""The words and tables of the phase view: one PhaseRecord's numbers (as the core computed them,
only formatted here), which of the chapter's six steps a phase is, and why an optimizer's steps
are as big as they are: every number in a sentence is one the tables beside it show."""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication

from gradlab.core.config import Config
from gradlab.core.messages import Message
from gradlab.core.methods.base import PHASES, UpdateDirection
from gradlab.core.network import network_formula
from gradlab.core.phases import PhaseRecord, feature_names
from gradlab.core.session import TrainingSession
from gradlab.ui.inside.phase_network import (
    backward_groups_html,
    forward_layers_html,
    update_groups_html,
)
from gradlab.ui.palette import colour


def chapter_strip() -> list[tuple[str | None, str]]:
    """The chapter's six-step loop (with the forward pass before its step 1): (phase, label)."""
    return [
        ("forward", QCoreApplication.translate("PhaseView", "predict ŷ")),
        ("loss", QCoreApplication.translate("PhaseView", "1 loss")),
        ("backward", QCoreApplication.translate("PhaseView", "2 differentiate")),
        ("backward", QCoreApplication.translate("PhaseView", "3 gradients")),
        ("update", QCoreApplication.translate("PhaseView", "4 update")),
        ("zero_grad", QCoreApplication.translate("PhaseView", "5 zero grads")),
        (None, QCoreApplication.translate("PhaseView", "6 loop again")),
    ]


STATE_NAMES = {  # torch.optim's buffer names, as the update rules write them
    "momentum_buffer": "momentum buffer b",
    "square_avg": "square avg v",
    "exp_avg": "exp_avg m",
    "exp_avg_sq": "exp_avg_sq v",
    "sum": "sum s",
}


def number(value: float, digits: int = 6) -> str:
    """A number as a student reads it: 6 significant digits, scientific when tiny or huge."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    return f"{value:.{digits}g}"


def chapter_step_text(phase: str) -> str:
    """Which of the chapter's six steps ``phase`` is, in one sentence."""
    return {
        "forward": QCoreApplication.translate(
            "PhaseView", "Before the chapter's step 1: the model predicts ŷ for the points."
        ),
        "loss": QCoreApplication.translate(
            "PhaseView", "The chapter's step 1: compute the loss from prediction and label."
        ),
        "backward": QCoreApplication.translate(
            "PhaseView",
            "Steps 2–3: differentiate the loss with respect to each parameter (backwards) "
            "and compute each parameter's gradient.",
        ),
        "update": QCoreApplication.translate("PhaseView", "Step 4: update the parameters."),
        "zero_grad": QCoreApplication.translate(
            "PhaseView", "Step 5: set the gradients to zero; step 6 loops back to the start."
        ),
    }[phase]


def message_text(message: Message) -> str:
    """The sentence for a message the core returned about a phase, in the user's language."""
    letters = str(message.values.get("letters", ""))
    texts = {
        "backward.by_hand": lambda: QCoreApplication.translate(
            "PhaseView", "Computed by hand: the chain rule written out in NumPy"
        ),
        "backward.autograd": lambda: QCoreApplication.translate(
            "PhaseView", "Computed by loss.backward(): autograd applies the chain rule"
        ),
        "backward.function": lambda: QCoreApplication.translate(
            "PhaseView",
            "Computed by our Function's backward: loss.backward() finds ∂loss/∂ŷ, then calls "
            "the chain rule written by hand",
        ),
        "backward.function_flipped": lambda: QCoreApplication.translate(
            "PhaseView",
            "Computed by our Function's backward, with the lesson's bug: ∂loss/∂b has the "
            "wrong sign",
        ),
        "zero_grad.nothing_to_clear": lambda: QCoreApplication.translate(
            "PhaseView", "nothing to clear: the gradients are recomputed from scratch each step"
        ),
        "zero_grad.grad_none": lambda: QCoreApplication.translate(
            "PhaseView",
            ".grad = None: the gradients of {letters} are cleared, or the next backward() "
            "would add to them",
        ).format(letters=letters),
        "zero_grad.optimizer": lambda: QCoreApplication.translate(
            "PhaseView", "optimizer.zero_grad(): every parameter's .grad ({letters}) set to None"
        ).format(letters=letters),
    }
    return texts[message.id]()


def phase_title(phase: str) -> str:
    return {
        "forward": QCoreApplication.translate("PhaseView", "forward pass"),
        "loss": QCoreApplication.translate("PhaseView", "loss"),
        "backward": QCoreApplication.translate("PhaseView", "backward (gradients)"),
        "update": QCoreApplication.translate("PhaseView", "update"),
        "zero_grad": QCoreApplication.translate("PhaseView", "zero the gradients"),
    }[phase]


def polynomial_text(config: Config) -> str:
    """ŷ = a + b·x + c·x² + d·x³ (or the Legendre terms); a network written out."""
    if config.model.kind == "mlp":
        return network_formula(config.model).replace("y = ", "ŷ = ", 1)
    terms = []
    for name, feature in zip(config.coefficient_names, feature_names(config), strict=True):
        terms.append(name if feature == "1" else f"{name}·{feature}")
    return "ŷ = " + " + ".join(terms)


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th align='right'>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td align='right'>{cell}</td>" for cell in row) + "</tr>" for row in rows
    )
    return (
        "<table cellspacing='0' cellpadding='3' border='0' style='margin-top:4px'>"
        f"<tr style='background:{colour('phase_idle')}'>{head}</tr>{body}</table>"
    )


def _mono(text: str) -> str:
    return f"<span style='font-family:monospace'>{html.escape(text)}</span>"


def record_html(record: PhaseRecord, config: Config) -> str:
    """The numbers of one phase as HTML (the values are the core's, only formatted here)."""
    v = record.values
    names = list(config.coefficient_names)
    parts: list[str] = []
    if record.phase == "forward":
        count = len(v["x"])
        what = (
            QCoreApplication.translate("PhaseView", "for all {n} points").format(n=count)
            if v.get("batch_indices") is None
            else QCoreApplication.translate(
                "PhaseView", "for this mini-batch of {n} points"
            ).format(n=count)
        )
        parts.append(f"<p>{_mono(polynomial_text(config))} {html.escape(what)}.</p>")
        if "layers" in v:
            parts.append(forward_layers_html(v["layers"], v["samples"], config, _table, number))
        rows = [
            [number(x, 4), f"<b>{number(p)}</b>", number(y), number(p - y)]
            for x, p, y in v["samples"]
        ]
        parts.append(
            _table(
                [
                    "x",
                    QCoreApplication.translate("PhaseView", "ŷ (prediction)"),
                    QCoreApplication.translate("PhaseView", "y (label)"),
                    "ŷ − y",
                ],
                rows,
            )
        )
        parts.append(
            "<p style='color:#555'>"
            + html.escape(
                QCoreApplication.translate(
                    "PhaseView", "The fit plot marks these points: ŷ in red, the labels y in blue."
                )
            )
            + "</p>"
        )
    elif record.phase == "loss":
        parts.append(
            f"<p>{_mono('loss = ' + v['formula'])} = <b style='font-size:large'>"
            f"{number(v['loss'], 8)}</b></p>"
        )
        parts.append(
            "<p>"
            + html.escape(
                QCoreApplication.translate(
                    "PhaseView", "{kind} loss, {reduction} over {n} points."
                ).format(kind=v["kind"], reduction=v["reduction"], n=v["num_points"])
            )
            + "</p>"
        )
    elif record.phase == "backward":
        parts.append(f"<p>{html.escape(message_text(v['computed_by']))}.</p>")
        if "groups" in v:  # a network: per tensor, not one row per parameter
            parts.append(backward_groups_html(v["groups"], v["group_rules"], _table, number))
        else:
            rows = [
                [name, f"<b>{number(g)}</b>", _mono(rule)]
                for name, g, rule in zip(v["names"], v["gradients"], v["chain_rule"], strict=True)
            ]
            header = [
                QCoreApplication.translate("PhaseView", "coefficient"),
                "∂loss/∂θ",
                QCoreApplication.translate("PhaseView", "by the chain rule"),
            ]
            parts.append(_table(header, rows))
        grad_y = v.get("grad_wrt_predictions")
        if grad_y is not None and len(grad_y):
            first = ", ".join(number(g, 4) for g in np.asarray(grad_y)[:3])
            parts.append(
                "<p style='color:#555'>"
                + html.escape(
                    QCoreApplication.translate(
                        "PhaseView", "grad_y_pred = ∂loss/∂ŷ for each point: {values}, …"
                    ).format(values=first)
                )
                + "</p>"
            )
        elif v["computed_by"].id == "backward.autograd":
            parts.append(
                "<p style='color:#555'>"
                + html.escape(
                    QCoreApplication.translate(
                        "PhaseView", "autograd derives these same expressions by itself."
                    )
                )
                + "</p>"
            )
    elif record.phase == "update":
        parts.append(f"<p>{_mono(v['rule'])} &nbsp; (lr = {number(v['lr'])})</p>")
        before, after, step = v["before"], v["after"], v["step"]
        direction: UpdateDirection | None = v.get("direction")
        if "groups" in v:  # a network: per tensor
            parts.append(update_groups_html(v["groups"], _table, number))
        elif before is not None and after is not None:
            rows = [
                [
                    name,
                    number(before[k], 8),
                    number(direction.u[k], 4) if direction is not None else "–",
                    f"<b>{number(after[k], 8)}</b>",
                    number(step[k], 4),
                ]
                for k, name in enumerate(names)
            ]
            header = [
                QCoreApplication.translate("PhaseView", "coefficient"),
                QCoreApplication.translate("PhaseView", "before"),
                direction_title(direction),
                QCoreApplication.translate("PhaseView", "after"),
                change_title(direction),
            ]
            parts.append(_table(header, rows))
        if "optimizer_state" in v:
            parts.append(
                "<p style='color:#555'>"
                + html.escape(
                    QCoreApplication.translate(
                        "PhaseView",
                        "optimizer.step() applied its own rule: the change is −lr × u, with u "
                        "from the optimizer's state (see below).",
                    )
                )
                + "</p>"
            )
        if direction is not None and step is not None:
            parts.append(
                "<p style='color:#555'>"
                + html.escape(optimizer_explanation(direction, step))
                + "</p>"
            )
    else:
        parts.append(f"<p>{html.escape(message_text(v['cleared']))}.</p>")
        cleared = v.get("gradients_cleared")
        if cleared is True:
            parts.append(
                "<p>✓ "
                + html.escape(QCoreApplication.translate("PhaseView", "every .grad is None now."))
                + "</p>"
            )
        elif cleared is None:
            parts.append(
                "<p style='color:#555'>"
                + html.escape(
                    QCoreApplication.translate(
                        "PhaseView", "(NumPy keeps no gradients between steps.)"
                    )
                )
                + "</p>"
            )
        parts.append(
            "<p>"
            + html.escape(
                QCoreApplication.translate("PhaseView", "Step {step} is complete.").format(
                    step=record.step
                )
            )
            + "</p>"
        )
    if v.get("diverged"):
        parts.append(
            f"<p style='color:{colour('error')}'><b>"
            + html.escape(
                QCoreApplication.translate(
                    "PhaseView",
                    "This value is not finite: the step ends here and the run has diverged.",
                )
            )
            + "</b></p>"
        )
    return "".join(parts)


def direction_title(direction: UpdateDirection | None) -> str:
    """The column of u, the update's direction: "u = m̂ / (√v̂ + ε)", or "g" for plain descent."""
    if direction is None:
        return "u"
    return direction.formula if direction.formula == "g" else f"u = {direction.formula}"


def change_title(direction: UpdateDirection | None) -> str:
    """The column of the real change θ_after − θ_before (which equals −lr × u)."""
    symbol = "g" if direction is not None and direction.formula == "g" else "u"
    return QCoreApplication.translate("PhaseView", "change = −lr × {u}").format(u=symbol)


NUMBERS_IN_A_SENTENCE = 10  # a polynomial's every coefficient; a network's first ten


def _numbers(values: np.ndarray) -> str:
    values = np.asarray(values, dtype=np.float64).reshape(-1)
    shown = ", ".join(number(value, 4) for value in values[:NUMBERS_IN_A_SENTENCE])
    return shown + (", …" if values.size > NUMBERS_IN_A_SENTENCE else "")


def _scalar(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) else math.nan


def optimizer_explanation(direction: UpdateDirection, change: np.ndarray) -> str:
    """Why the last step was as big as it was: the optimizer's rule in words, then its u and the
    real change θ_after − θ_before (= −lr × u), in the same digits as the tables beside it."""
    parts = direction.parts
    values = {
        "mu": number(_scalar(parts.get("mu", 0.0)), 3),
        "t": parts.get("t", 0),
        "decay": number(_scalar(parts.get("decay", 0.0)), 3),
    }
    intro = {
        "gd": lambda: QCoreApplication.translate(
            "PhaseView", "Plain gradient descent keeps no state: each coefficient moves by −lr × g."
        ),
        "sgd_momentum": lambda: QCoreApplication.translate(
            "PhaseView",
            "SGD with momentum adds each gradient to a buffer b that decays by μ = {mu} per "
            "step and moves by −lr × b, so gradients of the same sign add up.",
        ),
        "sgd_nesterov": lambda: QCoreApplication.translate(
            "PhaseView",
            "Nesterov momentum keeps a buffer b that decays by μ = {mu} per step and moves by "
            "−lr × (g + μ·b): the gradient plus a look ahead along b.",
        ),
        "rmsprop": lambda: QCoreApplication.translate(
            "PhaseView",
            "RMSprop divides each gradient by √v + ε, the root of its running mean square, so "
            "a step's size follows the gradient relative to its recent sizes, not its raw size.",
        ),
        "rmsprop_momentum": lambda: QCoreApplication.translate(
            "PhaseView",
            "RMSprop with momentum adds g / (√v + ε) to a buffer b that decays by μ = {mu} per "
            "step, and moves by −lr × b.",
        ),
        "adam": lambda: QCoreApplication.translate(
            "PhaseView",
            "Adam divides m̂ = m / (1 − β₁ᵗ), the bias-corrected running mean of the gradient, "
            "by √v̂ + ε, where v̂ = v / (1 − β₂ᵗ) is the bias-corrected running mean square "
            "(t = {t}).",
        ),
        "adamw": lambda: QCoreApplication.translate(
            "PhaseView",
            "AdamW divides m̂ = m / (1 − β₁ᵗ), the bias-corrected running mean of the gradient, "
            "by √v̂ + ε, where v̂ = v / (1 − β₂ᵗ) (t = {t}), and also shrinks θ by lr · λ · θ "
            "(λ = {decay}).",
        ),
        "adagrad": lambda: QCoreApplication.translate(
            "PhaseView",
            "Adagrad divides each gradient by √s + ε, the root of the sum s of all its squares "
            "so far; s only grows, so the same gradient moves a coefficient less and less.",
        ),
    }[direction.kind]().format(**values)
    numbers = QCoreApplication.translate(
        "PhaseView", "Here u = {formula} = {u}, so the change −lr × u is {change} (lr = {lr})."
    ).format(
        formula=direction.formula,
        u=_numbers(direction.u),
        change=_numbers(change),
        lr=number(direction.lr, 4),
    )
    return intro + " " + numbers


def optimizer_snapshot(session: TrainingSession) -> dict[str, Any] | None:
    """What the optimizer state table shows, read in the worker thread (NumPy copies);
    None unless the session's method trains with a torch optimizer."""
    method = session.method
    state = method.optimizer_state()
    if state is None:
        return None
    delta = method.update_delta
    gradients = method.gradients
    return {
        "direction": method.update_direction(),
        "optimizer": method.optimizer_name,
        "momentum": float(session.config.optimizer.momentum),
        "optimizer_state": state,
        "gradients": None if gradients is None else np.array(gradients, dtype=np.float64),
        "step": None if delta is None else np.array(delta, dtype=np.float64),
        "lr": float(method.learning_rate),
        "step_count": updates_made(session),
    }


def updates_made(session: TrainingSession) -> int:
    """Steps whose update has run: paused between a step's update and its zero_grad, the
    optimizer state is already the next step's (Adam's t says so), not the last finished one's."""
    method = session.method
    past_update = method.phase_index > PHASES.index("update")
    return int(session.step_count) + (1 if past_update else 0)
