"""A network's parameter plot draws each tensor's norm over steps: the model keeps them, from
every row, beside the per-parameter history (whose envelopes could not give a norm)."""

from __future__ import annotations

import numpy as np

from gradlab.core.config import Config
from gradlab.core.history import HistoryBatch
from gradlab.model.lab import Intent, LabModel

NETWORK = Config().with_changes(**{"model.kind": "mlp", "model.hidden": 4, "model.layers": 1})


def network_rows(start: int, stop: int, *, rewound_to: int | None = None) -> HistoryBatch:
    steps = np.arange(start, stop, dtype=np.int64)
    k, p = steps.size, NETWORK.model.parameter_count  # 4 + 4 + 4 + 1 = 13
    theta = np.arange(1.0, p + 1.0) * (1 + steps[:, None])  # row s: (1, 2, ..., 13) × (s + 1)
    return HistoryBatch(
        steps, np.ones(k), np.full(k, np.nan), theta, np.ones(k),
        status="running", step_count=stop, rewound_to=rewound_to,
    )  # fmt: skip


def test_each_tensors_norm_is_kept_per_step() -> None:
    model = LabModel()
    model.begin_run(NETWORK, Intent("resume"))
    model.append(network_rows(0, 5))
    norms = model.norm_history
    assert norms is not None and norms.n_coefficients == 4  # W1, b1, W2, b2
    # W1 is entries 1-4 of the flat vector, b1 5-8, W2 9-12, b2 the 13th
    groups = [range(1, 5), range(5, 9), range(9, 13), range(13, 14)]
    for column, group in enumerate(groups):
        steps, values = norms.coefficient_series(column)
        expected = [np.sqrt(sum((i * (s + 1.0)) ** 2 for i in group)) for s in range(5)]
        np.testing.assert_array_equal(steps, np.arange(5))
        np.testing.assert_allclose(values, expected)


def test_a_rewind_drops_later_norms_and_a_polynomial_keeps_none() -> None:
    model = LabModel()
    model.begin_run(NETWORK, Intent("resume"))
    model.append(network_rows(0, 10))
    model.append(network_rows(4, 4, rewound_to=3))
    assert model.norm_history is not None and model.norm_history.last_step == 3
    model.reset()
    assert model.norm_history is None
    model.begin_run(Config(), Intent("resume"))
    assert model.norm_history is None
