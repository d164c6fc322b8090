"""The data stage: the chapter's points, named and custom targets, noise and the split."""

import math

import numpy as np
import pytest

from gradlab.core.config import NAMED_TARGETS, Config, ConfigError
from gradlab.core.data import (
    NOISY_SINE_SD,
    RANDOM_STREAMS,
    make_dataset,
    random_generator,
    resolve_target,
)
from gradlab.core.expression import ExpressionError


def data(**changes):
    return make_dataset(Config().with_changes(**changes))


def test_defaults_are_the_chapters_points():
    ds = make_dataset(Config())
    x = np.linspace(-math.pi, math.pi, 2000)
    np.testing.assert_array_equal(ds.x, x)
    np.testing.assert_array_equal(ds.y, np.sin(x))
    assert ds.x_val.shape == (0,)
    assert ds.y_val.shape == (0,)
    assert not ds.has_validation
    assert ds.target_label == "sin(x)"
    assert ds.x.dtype == np.float64


def test_arrays_are_read_only():
    ds = make_dataset(Config())
    with pytest.raises(ValueError, match="read-only"):
        ds.x[0] = 1.0


@pytest.mark.parametrize(
    ("name", "label", "function"),
    [
        ("sin", "sin(x)", np.sin),
        ("cos", "cos(x)", np.cos),
        ("exp", "exp(x)", np.exp),
        ("abs", "|x|", np.abs),
        ("step", "step(x)", lambda x: (x >= 0).astype(float)),
    ],
)
def test_named_targets(name, label, function):
    ds = data(**{"data.target": name, "data.points": 101})
    assert ds.target_label == label
    np.testing.assert_array_equal(ds.y, function(ds.x))
    np.testing.assert_array_equal(ds.target_curve(ds.x), function(ds.x))


def test_step_is_one_at_zero():
    ds = data(**{"data.target": "step", "data.x_min": -1.0, "data.x_max": 1.0, "data.points": 3})
    np.testing.assert_array_equal(ds.y, [0.0, 1.0, 1.0])


def test_every_named_target_builds():
    for name in NAMED_TARGETS:
        assert data(**{"data.target": name}).y.shape == (2000,)


def test_noisy_sine_adds_its_own_noise_and_its_curve_is_clean():
    ds = data(**{"data.target": "noisy-sine"})
    residual = ds.y - np.sin(ds.x)
    assert residual.std() == pytest.approx(NOISY_SINE_SD, rel=0.1)
    np.testing.assert_array_equal(ds.target_curve(ds.x), np.sin(ds.x))
    both = data(**{"data.target": "noisy-sine", "data.noise": 0.3})
    assert (both.y - np.sin(both.x)).std() == pytest.approx(math.hypot(0.2, 0.3), rel=0.1)


def test_custom_expression():
    ds = data(**{"data.target": " x**2 - 1 "})
    np.testing.assert_allclose(ds.y, ds.x**2 - 1)
    assert ds.target_label == "x**2 - 1"
    assert ds.target_curve(np.array([2.0]))[0] == 3.0


def test_constant_expression_broadcasts():
    ds = data(**{"data.target": "pi"})
    np.testing.assert_array_equal(ds.y, np.full(2000, math.pi))
    assert ds.target_curve(np.zeros(3)).shape == (3,)


def test_bad_expression_is_a_config_error_on_the_target_field():
    with pytest.raises(ConfigError) as info:
        data(**{"data.target": "sin(x))"})
    assert info.value.field == "data.target"
    assert str(info.value) == "target 'sin(x))': unexpected ')' at position 7"
    assert isinstance(info.value.__cause__, ExpressionError)
    assert info.value.__cause__.position == 6


def test_target_undefined_on_the_range():
    with pytest.raises(ConfigError) as info:
        data(**{"data.target": "log(x)"})
    assert info.value.field == "data.target"
    assert str(info.value) == (
        "log(x) is not finite at x = -3.142; choose an x range where the target is defined"
    )
    ok = data(**{"data.target": "log(x)", "data.x_min": 0.5, "data.x_max": 3.0})
    np.testing.assert_allclose(ok.y, np.log(ok.x))


def test_noise_is_seeded_and_reproducible():
    a = data(**{"data.noise": 0.1})
    b = data(**{"data.noise": 0.1})
    c = data(**{"data.noise": 0.1, "seed": 1})
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.y, c.y)
    assert (a.y - np.sin(a.x)).std() == pytest.approx(0.1, rel=0.1)
    np.testing.assert_array_equal(a.target_curve(a.x), np.sin(a.x))


def test_validation_split():
    ds = data(**{"data.val_fraction": 0.25, "data.noise": 0.1})
    assert ds.x_val.size == 500
    assert ds.x.size == 1500
    assert ds.has_validation
    assert np.all(np.diff(ds.x) > 0)
    assert np.all(np.diff(ds.x_val) > 0)
    everything = np.sort(np.concatenate([ds.x, ds.x_val]))
    np.testing.assert_array_equal(everything, np.linspace(-math.pi, math.pi, 2000))
    # the noise does not depend on the split: same point, same noisy y
    full = data(**{"data.noise": 0.1})
    index = np.searchsorted(full.x, ds.x_val)
    np.testing.assert_array_equal(full.y[index], ds.y_val)


def test_split_is_reproducible_and_depends_on_the_seed():
    a = data(**{"data.val_fraction": 0.2})
    b = data(**{"data.val_fraction": 0.2})
    c = data(**{"data.val_fraction": 0.2, "seed": 7})
    np.testing.assert_array_equal(a.x_val, b.x_val)
    assert not np.array_equal(a.x_val, c.x_val)


def test_small_fraction_still_holds_out_one_point():
    ds = data(**{"data.val_fraction": 0.0001, "data.points": 100})
    assert ds.x_val.size == 1


def test_at_least_two_training_points():
    with pytest.raises(ConfigError) as info:
        data(**{"data.val_fraction": 0.9, "data.points": 3})
    assert info.value.field == "data.val_fraction"
    assert "leaves 0 training points out of 3; at least 2 are needed" in str(info.value)
    assert data(**{"data.val_fraction": 0.5, "data.points": 4}).x.size == 2


def test_random_streams_are_distinct_and_reproducible():
    draws = [random_generator(0, s).random() for s in RANDOM_STREAMS]
    assert len(set(draws)) == len(RANDOM_STREAMS)
    assert random_generator(0, "init").random() == draws[0]
    with pytest.raises(ValueError, match="stream must be one of"):
        random_generator(0, "weights")


def test_resolve_target():
    label, curve = resolve_target("cos")
    assert label == "cos(x)"
    assert curve(np.array([0.0]))[0] == 1.0
