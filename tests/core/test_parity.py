"""Plain gradient descent, squared loss, float64: the four methods walk the same path."""

from __future__ import annotations

import numpy as np
import pytest

from gradlab.core.config import Config
from gradlab.core.session import TrainingSession

pytest.importorskip("torch")

METHODS = ("numpy-manual", "torch-autograd", "torch-optim", "torch-function")


def gd_config(method: str, **dotted: object) -> Config:
    changes: dict[str, object] = {
        "training.method": method,
        "training.loss": "squared",
        "training.steps": 500,
        "optimizer.name": "sgd",
        "optimizer.momentum": 0.0,
        "model.dtype": "float64",
    }
    changes.update(dotted)
    return Config().with_changes(**changes)


@pytest.mark.parametrize(
    "setting",
    [
        {"training.reduction": "sum", "training.lr": 1e-6},  # the chapter's listing 1
        {"training.reduction": "mean", "training.lr": 0.4, "model.basis": "legendre"},
        {"training.reduction": "sum", "training.lr": 2e-9, "model.degree": 5},
    ],
    ids=["chapter", "legendre-mean", "quintic"],
)
def test_three_methods_same_trajectory(setting: dict[str, object]) -> None:
    runs = {}
    for method in METHODS:
        session = TrainingSession(gd_config(method, **setting))
        assert session.advance(10**6) == 500
        assert session.status == "finished"
        runs[method] = session.history
    reference = runs["numpy-manual"]
    scale = np.abs(reference.coefficients).max()
    for method in METHODS[1:]:
        np.testing.assert_allclose(runs[method].loss, reference.loss, rtol=1e-9)
        np.testing.assert_allclose(
            runs[method].coefficients, reference.coefficients, rtol=1e-9, atol=1e-9 * scale
        )
        # near the optimum the gradient is rounding noise: compare it against its first size
        np.testing.assert_allclose(
            runs[method].grad_norm,
            reference.grad_norm,
            rtol=1e-8,
            atol=1e-9 * reference.grad_norm[0],
        )


def test_three_methods_same_gradients_step_by_step() -> None:
    records = {}
    for method in METHODS:
        session = TrainingSession(gd_config(method, **{"training.lr": 1e-6}))
        records[method] = [session.step() for _ in range(50)]
    for method in METHODS[1:]:
        for mine, reference in zip(records[method], records["numpy-manual"], strict=True):
            assert mine.step == reference.step
            np.testing.assert_allclose(mine.gradients, reference.gradients, rtol=1e-9)
            np.testing.assert_allclose(mine.coefficients, reference.coefficients, rtol=1e-9)
