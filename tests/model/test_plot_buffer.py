"""PlotBuffer: what the live plots draw stays a few thousand points however long the run."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from gradlab.model.plot_buffer import GRAD_NORM, LOSS, VAL_LOSS, PlotBuffer

MAX_POINTS_PER_CURVE = 5000


def batch(steps, loss, *, coefficients=None, val_loss=None, grad_norm=None, rewound_to=None):
    steps = np.asarray(steps, dtype=np.int64)
    n = steps.size
    return SimpleNamespace(
        steps=steps,
        loss=np.asarray(loss, dtype=np.float64),
        val_loss=np.full(n, np.nan) if val_loss is None else np.asarray(val_loss, float),
        grad_norm=np.ones(n) if grad_norm is None else np.asarray(grad_norm, float),
        coefficients=np.zeros((n, 2)) if coefficients is None else coefficients,
        rewound_to=rewound_to,
    )


def test_a_short_run_is_drawn_exactly():
    buffer = PlotBuffer(2)
    steps = np.arange(1, 101)
    loss = 1.0 / steps
    coefficients = np.column_stack([steps * 0.5, -steps * 1.0])
    buffer.append(batch(steps[:37], loss[:37], coefficients=coefficients[:37]))
    buffer.append(batch(steps[37:], loss[37:], coefficients=coefficients[37:]))
    x, y = buffer.series(LOSS)
    np.testing.assert_array_equal(x, steps)
    np.testing.assert_array_equal(y, loss)
    np.testing.assert_array_equal(buffer.coefficient_series(1)[1], -steps * 1.0)
    assert buffer.last_step == 100 and buffer.last_loss == pytest.approx(0.01)
    np.testing.assert_array_equal(buffer.last_coefficients, [50.0, -100.0])


def test_a_million_rows_draw_as_at_most_a_few_thousand_points_keeping_the_extremes():
    rng = np.random.default_rng(1)
    buffer = PlotBuffer(4)
    total = 1_000_000
    loss = np.exp(-np.arange(total) / 2e5) + 0.01 * rng.random(total)
    loss[123_457] = 50.0  # a spike must survive the thinning
    for start in range(0, total, 7919):
        stop = min(start + 7919, total)
        steps = np.arange(start + 1, stop + 1)
        coefficients = np.tile(np.sin(steps / 1e4)[:, None], (1, 4))
        buffer.append(
            batch(steps, loss[start:stop], coefficients=coefficients, grad_norm=loss[start:stop])
        )
    assert len(buffer) == total
    for column in (LOSS, GRAD_NORM, 3, 4, 5, 6):
        x, y = buffer.series(column)
        assert 0 < x.size <= MAX_POINTS_PER_CURVE
        assert np.all(np.diff(x) >= 0)
    x, y = buffer.series(LOSS)
    assert y.max() == 50.0 and abs(x[np.argmax(y)] - 123_458) <= buffer.bucket_size
    assert y.min() == loss.min()
    assert x[0] <= buffer.bucket_size and x[-1] <= total  # within the first and last bucket


def test_the_result_does_not_depend_on_how_rows_were_batched():
    rng = np.random.default_rng(2)
    loss = rng.random(20_000)
    steps = np.arange(1, 20_001)
    one = PlotBuffer(2, max_buckets=64)
    one.append(batch(steps, loss, coefficients=np.zeros((20_000, 2))))
    many = PlotBuffer(2, max_buckets=64)
    cuts = np.sort(rng.choice(np.arange(1, 20_000), 50, replace=False))
    for part_steps, part_loss in zip(np.split(steps, cuts), np.split(loss, cuts), strict=True):
        many.append(batch(part_steps, part_loss, coefficients=np.zeros((part_steps.size, 2))))
    for a, b in zip(one.series(LOSS), many.series(LOSS), strict=True):
        np.testing.assert_array_equal(a, b)


def test_non_finite_values_are_dropped_and_log_curves_keep_only_positive_values():
    buffer = PlotBuffer(2)
    loss = np.array([4.0, np.nan, 2.0, np.inf, 0.0, -1.0, 1.0])
    buffer.append(
        batch(np.arange(1, 8), loss, val_loss=[np.nan, 3.0, np.nan, 2.0, np.nan, 1.0, 0.5])
    )
    x, y = buffer.series(LOSS)
    np.testing.assert_array_equal(x, [1, 3, 5, 6, 7])
    x, y = buffer.series(LOSS, positive=True)
    np.testing.assert_array_equal(y, [4.0, 2.0, 1.0])
    x, y = buffer.series(VAL_LOSS)
    np.testing.assert_array_equal(x, [2, 4, 6, 7])
    assert buffer.last_loss == 1.0


def test_a_diverging_tail_keeps_the_last_finite_coefficients():
    buffer = PlotBuffer(2)
    coefficients = np.array([[1.0, 2.0], [1e200, 3.0], [np.inf, np.nan]])
    buffer.append(batch([1, 2, 3], [1.0, 1e300, np.inf], coefficients=coefficients))
    np.testing.assert_array_equal(buffer.last_coefficients, [1e200, 3.0])
    assert buffer.series(LOSS)[1].tolist() == [1.0, 1e300]


def test_a_rewind_drops_the_later_rows():
    buffer = PlotBuffer(2, max_buckets=4)
    buffer.append(batch(np.arange(1, 101), np.arange(1, 101, dtype=float)))
    buffer.append(batch([], [], coefficients=np.zeros((0, 2))), rewound_to=50)
    x, _ = buffer.series(LOSS)
    assert x.max() <= 50 and x.size > 0
    buffer.append(batch([51, 52], [7.0, 8.0], coefficients=np.zeros((2, 2))))
    x, y = buffer.series(LOSS)
    assert 51 <= x[-1] <= 52 and sorted(y[-2:].tolist()) == [7.0, 8.0]


def test_clear_forgets_everything():
    buffer = PlotBuffer(2)
    buffer.append(batch([1, 2], [1.0, 2.0]))
    buffer.clear()
    assert len(buffer) == 0 and buffer.last_step is None and buffer.series(LOSS)[0].size == 0
