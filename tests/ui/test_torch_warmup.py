"""PyTorch loads in the background; a torch run started before it is loaded says what it waits
for, with a progress bar, and the window stays responsive meanwhile."""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QTimer

from gradlab.core.config import Config
from gradlab.model.run_state import RunState
from gradlab.ui import torch_warmup
from gradlab.ui.lab_controller import make_session


def test_the_warm_up_loads_torch_and_its_optimizers(qtbot):
    warmup = torch_warmup.TorchWarmup()
    with qtbot.waitSignal(warmup.finished, timeout=120_000) as blocker:
        warmup.start()
    assert blocker.args == [True]
    assert warmup.done and warmup.progress == 100
    assert "torch._dynamo" in sys.modules  # what the first optimizer would have imported
    warmup.start()  # once only
    assert warmup.done


def test_a_torch_run_waiting_for_the_warm_up_shows_it_and_the_window_stays_live(
    qtbot, app_window, monkeypatch
):
    loaded = threading.Event()  # stands for "PyTorch has finished loading"
    monkeypatch.setattr(torch_warmup, "torch_loaded", loaded.is_set)
    monkeypatch.setattr(torch_warmup, "STAGES", (("torch", lambda: loaded.wait(20)),))

    def slow_session(config: Config) -> object:
        loaded.wait(20)  # the worker's own `import torch` waits on the same import
        return make_session(config)

    app_window.controller.session_factory = slow_session
    panel_config = app_window.panel.config().with_changes(**{"training.method": "torch-autograd"})
    app_window.panel.set_config(panel_config)
    wait = app_window.torch_wait
    app_window.torch_warmup.start()
    qtbot.waitUntil(lambda: app_window.torch_warmup.stage == "torch", timeout=5000)
    app_window.controls.start_action.trigger()
    assert app_window.model.state is RunState.PREPARING
    qtbot.waitUntil(lambda: wait.bar.isVisible() and wait.label.isVisible(), timeout=5000)
    assert wait.bar.maximum() == 100 and 0 < wait.bar.value() < 100
    assert "PyTorch" in wait.label.text()

    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=3000)  # the event loop runs on
    timer.stop()
    assert app_window.model.state is RunState.PREPARING and wait.bar.isVisible()

    with qtbot.waitSignal(app_window.torch_warmup.finished, timeout=10_000):
        loaded.set()
    qtbot.waitUntil(lambda: app_window.model.step_count > 0, timeout=20_000)
    qtbot.waitUntil(lambda: not wait.bar.isVisible() and not wait.label.isVisible(), timeout=5000)


def test_without_a_warm_up_the_wait_is_a_busy_bar(qtbot, app_window, monkeypatch):
    monkeypatch.setattr(torch_warmup, "torch_loaded", lambda: False)
    wait = app_window.torch_wait
    wait.run_preparing()
    assert wait.bar.isVisible() and wait.bar.maximum() == 0  # busy: no stage to show
    wait.run_state(False)
    assert not wait.bar.isVisible() and not wait.label.isVisible()
