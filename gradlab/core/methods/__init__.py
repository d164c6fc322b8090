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
from gradlab.core.network import initial_parameters

__all__ = [
    "PHASES",
    "Method",
    "MethodSnapshot",
    "RunResult",
    "StepBuffers",
    "StepRecord",
    "initial_coefficients",
    "make_method",
    "starting_parameters",
]


def starting_parameters(config: Config) -> np.ndarray:
    """Where every method starts for ``config`` (float64): a polynomial's coefficients or a
    network's flat parameter vector, known before any method (or PyTorch) is built."""
    if config.model.kind == "mlp":
        return initial_parameters(config)
    return initial_coefficients(config)


def make_method(config: Config, features: np.ndarray, targets: np.ndarray) -> Method:
    """The method ``config.training.method`` names, on training features X (n, p) and y (n,)."""
    name = config.training.method
    if name.startswith("torch"):  # its thread count suits this fit's size, in the training thread
        from gradlab.core.torch_threads import use_threads_for

        use_threads_for(len(features) * _widest_layer(config, features))
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


def _widest_layer(config: Config, features: np.ndarray) -> int:
    """Numbers per point in the fit's widest tensor: a network's hidden units, or the columns
    1, x, x², ... of the polynomial's features."""
    if config.model.kind == "mlp":
        return config.model.hidden
    return int(features.shape[1])
