"""History: growth, thinning with bounded memory, reading rows, truncating, CSV."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from gradlab.core.history import History


def block(first: int, count: int, p: int = 4) -> tuple[np.ndarray, ...]:
    steps = np.arange(first, first + count, dtype=np.int64)
    values = steps.astype(np.float64)
    coefficients = np.repeat(values[:, None], p, axis=1) + np.arange(p)
    return steps, values * 2, np.full(count, np.nan), coefficients, values / 2


def test_rows_are_recorded_and_read_back() -> None:
    history = History(4)
    history.append(1, 10.0, math.nan, np.array([1.0, 2.0, 3.0, 4.0]), 0.5)
    history.append_block(*block(2, 3000))
    assert len(history) == 3001 and history.last_step == 3001 and history.stride == 1
    assert history.loss[0] == 10.0 and history.loss[-1] == 6002.0
    np.testing.assert_array_equal(history.coefficients[-1], [3001, 3002, 3003, 3004])
    batch = history.rows_after(2999)
    assert batch.steps.tolist() == [3000, 3001] and len(batch) == 2
    assert np.isnan(batch.val_loss).all()
    with pytest.raises(ValueError, match="increase"):
        history.append_block(*block(5, 2))
    with pytest.raises(ValueError, match="coefficients"):
        history.append_block(*block(4000, 2, p=3))


def test_thinning_keeps_every_other_step_and_the_newest() -> None:
    history = History(2, row_cap=64)
    history.append_block(*block(1, 64, p=2))
    assert history.stride == 1 and len(history) == 64
    history.append_block(*block(65, 1, p=2))
    assert history.stride == 2
    assert history.steps.tolist() == [*range(2, 65, 2), 65]  # 65 is the newest, off-stride
    history.append_block(*block(66, 2, p=2))  # 65 was only a tail: 66 replaces it
    assert history.steps.tolist()[-3:] == [64, 66, 67]
    history.append_block(*block(68, 1000, p=2))
    assert len(history) <= 64
    steps = history.steps
    assert steps[-1] == 1067 and (steps[:-1] % history.stride == 0).all()
    assert (np.diff(steps) > 0).all()
    np.testing.assert_array_equal(history.loss, steps * 2.0)  # rows stay consistent


def test_a_million_rows_stay_small() -> None:
    history = History(10)
    for first in range(1, 1_000_001, 8192):
        history.append_block(*block(first, min(8192, 1_000_001 - first), p=10))
    assert history.last_step == 1_000_000
    assert len(history) <= history.row_cap
    assert history.nbytes < 40 * 2**20
    assert history.stride == 4


def test_truncate_after_and_clear() -> None:
    history = History(4)
    history.append_block(*block(1, 100))
    history.truncate_after(40)
    assert history.last_step == 40 and len(history) == 40
    history.append_block(*block(41, 5))
    assert history.last_step == 45
    history.clear()
    assert len(history) == 0 and history.last_step == 0


def test_views_are_read_only() -> None:
    history = History(4)
    history.append_block(*block(1, 3))
    with pytest.raises(ValueError):
        history.loss[0] = 1.0


def test_csv_export(tmp_path: Path) -> None:
    history = History(4)
    steps, loss, val_loss, coefficients, grad_norm = block(1, 5)
    val_loss[4] = 0.125
    history.append_block(steps, loss, val_loss, coefficients, grad_norm)
    path = tmp_path / "run.csv"
    history.to_csv(path, ["a", "b", "c", "d"])
    with path.open(newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["step", "loss", "val_loss", "a", "b", "c", "d", "grad_norm"]
    assert len(rows) == 6
    assert rows[5] == ["5", "10.0", "0.125", "5.0", "6.0", "7.0", "8.0", "2.5"]
    assert rows[1][2] == "nan"
    assert [p.name for p in tmp_path.iterdir()] == ["run.csv"]  # no temporary file left
    with pytest.raises(ValueError, match="names"):
        history.to_csv(path, ["a", "b"])
