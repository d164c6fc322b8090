"""starting_parameters(config) is where every method's session starts: the window shows it
while a session is still being built (PyTorch may still be loading)."""

from __future__ import annotations

import numpy as np
import pytest

from gradlab.core.config import METHODS, Config
from gradlab.core.methods import starting_parameters
from gradlab.core.session import TrainingSession

pytest.importorskip("torch")

SMALL = {"data.points": 50, "training.steps": 10}
NETWORK = {"model.kind": "mlp", "model.hidden": 4, "training.reduction": "mean"}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("kind", ["polynomial", "mlp"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_every_session_starts_where_the_config_says(method: str, kind: str, dtype: str) -> None:
    changes = {**SMALL, "training.method": method, "model.dtype": dtype}
    if kind == "mlp":
        changes |= NETWORK
    config = Config().with_changes(**changes)
    start = starting_parameters(config)
    assert start.dtype == np.float64 and start.shape == (config.model.parameter_count,)
    built = TrainingSession(config).coefficients
    if dtype == "float64":
        np.testing.assert_array_equal(built, start)
    else:  # the session holds float32: the same numbers, rounded once
        np.testing.assert_array_equal(built, start.astype(np.float32).astype(np.float64))


@pytest.mark.parametrize("kind", ["polynomial", "mlp"])
def test_zeros_and_given_values_are_the_start(kind: str) -> None:
    base = Config().with_changes(**(NETWORK if kind == "mlp" else {}))
    count = base.model.parameter_count
    zeros = base.with_changes(**{"model.init": "zeros"})
    np.testing.assert_array_equal(starting_parameters(zeros), np.zeros(count))
    values = tuple(float(v) for v in np.linspace(-0.5, 0.5, count))
    given = base.with_changes(**{"model.init": "values", "model.init_values": values})
    np.testing.assert_array_equal(starting_parameters(given), np.array(values))
    np.testing.assert_array_equal(TrainingSession(given).coefficients, np.array(values))


def test_a_seed_changes_the_random_start() -> None:
    one, other = Config(), Config().with_changes(seed=1)
    assert not np.array_equal(starting_parameters(one), starting_parameters(other))
    np.testing.assert_array_equal(starting_parameters(one), starting_parameters(Config()))
