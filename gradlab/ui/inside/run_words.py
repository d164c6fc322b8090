"""A run's label and state in the student's language, worded from the core's label parts.

The core says what differs between two runs (``label_parts``: setting paths and values); the
words, method names and states are made here with tr(), so a run reads "NumPy by hand lr=1e-6"
and "已完成" rather than internal ids and English states.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from gradlab.core.config import Config
from gradlab.core.run_labels import (
    LOSS_NAMES,
    MAX_LABEL_ITEMS,
    OPTIMIZER_NAMES,
    label_parts,
    short_number,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("RunWords", text)


def method_display_name(config: Config) -> str:
    """The method as the panel names it; for torch.optim, the optimizer's own name."""
    method = config.training.method
    if method == "torch-optim":
        return OPTIMIZER_NAMES.get(config.optimizer.name, config.optimizer.name)
    names = {"numpy-manual": _tr("NumPy by hand"), "torch-autograd": _tr("PyTorch autograd")}
    return names.get(method, method)


def state_name(status: str) -> str:
    """A recorded run's state: finished, stopped or diverged."""
    names = {"finished": _tr("finished"), "stopped": _tr("stopped"), "diverged": _tr("diverged")}
    return names.get(status, status)


def _part(path: str, value: Any) -> str:
    if path == "method":
        return method_display_name(value)
    if isinstance(value, float) and path != "data.val_fraction":
        shown = short_number(value)
    else:
        shown = str(value)
    words = {
        "training.lr": lambda: f"lr={shown}",
        "training.loss": lambda: (
            LOSS_NAMES.get(value, value) if value != "squared" else _tr("squared")
        ),
        "model.degree": lambda: _tr("degree {n}").format(n=value),
        "model.basis": lambda: {"power": _tr("powers of x"), "legendre": _tr("Legendre")}.get(
            value, shown
        ),
        "training.reduction": lambda: {"sum": _tr("sum"), "mean": _tr("mean")}.get(value, shown),
        "optimizer.nesterov": lambda: _tr("Nesterov") if value else _tr("no Nesterov"),
        "data.target": lambda: _tr("target {y}").format(
            y=value if len(value) <= 20 else value[:19] + "…"
        ),
        "data.val_fraction": lambda: _tr("validation {p}").format(p=f"{value:.0%}"),
        "data.points": lambda: _tr("{n} points").format(n=value),
        "model.init": lambda: _tr("start {how}").format(how=value),
        "model.init_values": lambda: _tr("own start values"),
        "seed": lambda: _tr("seed {n}").format(n=value),
        "training.batch_size": lambda: (
            _tr("batch {n}").format(n=value) if value else _tr("full batch")
        ),
        "training.steps": lambda: _tr("{n} steps").format(n=f"{value:,}"),
        "model.dtype": lambda: shown,
    }
    word = words.get(path)
    return word() if word is not None else f"{path.rpartition('.')[2]}={shown}"


def run_title(config: Config, base: Config | None) -> str:
    """What a run changed from ``base`` (the run before it), most informative first."""
    texts = [_part(path, value) for path, value in label_parts(config, base)]
    shown = " ".join(texts[:MAX_LABEL_ITEMS])
    return shown + " …" if len(texts) > MAX_LABEL_ITEMS else shown
