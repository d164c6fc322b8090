"""gradcheck on the experiment's custom Function (torch-function): its button, and a table of the
hand-written and the numerical gradients per coefficient.

torch.autograd.gradcheck runs in a thread: its first use imports torch.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QToolButton, QWidget

from gradlab.core.config import Config
from gradlab.core.messages import Message
from gradlab.ui.palette import colour as role_colour

if TYPE_CHECKING:  # the module imports torch, which the GUI loads only when first needed
    from gradlab.core.methods.torch_function import GradcheckResult


class GradcheckPanel(QObject):
    """The gradcheck button and its result label (the compare dock places both)."""

    done = Signal(object)  # a GradcheckResult, or a Message when it could not run

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.button = QToolButton(parent)
        self.button.setObjectName("gradcheckButton")
        self.button.setText(self.tr("gradcheck"))
        self.button.setToolTip(
            self.tr(
                "Check the hand-written backward of the custom Function (torch-function) "
                "against finite differences with torch.autograd.gradcheck, in float64"
            )
        )
        self.label = QLabel(parent)
        self.label.setObjectName("gradcheckResult")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.config: Config | None = None
        self.done.connect(self._show)

    def start(self, config: Config) -> None:
        """gradcheck ``config``'s custom Function in a thread; the result shows below."""
        self.config = config
        self.button.setEnabled(False)
        self.label.setText(self.tr("Running gradcheck…"))

        def work() -> None:
            try:
                from gradlab.core.methods.torch_function import run_gradcheck

                result: GradcheckResult | Message = run_gradcheck(config)
            except Exception:  # any failure is shown as one line, never raised in a thread
                result = Message("gradcheck.failed")
            self.done.emit(result)

        threading.Thread(target=work, name="gradcheck", daemon=True).start()

    def _show(self, result: GradcheckResult | Message) -> None:
        self.button.setEnabled(True)
        self.label.setText(self.text(result))

    def text(self, result: GradcheckResult | Message) -> str:
        """The verdict and, per coefficient, the hand-written and the numerical gradient."""
        if isinstance(result, Message) or self.config is None:
            return self.tr("gradcheck could not run here.")
        names = self.config.coefficient_names
        wrong = set(result.wrong_coefficients)
        rows = "".join(
            f"<tr><td>{name}</td><td align='right'>{float(a):.6g}</td>"
            f"<td align='right'>{float(n):.6g}</td>"
            f"<td>{'✗' if k in wrong else '✓'}</td></tr>"
            for k, (name, a, n) in enumerate(
                zip(names, result.analytical, result.numerical, strict=True)
            )
        )
        by_hand = self.tr("backward (by hand)")
        numerical = self.tr("finite differences")
        header = f"<tr><th></th><th>{by_hand}</th><th>{numerical}</th><th></th></tr>"
        points = int(result.points)
        if result.passed:
            verdict = self.tr(
                "gradcheck passed: the hand-written backward agrees with finite differences "
                "(float64, {n} points)."
            ).format(n=points)
        else:
            letters = ", ".join(names[k] for k in sorted(wrong))
            verdict = self.tr(
                "gradcheck failed: the hand-written backward is wrong for {letters} "
                "(float64, {n} points)."
            ).format(letters=letters or "?", n=points)
        colour = role_colour("good" if result.passed else "error")
        return (
            f"<p style='color:{colour}'><b>{verdict}</b></p>"
            f"<table cellspacing='0' cellpadding='2'>{header}{rows}</table>"
        )
