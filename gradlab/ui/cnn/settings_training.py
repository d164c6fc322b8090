"""The training setup's settings: the loss page, the optimizer page (learning rate and the
optimizer's own numbers) and the train stage's small form (epochs, threads), with the notes that
explain the chosen loss and optimizer.

The fields are declared as tables for CnnSettings' FieldTable, which validates them. The texts
are in the CnnSettings translation context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from gradlab.ui.forms import QT_TRANSLATE_NOOP, FieldSpec
from gradlab.ui.palette import colour

if TYPE_CHECKING:
    from gradlab.ui.cnn.settings import CnnSettings


LOSS_FIELDS = (
    FieldSpec(
        "loss",
        QT_TRANSLATE_NOOP("CnnSettings", "Loss"),
        QT_TRANSLATE_NOOP("CnnSettings", "How a wrong answer is counted"),
        "combo",
        "cnn_lossCombo",
        items=(
            (
                QT_TRANSLATE_NOOP(
                    "CnnSettings", "Automatic (cross-entropy for classes, MSE for the demo)"
                ),
                "auto",
            ),
            (QT_TRANSLATE_NOOP("CnnSettings", "Cross-entropy"), "cross-entropy"),
            (
                QT_TRANSLATE_NOOP(
                    "CnnSettings", "Mean squared error on one-hot targets (the chapter's)"
                ),
                "mse",
            ),
        ),
    ),
)
OPTIMIZER_FIELDS = (
    FieldSpec(
        "optimizer",
        QT_TRANSLATE_NOOP("CnnSettings", "Optimizer"),
        QT_TRANSLATE_NOOP("CnnSettings", "The update rule"),
        "combo",
        "cnn_optimizerCombo",
        items=(
            (QT_TRANSLATE_NOOP("CnnSettings", "SGD (with momentum)"), "sgd"),
            ("RMSprop", "rmsprop"),
            ("Adam", "adam"),
        ),
    ),
    FieldSpec(
        "lr",
        QT_TRANSLATE_NOOP("CnnSettings", "Learning rate"),
        QT_TRANSLATE_NOOP("CnnSettings", "Step size of each update; can change during training"),
        "number",
        "cnn_lrEdit",
    ),
    FieldSpec(
        "momentum",
        QT_TRANSLATE_NOOP("CnnSettings", "Momentum"),
        QT_TRANSLATE_NOOP(
            "CnnSettings", "0 = plain gradient descent; 0.9 keeps 90% of the last update"
        ),
        "number",
        "cnn_momentumEdit",
        when=("optimizer", ("sgd", "rmsprop")),
    ),
    FieldSpec(
        "alpha",
        QT_TRANSLATE_NOOP("CnnSettings", "RMSprop alpha"),
        QT_TRANSLATE_NOOP("CnnSettings", "Smoothing of the running mean of squared gradients"),
        "number",
        "cnn_alphaEdit",
        when=("optimizer", ("rmsprop",)),
    ),
    FieldSpec(
        "beta1",
        QT_TRANSLATE_NOOP("CnnSettings", "Adam beta1"),
        QT_TRANSLATE_NOOP("CnnSettings", "Smoothing of the running mean of gradients"),
        "number",
        "cnn_beta1Edit",
        when=("optimizer", ("adam",)),
    ),
    FieldSpec(
        "beta2",
        QT_TRANSLATE_NOOP("CnnSettings", "Adam beta2"),
        QT_TRANSLATE_NOOP("CnnSettings", "Smoothing of the running mean of squared gradients"),
        "number",
        "cnn_beta2Edit",
        when=("optimizer", ("adam",)),
    ),
    FieldSpec(
        "weight_decay",
        QT_TRANSLATE_NOOP("CnnSettings", "Weight decay"),
        QT_TRANSLATE_NOOP("CnnSettings", "Pulls every weight a little towards 0 at each step"),
        "number",
        "cnn_weight_decayEdit",
    ),
)
TRAIN_FIELDS = (
    FieldSpec(
        "epochs",
        QT_TRANSLATE_NOOP("CnnSettings", "Epochs"),
        QT_TRANSLATE_NOOP(
            "CnnSettings", "How many times training goes through all training images"
        ),
        "integer",
        "cnn_epochsEdit",
    ),
    FieldSpec(
        "threads",
        QT_TRANSLATE_NOOP("CnnSettings", "Threads"),
        QT_TRANSLATE_NOOP(
            "CnnSettings", "CPU threads torch may use; leave one core for the window"
        ),
        "integer",
        "cnn_threadsEdit",
    ),
)


def _note(layout: QVBoxLayout) -> QLabel:
    note = QLabel()
    note.setWordWrap(True)
    note.setStyleSheet(f"color: {colour('muted')};")
    layout.addWidget(note)
    return note


def build_loss_page(settings: CnnSettings) -> QWidget:
    """The loss page. Keeps loss_note on ``settings``."""
    page, layout, form = settings.new_page(
        QT_TRANSLATE_NOOP(
            "CnnSettings",
            "The loss function turns the network's 10 outputs and the label into one "
            "number that training makes smaller.",
        )
    )
    settings.table.build(form, LOSS_FIELDS)
    settings.loss_note = _note(layout)
    layout.addStretch(1)
    return page


def build_optimizer_page(settings: CnnSettings) -> QWidget:
    """The optimizer page. Keeps optimizer_combo and optimizer_note on ``settings``."""
    page, layout, form = settings.new_page(
        QT_TRANSLATE_NOOP(
            "CnnSettings",
            "optimizer.step() changes every parameter using its gradient; "
            "the learning rate sets how far.",
        )
    )
    combo = settings.table.build(form, OPTIMIZER_FIELDS)["optimizer"]
    assert isinstance(combo, QComboBox)
    settings.optimizer_combo = combo
    settings.optimizer_note = _note(layout)
    layout.addStretch(1)
    return page


def build_train_form(settings: CnnSettings) -> QWidget:
    """The train stage's fields (epochs, threads): the lab shows them beside its plots."""
    box = QWidget()
    form = QFormLayout(box)
    form.setContentsMargins(0, 0, 0, 0)
    settings.table.build(form, TRAIN_FIELDS)
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
