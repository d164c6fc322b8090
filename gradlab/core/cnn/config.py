"""The CNN lab's settings: one frozen, validated, JSON-able dataclass (no torch import)."""

from __future__ import annotations

import difflib
import os
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from gradlab.core.validation import (
    ConfigError,
    Limits,
    check,
    require_bool,
    require_choice,
    require_number,
)

DATASETS = ("shapes", "digits", "cifar10", "demo")
OPTIMIZERS = ("sgd", "rmsprop", "adam")
LOSSES = ("cross-entropy", "mse")
LOSS_CHOICES = ("auto", *LOSSES)  # "auto": cross-entropy for classes, mse for the demo

# The chapter's pipeline:
# 下载数据->加载数据->准备模型->设置损失函数->设置优化器->开始训练->最后验证->结果聚合展示
STAGES = ("data", "model", "loss", "optimizer", "train", "validate", "results")
STAGE_NAMES_ZH = {
    "data": "加载数据",
    "model": "准备模型",
    "loss": "设置损失函数",
    "optimizer": "设置优化器",
    "train": "开始训练",
    "validate": "验证",
    "results": "结果聚合展示",
}

MAX_IMAGES = 200_000
MAX_EPOCHS = 10_000
MAX_BATCH = 4096
MAX_THREADS = 256


def default_threads() -> int:
    """All cores but one, so the window keeps a core while training runs."""
    return max(1, (os.cpu_count() or 1) - 1)


@dataclass(frozen=True)
class CnnConfig:
    """Everything one CNN run needs; the same values give the same numbers."""

    dataset: str = "shapes"
    data_dir: str = ""  # the CIFAR-10 "python version" folder (cifar10 only)
    n_images: int = 10_000  # shapes only; a multiple of 10 so every class has the same count
    val_fraction: float = 0.2  # shapes and digits; CIFAR-10 validates on its test_batch
    batch_size: int = 64
    epochs: int = 3
    optimizer: str = "adam"
    lr: float = 1e-3
    momentum: float = 0.0  # sgd, rmsprop
    alpha: float = 0.99  # rmsprop smoothing constant
    betas: tuple[float, float] = (0.9, 0.999)  # adam
    weight_decay: float = 0.0
    loss: str = "auto"
    relu: bool = False  # the chapter's model has no activation between its layers
    seed: int = 0
    threads: int = field(default_factory=default_threads)

    def __post_init__(self) -> None:
        if isinstance(self.betas, list):  # JSON has no tuples
            object.__setattr__(self, "betas", tuple(self.betas))
        validate_cnn(self)

    @property
    def loss_function(self) -> str:
        """The loss actually used: "auto" is cross-entropy for classes and mse for the demo."""
        if self.loss != "auto":
            return self.loss
        return "mse" if self.dataset == "demo" else "cross-entropy"

    @property
    def is_classification(self) -> bool:
        return self.dataset != "demo"

    def with_changes(self, **changes: Any) -> CnnConfig:
        """A validated copy with some fields changed."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able values (betas as a list)."""
        values = asdict(self)
        values["betas"] = list(self.betas)
        return values

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> CnnConfig:
        """Build from to_dict() output; unknown keys raise ConfigError with a suggestion."""
        known = [f.name for f in fields(cls)]
        for key in values:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ConfigError(
                    key, f"unknown CNN setting {key!r}{hint}", message_id="unknown_field", value=key
                )
        return cls(**values)


# Settings that differ from the class defaults for each dataset (the chapter's for the demo).
DATASET_DEFAULTS: dict[str, dict[str, Any]] = {
    "shapes": {},
    "digits": {"epochs": 10},
    "cifar10": {"epochs": 5},
    "demo": {
        "epochs": 100,
        "batch_size": 1,
        "optimizer": "rmsprop",
        "lr": 1e-4,
        "val_fraction": 0.0,
        "loss": "mse",
    },
}


def default_config(dataset: str = "shapes", **changes: Any) -> CnnConfig:
    """The recommended settings for a dataset, with some fields changed."""
    if dataset not in DATASETS:
        require_choice("dataset", "dataset", dataset, DATASETS)
    return CnnConfig(dataset=dataset, **{**DATASET_DEFAULTS[dataset], **changes})


def _number(
    name: str,
    label: str,
    value: object,
    low: float,
    high: float,
    *,
    integer: bool = False,
    open_low: bool = False,
    open_high: bool = False,
) -> None:
    limits = Limits(low, high, open_low=open_low, open_high=open_high, integer=integer)
    require_number(name, label, value, limits)


def validate_cnn(c: CnnConfig) -> None:
    """Raise ConfigError naming the first bad field, its value and the allowed range."""
    require_choice("dataset", "dataset", c.dataset, DATASETS)
    check(
        isinstance(c.data_dir, str),
        "data_dir",
        f"data folder must be text, got {c.data_dir!r}",
        message_id="not_text",
        value=c.data_dir,
    )
    if c.dataset == "cifar10":
        check(
            c.data_dir.strip() != "",
            "data_dir",
            "CIFAR-10 needs a data folder: the one holding data_batch_1 ... data_batch_5, "
            "test_batch and batches.meta (the dataset's python version)",
            message_id="cifar_needs_folder",
            value=c.data_dir,
        )
    _number("n_images", "number of images", c.n_images, 100, MAX_IMAGES, integer=True)
    check(
        c.n_images % 10 == 0,
        "n_images",
        f"number of images must be a multiple of 10 (the same count for each of the 10 "
        f"classes), got {c.n_images}",
        message_id="not_a_multiple_of_10",
        value=c.n_images,
    )
    _number("val_fraction", "validation fraction", c.val_fraction, 0, 0.9)
    _number("batch_size", "batch size", c.batch_size, 1, MAX_BATCH, integer=True)
    _number("epochs", "epochs", c.epochs, 1, MAX_EPOCHS, integer=True)
    require_choice("optimizer", "optimizer", c.optimizer, OPTIMIZERS)
    _number("lr", "learning rate", c.lr, 0, 10, open_low=True)
    _number("momentum", "momentum", c.momentum, 0, 1, open_high=True)
    _number("alpha", "RMSprop alpha", c.alpha, 0, 1, open_low=True)
    check(
        isinstance(c.betas, tuple) and len(c.betas) == 2,
        "betas",
        f"betas must be two numbers (beta1, beta2), got {c.betas!r}",
        message_id="not_two_numbers",
        value=c.betas,
    )
    _number("betas", "beta1", c.betas[0], 0, 1, open_high=True)
    _number("betas", "beta2", c.betas[1], 0, 1, open_high=True)
    _number("weight_decay", "weight decay", c.weight_decay, 0, 10)
    require_choice("loss", "loss", c.loss, LOSS_CHOICES)
    check(
        not (c.dataset == "demo" and c.loss == "cross-entropy"),
        "loss",
        "the demo's target [1, 2, ..., 10] is a list of numbers, not a class: "
        "use the mse loss (the chapter's) or auto",
        message_id="demo_needs_mse",
        value=c.loss,
    )
    require_bool("relu", "relu", c.relu)
    _number("seed", "seed", c.seed, 0, 2**32 - 1, integer=True)
    _number("threads", "threads", c.threads, 1, MAX_THREADS, integer=True)
