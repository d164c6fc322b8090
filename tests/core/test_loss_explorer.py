"""The loss explorer's numbers: the chapter's listing 4, torch against the formula, parsing."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from gradlab.core.loss_explorer import (
    DEFAULT_DATASET,
    DEFAULT_PREDICTIONS,
    DEFAULT_TARGETS,
    KINDS,
    REDUCTIONS,
    VectorError,
    classification_numbers,
    library_value,
    loss_curves,
    parse_vector,
    regression_numbers,
    torch_classification,
    torch_regression,
)


def test_listing_4_by_the_formula_and_by_torch():
    numbers = regression_numbers(DEFAULT_PREDICTIONS, DEFAULT_TARGETS)
    values, _slopes = torch_regression(DEFAULT_PREDICTIONS, DEFAULT_TARGETS)
    # the chapter prints tensor(2.) and tensor(4.)
    assert numbers.values[("l1", "sum")] == values[("l1", "sum")] == 2.0
    assert numbers.values[("squared", "sum")] == values[("squared", "sum")] == 4.0
    assert numbers.values[("l1", "mean")] == pytest.approx(2 / 3, abs=1e-15)
    assert numbers.values[("squared", "mean")] == pytest.approx(4 / 3, abs=1e-15)
    assert numbers.values[("huber", "sum")] == 1.5  # ½·0 + ½·0 + (|−2| − ½)
    np.testing.assert_array_equal(numbers.terms["squared"], [0.0, 0.0, 4.0])


def test_the_listing_itself_agrees():
    y_pred = torch.tensor([1, 2, 3], dtype=torch.float32)
    y = torch.tensor([1, 2, 5], dtype=torch.float32)
    assert torch.nn.L1Loss(reduction="sum")(y_pred, y).item() == 2.0
    assert torch.nn.MSELoss(reduction="sum")(y_pred, y).item() == 4.0


@pytest.mark.parametrize("seed", range(5))
def test_random_vectors_torch_formula_and_training_code_agree(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 9))
    predictions = tuple(rng.normal(0, 3, n))
    targets = tuple(rng.normal(0, 3, n))
    delta = float(rng.uniform(0.2, 3))
    index = int(rng.integers(0, n))
    numbers = regression_numbers(predictions, targets, delta, index)
    values, slopes = torch_regression(predictions, targets, delta, index)
    for kind in KINDS:
        for reduction in REDUCTIONS:
            key = (kind, reduction)
            assert values[key] == pytest.approx(numbers.values[key], rel=1e-6, abs=1e-6)
            assert slopes[key] == pytest.approx(numbers.slopes[key], rel=1e-6, abs=1e-6)
            expected = library_value(predictions, targets, kind, reduction, delta)
            assert numbers.values[key] == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_cross_entropy_matches_f_cross_entropy_for_random_logits(seed):
    rng = np.random.default_rng(100 + seed)
    samples, classes = int(rng.integers(1, 6)), int(rng.integers(2, 6))
    logits = rng.normal(0, 2, (samples, classes))
    labels = rng.integers(0, classes, samples)
    numbers = classification_numbers(logits.tolist(), labels.tolist())
    mean, total, each = torch_classification(logits.tolist(), labels.tolist())
    # an independent float64 reference, straight from torch
    reference = F.cross_entropy(torch.tensor(logits), torch.tensor(labels)).item()
    assert numbers.mean_cross_entropy == pytest.approx(reference, abs=1e-12)
    assert mean == pytest.approx(numbers.mean_cross_entropy, abs=1e-6)
    assert total == pytest.approx(numbers.negative_log_likelihood, abs=1e-6)
    np.testing.assert_allclose(each, numbers.cross_entropy, atol=1e-6)


def test_cross_entropy_is_minus_log_likelihood():
    logits = [row for row, _ in DEFAULT_DATASET]
    labels = [label for _, label in DEFAULT_DATASET]
    n = classification_numbers(logits, labels)
    np.testing.assert_allclose(n.probabilities.sum(axis=1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(n.cross_entropy, -np.log(n.correct_probability), rtol=1e-12)
    assert n.likelihood == pytest.approx(float(np.prod(n.correct_probability)), rel=1e-12)
    assert n.negative_log_likelihood == pytest.approx(-math.log(n.likelihood), rel=1e-12)
    assert n.correct_probability[2] == pytest.approx(1 / 3)  # equal logits: a fair guess
    # a larger correct logit: lower cross-entropy and higher likelihood, together
    assert n.better_mean_cross_entropy < n.mean_cross_entropy
    assert n.better_likelihood > n.likelihood
    assert n.better_likelihood == pytest.approx(
        math.exp(-len(logits) * n.better_mean_cross_entropy), rel=1e-12
    )


def test_large_logits_do_not_overflow():
    n = classification_numbers([[1000.0, 0.0, -1000.0]], [2])
    assert n.cross_entropy[0] == pytest.approx(2000.0)
    assert n.correct_probability[0] == 0.0


def test_curves_pass_through_the_table_and_have_the_right_slopes():
    numbers = regression_numbers(DEFAULT_PREDICTIONS, DEFAULT_TARGETS, 1.0, 2)
    grid, losses, slopes = loss_curves(numbers, "sum")
    at = int(np.argmin(np.abs(grid - 3.0)))
    assert grid[at] == pytest.approx(3.0)
    for kind in KINDS:
        assert losses[kind][at] == pytest.approx(numbers.values[(kind, "sum")])
        assert slopes[kind][at] == pytest.approx(numbers.slopes[(kind, "sum")])
    far = grid < 5 - 1.0
    # L1's slope has size 1 on each side; squared error's grows with the distance
    assert set(np.abs(slopes["l1"][far])) == {1.0}
    np.testing.assert_allclose(slopes["squared"], 2 * (grid - 5.0))
    _grid, mean_losses, _ = loss_curves(numbers, "mean")
    np.testing.assert_allclose(mean_losses["squared"] * 3, losses["squared"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[1, 2, 3]", (1.0, 2.0, 3.0)),
        ("1 2 3", (1.0, 2.0, 3.0)),
        ("1，2；3", (1.0, 2.0, 3.0)),
        (" -1.5e2 , −2 ", (-150.0, -2.0)),
    ],
)
def test_parse_vector_reads_numbers(text, expected):
    assert parse_vector(text) == expected


@pytest.mark.parametrize(
    ("text", "message_id"),
    [
        ("", "vector.empty"),
        ("[ ]", "vector.empty"),
        ("1, two, 3", "vector.not_a_number"),
        ("__import__('os')", "vector.not_a_number"),
        ("1+1", "vector.not_a_number"),
        ("nan", "vector.too_large"),
        ("1e400", "vector.too_large"),
        ("2e6", "vector.too_large"),
        (" ".join(["1"] * 13), "vector.too_many"),
    ],
)
def test_parse_vector_refuses_with_a_message(text, message_id):
    with pytest.raises(VectorError) as caught:
        parse_vector(text)
    assert caught.value.message.id == message_id


def test_mismatched_inputs_are_refused():
    with pytest.raises(VectorError) as caught:
        regression_numbers((1.0, 2.0), (1.0,))
    assert caught.value.message.id == "vector.lengths"
    with pytest.raises(VectorError) as caught:
        classification_numbers([[1.0, 2.0], [1.0, 2.0, 3.0]], [0, 0])
    assert caught.value.message.id == "vector.classes"
    with pytest.raises(VectorError) as caught:
        classification_numbers([[1.0, 2.0]], [2])
    assert caught.value.message.id == "vector.label"
