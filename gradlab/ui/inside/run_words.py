"""A run's label and state in the student's language, worded from the core's label parts.

The core says what differs between two runs (``label_parts``: setting paths and values); the
words, method names and states are made here with tr(), so a run reads "NumPy by hand lr=1e-6"
and "已完成" rather than internal ids and English states.
"""

from __future__ import annotations

from collections.abc import Callable
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
    names = {
        "numpy-manual": QCoreApplication.translate("RunWords", "NumPy by hand"),
        "torch-autograd": QCoreApplication.translate("RunWords", "PyTorch autograd"),
        "torch-function": QCoreApplication.translate("RunWords", "PyTorch Function"),
    }
    return names.get(method, method)


def state_name(status: str) -> str:
    """A recorded run's state: finished, stopped or diverged."""
    names = {
        "finished": QCoreApplication.translate("RunWords", "finished"),
        "stopped": QCoreApplication.translate("RunWords", "stopped"),
        "diverged": QCoreApplication.translate("RunWords", "diverged"),
    }
    return names.get(status, status)


def _part(path: str, value: Any) -> str:
    if path == "method":
        return method_display_name(value)
    if isinstance(value, float) and path != "data.val_fraction":
        shown = short_number(value)
    else:
        shown = str(value)
    words: dict[str, Callable[[], str]] = {
        "training.lr": lambda: f"lr={shown}",
        "training.loss": lambda: (
            LOSS_NAMES.get(value, value)
            if value != "squared"
            else QCoreApplication.translate("RunWords", "squared")
        ),
        "model.degree": lambda: QCoreApplication.translate("RunWords", "degree {n}").format(
            n=value
        ),
        "model.basis": lambda: {
            "power": QCoreApplication.translate("RunWords", "powers of x"),
            "legendre": QCoreApplication.translate("RunWords", "Legendre"),
        }.get(value, shown),
        "training.reduction": lambda: {
            "sum": QCoreApplication.translate("RunWords", "sum"),
            "mean": QCoreApplication.translate("RunWords", "mean"),
        }.get(value, shown),
        "optimizer.nesterov": lambda: (
            QCoreApplication.translate("RunWords", "Nesterov")
            if value
            else QCoreApplication.translate("RunWords", "no Nesterov")
        ),
        "data.target": lambda: QCoreApplication.translate("RunWords", "target {y}").format(
            y=value if len(value) <= 20 else value[:19] + "…"
        ),
        "data.val_fraction": lambda: QCoreApplication.translate(
            "RunWords", "validation {p}"
        ).format(p=f"{value:.0%}"),
        "data.plot_margin": lambda: QCoreApplication.translate(
            "RunWords", "plot ±{p} beyond the data"
        ).format(p=f"{value:.0%}"),
        "data.points": lambda: QCoreApplication.translate("RunWords", "{n} points").format(n=value),
        "model.init": lambda: QCoreApplication.translate("RunWords", "start {how}").format(
            how=value
        ),
        "model.init_values": lambda: QCoreApplication.translate("RunWords", "own start values"),
        "seed": lambda: QCoreApplication.translate("RunWords", "seed {n}").format(n=value),
        "training.batch_size": lambda: (
            QCoreApplication.translate("RunWords", "batch {n}").format(n=value)
            if value
            else QCoreApplication.translate("RunWords", "full batch")
        ),
        "training.steps": lambda: QCoreApplication.translate("RunWords", "{n} steps").format(
            n=f"{value:,}"
        ),
        "model.dtype": lambda: shown,
        "training.flip_backward_sign": lambda: (
            QCoreApplication.translate("RunWords", "sign of b flipped")
            if value
            else QCoreApplication.translate("RunWords", "backward fixed")
        ),
    }
    word = words.get(path)
    return word() if word is not None else f"{path.rpartition('.')[2]}={shown}"


def run_title(config: Config, base: Config | None) -> str:
    """What a run changed from ``base`` (the run before it), most informative first."""
    texts = [_part(path, value) for path, value in label_parts(config, base)]
    shown = " ".join(texts[:MAX_LABEL_ITEMS])
    return shown + " …" if len(texts) > MAX_LABEL_ITEMS else shown
