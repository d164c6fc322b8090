"""TrainingSession.pause_when: advance() stops at the exact step that first meets the condition."""

from __future__ import annotations

import numpy as np
import pytest

from gradlab.core.config import Config
from gradlab.core.session import PAUSED_AT_TARGET, TrainingSession

TOLERANCE = 1e-6
CASES = {
    "numpy-squared-sum": {},
    "numpy-squared-mean": {"training.reduction": "mean", "training.lr": 2e-3},
    "numpy-mini-batch": {"training.batch_size": 256},
    "torch-autograd": {"training.method": "torch-autograd"},
    "torch-optim-sgd": {"training.method": "torch-optim", "optimizer.name": "sgd"},
}


def first_row_within(session: TrainingSession, optimum: float, tolerance: float) -> int:
    """The step of the first history row within the tolerance, from an unconditioned run."""
    rows = np.flatnonzero(session.history.loss - optimum <= tolerance)
    assert rows.size, "the reference run never got within the tolerance"
    return int(session.history.steps[rows[0]])


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_full_speed_advance_stops_at_the_first_step_within_the_tolerance(case: str) -> None:
    config = Config().with_changes(**{"training.steps": 12_000, **CASES[case]})
    reference = TrainingSession(config)
    optimum = reference.analysis.optimum_loss
    tolerance = TOLERANCE
    reference.advance(12_000)
    expected = first_row_within(reference, optimum, tolerance)
    assert 1 < expected < 12_000

    session = TrainingSession(config)
    session.pause_when(optimum, tolerance)
    done = session.advance(1_000_000)  # one call, as fast as possible: never past the step
    assert done == session.step_count == expected == session.target_reached_at
    assert session.status == PAUSED_AT_TARGET and not session.done
    assert session.history.last_step == expected
    assert session.history.loss[-1] - optimum <= tolerance
    assert (session.history.loss[:-1] - optimum > tolerance).all()
    # the same numbers as the run without the condition, up to that step
    np.testing.assert_array_equal(
        session.coefficients, reference.history.coefficients[expected - 1]
    )
    batch = session.drain()
    assert batch.status == PAUSED_AT_TARGET and batch.step_count == expected

    # Resume goes on: the condition has fired once and does not stop every following step
    assert session.advance(500) == 500
    assert session.status == "running" and session.step_count == expected + 500


@pytest.mark.parametrize("chunk", [1, 7, 300, 8192])
def test_any_chunking_stops_at_the_same_step(chunk: int) -> None:
    config = Config().with_changes(**{"training.steps": 12_000})
    session = TrainingSession(config)
    optimum = session.analysis.optimum_loss
    session.pause_when(optimum, TOLERANCE)
    while session.status != PAUSED_AT_TARGET:
        assert session.advance(chunk) > 0
    whole = TrainingSession(config)
    whole.pause_when(optimum, TOLERANCE)
    whole.advance(12_000)
    assert session.step_count == whole.step_count == session.target_reached_at
    np.testing.assert_array_equal(session.coefficients, whole.coefficients)


def test_rewind_before_the_step_arms_the_condition_again_and_none_clears_it() -> None:
    config = Config().with_changes(**{"training.steps": 12_000})
    session = TrainingSession(config)
    optimum = session.analysis.optimum_loss
    session.pause_when(optimum, TOLERANCE)
    session.advance(12_000)
    reached = session.step_count
    assert session.rewind(to_step=reached - 1)
    session.advance(12_000)
    assert session.step_count == reached and session.status == PAUSED_AT_TARGET
    session.rewind(to_step=0)
    session.pause_when(None)
    session.advance(12_000)
    assert session.status == "finished" and session.target_reached_at is None


def test_single_steps_meet_the_condition_too() -> None:
    session = TrainingSession(Config().with_changes(**{"training.steps": 12_000}))
    optimum = session.analysis.optimum_loss
    session.advance(5000)
    session.pause_when(optimum, TOLERANCE)
    while session.status != PAUSED_AT_TARGET:
        session.step()
    assert session.history.loss[-1] - optimum <= TOLERANCE < session.history.loss[-2] - optimum


@pytest.mark.parametrize("bad", [(np.nan, 1e-6), (1.0, 0.0), (1.0, -1.0), (1.0, np.inf)])
def test_a_bad_condition_is_refused(bad: tuple[float, float]) -> None:
    session = TrainingSession(Config().with_changes(**{"training.steps": 10}))
    with pytest.raises(ValueError, match="stop condition"):
        session.pause_when(*bad)
