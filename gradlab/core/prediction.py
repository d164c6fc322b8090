"""The configured model's prediction at any x: the polynomial or the network, one call."""

from __future__ import annotations

import numpy as np

from gradlab.core.config import Config
from gradlab.core.features import feature_matrix


def model_prediction(config: Config, coefficients: np.ndarray, x: np.ndarray) -> np.ndarray:
    """ŷ at ``x`` (float64) for the polynomial's coefficients or the network's parameters."""
    d, m = config.data, config.model
    if m.kind == "mlp":
        from gradlab.core.network import predict

        return predict(m, coefficients, x)
    return np.asarray(feature_matrix(x, m.degree, m.basis, d.x_min, d.x_max) @ coefficients)
