"""The clock that reads a training speed from the batches' arrival (self-test, benchmarks)."""

from __future__ import annotations

import pytest

from gradlab.ui.gui_timing import StepClock


def test_the_rate_runs_from_the_first_to_the_last_batch_inside_the_reading():
    clock = StepClock()
    clock.marks = [(0.90, 0), (1.05, 100), (2.00, 1_050), (3.01, 2_060)]
    # the batches at 0.90 and 3.01 s fall outside [1, 3]: 950 steps in 0.95 s
    assert clock.rate(1.0, 3.0) == pytest.approx(1_000.0)
    assert clock.rate(0.0, 4.0) == pytest.approx(2_060 / 2.11)


def test_a_reading_with_fewer_than_two_batches_has_no_rate():
    clock = StepClock()
    assert clock.rate(0.0, 1.0) is None
    clock.mark(10)
    assert clock.rate(0.0, float("inf")) is None
    clock.marks.append((clock.marks[0][0], 20))  # two batches at the same instant
    assert clock.rate(0.0, float("inf")) is None
