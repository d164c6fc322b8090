"""The numbers lessons 10 (the loss explorer) and 11 (float32 vs float64) quote, recomputed."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from gradlab.core.lesson import load_lesson
from gradlab.core.loss_explorer import (
    DEFAULT_DATASET,
    DEFAULT_PREDICTIONS,
    DEFAULT_TARGETS,
    classification_numbers,
    regression_numbers,
    torch_classification,
    torch_regression,
)
from gradlab.core.precision import digits, precision_check, summation_orders
from gradlab.resources import resource_path


def text(name: str) -> str:
    path = resource_path("lessons") / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))["explanation"]["en"]


def quoted(value: float, shown: str, explanation: str) -> None:
    """``shown`` is in the text and is ``value`` to the digits written."""
    assert shown in explanation, shown
    mantissa = shown.split("e")[0].lstrip("−-")
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    exponent = int(shown.split("e")[1]) if "e" in shown else 0
    step = 10.0 ** (exponent - decimals)
    assert abs(abs(value) - float(shown.replace("−", "-").lstrip("-"))) <= step / 2, shown


def test_lesson_10_numbers():
    explanation = text("11-loss-explorer")
    n = regression_numbers(DEFAULT_PREDICTIONS, DEFAULT_TARGETS, 1.0, 2)
    values, slopes = torch_regression(DEFAULT_PREDICTIONS, DEFAULT_TARGETS, 1.0, 2)
    assert values[("l1", "sum")] == 2.0 and values[("squared", "sum")] == 4.0
    assert "0 + 0 + 2 = 2" in explanation and "0 + 0 + 4 = 4" in explanation
    quoted(n.values[("l1", "mean")], "0.667", explanation)
    quoted(n.values[("squared", "mean")], "1.33", explanation)
    assert n.slopes[("l1", "sum")] == slopes[("l1", "sum")] == -1.0
    assert n.slopes[("squared", "sum")] == slopes[("squared", "sum")] == -4.0
    assert n.slopes[("huber", "sum")] == -1.0
    assert "2·(3 − 5) = −4" in explanation and "Huber (δ = 1) −1" in explanation
    logits = [row for row, _ in DEFAULT_DATASET]
    labels = [label for _, label in DEFAULT_DATASET]
    c = classification_numbers(logits, labels)
    for value, shown in zip(c.cross_entropy, ("0.417", "0.220", "1.099"), strict=True):
        quoted(value, shown, explanation)
    quoted(c.mean_cross_entropy, "0.579", explanation)
    quoted(torch_classification(logits, labels)[0], "0.579", explanation)
    for value, shown in zip(c.correct_probability, ("0.659", "0.802", "0.333"), strict=True):
        quoted(value, shown, explanation)
    quoted(c.likelihood, "0.176", explanation)
    quoted(c.negative_log_likelihood, "1.736", explanation)


@pytest.fixture(scope="module")
def lesson_11_run():
    config = load_lesson(resource_path("lessons") / "12-float32-vs-float64.json").config
    assert config.model.dtype == "float32" and config.training.method == "torch-autograd"
    return config, precision_check(config, config.training.steps)


def order_of(value: float) -> int:
    """The power of ten ``value`` is "about": 2.2e-4 and 1.0e-4 are both about 1e-4."""
    return round(math.log10(abs(value)))


def test_lesson_11_numbers(lesson_11_run):
    """The text says what holds on any processor; the last digits of float32 sums depend on its
    vector width (MKL and torch add a product's terms 8 or 16 at a time), so the text quotes
    orders of magnitude and leaves the exact figures to the dock beside it."""
    config, result = lesson_11_run
    explanation = text("12-float32-vs-float64")
    assert (digits("float32"), digits("float64")) == (7, 16)
    assert "about 7 significant digits" in explanation and "about 16" in explanation
    assert result.steps[-1] == 2000 and "After 2000 steps" in explanation
    quoted(result.loss[1][0], "1788.78", explanation)
    assert "differ by about 1e-4 (relative about 1e-7)" in explanation
    assert order_of(result.loss_difference[0]) == -4
    assert order_of(result.relative_loss_difference[0]) == -7
    quoted(result.loss[1][-1], "9.2427", explanation)
    assert "differ by a few millionths (relative less than 1e-6)" in explanation
    assert 1e-6 <= result.loss_difference[-1] < 1e-5
    assert result.relative_loss_difference[-1] < 1e-6
    ratio = result.coefficient_difference[-1] / result.coefficient_difference[0]
    assert round(ratio, -1) == 20 and "about 20 times their difference" in explanation
    orders = summation_orders(config, result.final_coefficients[0])
    assert "one by one miss the exact sum by about 1e-5" in explanation
    assert order_of(orders.exact - orders.one_by_one) == -5
    assert "pairwise as NumPy and torch add them by less than 1e-6" in explanation
    assert abs(orders.exact - orders.pairwise) < 1e-6
    # "accurate to its 7 digits": the two runs' final losses agree to about that many
    agree = -math.log10(result.relative_loss_difference[-1])
    assert 6 <= agree <= 7.5
    assert np.all(np.isfinite(result.loss))
