"""The run bar under the pipeline strip: Start/Resume, Pause, Step one batch, Stop, Reset, the
progress of the current stage (ETA, images/s, the state in words), and the weights and script
buttons. Which controls work is the model's to say (``CnnLabModel.enabled_controls``).
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QStyle, QToolButton, QWidget

from gradlab.core.cnn.results import CnnBatch
from gradlab.model.run_state import Control, RunState
from gradlab.ui.readouts import format_duration

_BUTTONS = (  # key, object name, icon
    ("start", "cnnStartButton", QStyle.StandardPixmap.SP_MediaPlay),
    ("pause", "cnnPauseButton", QStyle.StandardPixmap.SP_MediaPause),
    ("step", "cnnStepButton", QStyle.StandardPixmap.SP_MediaSeekForward),
    ("stop", "cnnStopButton", QStyle.StandardPixmap.SP_MediaStop),
    ("reset", "cnnResetButton", QStyle.StandardPixmap.SP_BrowserReload),
    ("progress", "", None),
    ("save", "cnnSaveWeightsButton", QStyle.StandardPixmap.SP_DialogSaveButton),
    ("load", "cnnLoadWeightsButton", QStyle.StandardPixmap.SP_DialogOpenButton),
    ("export", "cnnExportButton", QStyle.StandardPixmap.SP_FileIcon),
)


class RunBar(QWidget):
    """The row under the strip: Start/Resume, Pause, Step one batch, Stop, Reset, the epoch's
    progress bar with ETA and images/s, and the weights and script buttons (``by_name``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.by_name: dict[str, QAction] = {}
        for key, name, icon in _BUTTONS:
            if icon is None:  # the progress bar and its read-outs sit between the buttons
                self._add_progress(row)
                continue
            action = QAction(self.style().standardIcon(icon), "", self)
            action.setObjectName(name.replace("Button", "Action"))
            button = QToolButton(self)
            button.setObjectName(name)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            row.addWidget(button)
            self.by_name[key] = action
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set the button texts and tips in the current language."""
        for key, (text, tip) in self._texts().items():
            self.by_name[key].setText(text)
            self.by_name[key].setToolTip(tip)

    def _texts(self) -> dict[str, tuple[str, str]]:
        return {
            "start": (self.tr("Start"), self.tr("Start training, or resume a paused run")),
            "pause": (self.tr("Pause"), self.tr("Pause after the current batch")),
            "step": (
                self.tr("Step one batch"),
                self.tr("Train exactly one more batch, then pause"),
            ),
            "stop": (self.tr("Stop"), self.tr("End training here; the model and results stay")),
            "reset": (self.tr("Reset"), self.tr("Throw this run away and unlock the settings")),
            "save": (self.tr("Save weights…"), self.tr("Save the model's weights (state_dict)")),
            "load": (self.tr("Load weights…"), self.tr("Load saved weights into this model")),
            "export": (self.tr("Export script…"), self.tr("Write this pipeline as a script")),
        }

    def _add_progress(self, row: QHBoxLayout) -> None:
        self.progress = QProgressBar(self)
        self.progress.setObjectName("cnnEpochProgress")
        self.progress.setRange(0, 1000)
        self.progress.setMinimumWidth(150)  # the bar gives way first on a narrow screen
        row.addWidget(self.progress, 1)
        self.eta_label = QLabel("–", self)
        self.eta_label.setObjectName("cnnEtaLabel")
        self.speed_label = QLabel("–", self)
        self.speed_label.setObjectName("cnnSpeedLabel")
        self.state_label = QLabel(self)
        self.state_label.setObjectName("cnnStateLabel")
        self.state_label.setStyleSheet("font-weight: bold;")
        for label in (self.eta_label, self.speed_label, self.state_label):
            label.setMinimumWidth(80)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            row.addWidget(label)

    def set_state(
        self, state: RunState, enabled: frozenset[Control], *, has_model: bool, can_load: bool
    ) -> None:
        """Enable exactly the ``enabled`` controls; show the state in words."""
        a = self.by_name
        for control in (Control.START, Control.PAUSE, Control.STEP, Control.STOP, Control.RESET):
            a[control.value].setEnabled(control in enabled)
        a["start"].setText(self.tr("Resume") if state == RunState.PAUSED else self.tr("Start"))
        a["save"].setEnabled(has_model)
        a["load"].setEnabled(can_load)
        self.state_label.setText(self.state_words()[state])

    def state_words(self) -> dict[RunState, str]:
        """Each run state in words, in the interface language."""
        return {
            RunState.READY: self.tr("Ready"), RunState.PREPARING: self.tr("Preparing…"),
            RunState.RUNNING: self.tr("Training"), RunState.PAUSED: self.tr("Paused"),
            RunState.STOPPED: self.tr("Stopped"), RunState.FINISHED: self.tr("Finished"),
            RunState.DIVERGED: self.tr("Diverged"), RunState.FAILED: self.tr("Failed"),
        }  # fmt: skip

    def show_batch(self, b: CnnBatch | None, epochs: int, *, idle: bool) -> None:
        """Progress through the current stage (an epoch's batches, data, validation)."""
        bar = self.progress
        if b is None:
            bar.setValue(0)
            bar.setFormat("")
            self.eta_label.setText("–")
            self.speed_label.setText("–")
            return
        value, text = 0.0, ""
        if b.status == "finished":
            value, text = 1.0, self.tr("Finished: {n} epoch(s)").format(n=epochs)
        elif b.stage == "data":
            value, text = b.stage_progress, self.tr("Loading data: %p%")
        elif idle:  # a session that only loaded the data (for the samples)
            text = self.tr("Data loaded: press Start to train")
        elif b.stage in ("model", "loss", "optimizer"):
            text = self.tr("Preparing the model, loss and optimizer…")
        elif b.stage == "validate":
            value = b.stage_progress
            text = self.tr("Validating after epoch {e}: %p%").format(e=b.epoch)
        else:
            value = b.batch_in_epoch / max(b.batches_per_epoch, 1)
            text = self.tr("Epoch {e}/{n} · batch {b}/{m}").format(
                e=b.epoch, n=epochs, b=b.batch_in_epoch, m=b.batches_per_epoch
            )
        bar.setValue(round(1000 * value))
        bar.setFormat(text)
        eta, rate = b.eta_s, b.images_per_s
        finite = math.isfinite(eta) and eta > 0
        self.eta_label.setText(
            self.tr("{t} left").format(t=format_duration(eta)) if finite else "–"
        )
        rate_text = self.tr("{n:,.0f} images/s").format(n=rate) if math.isfinite(rate) else "–"
        self.speed_label.setText(rate_text)
