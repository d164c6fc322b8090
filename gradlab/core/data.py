"""The chapter's "data" stage: evenly spaced x, the target y, optional noise and a validation split.

Randomness comes from independent streams of the one config seed, so changing one thing (say,
the noise) never changes another (the initial coefficients or the split)::

    random_generator(seed, "init")     initial coefficients (the methods)
    random_generator(seed, "noise")    Gaussian noise on y (here)
    random_generator(seed, "split")    which points are held out for validation (here)
    random_generator(seed, "batches")  mini-batch shuffling (the methods)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from gradlab.core.config import NAMED_TARGETS, Config, ConfigError
from gradlab.core.expression import ExpressionError, parse_expression

RANDOM_STREAMS = ("init", "noise", "split", "batches")
NOISY_SINE_SD = 0.2  # the "noisy-sine" target's own noise, on top of config.data.noise
MIN_TRAIN_POINTS = 2
# room left between the largest number the data makes and the largest the dtype holds, for the
# initial coefficients and the first steps before a divergence can be seen
HEADROOM = 1000.0

TargetFunction = Callable[[np.ndarray], np.ndarray]


def _step(x: np.ndarray) -> np.ndarray:
    return np.where(x >= 0, 1.0, 0.0)


_NAMED: dict[str, tuple[str, TargetFunction]] = {
    "sin": ("sin(x)", np.sin),
    "cos": ("cos(x)", np.cos),
    "exp": ("exp(x)", np.exp),
    "abs": ("|x|", np.abs),
    "step": ("step(x)", _step),
    "noisy-sine": ("sin(x) + noise", np.sin),
}
assert tuple(_NAMED) == NAMED_TARGETS


def random_generator(seed: int, stream: str) -> np.random.Generator:
    """The seeded generator for one purpose (see the module docstring); streams are independent."""
    if stream not in RANDOM_STREAMS:
        raise ValueError(f"stream must be one of {', '.join(RANDOM_STREAMS)}, got {stream!r}")
    return np.random.default_rng([seed, RANDOM_STREAMS.index(stream)])


@dataclass(frozen=True, eq=False)
class Dataset:
    """Training and validation points (read-only float64 arrays, sorted by x) and the true curve.

    ``x_val``/``y_val`` are empty when no validation fraction is set.
    """

    x: np.ndarray
    y: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    target_label: str  # for legends, e.g. "sin(x)" or "x**2 - 1"
    target_function: TargetFunction = field(repr=False)  # prefer target_curve: always float64

    def target_curve(self, xs: np.ndarray) -> np.ndarray:
        """The noise-free target at ``xs`` (float64, same shape), e.g. to draw the true curve."""
        xs = np.asarray(xs, dtype=np.float64)
        with np.errstate(all="ignore"):
            return np.array(np.broadcast_to(self.target_function(xs), xs.shape), dtype=np.float64)

    @property
    def has_validation(self) -> bool:
        return self.x_val.size > 0


def resolve_target(target: str) -> tuple[str, TargetFunction]:
    """(label, noise-free function) for a named target or an expression in x.

    Raises ConfigError on field ``data.target`` when the expression does not parse; its message
    points at the position (the ExpressionError is chained as ``__cause__``).
    """
    name = target.strip()
    if name in _NAMED:
        return _NAMED[name]
    try:
        expression = parse_expression(name)
    except ExpressionError as error:
        shown = name if len(name) <= 40 else name[:37] + "..."
        raise ConfigError(
            "data.target",
            f"target {shown!r}: {error.message}",
            message_id="bad_expression",
            value=name,
        ) from error
    return name, expression.evaluate


def make_dataset(config: Config) -> Dataset:
    """Build the points the config describes; the same config always gives the same numbers.

    x is ``np.linspace(x_min, x_max, points)`` (the chapter's 2000 evenly spaced points).
    Noise is added to every point before the split, then ``round(points * val_fraction)``
    points (at least one when the fraction is above zero) are drawn at random for validation.
    """
    d = config.data
    label, curve = resolve_target(d.target)
    x = np.linspace(d.x_min, d.x_max, d.points)
    with np.errstate(all="ignore"):
        y = np.asarray(np.broadcast_to(curve(x), x.shape), dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(y))
    if bad.size:
        raise ConfigError(
            "data.target",
            f"{label} is not finite at x = {x[bad[0]]:.4g}; "
            "choose an x range where the target is defined",
            message_id="target_not_finite",
            value=float(x[bad[0]]),
        )

    check_representable(config, y)

    noise_rng = random_generator(config.seed, "noise")
    if d.target.strip() == "noisy-sine":
        y = y + noise_rng.normal(0.0, NOISY_SINE_SD, size=x.size)
    if d.noise > 0:
        y = y + noise_rng.normal(0.0, d.noise, size=x.size)

    n_val = round(d.points * d.val_fraction)
    if d.val_fraction > 0:
        n_val = max(n_val, 1)
    if d.points - n_val < MIN_TRAIN_POINTS:
        raise ConfigError(
            "data.val_fraction",
            f"validation fraction {d.val_fraction:g} leaves {d.points - n_val} training points "
            f"out of {d.points}; at least {MIN_TRAIN_POINTS} are needed",
            message_id="too_few_training_points",
            value=d.val_fraction,
        )
    held_out = np.zeros(x.size, dtype=bool)
    held_out[random_generator(config.seed, "split").permutation(x.size)[:n_val]] = True
    # boolean masks keep x's ascending order, so both sets stay sorted by x
    return Dataset(
        x=_frozen(x[~held_out]),
        y=_frozen(y[~held_out]),
        x_val=_frozen(x[held_out]),
        y_val=_frozen(y[held_out]),
        target_label=label,
        target_function=curve,
    )


def representable_limit(config: Config) -> float:
    """The largest |y| or feature value whose loss and gradients stay finite in the dtype.

    The summed squared loss adds ``points`` squares of residuals of ``degree + 1`` terms, so the
    limit is sqrt(dtype max / (points · (degree + 1)²)), less a headroom factor.
    """
    largest = float(np.finfo(np.float32 if config.model.dtype == "float32" else np.float64).max)
    terms = config.data.points * (config.model.degree + 1) ** 2
    return float(np.sqrt(largest / terms)) / HEADROOM


def check_representable(config: Config, y: np.ndarray) -> None:
    """Refuse data whose numbers the training cannot hold (it would overflow at once).

    Raises ConfigError naming the field to change: ``data.target`` when the target's values are
    too large, ``data.x_max`` when the powers of x are (raw powers only: Legendre features stay
    within [-1, 1]).
    """
    d, m = config.data, config.model
    limit = representable_limit(config)
    largest_y = float(np.max(np.abs(y))) if y.size else 0.0
    if largest_y > limit:
        raise ConfigError(
            "data.target",
            f"the target reaches {largest_y:.3g}, too large to train on in {m.dtype} (at most "
            f"{limit:.3g} for {d.points} points and degree {m.degree}): scale it down",
            message_id="target_too_large",
            value=largest_y,
        )
    if m.basis == "power":
        reach = max(abs(d.x_min), abs(d.x_max), 1.0)
        with np.errstate(over="ignore"):
            largest_x = float(np.float64(reach) ** m.degree)
        if largest_x > limit:
            raise ConfigError(
                "data.x_max",
                f"x**{m.degree} reaches {largest_x:.3g} over this x range, too large to train "
                f"on in {m.dtype} (at most {limit:.3g}): use a smaller x range or degree, "
                "the Legendre basis, or float64",
                message_id="powers_too_large",
                value=largest_x,
            )


def _frozen(values: np.ndarray) -> np.ndarray:
    """A read-only float64 copy: safe to share between the worker and the GUI thread."""
    values = np.array(values, dtype=np.float64)
    values.setflags(write=False)
    return values
