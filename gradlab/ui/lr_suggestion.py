"""The learning-rate suggestion under the lr field: the rate this method and optimizer need on
this problem, the numbers why, and one button to use it. Nothing changes until it is pressed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from gradlab.model.lr_defaults import LrSuggestion
from gradlab.ui.palette import colour
from gradlab.ui.widgets import format_number

OPTIMIZER_NAMES = {
    "sgd": "SGD",
    "rmsprop": "RMSprop",
    "adam": "Adam",
    "adamw": "AdamW",
    "adagrad": "Adagrad",
}


def _n(value: float) -> str:
    return f"{value:.3g}"


def suggestion_reason(s: LrSuggestion) -> str:
    """Why ``s.lr`` suits this problem, with the numbers it was computed from."""
    if s.rule == "stable_limit":
        return QCoreApplication.translate(
            "LrSuggestion",
            "Plain gradient descent is stable below 2 / λmax = {limit} on this data: {lr} is a "
            "round rate just under it.",
        ).format(limit=_n(s.limit or 0.0), lr=format_number(s.lr))
    if s.rule == "momentum_limit":
        return QCoreApplication.translate(
            "LrSuggestion",
            "SGD with momentum μ = {mu} is stable below 2 (1 + μ) / λmax = {limit} on this "
            "data: {lr} is a round rate just under it.",
        ).format(mu=_n(s.momentum), limit=_n(s.limit or 0.0), lr=format_number(s.lr))
    if s.rule == "nesterov_limit":
        return QCoreApplication.translate(
            "LrSuggestion",
            "Nesterov momentum μ = {mu} is stable below 2 (1 + μ) / ((1 + 2μ) λmax) = {limit} "
            "on this data: {lr} is a round rate just under it.",
        ).format(mu=_n(s.momentum), limit=_n(s.limit or 0.0), lr=format_number(s.lr))
    name = OPTIMIZER_NAMES.get(s.optimizer or "", s.optimizer or "")
    if s.sqrt_steps:
        return QCoreApplication.translate(
            "LrSuggestion",
            "{name}'s steps shrink as its sum of squared gradients grows; with a steady "
            "gradient they add up to 2 lr √steps: at lr = {lr} over {steps} steps that is "
            "{covered}, {times}× the farthest coefficient's distance to the optimum "
            "({distance}).",
        ).format(
            name=name,
            lr=format_number(s.lr),
            covered=_n(s.covered),
            steps=f"{s.steps:,}",
            times=f"{s.times:.2g}",
            distance=_n(s.distance or 0.0),
        )
    return QCoreApplication.translate(
        "LrSuggestion",
        "{name}'s steps are of the order of lr whatever the gradient's scale, so lr × steps "
        "should be a few times the farthest coefficient's distance to the optimum "
        "({distance}): at lr = {lr}, {lr} × {steps} = {covered}, {times}× that distance.",
    ).format(
        name=name,
        lr=format_number(s.lr),
        covered=_n(s.covered),
        steps=f"{s.steps:,}",
        times=f"{s.times:.2g}",
        distance=_n(s.distance or 0.0),
    )


def short_reason(s: LrSuggestion) -> str:
    """The rule behind ``s.lr`` in a few words with its numbers (the compare view's list)."""
    if s.rule in ("stable_limit", "momentum_limit", "nesterov_limit"):
        return QCoreApplication.translate(
            "LrSuggestion", "just under its stable limit {limit}"
        ).format(limit=_n(s.limit or 0.0))
    if s.sqrt_steps:
        return QCoreApplication.translate(
            "LrSuggestion", "2 lr √steps = {covered}, {times}× the distance {distance}"
        ).format(covered=_n(s.covered), times=f"{s.times:.2g}", distance=_n(s.distance or 0.0))
    return QCoreApplication.translate(
        "LrSuggestion", "lr × steps = {covered}, {times}× the distance {distance}"
    ).format(covered=_n(s.covered), times=f"{s.times:.2g}", distance=_n(s.distance or 0.0))


class LrSuggestionBox(QWidget):
    """The offer: a sentence and a "Use lr = …" button (hidden when there is no offer)."""

    use_lr = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lrSuggestion")
        self.suggestion: LrSuggestion | None = None
        self._current = 0.0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        self.label = QLabel(self)
        self.label.setObjectName("lrSuggestionLabel")
        self.label.setWordWrap(True)
        self.label.setStyleSheet(f"color: {colour('info_text')}; font-size: 8pt;")
        self.button = QPushButton(self)
        self.button.setObjectName("useSuggestedLrButton")
        self.button.clicked.connect(self._on_clicked)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self.hide()

    def show_offer(self, suggestion: LrSuggestion | None, current_lr: float) -> None:
        """Offer ``suggestion`` next to the current learning rate (None hides the offer)."""
        self.suggestion, self._current = suggestion, current_lr
        self.retranslate_ui()
        self.setVisible(suggestion is not None)

    def retranslate_ui(self) -> None:
        s = self.suggestion
        if s is None:
            return
        factor = self._current / s.lr
        head = (
            QCoreApplication.translate(
                "LrSuggestion", "lr = {lr} is {factor:.2g}× below the rate suggested here."
            )
            if factor < 1
            else QCoreApplication.translate(
                "LrSuggestion", "lr = {lr} is {factor:.2g}× above the rate suggested here."
            )
        ).format(lr=format_number(self._current), factor=max(factor, 1 / factor))
        self.label.setText(head + " " + suggestion_reason(s))
        self.button.setText(
            QCoreApplication.translate("LrSuggestion", "Use lr = {lr}").format(
                lr=format_number(s.lr)
            )
        )
        self.button.setToolTip(suggestion_reason(s))
        self.button.setAccessibleName(self.button.text())  # screen readers
        self.button.setAccessibleDescription(suggestion_reason(s))

    def _on_clicked(self) -> None:
        if self.suggestion is not None:
            self.use_lr.emit(self.suggestion.lr)
