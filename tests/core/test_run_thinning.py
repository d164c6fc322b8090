"""Kept runs cost memory in proportion to what their faded curves draw, not to their length."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gradlab.core.config import Config
from gradlab.core.limits import MAX_RUN_ID, MAX_RUN_ROWS
from gradlab.core.runs import KEPT_ROWS, RunHistory, RunList, RunRecord, check_run_ids


def long_run(rows: int, run_id: int = 1, seed: int = 0) -> RunRecord:
    rng = np.random.default_rng(seed)
    loss = np.exp(-np.linspace(0, 5, rows)) + rng.random(rows) * 0.01
    loss[rows // 3] = 50.0  # a spike the faded curve must keep
    loss[rows // 2] = np.nan  # a non-finite row is never chosen as a lowest or highest
    history = RunHistory(
        np.arange(1, rows + 1), loss, np.full(rows, np.nan), rng.random((rows, 4)), rng.random(rows)
    )
    return RunRecord(
        id=run_id, label="run", config=Config(), status="stopped", step_count=rows,
        diverged_at=None, final_loss=float(loss[-1]), final_coefficients=np.zeros(4),
        history=history,
    )  # fmt: skip


def test_a_short_history_is_kept_as_it_is():
    record = long_run(KEPT_ROWS)
    assert record.thinned() is record and record.history.thinned() is record.history


def test_a_long_history_keeps_its_ends_and_the_lowest_and_highest_loss_of_each_stretch():
    record = long_run(MAX_RUN_ROWS)
    full, kept = record.history, record.thinned().history
    assert len(kept) <= KEPT_ROWS
    assert kept.steps[0] == full.steps[0] and kept.steps[-1] == full.steps[-1]
    assert np.all(np.diff(kept.steps) > 0)
    assert np.nanmax(kept.loss) == 50.0 and np.nanmin(kept.loss) == np.nanmin(full.loss)
    # every kept row is a row of the run, whole: coefficients and all
    rows = np.searchsorted(full.steps, kept.steps)
    np.testing.assert_array_equal(full.coefficients[rows], kept.coefficients)
    np.testing.assert_array_equal(full.grad_norm[rows], kept.grad_norm)
    # in each of the KEPT_ROWS // 4 stretches, the lowest and highest finite loss are there
    edges = np.linspace(0, len(full), KEPT_ROWS // 4 + 1).astype(int)
    for a, b in itertools.pairwise(edges):
        inside = kept.loss[(kept.steps >= full.steps[a]) & (kept.steps <= full.steps[b - 1])]
        assert np.nanmin(inside) == np.nanmin(full.loss[a:b])
        assert np.nanmax(inside) == np.nanmax(full.loss[a:b])


def loop_thinned(loss: np.ndarray, max_rows: int) -> np.ndarray:
    """The rows kept, found stretch by stretch as the rule says (argmin/argmax: first of ties)."""
    edges = np.linspace(0, loss.size, max_rows // 4 + 1).astype(np.int64)
    low = np.where(np.isfinite(loss), loss, np.inf)
    high = np.where(np.isfinite(loss), loss, -np.inf)
    rows = set()
    for a, b in itertools.pairwise(edges):
        rows |= {int(a), int(b) - 1, a + int(np.argmin(low[a:b])), a + int(np.argmax(high[a:b]))}
    return np.array(sorted(rows))


@pytest.mark.parametrize("rows", [KEPT_ROWS + 1, 7_919, MAX_RUN_ROWS])
def test_the_rows_kept_are_those_the_stretch_by_stretch_rule_picks(rows: int) -> None:
    rng = np.random.default_rng(rows)
    loss = rng.choice([0.5, 1.0, 2.0], rows) + rng.integers(0, 3, rows)  # many ties
    loss[rng.integers(0, rows, rows // 50)] = np.nan
    loss[rng.integers(0, rows, rows // 50)] = np.inf
    loss[rows // 4 : rows // 4 + 3 * rows // KEPT_ROWS] = np.nan  # whole stretches non-finite
    history = RunHistory(np.arange(rows), loss, loss, np.zeros((rows, 1)), loss)
    np.testing.assert_array_equal(history.thinned().steps, loop_thinned(loss, KEPT_ROWS))


def test_long_runs_take_a_hundredth_of_their_full_size():
    runs = RunList()
    record = long_run(MAX_RUN_ROWS)
    for _ in range(10):
        runs.add(record)
    assert len(runs) == 10 and record.nbytes > 16_000_000  # a whole 2**18-row cubic run
    assert runs.nbytes < 10 * 150_000  # so 50 of them take ~7 MB, not 850 MB
    assert all(len(kept.history) <= KEPT_ROWS for kept in runs)


def test_an_opened_session_is_thinned_too_and_ids_it_cannot_number_change_nothing():
    runs = RunList()
    runs.add(long_run(10))
    runs.replace_all([long_run(MAX_RUN_ROWS, run_id=7)])
    assert len(runs.get(7).history) <= KEPT_ROWS
    for bad in ([long_run(5, 3), long_run(5, 3)], [long_run(5, MAX_RUN_ID)]):
        with pytest.raises(ValueError, match="run ids"):
            runs.replace_all(bad)
        with pytest.raises(ValueError, match="run ids"):
            check_run_ids(bad)
        assert [record.id for record in runs] == [7]
    assert runs.add(long_run(5)).id == 8
