"""Reference numbers for a config: the best possible fit and how fast gradient descent may go.

For the chapter's setup (sin(x), 2000 points, cubic, squared loss summed) the optimum loss is
≈ 8.81717, the largest stable learning rate 2/λmax ≈ 3.558e-6 and the condition number ≈ 325,
which is why the chapter needs a learning rate as small as 1e-6.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gradlab.core.config import Config
from gradlab.core.data import Dataset
from gradlab.core.features import feature_matrix
from gradlab.core.losses import loss_value

IRLS_MAX_ITERATIONS = 500
IRLS_TOLERANCE = 1e-12  # relative change of the coefficients that counts as converged


@dataclass(frozen=True, eq=False)
class Analysis:
    """The optimum and the curvature of the loss for one config and its training data.

    ``hessian_eigenvalues`` (ascending) are those of the *squared* loss with the config's
    reduction over the training set: 2XᵀX for sum, 2XᵀX/n for mean. That Hessian is what
    decides whether plain gradient descent on the squared loss is stable (lr < 2/λmax), so it is
    reported for L1 and Huber too, as the curvature scale of the problem (L1 has no Hessian;
    Huber's is the squared one restricted to the points inside the band, at most this big).
    """

    optimum_coefficients: np.ndarray  # in the config's basis, constant term first
    optimum_loss: float  # training loss at the optimum, the config's loss and reduction
    hessian_eigenvalues: np.ndarray  # ascending
    max_stable_lr: float  # 2 / λmax
    condition_number: float  # λmax / λmin (inf when λmin <= 0 numerically)
    optimum_val_loss: float | None  # the optimum's loss on the validation points, if any


def analyse(config: Config, dataset: Dataset) -> Analysis:
    """Least squares (squared loss) or IRLS (L1, Huber) on the training points of ``dataset``."""
    d, m, t = config.data, config.model, config.training
    features = feature_matrix(dataset.x, m.degree, m.basis, d.x_min, d.x_max)
    if t.loss == "squared":
        optimum = _least_squares(features, dataset.y)
    else:
        optimum = _irls(features, dataset.y, t.loss, t.huber_delta)

    def loss_at(x: np.ndarray, y: np.ndarray) -> float:
        prediction = feature_matrix(x, m.degree, m.basis, d.x_min, d.x_max) @ optimum
        return loss_value(prediction - y, t.loss, t.reduction, t.huber_delta)

    hessian = 2.0 * features.T @ features
    if t.reduction == "mean":
        hessian /= features.shape[0]
    eigenvalues = np.linalg.eigvalsh(hessian)
    largest, smallest = float(eigenvalues[-1]), float(eigenvalues[0])
    optimum.setflags(write=False)
    eigenvalues.setflags(write=False)
    return Analysis(
        optimum_coefficients=optimum,
        optimum_loss=loss_at(dataset.x, dataset.y),
        optimum_val_loss=loss_at(dataset.x_val, dataset.y_val) if dataset.has_validation else None,
        hessian_eigenvalues=eigenvalues,
        max_stable_lr=2.0 / largest,
        condition_number=largest / smallest if smallest > 0 else float("inf"),
    )


def _least_squares(
    features: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    """argmin Σ wᵢ (Xc − y)ᵢ², with the columns scaled to unit norm first for accuracy."""
    if weights is not None:
        root = np.sqrt(weights)
        features, y = features * root[:, None], y * root
    norms = np.linalg.norm(features, axis=0)
    norms[norms == 0] = 1.0
    solution = np.linalg.lstsq(features / norms, y, rcond=None)[0]
    return np.asarray(solution / norms, dtype=np.float64)


def _irls(features: np.ndarray, y: np.ndarray, kind: str, delta: float) -> np.ndarray:
    """Iteratively reweighted least squares for L1 or Huber, started from least squares.

    Each round solves a weighted least-squares problem whose weights make it agree with the
    robust loss at the current residuals: 1/|r| for L1, min(1, δ/|r|) for Huber.
    """
    coefficients = _least_squares(features, y)
    scale = max(float(np.abs(y).max()), 1.0)
    floor = 1e-12 * scale  # keeps L1 weights finite where a residual is exactly zero
    for _ in range(IRLS_MAX_ITERATIONS):
        residual = np.abs(features @ coefficients - y)
        if kind == "l1":
            weights = 1.0 / np.maximum(residual, floor)
        else:
            weights = np.minimum(1.0, delta / np.maximum(residual, floor))
        updated = _least_squares(features, y, weights)
        change = np.max(np.abs(updated - coefficients))
        coefficients = updated
        if change <= IRLS_TOLERANCE * max(1.0, float(np.max(np.abs(coefficients)))):
            break
    return coefficients
