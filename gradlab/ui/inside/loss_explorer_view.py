"""The loss explorer dock: a regression page (the chapter's listing 4 live) and a
classification page (cross-entropy and likelihood).

The formula side is computed at once in the GUI thread (a few NumPy numbers). torch's side runs
on one pool thread, and only once the explorer has been shown: the first job imports torch,
which a window that never opens the explorer never does.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QWidget

from gradlab.ui.inside.jobs import BackgroundJobs
from gradlab.ui.inside.loss_classification import ClassificationPage
from gradlab.ui.inside.loss_regression import RegressionPage


class LossExplorer(QTabWidget):
    """Two pages; torch numbers follow the formula's from the first time the dock is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lossExplorer")
        self.jobs = BackgroundJobs(self)
        self.regression = RegressionPage(self.jobs.submit, self)
        self.classification = ClassificationPage(self.jobs.submit, self)
        # in scroll areas: the pages never make the window's docks taller than the screen
        for page, title in (
            (self.regression, self.tr("Regression: L1, MSE, Huber")),
            (self.classification, self.tr("Classification: cross-entropy")),
        ):
            scroll = QScrollArea(self)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(page)
            self.addTab(scroll, title)
        self.opened = False

    def showEvent(self, event: QShowEvent) -> None:  # Qt's name
        super().showEvent(event)
        self.open_torch()

    def open_torch(self) -> None:
        """From now on torch's numbers are computed too (the first time: import torch)."""
        if self.opened:
            return
        self.opened = True
        for page in (self.regression, self.classification):
            page.torch_enabled = True
            page.request_torch()

    def shutdown(self) -> None:
        """Wait for a torch job still running (the window is closing)."""
        self.jobs.shutdown()
