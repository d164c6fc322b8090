"""Config defaults are the chapter's listing 1; validation names the field, value and range."""

import math

import pytest

from gradlab.core.config import FIELD_PATHS, Config, ConfigError, unknown_field_message


def test_defaults_are_the_chapters_listing_one():
    c = Config()
    assert c.data.target == "sin"
    assert (c.data.x_min, c.data.x_max) == (-math.pi, math.pi)
    assert c.data.points == 2000
    assert c.data.noise == 0.0
    assert c.data.val_fraction == 0.0
    assert c.model.degree == 3
    assert c.model.basis == "power"
    assert c.model.init == "random"
    assert c.training.method == "numpy-manual"
    assert (c.training.loss, c.training.reduction) == ("squared", "sum")
    assert c.training.lr == 1e-6
    assert c.training.steps == 200_000
    assert c.training.batch_size == 0
    assert c.coefficient_names == ("a", "b", "c", "d")


def test_with_changes_returns_a_new_config():
    c = Config()
    d = c.with_changes(**{"training.lr": 1e-4, "seed": 3, "model.degree": 5})
    assert (d.training.lr, d.seed, d.model.degree) == (1e-4, 3, 5)
    assert c.training.lr == 1e-6
    assert d.coefficient_names == ("a", "b", "c", "d", "e", "f")


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("training.lr", -1, "learning rate must be > 0 and finite, got -1"),
        ("training.lr", 0.0, "learning rate must be > 0 and finite, got 0"),
        ("training.lr", math.inf, "learning rate must be > 0 and finite, got inf"),
        ("training.lr", math.nan, "learning rate must be > 0 and finite, got nan"),
        ("training.lr", "fast", "learning rate must be > 0 and finite, got 'fast'"),
        ("training.lr", 5000.0, "learning rate must be > 0 and <= 1000, got 5000"),
        ("training.lr", 10**400, "learning rate must be > 0 and <= 1000, got 1000000000"),
        ("data.target", "  ", "target must be a named target or an expression in x"),
        ("data.x_min", -2e6, "x min must be >= -1e+06 and <= 1e+06, got -2e+06"),
        ("data.x_max", -4.0, "x max must be greater than x min (-3.14159), got -4"),
        ("data.points", 1, "number of points must be >= 2 and <= 1000000, got 1"),
        ("data.points", 20.5, "number of points must be an integer, got 20.5"),
        ("data.noise", -0.1, "noise must be >= 0 and <= 1e+06, got -0.1"),
        ("data.val_fraction", 0.95, "validation fraction must be >= 0 and <= 0.9, got 0.95"),
        ("model.degree", 10, "degree must be >= 1 and <= 9, got 10"),
        ("model.degree", True, "degree must be an integer, got True"),
        ("model.basis", "chebyshev", "basis must be one of power, legendre, got 'chebyshev'"),
        ("model.init", "ones", "init must be one of random, zeros, values, got 'ones'"),
        ("model.dtype", "float16", "dtype must be one of float32, float64, got 'float16'"),
        (
            "training.method",
            "adam",
            "method must be one of numpy-manual, torch-autograd, torch-optim, torch-function, "
            "got 'adam'",
        ),
        ("training.loss", "mse", "loss must be one of squared, l1, huber, got 'mse'"),
        ("training.reduction", "max", "reduction must be one of sum, mean, got 'max'"),
        ("training.huber_delta", 0, "Huber delta must be > 0 and <= 1e+06, got 0"),
        ("training.steps", 0, "steps must be >= 1 and <= 100000000, got 0"),
        ("training.batch_size", -1, "batch size must be >= 0 and <= 1000000, got -1"),
        (
            "optimizer.name",
            "lbfgs",
            "optimizer must be one of sgd, rmsprop, adam, adamw, adagrad, got 'lbfgs'",
        ),
        ("optimizer.momentum", 1.0, "momentum must be >= 0 and <= 0.9999, got 1"),
        ("optimizer.nesterov", 1, "nesterov must be true or false, got 1"),
        ("optimizer.nesterov", True, "Nesterov momentum needs momentum > 0, got momentum 0"),
        ("optimizer.weight_decay", 11, "weight decay must be >= 0 and <= 10, got 11"),
        ("optimizer.alpha", 0, "RMSprop alpha must be > 0 and <= 1, got 0"),
        ("optimizer.beta1", 1, "beta1 must be >= 0 and <= 0.9999, got 1"),
        ("optimizer.beta2", -0.5, "beta2 must be >= 0 and <= 0.999999, got -0.5"),
        ("optimizer.eps", 0, "eps must be > 0 and <= 1, got 0"),
        ("seed", -1, "seed must be >= 0 and <= 4294967295, got -1"),
        ("seed", 2**32, "seed must be >= 0 and <= 4294967295, got 4294967296"),
        ("model.init_values", [1.0], "init values must be a tuple of numbers, got [1.0]"),
    ],
)
def test_validation_names_field_value_and_range(path, value, message):
    with pytest.raises(ConfigError) as info:
        Config().with_changes(**{path: value})
    assert info.value.field == path
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(
    ("path", "value", "message_id", "limits"),
    [
        ("training.lr", 5000.0, "out_of_range", (0, 1e3, True, False)),
        ("training.lr", "fast", "not_a_number", (0, 1e3, True, False)),
        ("seed", 2**32, "out_of_range", (0, 2**32 - 1, False, True)),
        ("data.points", 20.5, "not_an_integer", (2, 1_000_000, False, True)),
        ("training.loss", "mse", "not_a_choice", None),
        ("optimizer.nesterov", 1, "not_a_boolean", None),
        ("data.x_max", -4.0, "x_max_not_above_x_min", None),
        ("training.learnrate", 1, "unknown_field", None),
    ],
)
def test_errors_carry_id_field_value_and_range_for_translation(path, value, message_id, limits):
    with pytest.raises(ConfigError) as info:
        Config().with_changes(**{path: value})
    error = info.value
    assert (error.message_id, error.field) == (message_id, path)
    assert error.value == value or message_id == "unknown_field"
    if limits is None:
        assert error.limits is None
    else:
        got = error.limits
        assert (got.low, got.high, got.open_low, got.integer) == limits
    assert error.details.id == f"config.{message_id}"
    assert error.details.values["field"] == path
    if message_id == "not_a_choice":
        assert error.allowed == ("squared", "l1", "huber")
        assert error.details.values["allowed"] == "squared, l1, huber"
    if path == "seed":
        assert error.details.values["high"] == "4294967295"


def test_huge_int_lr_message_is_not_an_overflow():
    with pytest.raises(ConfigError, match="got 1000000000000000000000"):
        Config().with_changes(**{"training.lr": 10**21})


def test_init_values_must_match_the_degree():
    with pytest.raises(ConfigError) as info:
        Config().with_changes(**{"model.init": "values", "model.init_values": (1.0, 2.0)})
    assert info.value.field == "model.init_values"
    assert str(info.value) == "init values must be 4 numbers for degree 3, got 2"
    with pytest.raises(ConfigError, match="init value must be >= -1e\\+06"):
        Config().with_changes(**{"model.init": "values", "model.init_values": (0, 0, 0, 1e9)})
    ok = Config().with_changes(**{"model.init": "values", "model.init_values": (0, 1, 0, 0.5)})
    assert ok.model.init_values == (0, 1, 0, 0.5)


def test_unknown_path_suggests_the_closest():
    with pytest.raises(ConfigError) as info:
        Config().with_changes(**{"training.learning_rate": 1e-3})
    assert str(info.value) == "unknown key 'training.learning_rate' — did you mean 'training.lr'?"
    assert info.value.field == "training.learning_rate"


@pytest.mark.parametrize(
    ("path", "suggestion"),
    [
        ("lr", "training.lr"),
        ("training.momentum", "optimizer.momentum"),
        ("data.val", "data.val_fraction"),
        ("data.noize", "data.noise"),
        ("model.initvalues", "model.init_values"),
        ("seeds", "seed"),
    ],
)
def test_suggestions(path, suggestion):
    assert unknown_field_message(path).endswith(f"did you mean {suggestion!r}?")


def test_no_suggestion_for_nonsense():
    assert unknown_field_message("zzzzzz") == "unknown key 'zzzzzz'"


def test_field_paths():
    assert FIELD_PATHS[0] == "data.target"
    assert FIELD_PATHS[-1] == "seed"
    assert "training.lr" in FIELD_PATHS
    assert len(FIELD_PATHS) == len(set(FIELD_PATHS))
