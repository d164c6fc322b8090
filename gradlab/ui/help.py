"""Help → Guide (F1): a short built-in guide in the interface language; Help → About: versions.

The guide is built from short ``self.tr()`` pieces, so it is translated with the rest of the
interface (and the translation test covers it). The About box reads torch's version from the
installed package metadata unless torch is already loaded: opening it never imports torch.
"""

from __future__ import annotations

import html
import importlib.metadata
import platform
import sys

from PySide6.QtCore import QEvent, QObject, Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gradlab import __version__


def package_version(name: str, module: str | None = None) -> str | None:
    """The version of a loaded module, else of the installed package, else None."""
    loaded = sys.modules.get(module or name)
    # a module's optional __version__ attribute (not a probe of a GradLab object)
    version = getattr(loaded, "__version__", None) if loaded is not None else None
    if isinstance(version, str):
        return version
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def versions(
    not_loaded: str = "not loaded yet", missing: str = "not installed"
) -> list[tuple[str, str]]:
    """(name, version) of GradLab and what it runs on; torch is never imported for this."""
    import PySide6

    torch = package_version("torch")
    if torch is None:
        torch_text = missing
    elif "torch" in sys.modules:
        torch_text = torch
    else:
        torch_text = f"{torch} ({not_loaded})"
    return [
        ("GradLab", __version__),
        ("Python", platform.python_version()),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("pyqtgraph", package_version("pyqtgraph") or missing),
        ("PyTorch", torch_text),
        ("NumPy", package_version("numpy") or missing),
    ]


class _Translated(QDialog):
    """A dialog that rebuilds its texts when the interface language changes."""

    def retranslate_ui(self) -> None:  # overridden
        pass

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


class GuideDialog(_Translated):
    """The guide: the training loop, the controls, the keyboard; not modal, stays open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guideDialog")
        self.setModal(False)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("guideBrowser")
        self.browser.setOpenExternalLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(720, 640)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("GradLab guide"))
        self.browser.setHtml(self.guide_html())

    def guide_html(self) -> str:
        loop = [
            self.tr("Compute the loss from the prediction and the label (forward pass)."),
            self.tr("Differentiate the loss with respect to each parameter, backwards."),
            self.tr("Compute each parameter's gradient (the chain rule; loss.backward())."),
            self.tr("Update the parameters: each moves against its gradient by the learning rate."),
            self.tr("Zero the gradients (zero_grad()), so the next step starts afresh."),
            self.tr("Loop again, until the loss stops falling."),
        ]
        controls = [
            (
                self.tr("1 · Data"),
                self.tr(
                    "the curve to learn, its x range, how many points, noise and the share "
                    "held back for validation."
                ),
            ),
            (
                self.tr("2 · Model"),
                self.tr(
                    "a polynomial (its degree and basis: powers of x or Legendre) or a small "
                    "neural network (1 to 3 hidden layers of tanh, ReLU, sigmoid or GELU "
                    "units); where the parameters start, the random seed and the precision "
                    "(float64 or float32)."
                ),
            ),
            (
                self.tr("3 · Method"),
                self.tr(
                    "the chapter's three programs: NumPy by hand, PyTorch autograd, or an nn "
                    "model with an optimizer; or a fourth, a torch.autograd.Function whose "
                    "backward is written by hand."
                ),
            ),
            (
                self.tr("4 · Loss"),
                self.tr(
                    "how a wrong prediction is scored, and whether the errors are summed or "
                    "averaged."
                ),
            ),
            (
                self.tr("5 · Optimizer"),
                self.tr(
                    "the torch.optim algorithm and its settings (only for the nn + optimizer "
                    "method; with another method it is not shown, and Training is section 5)."
                ),
            ),
            (
                self.tr("6 · Training"),
                self.tr(
                    "the learning rate, the number of steps and the batch size; the learning "
                    "rate and steps may change mid-run."
                ),
            ),
            (
                self.tr("Plots"),
                self.tr(
                    "the fit over the data, the loss (log scale), each coefficient and the "
                    "gradient's size, step by step; for a network also each hidden unit's part "
                    "of the fit. Drag to pan, scroll to zoom, the A button follows the data "
                    "again."
                ),
            ),
            (
                self.tr("Stop near optimum"),
                self.tr(
                    "tick it on the toolbar and the run pauses at the first step whose loss "
                    "is within the tolerance of the best possible loss."
                ),
            ),
            (
                self.tr("Inside one step"),
                self.tr(
                    "Step phase runs one phase of a step at a time (forward, loss, backward, "
                    "update, zero the gradients) with the real numbers, the formulas and the "
                    "code line that computes them; what the optimizer keeps per coefficient."
                ),
            ),
            (
                self.tr("Loss landscape"),
                self.tr(
                    "the loss over any two coefficients with the path training took; click to "
                    "start from another point."
                ),
            ),
            (
                self.tr("Compare"),
                self.tr(
                    "Compare optimizers trains SGD, SGD with momentum, RMSprop and Adam from the "
                    "same start; Four-way check runs the chapter's three programs and the "
                    "hand-written Function side by side; gradcheck checks that Function's "
                    "backward against finite differences."
                ),
            ),
            (
                self.tr("Computation graph"),
                self.tr(
                    "the graph autograd records during the step's forward pass, then walks "
                    "backwards to compute the gradients, drawn one phase at a time."
                ),
            ),
            (
                self.tr("Loss explorer"),
                self.tr(
                    "View → Loss explorer: how each loss function scores one prediction, and "
                    "what it does to the fit when some points are outliers."
                ),
            ),
            (
                self.tr("float32 vs float64"),
                self.tr(
                    "in the Compare dock: the same run in both precisions, and where float32's "
                    "rounding stops the loss from falling."
                ),
            ),
            (
                self.tr("Run history"),
                self.tr(
                    "every finished, stopped or diverged run, drawn faded behind the live one; "
                    "tick a run to show or hide it."
                ),
            ),
            (
                self.tr("Rewind"),
                self.tr(
                    "after a divergence, back to the last good state: lower the learning rate "
                    "and resume."
                ),
            ),
            (
                self.tr("Lessons"),
                self.tr(
                    "File → Lessons… opens a prepared experiment with an explanation and "
                    "questions in the Lesson pane."
                ),
            ),
            (
                self.tr("CNN pipeline"),
                self.tr(
                    "the second tab runs the chapter's whole pipeline on a small CNN: data, "
                    "model, loss, optimizer, train, validate, results; click a stage to see "
                    "its settings and what it produced."
                ),
            ),
        ]
        keys = [
            ("F5", self.tr("Start, or resume a paused run")),
            (self.tr("Space"), self.tr("Pause / resume")),
            ("→", self.tr("One training step, then pause")),
            ("R", self.tr("Reset: back to step 0 with the current settings")),
            (self.tr(". or Shift+→"), self.tr("One phase of the step (Step phase)")),
            ("Ctrl+Z", self.tr("Rewind after a divergence")),
            ("Ctrl+S", self.tr("Save session")),
            ("Ctrl+Shift+S", self.tr("Save session as…")),
            ("Ctrl+O", self.tr("Open session…")),
            ("Ctrl+L", self.tr("Lessons…")),
            ("F1", self.tr("This guide")),
            ("Ctrl+= / Ctrl++ / Ctrl+-", self.tr("Zoom in or out (also Ctrl+wheel over a plot)")),
            ("Ctrl+0", self.tr("Back to 100 % zoom")),
            ("F11 / Esc", self.tr("Presenter mode for a projector, and back")),
            ("Ctrl+Q", self.tr("Quit")),
        ]
        headings = {  # outside the f-strings below: lupdate cannot see into f-strings
            "title": self.tr("How GradLab trains a model"),
            "controls": self.tr("The controls"),
            "keys": self.tr("Keyboard shortcuts"),
            "saving": self.tr("Saving your work"),
        }
        intro = self.tr(
            "GradLab fits a polynomial a + b·x + c·x² + d·x³ to y = sin(x), as the chapter "
            "does (or a small neural network to the same data), and lets you watch every "
            "step. Each step runs the chapter's six-step training loop:"
        )
        keys_note = self.tr(
            "Space, → and R work whenever you are not typing in a field; click a plot to "
            "leave a field."
        )
        saving = self.tr(
            "File → Save session keeps the settings and every run's full history in one "
            "file. GradLab also saves your session every minute and offers it back if it "
            "closed unexpectedly. File → Export writes the history as CSV, the plots as "
            "pictures, or a folder with everything and a Python script that repeats the run."
        )
        item = html.escape(self.tr("{name}: {text}"))  # a full-width colon in Chinese
        h = {key: html.escape(text) for key, text in headings.items()}
        e = html.escape
        parts = [
            f"<h2>{h['title']}</h2><p>{e(intro)}</p><ol>",
            *(f"<li>{e(item)}</li>" for item in loop),
            f"</ol><h3>{h['controls']}</h3><ul>",
            *(
                f"<li>{item.format(name=f'<b>{e(name)}</b>', text=e(text))}</li>"
                for name, text in controls
            ),
            f"</ul><h3>{h['keys']}</h3><table cellpadding='3'>",
            *(f"<tr><td><b>{e(key)}</b></td><td>{e(text)}</td></tr>" for key, text in keys),
            f"</table><p>{e(keys_note)}</p>",
            f"<h3>{h['saving']}</h3><p>{e(saving)}</p>",
        ]
        return "\n".join(parts)


class AboutDialog(_Translated):
    """Help → About: what GradLab is and the versions of everything it runs on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.label = QLabel(self)
        self.label.setObjectName("aboutLabel")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("About GradLab"))
        rows = versions(self.tr("not loaded yet"), self.tr("not installed"))
        table = "".join(
            f"<tr><td>{html.escape(name)}</td><td><b>{html.escape(value)}</b></td></tr>"
            for name, value in rows
        )
        blurb = self.tr(
            "Watch and drive the training of a model: gradient descent fits a polynomial "
            "to sin(x), step by step, as in the chapter."
        )
        licence = self.tr(
            "MIT licence. The bundled Chinese font is a subset of Noto Sans CJK SC (SIL Open "
            "Font License)."
        )
        self.label.setText(
            f"<h2>GradLab {html.escape(__version__)}</h2><p>{html.escape(blurb)}</p>"
            f"<table cellpadding='2'>{table}</table><p>{html.escape(licence)}</p>"
        )

    def text(self) -> str:
        return self.label.text()


class HelpMenu(QObject):
    """The Help menu: the guide (F1) and the About box, each built when first opened."""

    def __init__(self, menu: QMenu, dialog_parent: QWidget) -> None:
        super().__init__(menu)
        self.menu = menu
        self.dialog_parent = dialog_parent
        self.guide: GuideDialog | None = None
        self.about: AboutDialog | None = None
        menu.setObjectName("helpMenu")
        self.guide_action = QAction(menu)
        self.guide_action.setObjectName("guideAction")
        self.guide_action.setShortcut(QKeySequence("F1"))  # as the guide says
        self.guide_action.triggered.connect(lambda _checked=False: self.show_guide())
        self.about_action = QAction(menu)
        self.about_action.setObjectName("aboutAction")
        self.about_action.triggered.connect(lambda _checked=False: self.show_about())
        menu.addAction(self.guide_action)
        menu.addAction(self.about_action)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.menu.setTitle(self.tr("&Help"))
        self.guide_action.setText(self.tr("&Guide"))
        self.about_action.setText(self.tr("&About GradLab"))

    def show_guide(self) -> GuideDialog:
        if self.guide is None:
            self.guide = GuideDialog(self.dialog_parent)
        self.guide.show()
        self.guide.raise_()
        return self.guide

    def show_about(self) -> AboutDialog:
        if self.about is None:
            self.about = AboutDialog(self.dialog_parent)
        self.about.retranslate_ui()  # torch may have been loaded since
        self.about.show()
        return self.about
