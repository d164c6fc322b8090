"""The parameter panel's optimizer group: the torch.optim algorithm and the hyperparameters
it takes (only those rows show). Texts are in the ParameterPanel translation context, where
they were written before this group had its own module."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QWidget

from gradlab.ui.config_form import ConfigForm
from gradlab.ui.forms import QT_TRANSLATE_NOOP

# Which optimizer uses which hyperparameter (torch.optim's own signatures).
OPTIMIZER_FIELDS = {
    "sgd": ("momentum", "nesterov", "weight_decay"),
    "rmsprop": ("momentum", "alpha", "eps", "weight_decay"),
    "adam": ("beta1", "beta2", "eps", "weight_decay"),
    "adamw": ("beta1", "beta2", "eps", "weight_decay"),
    "adagrad": ("eps", "weight_decay"),
}


def build_optimizer_group(panel: ConfigForm) -> QWidget:
    """Adds the group to the panel's form and returns its box (hidden unless torch-optim)."""
    form = panel.group(QT_TRANSLATE_NOOP("ParameterPanel", "5 · Optimizer"))
    group = form.parentWidget()
    assert group is not None  # ConfigForm.group() puts the form in a group box
    panel.combo(
        form,
        QT_TRANSLATE_NOOP("ParameterPanel", "Optimizer"),
        "optimizer.name",
        "optimizerCombo",
        QT_TRANSLATE_NOOP(
            "ParameterPanel",
            "The torch.optim algorithm that turns gradients into updates (the "
            "chapter's third listing uses RMSprop).",
        ),
        [
            ("SGD", "sgd"),
            ("RMSprop", "rmsprop"),
            ("Adam", "adam"),
            ("AdamW", "adamw"),
            ("Adagrad", "adagrad"),
        ],
    )

    def uses(name: str) -> Callable[[], bool]:
        return lambda: uses_optimizer_field(panel, name)

    for name, label, widget_name, tip in (
        (
            "momentum",
            QT_TRANSLATE_NOOP("ParameterPanel", "Momentum"),
            "momentumEdit",
            QT_TRANSLATE_NOOP(
                "ParameterPanel",
                "Keeps a share of the previous update, so steps build up speed along a "
                "steady direction (0 = none).",
            ),
        ),
        (
            "weight_decay",
            QT_TRANSLATE_NOOP("ParameterPanel", "Weight decay"),
            "weightDecayEdit",
            QT_TRANSLATE_NOOP(
                "ParameterPanel",
                "Pulls every coefficient slightly towards 0 at each step (0 = none).",
            ),
        ),
        (
            "alpha",
            QT_TRANSLATE_NOOP("ParameterPanel", "Alpha"),
            "alphaEdit",
            QT_TRANSLATE_NOOP(
                "ParameterPanel",
                "How slowly RMSprop's running average of squared gradients forgets "
                "(close to 1 = long memory).",
            ),
        ),
        (
            "beta1",
            QT_TRANSLATE_NOOP("ParameterPanel", "Beta 1"),
            "beta1Edit",
            QT_TRANSLATE_NOOP(
                "ParameterPanel",
                "Adam's memory for the average gradient (its momentum), usually 0.9.",
            ),
        ),
        (
            "beta2",
            QT_TRANSLATE_NOOP("ParameterPanel", "Beta 2"),
            "beta2Edit",
            QT_TRANSLATE_NOOP(
                "ParameterPanel", "Adam's memory for the average squared gradient, usually 0.999."
            ),
        ),
        (
            "eps",
            QT_TRANSLATE_NOOP("ParameterPanel", "Epsilon"),
            "epsEdit",
            QT_TRANSLATE_NOOP(
                "ParameterPanel", "A tiny number added so the update never divides by zero."
            ),
        ),
    ):
        panel.number(form, label, f"optimizer.{name}", widget_name, tip, relevant=uses(name))
    check = QCheckBox(panel.body)
    panel.show_text(check.setText, QT_TRANSLATE_NOOP("ParameterPanel", "Nesterov momentum"))
    check.setObjectName("nesterovCheck")
    panel.add_field(
        form,
        "",
        "optimizer.nesterov",
        check,
        QT_TRANSLATE_NOOP(
            "ParameterPanel",
            "Nesterov momentum looks ahead before computing the gradient; it "
            "needs momentum above 0.",
        ),
        check.isChecked,
        check.setChecked,
        relevant=uses("nesterov"),
    )
    return group


def uses_optimizer_field(panel: ConfigForm, name: str) -> bool:
    """Whether the optimizer chosen in the form takes hyperparameter ``name``."""
    if panel.fields["training.method"].read() != "torch-optim":
        return False
    return name in OPTIMIZER_FIELDS.get(panel.fields["optimizer.name"].read(), ())
