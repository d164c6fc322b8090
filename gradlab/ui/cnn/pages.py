"""The CNN lab's own pages for the train and validate stages: the live plots beside a short
explanation of the training loop and of validation (the other stages' pages are the settings').

The texts keep CnnLabWidget as their translation context (they were written there first).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget


def train_page(train_form: QWidget, training_plots: QWidget) -> QWidget:
    """The train stage: epochs and threads over the chapter's training loop, plots beside."""
    train = QWidget()
    row = QHBoxLayout(train)
    row.setContentsMargins(0, 0, 0, 0)
    left = QVBoxLayout()
    left.addWidget(train_form)
    loop = QLabel(
        QCoreApplication.translate(
            "CnnLabWidget",
            "Each training step, as in the chapter:<pre>output = model(images)\n"
            "loss = loss_fn(output, labels)\noptimizer.zero_grad()\nloss.backward()\n"
            "optimizer.step()</pre>An epoch is one pass over all training images.",
        )
    )
    loop.setWordWrap(True)
    left.addWidget(loop)
    left.addStretch(1)
    side = QWidget()
    side.setLayout(left)
    side.setMaximumWidth(250)
    row.addWidget(side)
    row.addWidget(training_plots, 1)
    return train


def validate_page(epoch_plots: QWidget) -> QWidget:
    """The validate stage: what validation shows, over the per-epoch plots."""
    validate = QWidget()
    column = QVBoxLayout(validate)
    column.setContentsMargins(0, 0, 0, 0)
    note = QLabel(
        QCoreApplication.translate(
            "CnnLabWidget",
            "After every epoch the model predicts the validation images, which it never "
            "trains on. Training accuracy rising while validation accuracy stalls or falls "
            "means the model learns the training images by heart (overfitting).",
        )
    )
    note.setWordWrap(True)
    column.addWidget(note)
    column.addWidget(epoch_plots, 1)
    return validate
