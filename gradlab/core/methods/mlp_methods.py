"""The four methods for a small network; torch is imported only for the torch methods."""

from __future__ import annotations

import numpy as np

from gradlab.core.config import Config
from gradlab.core.methods.base import Method


def make_mlp_method(config: Config, features: np.ndarray, targets: np.ndarray) -> Method:
    """The network method ``config.training.method`` names, on x as one column (n, 1)."""
    name = config.training.method
    if name == "numpy-manual":
        from gradlab.core.methods.numpy_mlp import NumpyMlp

        return NumpyMlp(features, targets, config)
    if name == "torch-autograd":
        from gradlab.core.methods.torch_mlp import TorchAutogradMlp

        return TorchAutogradMlp(features, targets, config)
    if name == "torch-optim":
        from gradlab.core.methods.torch_mlp import TorchOptimMlp

        return TorchOptimMlp(features, targets, config)
    if name == "torch-function":
        from gradlab.core.methods.torch_function_mlp import TorchFunctionMlp

        return TorchFunctionMlp(features, targets, config)
    raise ValueError(f"no {name!r} method for a network")
