"""The experiment's one source of truth: a frozen, validated, JSON-serialisable config.

The defaults are the chapter's first listing: sin(x) on 2000 points in [-π, π], a cubic,
gradients by hand in NumPy, squared loss summed, learning rate 1e-6, 200,000 steps.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field, fields, replace
from typing import Any

from gradlab.core.validation import ConfigError as ConfigError  # its home for importers
from gradlab.core.validation import (
    Limits,
    check,
    is_finite_number,
    require_bool,
    require_choice,
    require_number,
    show_number,
)

METHODS = ("numpy-manual", "torch-autograd", "torch-optim", "torch-function")
LOSSES = ("squared", "l1", "huber")
REDUCTIONS = ("sum", "mean")
OPTIMIZERS = ("sgd", "rmsprop", "adam", "adamw", "adagrad")
BASES = ("power", "legendre")
INITS = ("random", "zeros", "values")
DTYPES = ("float32", "float64")
NAMED_TARGETS = ("sin", "cos", "exp", "abs", "step", "noisy-sine")
MODEL_KINDS = ("polynomial", "mlp")
ACTIVATIONS = ("tanh", "relu", "sigmoid", "gelu")

MAX_DEGREE = 9
MAX_POINTS = 1_000_000
MAX_STEPS = 100_000_000
COEFFICIENT_NAMES = "abcdefghij"
MAX_PLOT_MARGIN = 2.0  # the plot at most twice the data's width beyond each end
MAX_LAYERS = 3  # hidden layers of a network
MAX_WIDTH = 64  # units per hidden layer


@dataclass(frozen=True)
class DataConfig:
    """Where the points come from (the chapter's "data" stage)."""

    target: str = "sin"  # a name in NAMED_TARGETS or an expression in x, e.g. "x**2 - 1"
    x_min: float = -math.pi
    x_max: float = math.pi
    points: int = 2000
    noise: float = 0.0  # standard deviation of Gaussian noise added to y (seeded)
    val_fraction: float = 0.0  # share of points held out for validation
    # the fit plot's x range reaches this share of the data's width beyond each end: how the
    # model extrapolates outside the data (0: the plot spans the data's range only)
    plot_margin: float = 0.0


@dataclass(frozen=True)
class ModelConfig:
    """The model and how its parameters start: the polynomial a + b·x + c·x² + ... (the
    chapter's) or a small network (``kind="mlp"``: ``layers`` hidden layers of ``hidden`` units
    with one ``activation``, then a linear output unit)."""

    degree: int = 3
    basis: str = "power"  # raw powers of x (the chapter) or Legendre polynomials on the range
    # polynomial: uniform [0, 1) from the seed (the chapter's); mlp: torch's nn.Linear default
    # (uniform ±1/√fan_in) from the seed; or zeros, or values
    init: str = "random"
    init_values: tuple[float, ...] = ()  # one number per parameter when init == "values"
    dtype: str = "float64"
    kind: str = "polynomial"  # or "mlp"
    layers: int = 1  # hidden layers (mlp only)
    hidden: int = 16  # units per hidden layer (mlp only)
    activation: str = "tanh"  # of the hidden units (mlp only)

    @property
    def parameter_count(self) -> int:
        """How many numbers the model trains: degree + 1, or the network's weights and biases."""
        if self.kind != "mlp":
            return self.degree + 1
        h = self.hidden
        return 2 * h + (self.layers - 1) * (h * h + h) + h + 1


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
    # torch-function only: its hand-written backward returns −∂loss/∂b on purpose (a lesson's bug)
    flip_backward_sign: bool = False


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
                raise ConfigError(
                    path, unknown_field_message(path), message_id="unknown_field", value=path
                )
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
        """a, b, c, ... for a polynomial; W1[0,0], b1[0], ... (torch's order) for a network."""
        if self.model.kind == "mlp":
            from gradlab.core.network import parameter_names

            return parameter_names(self.model)
        return tuple(COEFFICIENT_NAMES[: self.model.degree + 1])


def _number(
    path: str,
    label: str,
    value: object,
    low: float,
    high: float,
    *,
    open_low: bool = False,
    integer: bool = False,
) -> None:
    require_number(path, label, value, Limits(low, high, open_low=open_low, integer=integer))


def validate(config: Config) -> None:
    """Raise ConfigError naming the first bad field; the message says the allowed range."""
    d, m, t, o = config.data, config.model, config.training, config.optimizer
    check(
        isinstance(d.target, str) and d.target.strip() != "",
        "data.target",
        "target must be a named target or an expression in x, got an empty text",
        message_id="empty_target",
        value=d.target,
    )
    _number("data.x_min", "x min", d.x_min, -1e6, 1e6)
    _number("data.x_max", "x max", d.x_max, -1e6, 1e6)
    check(
        d.x_max > d.x_min,
        "data.x_max",
        f"x max must be greater than x min ({d.x_min:g}), got {d.x_max:g}",
        message_id="x_max_not_above_x_min",
        value=d.x_max,
    )
    _number("data.points", "number of points", d.points, 2, MAX_POINTS, integer=True)
    _number("data.noise", "noise", d.noise, 0, 1e6)
    _number("data.val_fraction", "validation fraction", d.val_fraction, 0, 0.9)
    _number("data.plot_margin", "plot margin", d.plot_margin, 0, MAX_PLOT_MARGIN)
    _number("model.degree", "degree", m.degree, 1, MAX_DEGREE, integer=True)
    require_choice("model.basis", "basis", m.basis, BASES)
    require_choice("model.init", "init", m.init, INITS)
    check(
        isinstance(m.init_values, tuple),
        "model.init_values",
        f"init values must be a tuple of numbers, got {m.init_values!r}",
        message_id="not_a_tuple",
        value=m.init_values,
    )
    require_choice("model.kind", "model", m.kind, MODEL_KINDS)
    _number("model.layers", "hidden layers", m.layers, 1, MAX_LAYERS, integer=True)
    _number("model.hidden", "hidden units", m.hidden, 1, MAX_WIDTH, integer=True)
    require_choice("model.activation", "activation", m.activation, ACTIVATIONS)
    if m.init == "values":
        count = m.parameter_count
        what = f"degree {m.degree}" if m.kind == "polynomial" else "this network"
        check(
            len(m.init_values) == count,
            "model.init_values",
            f"init values must be {count} numbers for {what}, got {len(m.init_values)}",
            message_id="init_values_count",
            value=len(m.init_values),
        )
        for v in m.init_values:
            _number("model.init_values", "init value", v, -1e6, 1e6)
    require_choice("model.dtype", "dtype", m.dtype, DTYPES)
    require_choice("training.method", "method", t.method, METHODS)
    require_choice("training.loss", "loss", t.loss, LOSSES)
    require_choice("training.reduction", "reduction", t.reduction, REDUCTIONS)
    _number("training.huber_delta", "Huber delta", t.huber_delta, 0, 1e6, open_low=True)
    lr_limits = Limits(0, 1e3, open_low=True)
    if not (is_finite_number(t.lr) and t.lr > 0):
        is_number = isinstance(t.lr, (int, float)) and not isinstance(t.lr, bool)
        raise ConfigError(
            "training.lr",
            f"learning rate must be > 0 and finite, got {show_number(t.lr)}"
            if is_number
            else f"learning rate must be > 0 and finite, got {t.lr!r}",
            message_id="out_of_range" if is_number else "not_a_number",
            value=t.lr,
            limits=lr_limits,
        )
    require_number("training.lr", "learning rate", t.lr, lr_limits)
    _number("training.steps", "steps", t.steps, 1, MAX_STEPS, integer=True)
    _number("training.batch_size", "batch size", t.batch_size, 0, MAX_POINTS, integer=True)
    require_bool("training.flip_backward_sign", "flip backward sign", t.flip_backward_sign)
    require_choice("optimizer.name", "optimizer", o.name, OPTIMIZERS)
    _number("optimizer.momentum", "momentum", o.momentum, 0, 0.9999)
    require_bool("optimizer.nesterov", "nesterov", o.nesterov)
    check(
        not (o.nesterov and o.momentum <= 0),
        "optimizer.nesterov",
        "Nesterov momentum needs momentum > 0, got momentum 0",
        message_id="nesterov_needs_momentum",
        value=o.nesterov,
    )
    _number("optimizer.weight_decay", "weight decay", o.weight_decay, 0, 10)
    _number("optimizer.alpha", "RMSprop alpha", o.alpha, 0, 1, open_low=True)
    _number("optimizer.beta1", "beta1", o.beta1, 0, 0.9999)
    _number("optimizer.beta2", "beta2", o.beta2, 0, 0.999999)
    _number("optimizer.eps", "eps", o.eps, 0, 1, open_low=True)
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


def closest_field(path: str) -> str | None:
    """The setting the student probably meant by the unknown ``path`` (None: no guess)."""
    by_name = {p.rpartition(".")[2]: p for p in FIELD_PATHS}
    name = path.rpartition(".")[2]
    # the right name in the wrong group ("training.momentum"), then a cut-off path ("data.val"),
    # then a near miss of the whole path, then of the last part alone ("lr")
    close = [by_name[name]] if name in by_name else []
    close = close or [p for p in FIELD_PATHS if "." in path and p.startswith(path)]
    close = close or difflib.get_close_matches(path, FIELD_PATHS, n=1, cutoff=0.5)
    close = close or [by_name[n] for n in difflib.get_close_matches(name, by_name, 1, 0.6)]
    return close[0] if close else None


def unknown_field_message(path: str) -> str:
    """``unknown key 'training.learning_rate' — did you mean 'training.lr'?``"""
    close = closest_field(path)
    hint = f" — did you mean {close!r}?" if close else ""
    return f"unknown key {path!r}{hint}"
