"""The training setup's settings: the loss page, the optimizer page (learning rate and the
optimizer's own numbers) and the train stage's small form (epochs, threads), with the notes that
explain the chosen loss and optimizer.

The fields are registered with CnnSettings, which validates them. The texts keep CnnSettings as
their translation context (they were written there first).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

if TYPE_CHECKING:
    from gradlab.ui.cnn.settings import CnnSettings


def build_loss_page(settings: CnnSettings) -> QWidget:
    """The loss page. Keeps loss_note on ``settings``."""
    page, layout, form = settings.new_page(
        QCoreApplication.translate(
            "CnnSettings",
            "The loss function turns the network's 10 outputs and the label into one "
            "number that training makes smaller.",
        )
    )
    settings.add_combo(
        form,
        QCoreApplication.translate("CnnSettings", "Loss"),
        "loss",
        QCoreApplication.translate("CnnSettings", "How a wrong answer is counted"),
        [
            (
                QCoreApplication.translate(
                    "CnnSettings", "Automatic (cross-entropy for classes, MSE for the demo)"
                ),
                "auto",
            ),
            (QCoreApplication.translate("CnnSettings", "Cross-entropy"), "cross-entropy"),
            (
                QCoreApplication.translate(
                    "CnnSettings", "Mean squared error on one-hot targets (the chapter's)"
                ),
                "mse",
            ),
        ],
    )
    settings.loss_note = QLabel()
    settings.loss_note.setWordWrap(True)
    settings.loss_note.setStyleSheet("color: #555;")
    layout.addWidget(settings.loss_note)
    layout.addStretch(1)
    return page


def build_optimizer_page(settings: CnnSettings) -> QWidget:
    """The optimizer page. Keeps optimizer_combo and optimizer_note on ``settings``."""
    page, layout, form = settings.new_page(
        QCoreApplication.translate(
            "CnnSettings",
            "optimizer.step() changes every parameter using its gradient; "
            "the learning rate sets how far.",
        )
    )
    combo = settings.optimizer_combo = settings.add_combo(
        form,
        QCoreApplication.translate("CnnSettings", "Optimizer"),
        "optimizer",
        QCoreApplication.translate("CnnSettings", "The update rule"),
        [
            (QCoreApplication.translate("CnnSettings", "SGD (with momentum)"), "sgd"),
            ("RMSprop", "rmsprop"),
            ("Adam", "adam"),
        ],
    )

    def uses(*names: str) -> Callable[[], bool]:
        return lambda: combo.currentData() in names

    settings.add_number(
        form,
        QCoreApplication.translate("CnnSettings", "Learning rate"),
        "lr",
        QCoreApplication.translate(
            "CnnSettings", "Step size of each update; can change during training"
        ),
    )
    settings.add_number(
        form,
        QCoreApplication.translate("CnnSettings", "Momentum"),
        "momentum",
        QCoreApplication.translate(
            "CnnSettings", "0 = plain gradient descent; 0.9 keeps 90% of the last update"
        ),
        relevant=uses("sgd", "rmsprop"),
    )
    settings.add_number(
        form,
        QCoreApplication.translate("CnnSettings", "RMSprop alpha"),
        "alpha",
        QCoreApplication.translate(
            "CnnSettings", "Smoothing of the running mean of squared gradients"
        ),
        relevant=uses("rmsprop"),
    )
    settings.add_number(
        form,
        QCoreApplication.translate("CnnSettings", "Adam beta1"),
        "beta1",
        QCoreApplication.translate("CnnSettings", "Smoothing of the running mean of gradients"),
        relevant=uses("adam"),
    )
    settings.add_number(
        form,
        QCoreApplication.translate("CnnSettings", "Adam beta2"),
        "beta2",
        QCoreApplication.translate(
            "CnnSettings", "Smoothing of the running mean of squared gradients"
        ),
        relevant=uses("adam"),
    )
    settings.add_number(
        form,
        QCoreApplication.translate("CnnSettings", "Weight decay"),
        "weight_decay",
        QCoreApplication.translate(
            "CnnSettings", "Pulls every weight a little towards 0 at each step"
        ),
    )
    settings.optimizer_note = QLabel()
    settings.optimizer_note.setWordWrap(True)
    settings.optimizer_note.setStyleSheet("color: #555;")
    layout.addWidget(settings.optimizer_note)
    layout.addStretch(1)
    return page


def build_train_form(settings: CnnSettings) -> QWidget:
    """The train stage's fields (epochs, threads): the lab shows them beside its plots."""
    box = QWidget()
    form = QFormLayout(box)
    form.setContentsMargins(0, 0, 0, 0)
    settings.add_number(
        form,
        QCoreApplication.translate("CnnSettings", "Epochs"),
        "epochs",
        QCoreApplication.translate(
            "CnnSettings", "How many times training goes through all training images"
        ),
        integer=True,
    )
    settings.add_number(
        form,
        QCoreApplication.translate("CnnSettings", "Threads"),
        "threads",
        QCoreApplication.translate(
            "CnnSettings", "CPU threads torch may use; leave one core for the window"
        ),
        integer=True,
    )
    return box


def loss_note(loss: str, dataset: str) -> str:
    """How the chosen loss ("auto" follows the dataset) counts a wrong answer."""
    uses = loss if loss != "auto" else ("mse" if dataset == "demo" else "cross-entropy")
    return (
        QCoreApplication.translate(
            "CnnSettings",
            "Cross-entropy: softmax turns the 10 outputs into probabilities; the loss is "
            "−log(probability of the right class) (maximum likelihood).",
        )
        if uses == "cross-entropy"
        else QCoreApplication.translate(
            "CnnSettings",
            "Mean squared error: the 10 outputs are compared with the target (for "
            "classes a one-hot row, 1 for the right class and 0 elsewhere). The "
            "chapter's demo uses nn.MSELoss().",
        )
    )


def optimizer_note(optimizer: str) -> str:
    """What the chosen optimizer's update does."""
    return {
        "sgd": QCoreApplication.translate(
            "CnnSettings", "SGD: parameter −= lr × gradient (plus momentum × the last update)."
        ),
        "rmsprop": QCoreApplication.translate(
            "CnnSettings",
            "RMSprop (the chapter's): divides each gradient by the root of "
            "its running mean square, so every parameter moves about lr.",
        ),
        "adam": QCoreApplication.translate(
            "CnnSettings",
            "Adam: RMSprop plus a running mean of the gradients (momentum); "
            "a good default, lr 1e-3.",
        ),
    }[optimizer]
