"""What the worker reports, in the student's language (the worker sends ids and details)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from gradlab.model.pacing import WorkerFailure


def describe_failure(failure: WorkerFailure) -> str:
    """The failure as one translated sentence for the banner (the detail stays as it came)."""
    if failure.kind == "prepare":
        text = QCoreApplication.translate(
            "TrainingWorker", "Could not prepare the training: {error}"
        )
    elif failure.kind == "train":
        text = QCoreApplication.translate(
            "TrainingWorker", "Training stopped because of an error: {error}"
        )
    else:
        text = QCoreApplication.translate("TrainingWorker", "Could not apply the change: {error}")
    return text.format(error=failure.detail)
