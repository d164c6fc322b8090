"""Loss values and d(loss)/d(prediction) in NumPy, for squared / L1 / Huber with sum or mean.

Every function takes the residual ``r = y_pred - y`` (the chapter's ``y_pred - y``). The
conventions match torch exactly: ``MSELoss``, ``L1Loss`` (gradient ``sign(r)`` with
``sign(0) = 0``) and ``HuberLoss(delta)`` with ``reduction="sum"`` or ``"mean"``.
Arithmetic happens in the residual's dtype, so a float32 method stays float32.
"""

from __future__ import annotations

import numpy as np

from gradlab.core.config import LOSSES, REDUCTIONS

_FORMULAS = {
    "squared": ("(ŷ − y)²", "2 (ŷ − y)"),
    "l1": ("|ŷ − y|", "sign(ŷ − y)"),
    "huber": ("huber_δ(ŷ − y)", "clip(ŷ − y, −δ, δ)"),
}


def loss_value(residual: np.ndarray, kind: str, reduction: str, delta: float = 1.0) -> float:
    """The loss of the residuals ``y_pred - y``, as a Python float."""
    r = _check(residual, kind, reduction)
    if kind == "squared":
        pointwise = r * r
    elif kind == "l1":
        pointwise = np.abs(r)
    else:
        # quadratic near zero, linear (slope delta) beyond |r| = delta, as torch.nn.HuberLoss:
        # with q = min(|r|, delta), q·(|r| − q/2) is both branches at once, bit for bit (the
        # halving and the subtraction are exact), without computing both and choosing
        a = np.abs(r)
        q = np.minimum(a, delta)
        pointwise = q * (a - 0.5 * q)
    total = pointwise.sum()
    return float(total / r.size if reduction == "mean" else total)


def loss_grad_wrt_pred(
    residual: np.ndarray, kind: str, reduction: str, delta: float = 1.0
) -> np.ndarray:
    """d(loss)/d(y_pred) for each point: the chapter's ``grad_y_pred`` (same shape and dtype)."""
    r = _check(residual, kind, reduction)
    if kind == "squared":
        grad = 2 * r
    elif kind == "l1":
        grad = np.sign(r)  # sign(0) = 0, as torch's L1Loss backward
    else:
        grad = np.clip(r, -delta, delta)  # r inside the band, ±delta outside
    if reduction == "mean":
        grad = grad / r.size
    return grad.astype(r.dtype, copy=False)


def loss_formula(kind: str, reduction: str) -> str:
    """The loss written out for display, e.g. ``Σ (ŷ − y)²`` or ``(1/n) Σ |ŷ − y|``."""
    _check_names(kind, reduction)
    return _reduce(_FORMULAS[kind][0], reduction)


def loss_grad_formula(kind: str, reduction: str) -> str:
    """d(loss)/d(ŷ) for one point written out, e.g. ``2 (ŷ − y)`` or ``(1/n) sign(ŷ − y)``."""
    _check_names(kind, reduction)
    body = _FORMULAS[kind][1]
    return f"(1/n) {body}" if reduction == "mean" else body


def _reduce(body: str, reduction: str) -> str:
    return f"(1/n) Σ {body}" if reduction == "mean" else f"Σ {body}"


def _check(residual: np.ndarray, kind: str, reduction: str) -> np.ndarray:
    _check_names(kind, reduction)
    r = np.asarray(residual)
    if r.dtype.kind != "f":  # called every step: cheaper than np.issubdtype
        r = r.astype(np.float64)
    if r.size == 0:
        raise ValueError("the loss needs at least one point, got none")
    return r


def _check_names(kind: str, reduction: str) -> None:
    if kind not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(LOSSES)}, got {kind!r}")
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {', '.join(REDUCTIONS)}, got {reduction!r}")
