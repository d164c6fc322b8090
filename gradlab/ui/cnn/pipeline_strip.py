"""The pipeline strip: the chapter's stages as clickable boxes that show where the run stands
(the controls under it are run_bar.RunBar).

download → load data → prepare the model → set the loss → set the optimizer → train → validate →
results. The strip only draws; the model's ``stage_statuses`` (pure, tested) turns the latest
CnnBatch into one status per box, so the highlighted box always follows ``drain().stage``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from gradlab.model.cnn_pipeline import STRIP_STAGES
from gradlab.ui.palette import colour as role_colour

STATUSES = ("waiting", "current", "running", "done", "failed", "skipped")

# status -> (background, border, text colour) as palette roles, and a glyph: never colour alone
_LOOK = {
    "waiting": ("phase_idle", "border", "muted", "○"),
    "current": ("info_background", "train", "info_text", "❚❚"),
    "running": ("warning_background", "validation", "warning_text", "●"),
    "done": ("phase_idle", "good", "good", "✓"),
    "failed": ("error_background", "error", "error_text", "✕"),
    "skipped": ("phase_idle", "border", "faint", "–"),
}


def _tr(text: str) -> str:
    # lupdate reads module-level _tr() like tr() outside a class: the empty context
    return QCoreApplication.translate("", text)


def stage_titles() -> dict[str, str]:
    """Short English names of the strip's boxes (translatable)."""
    return {
        "download": _tr("Download data"),
        "data": _tr("Load data"),
        "model": _tr("Prepare the model"),
        "loss": _tr("Set the loss"),
        "optimizer": _tr("Set the optimizer"),
        "train": _tr("Train"),
        "validate": _tr("Validate"),
        "results": _tr("Results"),
    }


def stage_explanations() -> dict[str, str]:
    """One line per stage: the box's tooltip and the caption under the strip."""
    return {
        "download": _tr(
            "The chapter downloads CIFAR-10 first. GradLab works offline: shapes are drawn on "
            "this PC, the digits ship with GradLab, CIFAR-10 comes from your teacher's folder."
        ),
        "data": _tr(
            "Load the images into memory, hold some out for validation, and cut the rest into "
            "batches."
        ),
        "model": _tr(
            "Build the chapter's CNN: three Conv2d + MaxPool2d blocks, Flatten, two Linear layers."
        ),
        "loss": _tr(
            "Choose how a wrong answer is counted: cross-entropy for classes, or the chapter's "
            "mean squared error."
        ),
        "optimizer": _tr(
            "Choose the rule that turns gradients into parameter updates (SGD, RMSprop, Adam) "
            "and its learning rate."
        ),
        "train": _tr(
            "For every batch: forward pass, loss, zero_grad(), loss.backward(), optimizer.step()."
        ),
        "validate": _tr(
            "After every epoch: loss and accuracy on images the model never trained on."
        ),
        "results": _tr(
            "Aggregate and show the results: confusion matrix, mistakes, per-class accuracy, "
            "filters and feature maps."
        ),
    }


class StageBox(QFrame):
    """One clickable stage: number and name, status glyph and a short detail (e.g. 40%)."""

    clicked = Signal(str)

    def __init__(
        self,
        stage: str,
        number: int,
        title: str,
        explanation: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.stage = stage
        self.status = "waiting"
        self.selected = False
        self.setObjectName(f"cnnStage_{stage}")
        self.setToolTip(explanation)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(1)
        self.title_label = QLabel(f"{number}. {title}", self)
        self.title_label.setWordWrap(True)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.status_label = QLabel(self)
        self.status_label.setObjectName(f"cnnStageStatus_{stage}")
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.title_label)
        layout.addWidget(self.status_label)
        self.detail = ""
        self._restyle()

    def set_state(self, status: str, detail: str = "") -> None:
        if (status, detail) != (self.status, self.detail):
            self.status, self.detail = status, detail
            self._restyle()

    def set_selected(self, selected: bool) -> None:
        if selected != self.selected:
            self.selected = selected
            self._restyle()

    def status_text(self) -> str:
        words = {
            "waiting": self.tr("waiting"),
            "current": self.tr("next"),
            "running": self.tr("running"),
            "done": self.tr("done"),
            "failed": self.tr("failed"),
            "skipped": self.tr("no images"),
        }
        glyph = _LOOK[self.status][3]
        text = f"{glyph} {words[self.status]}"
        return f"{text} · {self.detail}" if self.detail else text

    def _restyle(self) -> None:
        background, border, colour = (role_colour(role) for role in _LOOK[self.status][:3])
        width = 3 if self.selected else (2 if self.status == "running" else 1)
        edge = role_colour("highlight") if self.selected else border
        name = self.objectName()
        self.setStyleSheet(
            f"#{name} {{ background: {background}; border: {width}px solid {edge}; "
            f"border-radius: 6px; }} QLabel {{ color: {colour}; background: transparent; }}"
        )
        font = self.title_label.font()
        font.setBold(self.status in ("running", "current") or self.selected)
        self.title_label.setFont(font)
        self.status_label.setText(self.status_text())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.stage)
        super().mousePressEvent(event)


class PipelineStrip(QWidget):
    """The row of stage boxes plus a caption explaining the selected stage."""

    stage_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cnnPipelineStrip")
        titles, explanations = stage_titles(), stage_explanations()
        self.explanations = explanations
        self.boxes: dict[str, StageBox] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(3)
        row = QHBoxLayout()
        row.setSpacing(2)
        for number, stage in enumerate(STRIP_STAGES, start=1):
            if number > 1:
                arrow = QLabel("→", self)
                arrow.setStyleSheet(f"color: {role_colour('faint')}; font-size: 14pt;")
                row.addWidget(arrow)
            box = StageBox(stage, number, titles[stage], explanations[stage], self)
            box.clicked.connect(self.select)
            self.boxes[stage] = box
            row.addWidget(box, 1)
        outer.addLayout(row)
        self.caption = QLabel(self)
        self.caption.setObjectName("cnnStageCaption")
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet(f"color: {role_colour('text_secondary')}; padding: 0 4px;")
        outer.addWidget(self.caption)
        self.selected = ""
        self.select("data", notify=False)

    def select(self, stage: str, *, notify: bool = True) -> None:
        """Mark ``stage`` selected, show its explanation and (by default) tell the lab."""
        self.selected = stage
        for name, box in self.boxes.items():
            box.set_selected(name == stage)
        title = self.boxes[stage].title_label.text()
        self.caption.setText(f"<b>{title}</b> — {self.explanations[stage]}")
        if notify:
            self.stage_selected.emit(stage)

    def retranslate_ui(self) -> None:
        """Titles, explanations and status words in the current language."""
        titles, self.explanations = stage_titles(), stage_explanations()
        for number, (name, box) in enumerate(self.boxes.items(), start=1):
            box.title_label.setText(f"{number}. {titles[name]}")
            box.setToolTip(self.explanations[name])
            box.status_label.setText(box.status_text())
        self.select(self.selected, notify=False)

    def set_statuses(self, statuses: dict[str, str], details: dict[str, str] | None = None) -> None:
        details = details or {}
        for name, box in self.boxes.items():
            box.set_state(statuses.get(name, "waiting"), details.get(name, ""))

    def status(self, stage: str) -> str:
        return self.boxes[stage].status

    def statuses(self) -> dict[str, str]:
        return {name: box.status for name, box in self.boxes.items()}

    def running_stage(self) -> str | None:
        """The highlighted box: the stage running now (None when nothing runs)."""
        return next((n for n, b in self.boxes.items() if b.status == "running"), None)

    @staticmethod
    def detail_texts(details: dict[str, float | int], epochs: int) -> dict[str, str]:
        """The model's progress numbers as the boxes' short notes: 40%, "epoch 2/5"."""
        texts: dict[str, str] = {}
        for stage in ("data", "validate"):
            if stage in details:
                texts[stage] = f"{details[stage]:.0%}"
        if "train" in details:
            texts["train"] = _tr("epoch {e}/{n}").format(e=details["train"], n=epochs)
        return texts
