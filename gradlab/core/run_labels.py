"""Run labels: the short legend that names what a run changed (``run_label``), and the compact
numbers and method names it is made of.

"Adam lr=1e-2", "numpy-manual lr=1e-6 L1", "degree 9 legendre": what differs from a base config,
most informative first. Used for the run list's legend (gradlab.core.runs) and for comparisons
(gradlab.core.compare).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from gradlab.core.config import FIELD_PATHS, Config

MAX_LABEL_ITEMS = 3

OPTIMIZER_NAMES = {"sgd": "SGD", "rmsprop": "RMSprop", "adam": "Adam", "adamw": "AdamW",
                   "adagrad": "Adagrad"}  # fmt: skip
LOSS_NAMES = {"squared": "squared", "l1": "L1", "huber": "Huber"}


def short_number(value: float) -> str:
    """Compact and exact enough for a legend: 0.01 -> "1e-2", 3e-4 -> "3e-4", 0.5 -> "0.5"."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    if 0.1 <= abs(value) < 1e4:
        return f"{value:.4g}"
    mantissa, exponent = f"{value:.3e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def method_name(config: Config) -> str:
    """ "numpy-manual", "torch-autograd", or the optimizer ("RMSprop", "Adam") for torch-optim."""
    if config.training.method == "torch-optim":
        return OPTIMIZER_NAMES.get(config.optimizer.name, config.optimizer.name)
    return config.training.method


def _path_value(config: Config, path: str) -> Any:
    group, _, name = path.partition(".")
    return getattr(getattr(config, group), name) if name else getattr(config, group)


_LABEL_FORMATS: dict[str, Callable[[Any], str]] = {
    "training.lr": lambda v: f"lr={short_number(v)}",
    "training.loss": lambda v: LOSS_NAMES.get(v, v),
    "model.degree": lambda v: f"degree {v}",
    "optimizer.nesterov": lambda v: "nesterov" if v else "no nesterov",
    "data.target": lambda v: f"target {v}" if len(v) <= 20 else f"target {v[:19]}…",
    "data.val_fraction": lambda v: f"val {v:.0%}",
    "data.points": lambda v: f"{v} points",
    "model.init": lambda v: f"init {v}",
    "model.init_values": lambda v: "init values",
    "seed": lambda v: f"seed {v}",
    "data.plot_margin": lambda v: f"plot ±{v:.0%}",
    "training.batch_size": lambda v: f"batch {v}" if v else "full batch",
    "training.steps": lambda v: f"{v} steps",
    "training.flip_backward_sign": lambda v: "sign of b flipped" if v else "backward fixed",
}
_PLAIN_VALUE = ("model.basis", "training.reduction", "model.dtype")
# most informative first; every other setting follows in declaration order, steps last
_LABEL_FIRST = ("training.lr", "training.loss", "training.huber_delta", "model.degree",
                "model.basis", "optimizer.momentum", "optimizer.nesterov", "training.reduction",
                "data.target", "data.noise", "data.val_fraction")  # fmt: skip
_LABEL_ORDER = (
    *_LABEL_FIRST,
    *(p for p in FIELD_PATHS if p not in _LABEL_FIRST and p != "training.steps"),
    "training.steps",
)


def label_parts(config: Config, base: Config | None) -> list[tuple[str, Any]]:
    """What a run's label names, as data for a UI to word: (path, value) per difference from
    ``base``, most informative first, led by ("method", config) when the method or a
    training-side setting differs; with no base or no difference, the method and lr."""
    if base is None:
        return [("method", config), ("training.lr", config.training.lr)]
    parts: list[tuple[str, Any]] = []
    training_side = False
    for path in _LABEL_ORDER:
        value = _path_value(config, path)
        skip = (
            path in ("training.method", "optimizer.name")
            or (path.startswith("optimizer.") and config.training.method != "torch-optim")
            or (
                path == "training.flip_backward_sign" and config.training.method != "torch-function"
            )
        )
        if skip or value == _path_value(base, path):
            continue
        parts.append((path, value))
        training_side = training_side or path.partition(".")[0] in ("training", "optimizer")
    if method_name(config) != method_name(base) or training_side:
        parts.insert(0, ("method", config))
    return parts or [("method", config), ("training.lr", config.training.lr)]


def _part_text(path: str, value: Any) -> str:
    if path == "method":
        return method_name(value)
    if path in _LABEL_FORMATS:
        return _LABEL_FORMATS[path](value)
    if path in _PLAIN_VALUE:
        return str(value)
    shown = short_number(value) if isinstance(value, float) else value  # "noise=0.1"
    return f"{path.rpartition('.')[2]}={shown}"


def run_label(config: Config, base_config: Config | None = None) -> str:
    """A short legend naming what differs from ``base_config``, most informative first.

    "Adam lr=1e-2", "numpy-manual lr=1e-6 L1", "degree 9 legendre"; at most three items (then
    "…"). Training-side differences come with the method's name ("RMSprop lr=1e-2"); with no
    base or no difference, the method and learning rate.
    """
    texts = [_part_text(path, value) for path, value in label_parts(config, base_config)]
    shown = " ".join(texts[:MAX_LABEL_ITEMS])
    return shown + " …" if len(texts) > MAX_LABEL_ITEMS else shown
