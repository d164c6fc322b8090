"""float32 against float64: the reported differences are those of two independent runs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gradlab.core.config import METHODS, Config
from gradlab.core.precision import (
    DEFAULT_PRECISION_METHOD,
    digits,
    loss_differences,
    machine_epsilon,
    precision_check,
    precision_run,
    summation_orders,
)
from gradlab.core.session import TrainingSession

STEPS = 300


def _alone(config: Config, dtype: str, steps: int) -> TrainingSession:
    session = TrainingSession(
        config.with_changes(**{"model.dtype": dtype, "training.steps": steps})
    )
    while not session.done:
        session.step()
    return session


@pytest.mark.parametrize("method", METHODS)
def test_reported_difference_equals_two_independent_runs(method):
    base = Config().with_changes(**{"training.method": method})
    result = precision_check(base, STEPS)
    assert result.method == method and result.status == "finished"
    single, double = _alone(base, "float32", STEPS), _alone(base, "float64", STEPS)
    np.testing.assert_array_equal(result.steps, np.arange(1, STEPS + 1))
    np.testing.assert_array_equal(result.loss[0], single.history.loss)
    np.testing.assert_array_equal(result.loss[1], double.history.loss)
    np.testing.assert_array_equal(
        result.loss_difference, np.abs(single.history.loss - double.history.loss)
    )
    expected = np.max(np.abs(single.history.coefficients - double.history.coefficients), axis=1)
    np.testing.assert_array_equal(result.coefficient_difference, expected)
    np.testing.assert_array_equal(result.final_coefficients[0], single.coefficients)
    np.testing.assert_array_equal(result.final_coefficients[1], double.coefficients)


def test_the_chapters_listing_2_differs_in_float32_only_by_rounding():
    result = precision_check(Config(), STEPS, DEFAULT_PRECISION_METHOD)
    assert result.method == "torch-autograd"
    relative = result.relative_loss_difference
    assert np.all(relative > 0)  # float32 really differs
    assert np.all(relative < 1e-4)  # but only in the last few of its ~7 digits
    # the coefficients drift apart: later steps differ more than the first
    assert result.coefficient_difference[-1] > result.coefficient_difference[0]


def test_loss_differences_align_rows_by_step():
    run = precision_run(Config().with_changes(**{"training.steps": 5}))
    run.advance(5)
    single, double = run.drain().runs
    steps, difference = loss_differences((single, double))
    np.testing.assert_array_equal(steps, [1, 2, 3, 4, 5])
    np.testing.assert_array_equal(difference, np.abs(single.loss - double.loss))


def test_float_facts():
    assert machine_epsilon("float32") == 2.0**-23
    assert machine_epsilon("float64") == 2.0**-52
    assert (digits("float32"), digits("float64")) == (7, 16)


def test_summation_order_changes_a_float32_sum():
    config = Config().with_changes(**{"model.dtype": "float32"})
    coefficients = (0.02, 0.85, -0.003, -0.092)
    orders = summation_orders(config, coefficients)
    assert orders.terms == 2000
    assert orders.order_difference > 0
    # both float32 sums are within float32 rounding of the exact sum of the same terms
    bound = orders.terms * machine_epsilon("float32") * orders.exact
    assert abs(orders.one_by_one - orders.exact) < bound
    assert abs(orders.pairwise - orders.exact) < bound
    # pairwise adds fewer roundings on top of each other: closer to exact here
    assert abs(orders.pairwise - orders.exact) < abs(orders.one_by_one - orders.exact)
    y = np.sin(np.linspace(-math.pi, math.pi, 2000))
    x = np.linspace(-math.pi, math.pi, 2000)
    exact64 = math.fsum((np.polyval(coefficients[::-1], x) - y) ** 2)
    assert orders.exact == pytest.approx(exact64, rel=1e-5)
