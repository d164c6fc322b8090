"""CnnConfig: defaults, validation messages, JSON round trip, no torch at import."""

import json
import subprocess
import sys

import pytest

from gradlab.core.cnn import STAGES, CnnConfig, default_config
from gradlab.core.config import ConfigError


def test_defaults_follow_the_dataset():
    assert CnnConfig().loss_function == "cross-entropy"
    demo = default_config("demo")
    assert (demo.optimizer, demo.lr, demo.loss_function, demo.epochs) == (
        "rmsprop",
        1e-4,
        "mse",
        100,
    )
    assert CnnConfig(dataset="demo").loss_function == "mse"  # "auto" follows the dataset
    assert CnnConfig().threads >= 1
    assert STAGES == ("data", "model", "loss", "optimizer", "train", "validate", "results")


def test_json_round_trip():
    config = default_config("shapes", relu=True, betas=(0.8, 0.99), seed=7, lr=3e-4)
    text = json.dumps(config.to_dict())
    assert CnnConfig.from_dict(json.loads(text)) == config


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"batch_size": 0}, "batch_size", "batch size must be >= 1 and <= 4096, got 0"),
        ({"epochs": 2.5}, "epochs", "epochs must be an integer, got 2.5"),
        ({"lr": 0.0}, "lr", "learning rate must be > 0"),
        ({"lr": float("nan")}, "lr", "learning rate must be > 0"),
        ({"n_images": 1005}, "n_images", "multiple of 10"),
        ({"n_images": 50}, "n_images", ">= 100"),
        ({"val_fraction": 0.95}, "val_fraction", "<= 0.9, got 0.95"),
        ({"optimizer": "adamw"}, "optimizer", "one of sgd, rmsprop, adam, got 'adamw'"),
        ({"momentum": 1.0}, "momentum", "< 1, got 1"),
        ({"betas": (0.9,)}, "betas", "two numbers"),
        ({"dataset": "mnist"}, "dataset", "one of shapes, digits, cifar10, demo"),
        ({"dataset": "cifar10"}, "data_dir", "data_batch_1"),
        ({"dataset": "demo", "loss": "cross-entropy"}, "loss", "not a class"),
        ({"relu": "yes"}, "relu", "true or false"),
        ({"threads": 0}, "threads", ">= 1"),
        ({"seed": -1}, "seed", ">= 0"),
    ],
)
def test_bad_values_name_field_value_and_range(changes, field, words):
    with pytest.raises(ConfigError) as info:
        CnnConfig(**changes)
    assert info.value.field == field
    assert words in str(info.value)


def test_unknown_key_gets_a_suggestion():
    with pytest.raises(ConfigError, match="did you mean 'batch_size'"):
        CnnConfig.from_dict({"batchsize": 32})


def test_package_and_cli_import_without_torch():
    code = (
        "import sys, gradlab.core.cnn, gradlab.core.cnn.config, gradlab.cnn_cli; "
        "assert 'torch' not in sys.modules, 'torch imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_integer_limits_are_printed_in_full():
    with pytest.raises(ConfigError) as info:
        CnnConfig(seed=2**32)
    assert str(info.value) == "seed must be >= 0 and <= 4294967295, got 4294967296"


def test_errors_carry_id_field_value_and_range_for_translation():
    with pytest.raises(ConfigError) as info:
        CnnConfig(batch_size=0)
    error = info.value
    assert (error.message_id, error.field, error.value) == ("out_of_range", "batch_size", 0)
    assert error.limits is not None
    assert (error.limits.low, error.limits.high, error.limits.integer) == (1, 4096, True)
    assert error.details.id == "config.out_of_range"
    assert error.details.values["range"] == ">= 1 and <= 4096"
    with pytest.raises(ConfigError) as info:
        CnnConfig(optimizer="adamw")
    assert info.value.message_id == "not_a_choice"
    assert info.value.allowed == ("sgd", "rmsprop", "adam")
    with pytest.raises(ConfigError) as info:
        CnnConfig(dataset="demo", loss="cross-entropy")
    assert (info.value.message_id, info.value.field) == ("demo_needs_mse", "loss")
