"""The lab window driven like a student would: buttons, keys, the panel, the real worker."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QToolButton

from gradlab.app import create_window
from gradlab.core.config import Config
from gradlab.core.features import feature_matrix
from gradlab.model.plot_buffer import LOSS

WAIT_MS = 10_000  # generous: the machine is shared; every wait ends as soon as it can
LONG_RUN = 50_000_000  # steps: a run that never finishes during a test


@pytest.fixture
def window(qtbot):
    win = create_window()
    qtbot.addWidget(win)
    win.dialogs.confirm = lambda text: True  # never a modal dialog in tests
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    assert not win.controller.training.running


def configure(window, **changes) -> Config:
    config = Config().with_changes(**{key.replace("__", "."): v for key, v in changes.items()})
    window.panel.set_config(config)
    return config


def button(window, name: str) -> QToolButton:
    found = window.findChild(QToolButton, name)
    assert found is not None, name
    return found


def label(window, name: str) -> str:
    return window.findChild(QLabel, name).text()


def click(qtbot, window, name: str) -> None:
    widget = button(window, name)
    assert widget.isEnabled(), f"{name} is disabled in state {window.run_state}"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def worker_round_trip(qtbot, window) -> int:
    """The session's step count, read in the worker thread once its loop came round again (so
    everything the worker had to say before has been said)."""
    got: list[int] = []
    window.controller.training.submit(lambda session: session.step_count, on_done=got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=WAIT_MS)
    return got[0]


def deliver_posted_signals() -> None:
    """Hand out every signal already queued for the GUI thread (a joined worker's last words)."""
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()


def start_long_run(qtbot, window) -> None:
    configure(window, training__steps=LONG_RUN)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(
        lambda: window.run_state == "running" and window.model.step_count > 0, timeout=WAIT_MS
    )


def pause(qtbot, window) -> int:
    click(qtbot, window, "pauseButton")
    qtbot.waitUntil(lambda: window.run_state == "paused", timeout=WAIT_MS)
    done = worker_round_trip(qtbot, window)  # the pause's final batch is on its way
    qtbot.waitUntil(lambda: window.model.step_count == done, timeout=WAIT_MS)
    return window.model.step_count


def session_steps(window) -> int:
    """The session's own count (safe to read while the worker is paused)."""
    return window.controller.training.session.step_count


def test_start_runs_a_short_run_to_the_end(qtbot, window):
    configure(window, training__steps=2000)
    assert label(window, "stepLabel") == "0"
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.run_state == "finished", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: label(window, "stepLabel") == "2000", timeout=WAIT_MS)
    assert "2000" in label(window, "totalLabel")
    assert label(window, "equationLabel").startswith("y = ")
    assert float(label(window, "lossLabel")) > window.problem.analysis.optimum_loss
    assert window.model.history.last_step == 2000 and window.redraw_count > 0
    assert window.readouts.progress.value() == window.readouts.progress.maximum()
    assert not button(window, "pauseButton").isEnabled()
    assert not button(window, "stepButton").isEnabled()
    assert window.controller.training.running  # finished runs stay alive, paused, for more steps


def test_pause_halts_the_step_count_and_resume_continues(qtbot, window):
    start_long_run(qtbot, window)
    paused_at = pause(qtbot, window)
    assert session_steps(window) == paused_at
    for _ in range(3):  # the paused loop comes round again and again: no step is taken
        assert worker_round_trip(qtbot, window) == paused_at
    assert session_steps(window) == paused_at == window.model.step_count
    qtbot.waitUntil(lambda: label(window, "stepLabel") == str(paused_at), timeout=WAIT_MS)
    assert button(window, "startButton").text() == "Resume"
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.model.step_count > paused_at, timeout=WAIT_MS)
    assert window.run_state == "running"


def test_step_advances_exactly_one_and_step_n_exactly_n(qtbot, window):
    configure(window, training__steps=LONG_RUN)
    click(qtbot, window, "stepButton")  # from ready: builds the session, then one step
    qtbot.waitUntil(lambda: window.model.step_count == 1, timeout=WAIT_MS)
    click(qtbot, window, "stepButton")
    qtbot.waitUntil(lambda: window.model.step_count == 2, timeout=WAIT_MS)
    window.controls.step_n_spin.setValue(250)
    click(qtbot, window, "stepNButton")
    qtbot.waitUntil(lambda: window.model.step_count == 252, timeout=WAIT_MS)
    assert worker_round_trip(qtbot, window) == 252  # no step beyond the 252 asked for
    qtbot.waitUntil(lambda: window.run_state == "paused", timeout=WAIT_MS)
    assert session_steps(window) == 252
    qtbot.waitUntil(lambda: label(window, "stepLabel") == "252", timeout=WAIT_MS)
    assert window.model.history.last_step == 252


def test_stop_ends_the_run_and_keeps_its_plots(qtbot, window):
    start_long_run(qtbot, window)
    click(qtbot, window, "stopButton")
    assert not window.controller.training.running and window.run_state == "stopped"
    deliver_posted_signals()  # the joined worker's final batch
    stopped_at = window.model.step_count
    assert stopped_at > 0 and window.model.history.series(LOSS)[0].size > 0
    deliver_posted_signals()  # nothing more can come: the thread has ended
    assert window.model.step_count == stopped_at and window.run_state == "stopped"
    assert not button(window, "stopButton").isEnabled()
    assert button(window, "startButton").isEnabled()


def test_reset_returns_to_step_zero_and_clears_the_plots(qtbot, window):
    start_long_run(qtbot, window)
    pause(qtbot, window)
    click(qtbot, window, "resetButton")
    assert window.run_state == "ready" and not window.controller.training.running
    qtbot.waitUntil(lambda: label(window, "stepLabel") == "0", timeout=WAIT_MS)
    deliver_posted_signals()  # late signals of the old run must not bring its curves back
    for _ in range(3):  # and the next redraws draw nothing of it
        with qtbot.waitSignal(window.view.timer.timeout, timeout=WAIT_MS):
            pass
    assert len(window.model.history) == 0
    x, _ = window.plots.loss.train.getData()
    assert x is None or len(x) == 0
    x, _ = window.plots.fit.prediction.getData()
    assert x is None or len(x) == 0
    # the data stays (xData: what the plot holds; getData is what a narrow plot shows of it)
    assert len(window.plots.fit.points.xData) == 2000


def test_a_learning_rate_typed_while_paused_applies_to_the_next_step(qtbot, window):
    config = configure(window, training__steps=LONG_RUN)
    click(qtbot, window, "stepButton")
    qtbot.waitUntil(
        lambda: window.model.step_count == 1 and window.run_state == "paused", timeout=WAIT_MS
    )
    before = window.model.history.last_coefficients.copy()
    lr_edit = window.findChild(QLineEdit, "lrEdit")
    lr_edit.selectAll()
    qtbot.keyClicks(lr_edit, "2e-6")
    qtbot.keyClick(lr_edit, Qt.Key.Key_Return)
    click(qtbot, window, "stepButton")
    qtbot.waitUntil(lambda: window.model.step_count == 2, timeout=WAIT_MS)
    after = window.model.history.last_coefficients
    # the chapter's update by hand: c -= lr * 2 Xᵀ(Xc - y)
    data = window.problem.dataset
    d, m = config.data, config.model
    features = feature_matrix(data.x, m.degree, m.basis, d.x_min, d.x_max)
    gradient = 2 * features.T @ (features @ before - data.y)
    np.testing.assert_allclose(after, before - 2e-6 * gradient, rtol=1e-9)
    assert window.controller.training.session.config.training.lr == 2e-6


def test_a_torch_optimizer_run_takes_new_hyperparameters_while_paused(qtbot, window):
    configure(
        window,
        training__method="torch-optim",
        optimizer__name="sgd",
        training__steps=LONG_RUN,
    )
    click(qtbot, window, "stepButton")  # torch is imported in the worker thread, not here
    qtbot.waitUntil(lambda: window.model.step_count == 1, timeout=30_000)
    momentum = window.panel.field_widget("optimizer.momentum")
    momentum.setText("0.5")
    momentum.editingFinished.emit()
    assert window.run_state == "paused"  # a live change: no new run
    click(qtbot, window, "stepButton")
    qtbot.waitUntil(lambda: window.model.step_count == 2, timeout=WAIT_MS)
    assert window.controller.training.session.config.optimizer.momentum == 0.5


def test_a_finished_run_goes_on_when_the_step_count_is_raised(qtbot, window):
    configure(window, training__steps=300)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.run_state == "finished", timeout=WAIT_MS)
    steps = window.panel.field_widget("training.steps")
    steps.setText("500")
    steps.editingFinished.emit()
    assert window.run_state == "finished" and len(window.model.history) == 300  # not reset
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.model.step_count == 500, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.run_state == "finished", timeout=WAIT_MS)
    assert window.model.history.last_step == 500
    qtbot.waitUntil(lambda: label(window, "totalLabel").endswith("500"), timeout=WAIT_MS)


def test_a_failing_session_is_explained_in_the_banner_not_a_traceback(qtbot, window):
    def broken(config):
        raise ValueError("the data file is damaged")

    window.controller.session_factory = broken
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.run_state == "stopped", timeout=WAIT_MS)
    assert window.banner.isVisible() and window.banner.level == "error"
    assert "the data file is damaged" in window.banner.text
    assert "Traceback" not in window.banner.text
    assert button(window, "startButton").isEnabled()


def test_the_crosshair_reads_out_the_values_under_the_mouse(qtbot, window):
    plot = window.plots.fit
    view = plot.plotItem.vb
    centre = plot.mapFromScene(view.sceneBoundingRect().center())
    plot.scene().sigMouseMoved.emit(plot.mapToScene(centre))
    qtbot.waitUntil(plot.readout.isVisible, timeout=WAIT_MS)
    assert plot.readout.text().startswith("x = ") and "y = " in plot.readout.text()
    loss_plot = window.plots.loss  # log axis: the read-out shows the loss, not its log
    point = loss_plot.plotItem.vb.sceneBoundingRect().center()
    loss_plot.scene().sigMouseMoved.emit(point)
    qtbot.waitUntil(loss_plot.readout.isVisible, timeout=WAIT_MS)
    shown = float(loss_plot.readout.text().split("loss = ")[1])
    expected = 10 ** loss_plot.plotItem.vb.mapSceneToView(point).y()
    assert shown == pytest.approx(expected, rel=1e-3)
    QApplication.sendEvent(loss_plot, QEvent(QEvent.Type.Leave))  # the mouse leaves the plot
    assert not loss_plot.readout.isVisible()
    assert plot.readout.isVisible()  # the other plot's stays until the mouse leaves it


def test_plots_follow_the_data_until_the_student_zooms(qtbot, window):
    configure(window, training__steps=3000)
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.run_state == "finished", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: label(window, "stepLabel") == "3000", timeout=WAIT_MS)
    loss = window.plots.loss
    x_range, y_range = loss.plotItem.vb.viewRange()
    assert x_range[0] <= 1 and x_range[1] >= 3000  # all steps in view
    assert y_range[0] <= np.log10(window.problem.analysis.optimum_loss)  # and the optimum
    loss.plotItem.vb.sigRangeChangedManually.emit([True, True])  # the student zoomed
    loss.plotItem.vb.setRange(xRange=(100, 200), padding=0)
    loss.draw(window.model.history)
    assert loss.plotItem.vb.viewRange()[0] == pytest.approx([100, 200])
    loss.plotItem.enableAutoRange()  # the "A" button
    loss.draw(window.model.history)
    assert loss.plotItem.vb.viewRange()[0][1] >= 3000


def test_a_change_that_needs_a_new_run_asks_first(qtbot, window):
    asked = []
    window.dialogs.confirm = lambda text: asked.append(text) or False
    start_long_run(qtbot, window)
    pause(qtbot, window)
    degree = window.panel.field_widget("model.degree")
    degree.setValue(4)
    assert asked and window.run_state == "paused"
    assert window.panel.config().model.degree == 3  # declined: the panel is put back
    window.dialogs.confirm = lambda text: asked.append(text) or True
    degree.setValue(5)
    assert window.run_state == "ready" and len(window.model.history) == 0
    assert window.panel.config().model.degree == 5


def test_divergence_pauses_itself_and_explains_the_stable_limit(qtbot, window):
    configure(window, training__lr=4e-6, training__steps=200_000)
    assert "3.558e-06" in window.panel.lr_warning()  # warned before the start...
    assert button(window, "startButton").isEnabled()  # ...but free to try
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.run_state == "diverged", timeout=WAIT_MS)
    # the last redraw (huge but finite numbers) must draw without a warning
    shown = lambda: label(window, "stepLabel") == str(window.model.step_count)  # noqa: E731
    qtbot.waitUntil(shown, timeout=WAIT_MS)
    banner = window.banner
    assert banner.isVisible() and "stable limit 3.558e-06" in banner.text
    assert "diverged at step" in banner.text and window.controller.training.running
    assert not button(window, "pauseButton").isEnabled()
    x, y = window.model.history.series(LOSS)
    assert x.size > 0 and np.all(np.isfinite(y))
    assert x[-1] < window.model.diverged_at
    window.banner.action_button.click()  # "Use lr = 3e-6"
    assert window.panel.config().training.lr == 3e-6 and window.run_state == "ready"


@pytest.mark.parametrize(
    ("path", "text", "message"),
    [
        ("training.lr", "abc", "learning rate must be a number"),
        ("training.lr", "-1", "learning rate must be > 0"),
        ("data.target", "sin(x", "position 4"),
    ],
)
def test_invalid_input_disables_start_and_is_marked_at_the_field(
    qtbot, window, path, text, message
):
    field = window.panel.field_widget(path)
    edit = field if isinstance(field, QLineEdit) else field.lineEdit()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    assert not button(window, "startButton").isEnabled()
    assert not button(window, "stepButton").isEnabled()
    assert message in window.panel.error_for(path)
    assert "border" in field.styleSheet()
    qtbot.keyClick(window.plots, Qt.Key.Key_F5)  # the shortcut cannot start it either
    assert window.run_state == "ready"


def test_keyboard_shortcuts_work_but_not_while_typing(qtbot, window):
    configure(window, training__steps=LONG_RUN)
    window.activateWindow()
    lr_edit = window.findChild(QLineEdit, "lrEdit")
    lr_edit.setFocus()
    qtbot.keyClick(lr_edit, Qt.Key.Key_Space)
    qtbot.keyClick(lr_edit, Qt.Key.Key_R)
    assert lr_edit.text().endswith(" r") or lr_edit.text() == "1e-6 r"
    assert window.run_state == "ready"
    lr_edit.setText("1e-6")
    window.plots.setFocus()
    qtbot.keyClick(window.plots, Qt.Key.Key_Right)  # → steps once
    qtbot.waitUntil(lambda: window.model.step_count == 1, timeout=WAIT_MS)
    qtbot.keyClick(window.plots, Qt.Key.Key_Space)  # Space resumes...
    qtbot.waitUntil(lambda: window.run_state == "running", timeout=WAIT_MS)
    qtbot.keyClick(window.plots, Qt.Key.Key_Space)  # ...and pauses
    qtbot.waitUntil(lambda: window.run_state == "paused", timeout=WAIT_MS)
    qtbot.keyClick(window.plots, Qt.Key.Key_R)
    assert window.run_state == "ready"
    qtbot.keyClick(window.plots, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.run_state == "running", timeout=WAIT_MS)


@pytest.mark.timing
def test_closing_during_a_run_stops_the_thread_within_a_second(qtbot, window):
    start_long_run(qtbot, window)
    started = time.perf_counter()
    window.close()
    assert time.perf_counter() - started < 1.0
    assert not window.controller.training.running


def test_redraws_happen_only_when_new_data_arrived(qtbot, window):
    configure(window, training__steps=2000)
    with qtbot.waitSignal(window.view.timer.timeout, timeout=WAIT_MS):
        pass  # the configure's own redraw is done
    idle = window.redraw_count
    for _ in range(4):  # four redraw ticks with nothing new
        with qtbot.waitSignal(window.view.timer.timeout, timeout=WAIT_MS):
            pass
    assert window.redraw_count == idle  # nothing new, nothing redrawn
    click(qtbot, window, "startButton")
    qtbot.waitUntil(lambda: window.run_state == "finished", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.redraw_count > idle, timeout=WAIT_MS)


def test_the_first_window_does_not_import_torch():
    code = textwrap.dedent(
        """
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from gradlab.app import create_window
        window = create_window()
        print("torch" in sys.modules)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "False"
