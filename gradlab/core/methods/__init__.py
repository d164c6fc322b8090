"""The chapter's three ways to train the polynomial or a small network, and a fourth with a
hand-written backward (custom torch.autograd.Functions); ``make_method`` builds the configured
one.

torch is imported only when a torch method is built, so the GUI starts without it.
"""

from __future__ import annotations

import numpy as np

from gradlab.core.config import Config
from gradlab.core.methods.base import (
    PHASES,
    Method,
    MethodSnapshot,
    RunResult,
    StepBuffers,
    StepRecord,
    initial_coefficients,
)

__all__ = [
    "PHASES",
    "Method",
    "MethodSnapshot",
    "RunResult",
    "StepBuffers",
    "StepRecord",
    "initial_coefficients",
    "make_method",
]


def make_method(config: Config, features: np.ndarray, targets: np.ndarray) -> Method:
    """The method ``config.training.method`` names, on training features X (n, p) and y (n,)."""
    name = config.training.method
    if config.model.kind == "mlp":
        from gradlab.core.methods.mlp_methods import make_mlp_method

        return make_mlp_method(config, features, targets)
    if name == "numpy-manual":
        from gradlab.core.methods.numpy_manual import NumpyManual

        return NumpyManual(features, targets, config)
    if name == "torch-autograd":
        from gradlab.core.methods.torch_autograd import TorchAutograd

        return TorchAutograd(features, targets, config)
    if name == "torch-optim":
        from gradlab.core.methods.torch_optim import TorchOptim

        return TorchOptim(features, targets, config)
    if name == "torch-function":
        from gradlab.core.methods.torch_function import TorchFunction

        return TorchFunction(features, targets, config)
    raise ValueError(f"unknown method {name!r}")
