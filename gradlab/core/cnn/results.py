"""What CnnSession hands out: NumPy-only records (safe to pass to another thread).

CnnBatch: the progress rows of drain(); CnnResults: what the results stage shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gradlab.core.messages import Message


@dataclass(frozen=True)
class CnnBatch:
    """What happened since the last drain(): NumPy copies and plain values only."""

    steps: np.ndarray  # int64: global numbers (1-based) of the new training batches
    loss: np.ndarray  # float64: each batch's training loss (before its update, as the chapter)
    accuracy: np.ndarray  # float64: share of the batch classified right (NaN for the demo)
    epochs: np.ndarray  # int64: epochs (1-based) that finished since the last drain
    epoch_train_loss: np.ndarray  # float64: mean training loss over each of those epochs
    epoch_train_accuracy: np.ndarray  # float64
    val_loss: np.ndarray  # float64: NaN where there is no validation set
    val_accuracy: np.ndarray  # float64
    epoch: int  # the epoch in progress, 1-based (the last one once finished)
    batch_in_epoch: int  # training batches done in that epoch
    batches_per_epoch: int
    step_count: int
    total_steps: int
    stage: str  # one of config.STAGES: the stage the next unit belongs to
    stage_progress: float  # 0..1 through data loading or the current validation pass
    status: str  # "ready" | "running" | "finished" | "diverged" | "failed"
    images_per_s: float  # training throughput (NaN before the first batch)
    eta_s: float  # estimated seconds to finish (NaN before the first batch)
    error: str | None  # why the run failed (status "failed")
    error_message: Message | None = None  # the same as a message id and values


@dataclass(frozen=True)
class CnnResults:
    """Predictions on the validation set after `epoch` epochs (0 = before training).

    Index i everywhere is the i-th validation image (session.data.val_images[i]).
    """

    class_names: tuple[str, ...]
    class_names_zh: tuple[str, ...]
    true_labels: np.ndarray  # int64 (n,)
    predictions: np.ndarray  # int64 (n,)
    confidence: np.ndarray  # float32 (n,): softmax probability of the predicted class
    confusion: np.ndarray  # int64 (classes, classes): rows true class, columns predicted
    per_class_accuracy: np.ndarray  # float64 (classes,), NaN for a class with no images
    accuracy: float  # NaN without validation images
    epoch: int

    @property
    def mistakes(self) -> np.ndarray:
        """Boolean (n,): True where the prediction is wrong (to mark them in a grid)."""
        return np.asarray(self.predictions != self.true_labels)

    def cell_indices(self, true_class: int, predicted_class: int) -> np.ndarray:
        """Validation images counted in one confusion-matrix cell."""
        hit = (self.true_labels == true_class) & (self.predictions == predicted_class)
        return np.flatnonzero(hit)


def make_results(
    true_labels: np.ndarray,
    predictions: np.ndarray,
    confidence: np.ndarray,
    class_names: tuple[str, ...],
    class_names_zh: tuple[str, ...],
    epoch: int,
) -> CnnResults:
    """Count the confusion matrix and the accuracies from labels and predictions."""
    k = len(class_names)
    true_labels = np.asarray(true_labels, dtype=np.int64)
    predictions = np.asarray(predictions, dtype=np.int64)
    confusion = np.bincount(true_labels * k + predictions, minlength=k * k).reshape(k, k)
    per_class = confusion.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_class_accuracy = np.where(per_class > 0, np.diag(confusion) / per_class, np.nan)
    accuracy = float(np.mean(predictions == true_labels)) if len(true_labels) else float("nan")
    return CnnResults(
        class_names,
        class_names_zh,
        true_labels.copy(),
        predictions.copy(),
        np.asarray(confidence, dtype=np.float32).copy(),
        confusion.astype(np.int64),
        per_class_accuracy.astype(np.float64),
        accuracy,
        epoch,
    )
