"""Load PyTorch in the background once the window is on screen, so the first torch run starts
at once.

``import torch`` and the first ``torch.optim`` optimizer (which imports ``torch._dynamo``) take
seconds on a small PC. ``TorchWarmup.start()`` does both in a plain daemon thread, stage by
stage (Python hands the GIL to the GUI thread every few milliseconds meanwhile). A run started
meanwhile simply waits for the same imports in its worker thread (Python's import lock); the
window shows what it is waiting for with ``stage``/``progress`` and ``finished``.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from gradlab.ui.collector import collector_paused


def _import_torch() -> None:
    import torch  # noqa: F401
    from torch import nn  # noqa: F401


def _first_optimizer() -> None:
    """What the first run pays for: an optimizer (torch._dynamo), a loss, a backward pass."""
    import torch
    from torch import nn

    layer = nn.Linear(3, 1, dtype=torch.float64)
    optimizer = torch.optim.RMSprop(layer.parameters(), lr=1e-3, foreach=False)
    loss = nn.MSELoss()(layer(torch.zeros(4, 3, dtype=torch.float64)).flatten(), torch.zeros(4))
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()


STAGES: tuple[tuple[str, Callable[[], None]], ...] = (
    ("torch", _import_torch),
    ("optim", _first_optimizer),
)


def torch_loaded() -> bool:
    """True once torch and torch._dynamo are imported in this process (by anyone)."""
    return "torch" in sys.modules and "torch._dynamo" in sys.modules


class TorchWarmup(QObject):
    """Imports torch off the GUI thread. Signals arrive in the GUI thread (queued)."""

    stage_changed = Signal(str)  # "torch", "optim", then "ready"
    finished = Signal(bool)  # True: loaded; False: torch is missing or failed to load

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stage = "idle"
        self.failed = False
        self.seconds: float | None = None  # how long the warm-up took
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def done(self) -> bool:
        return self.stage == "ready"

    @property
    def progress(self) -> int:
        """0..100 for a progress bar."""
        return {"idle": 0, "torch": 10, "optim": 60, "ready": 100}.get(self.stage, 0)

    def start(self) -> None:
        """Begin loading (once); a no-op when torch is already loaded or loading."""
        if self._thread is not None or self.done:
            return
        if torch_loaded():
            self._set_stage("ready")
            self.finished.emit(True)
            return
        self._thread = threading.Thread(target=self._run, name="torch-warmup", daemon=True)
        self._thread.start()

    def _set_stage(self, stage: str) -> None:
        self.stage = stage
        self.stage_changed.emit(stage)

    def _run(self) -> None:
        started = time.perf_counter()
        ok = True
        with collector_paused():  # a pass over torch's growing module graph held the GUI
            for stage, work in STAGES:
                self._set_stage(stage)
                try:
                    work()
                except Exception:  # no torch here: the run itself reports it in words
                    ok = False
                    break
        self.seconds = time.perf_counter() - started
        self.failed = not ok
        self._set_stage("ready")
        self.finished.emit(ok)


class WarmupIndicator(QObject):
    """While a torch run waits for PyTorch to load: a progress bar in the status bar and a line
    saying what it waits for (the warm-up's stage, or a busy bar when no warm-up runs)."""

    def __init__(self, warmup: TorchWarmup, status_bar: QStatusBar) -> None:
        super().__init__(status_bar)
        self.warmup = warmup
        self.waiting = False
        self.bar = QProgressBar(status_bar)
        self.bar.setObjectName("torchLoadProgress")
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.label = QLabel(status_bar)
        self.label.setObjectName("torchLoadLabel")
        # permanent: a passing status message would hide ordinary status-bar widgets
        status_bar.insertPermanentWidget(0, self.label)
        status_bar.insertPermanentWidget(1, self.bar)
        self.bar.hide()
        self.label.hide()
        warmup.stage_changed.connect(lambda _stage: self._refresh())

    def run_preparing(self) -> None:
        """A torch run is being prepared: show the wait unless torch is already there."""
        self.waiting = not torch_loaded() or self.warmup.running
        self._refresh()

    def run_state(self, preparing: bool) -> None:
        """The run left (or entered) its preparation."""
        if not preparing:
            self.waiting = False
        self._refresh()

    def _refresh(self) -> None:
        shown = self.waiting and not (self.warmup.done and torch_loaded())
        if shown:
            if self.warmup.running:
                self.bar.setRange(0, 100)
                self.bar.setValue(self.warmup.progress)
            else:
                self.bar.setRange(0, 0)  # busy: the worker loads PyTorch itself
            self.label.setText(self.text())
        self.bar.setVisible(shown)
        self.label.setVisible(shown)

    def text(self) -> str:
        if self.warmup.stage == "optim":
            return self.tr("Waiting for PyTorch: preparing its optimizers…")
        return self.tr("Waiting for PyTorch to load (the first run of a session)…")
