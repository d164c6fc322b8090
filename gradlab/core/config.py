"""The experiment's one source of truth: a frozen, validated, JSON-serialisable config.

The defaults are the chapter's first listing: sin(x) on 2000 points in [-π, π], a cubic,
gradients by hand in NumPy, squared loss summed, learning rate 1e-6, 200,000 steps.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field, fields, replace
from typing import Any

METHODS = ("numpy-manual", "torch-autograd", "torch-optim")
LOSSES = ("squared", "l1", "huber")
REDUCTIONS = ("sum", "mean")
OPTIMIZERS = ("sgd", "rmsprop", "adam", "adamw", "adagrad")
BASES = ("power", "legendre")
INITS = ("random", "zeros", "values")
DTYPES = ("float32", "float64")
NAMED_TARGETS = ("sin", "cos", "exp", "abs", "step", "noisy-sine")

MAX_DEGREE = 9
MAX_POINTS = 1_000_000
MAX_STEPS = 100_000_000
COEFFICIENT_NAMES = "abcdefghij"


class ConfigError(ValueError):
    """A config value is out of range; the message names the field, the value and the range."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name  # dotted path, e.g. "training.lr"


@dataclass(frozen=True)
class DataConfig:
    """Where the points come from (the chapter's "data" stage)."""

    target: str = "sin"  # a name in NAMED_TARGETS or an expression in x, e.g. "x**2 - 1"
    x_min: float = -math.pi
    x_max: float = math.pi
    points: int = 2000
    noise: float = 0.0  # standard deviation of Gaussian noise added to y (seeded)
    val_fraction: float = 0.0  # share of points held out for validation


@dataclass(frozen=True)
class ModelConfig:
    """The polynomial a + b·x + c·x² + ... and how its coefficients start."""

    degree: int = 3
    basis: str = "power"  # raw powers of x (the chapter) or Legendre polynomials on the range
    init: str = "random"  # uniform [0, 1) from the seed (the chapter's), zeros, or values
    init_values: tuple[float, ...] = ()  # degree + 1 numbers when init == "values"
    dtype: str = "float64"


@dataclass(frozen=True)
class OptimizerConfig:
    """torch.optim hyperparameters, used by the torch-optim method only."""

    name: str = "rmsprop"
    momentum: float = 0.0  # sgd, rmsprop
    nesterov: bool = False  # sgd (needs momentum > 0)
    weight_decay: float = 0.0
    alpha: float = 0.99  # rmsprop smoothing constant
    beta1: float = 0.9  # adam, adamw
    beta2: float = 0.999  # adam, adamw
    eps: float = 1e-8


@dataclass(frozen=True)
class TrainingConfig:
    """How the loop runs: method, loss, learning rate, steps, batches."""

    method: str = "numpy-manual"
    loss: str = "squared"
    reduction: str = "sum"
    huber_delta: float = 1.0
    lr: float = 1e-6
    steps: int = 200_000
    batch_size: int = 0  # 0 = full batch (the chapter's)


@dataclass(frozen=True)
class Config:
    """Everything one experiment needs; reproducible from these values alone."""

    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    optimizer: OptimizerConfig = field(default_factory=OptimizerConfig)
    seed: int = 0

    def __post_init__(self) -> None:
        validate(self)

    def with_changes(self, **dotted: Any) -> Config:
        """A copy with fields changed by dotted path: ``with_changes(**{"training.lr": 1e-4})``."""
        groups: dict[str, dict[str, Any]] = {}
        top: dict[str, Any] = {}
        for path, value in dotted.items():
            if path not in FIELD_PATHS:
                raise ConfigError(path, unknown_field_message(path))
            group, _, name = path.partition(".")
            if name:
                groups.setdefault(group, {})[name] = value
            else:
                top[group] = value
        for group, changes in groups.items():
            top[group] = replace(getattr(self, group), **changes)
        return replace(self, **top)

    @property
    def coefficient_names(self) -> tuple[str, ...]:
        return tuple(COEFFICIENT_NAMES[: self.model.degree + 1])


def _check(ok: bool, path: str, message: str) -> None:
    if not ok:
        raise ConfigError(path, message)


def _finite(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return isinstance(value, int) or math.isfinite(value)  # huge ints would overflow isfinite


def _choice(path: str, label: str, value: object, allowed: tuple[str, ...]) -> None:
    _check(value in allowed, path, f"{label} must be one of {', '.join(allowed)}, got {value!r}")


def _number(
    path: str,
    label: str,
    value: object,
    lo: float,
    hi: float,
    *,
    open_lo: bool = False,
    integer: bool = False,
) -> None:
    kind = "an integer" if integer else "a number"
    ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
    ok_type = ok_type and not isinstance(value, bool)
    _check(ok_type, path, f"{label} must be {kind}, got {value!r}")
    assert isinstance(value, (int, float))
    low_ok = value > lo if open_lo else value >= lo
    lo_text = f"> {_show(lo, integer)}" if open_lo else f">= {_show(lo, integer)}"
    _check(
        _finite(value) and low_ok and value <= hi,
        path,
        f"{label} must be {lo_text} and <= {_show(hi, integer)}, got {_show(value, integer)}",
    )


def _show(value: float, integer: bool = False) -> str:
    """Integers in full (a seed limit reads 4294967295, not 4.29497e+09), other numbers as :g."""
    if isinstance(value, int) and (integer or abs(value) > 1e15):
        return str(value)  # also avoids :g overflowing on a huge int
    return f"{value:g}"


def validate(config: Config) -> None:
    """Raise ConfigError naming the first bad field; the message says the allowed range."""
    d, m, t, o = config.data, config.model, config.training, config.optimizer
    _check(
        isinstance(d.target, str) and d.target.strip() != "",
        "data.target",
        "target must be a named target or an expression in x, got an empty text",
    )
    _number("data.x_min", "x min", d.x_min, -1e6, 1e6)
    _number("data.x_max", "x max", d.x_max, -1e6, 1e6)
    _check(
        d.x_max > d.x_min,
        "data.x_max",
        f"x max must be greater than x min ({d.x_min:g}), got {d.x_max:g}",
    )
    _number("data.points", "number of points", d.points, 2, MAX_POINTS, integer=True)
    _number("data.noise", "noise", d.noise, 0, 1e6)
    _number("data.val_fraction", "validation fraction", d.val_fraction, 0, 0.9)
    _number("model.degree", "degree", m.degree, 1, MAX_DEGREE, integer=True)
    _choice("model.basis", "basis", m.basis, BASES)
    _choice("model.init", "init", m.init, INITS)
    _check(
        isinstance(m.init_values, tuple),
        "model.init_values",
        f"init values must be a tuple of numbers, got {m.init_values!r}",
    )
    if m.init == "values":
        _check(
            len(m.init_values) == m.degree + 1,
            "model.init_values",
            f"init values must be {m.degree + 1} numbers for degree {m.degree}, "
            f"got {len(m.init_values)}",
        )
        for v in m.init_values:
            _number("model.init_values", "init value", v, -1e6, 1e6)
    _choice("model.dtype", "dtype", m.dtype, DTYPES)
    _choice("training.method", "method", t.method, METHODS)
    _choice("training.loss", "loss", t.loss, LOSSES)
    _choice("training.reduction", "reduction", t.reduction, REDUCTIONS)
    _number("training.huber_delta", "Huber delta", t.huber_delta, 0, 1e6, open_lo=True)
    _check(
        _finite(t.lr) and t.lr > 0,
        "training.lr",
        f"learning rate must be > 0 and finite, got {t.lr!r}"
        if isinstance(t.lr, bool) or not isinstance(t.lr, (int, float))
        else f"learning rate must be > 0 and finite, got {_show(t.lr)}",
    )
    _number("training.lr", "learning rate", t.lr, 0, 1e3, open_lo=True)
    _number("training.steps", "steps", t.steps, 1, MAX_STEPS, integer=True)
    _number("training.batch_size", "batch size", t.batch_size, 0, MAX_POINTS, integer=True)
    _choice("optimizer.name", "optimizer", o.name, OPTIMIZERS)
    _number("optimizer.momentum", "momentum", o.momentum, 0, 0.9999)
    _check(
        isinstance(o.nesterov, bool),
        "optimizer.nesterov",
        f"nesterov must be true or false, got {o.nesterov!r}",
    )
    _check(
        not (o.nesterov and o.momentum <= 0),
        "optimizer.nesterov",
        "Nesterov momentum needs momentum > 0, got momentum 0",
    )
    _number("optimizer.weight_decay", "weight decay", o.weight_decay, 0, 10)
    _number("optimizer.alpha", "RMSprop alpha", o.alpha, 0, 1, open_lo=True)
    _number("optimizer.beta1", "beta1", o.beta1, 0, 0.9999)
    _number("optimizer.beta2", "beta2", o.beta2, 0, 0.999999)
    _number("optimizer.eps", "eps", o.eps, 0, 1, open_lo=True)
    _number("seed", "seed", config.seed, 0, 2**32 - 1, integer=True)


GROUPS: dict[str, type] = {
    "data": DataConfig,
    "model": ModelConfig,
    "training": TrainingConfig,
    "optimizer": OptimizerConfig,
}

# Every settable dotted path, in declaration order: "data.target", ..., "optimizer.eps", "seed".
FIELD_PATHS: tuple[str, ...] = (
    *(f"{group}.{f.name}" for group, cls in GROUPS.items() for f in fields(cls)),
    "seed",
)


def unknown_field_message(path: str) -> str:
    """``unknown key 'training.learning_rate' — did you mean 'training.lr'?``"""
    by_name = {p.rpartition(".")[2]: p for p in FIELD_PATHS}
    name = path.rpartition(".")[2]
    # the right name in the wrong group ("training.momentum"), then a cut-off path ("data.val"),
    # then a near miss of the whole path, then of the last part alone ("lr")
    close = [by_name[name]] if name in by_name else []
    close = close or [p for p in FIELD_PATHS if "." in path and p.startswith(path)]
    close = close or difflib.get_close_matches(path, FIELD_PATHS, n=1, cutoff=0.5)
    close = close or [by_name[n] for n in difflib.get_close_matches(name, by_name, 1, 0.6)]
    hint = f" — did you mean {close[0]!r}?" if close else ""
    return f"unknown key {path!r}{hint}"
