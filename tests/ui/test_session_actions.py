"""Save / open session through the File actions, exports, autosave with crash recovery and the
remembered window layout. File dialogs are replaced; the training is the real worker."""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from gradlab.core.autosave import CLEAN_EXIT_MARKER, autosave_path
from gradlab.core.config import Config
from gradlab.core.session_file import load_session
from gradlab.ui.lesson_browser import shipped_lesson_files

WAIT_MS = 10_000
STEPS = 40


pytestmark = pytest.mark.usefixtures("classroom_sandbox")  # tests/ui/conftest.py


def open_window(qtbot):
    from gradlab.app import create_window

    win = create_window()
    qtbot.addWidget(win)
    win.dialogs.confirm = lambda text: True
    win.show()
    return win


@pytest.fixture
def window(qtbot):
    win = open_window(qtbot)
    yield win
    win.close()


def train(qtbot, window, steps: int = STEPS) -> None:
    """``steps`` real training steps, then paused."""
    window.controller.step(steps)
    qtbot.waitUntil(
        lambda: window.model.step_count == steps and window.run_state == "paused", timeout=WAIT_MS
    )


def answer(monkeypatch, window, **replies) -> None:
    for name, value in replies.items():
        monkeypatch.setattr(window.classroom.dialogs, name, lambda *args, v=value: v)


def test_save_and_open_session_round_trip_through_the_menu(qtbot, tmp_path, monkeypatch, window):
    config = Config().with_changes(**{"training.lr": 2e-6, "data.points": 500})
    window.panel.set_config(config)
    train(qtbot, window)
    path = tmp_path / "lab"
    answer(monkeypatch, window, ask_save_file=str(path))
    saved = tmp_path / "lab.gradlab"
    files = window.classroom.files
    with qtbot.waitSignal(files.save_finished, timeout=WAIT_MS) as finished:
        files.save_action.trigger()
    assert finished.args == [saved]
    state = load_session(saved)
    assert state.config == config and len(state.runs) == 1
    history = window.controller.training.session.history  # paused: safe to read
    run = state.runs[0].history
    assert len(run) == STEPS
    for name in ("steps", "loss", "val_loss", "coefficients", "grad_norm"):
        assert np.array_equal(getattr(run, name), getattr(history, name), equal_nan=True)
    shown_loss = window.model.history.last_loss

    window.controller.reset()
    window.panel.set_config(Config())
    answer(monkeypatch, window, ask_open_file=str(saved))
    files.open_action.trigger()
    assert window.panel.config() == config
    assert window.model.step_count == STEPS
    assert window.model.history.last_loss == shown_loss
    assert files.path == saved


def test_a_truncated_session_file_is_refused_and_nothing_changes(
    qtbot, tmp_path, monkeypatch, window
):
    good = tmp_path / "good.gradlab"
    window.panel.set_config(Config().with_changes(**{"training.lr": 3e-6}))
    files = window.classroom.files
    with qtbot.waitSignal(files.save_finished, timeout=WAIT_MS):  # no run: saved at once
        assert files.save_to(good)
    cut = tmp_path / "cut.gradlab"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    window.panel.set_config(Config())
    answer(monkeypatch, window, ask_open_file=str(cut))
    files.open_action.trigger()
    assert window.panel.config() == Config()
    assert "not opened" in window.banner.text and "damaged or incomplete" in window.banner.text
    assert files.path == good  # still saving to the good file


def test_export_bundle_writes_history_plots_script_and_json(qtbot, tmp_path, window):
    assert window.classroom.lessons.open_lesson(shipped_lesson_files()[0])
    window.panel.set_config(window.panel.config().with_changes(**{"training.steps": 500}))
    train(qtbot, window)
    exports = window.classroom.exports
    with qtbot.waitSignal(exports.finished, timeout=WAIT_MS) as finished:
        exports.export_bundle(tmp_path)
    folder = finished.args[0]
    assert folder is not None and folder.parent == tmp_path
    names = {p.name for p in folder.iterdir()}
    plots = {
        f"{n}.{k}" for n in ("fit", "loss", "coefficients", "gradient") for k in ("png", "svg")
    }
    assert {"history.csv", "reproduce.py", "config.json", "lesson.json"} | plots <= names
    assert not list(tmp_path.glob("*.partial"))
    header, *rows = (folder / "history.csv").read_text().splitlines()
    assert header == "step,loss,val_loss,a,b,c,d,grad_norm" and len(rows) == STEPS
    assert (folder / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert ET.parse(folder / "fit.svg").getroot().tag.endswith("svg")
    compile((folder / "reproduce.py").read_text(), "reproduce.py", "exec")


def test_export_csv_without_a_run_says_so(qtbot, window):
    with qtbot.waitSignal(window.classroom.exports.finished, timeout=WAIT_MS) as finished:
        window.classroom.exports.export_csv()
    assert finished.args == [None]  # nothing written
    assert "no run to export" in window.banner.text


def test_autosave_is_offered_back_after_a_crash(qtbot, tmp_path, window):
    config = Config().with_changes(**{"training.lr": 1.5e-6})
    window.panel.set_config(config)
    train(qtbot, window)
    autosave = window.classroom.autosave
    with qtbot.waitSignal(autosave.written, timeout=WAIT_MS):
        autosave.autosave()
    data = tmp_path / "data"
    assert autosave_path(data).is_file() and not (data / CLEAN_EXIT_MARKER).exists()
    window.close()  # a clean close marks the autosave as not needing recovery...
    (data / CLEAN_EXIT_MARKER).unlink()  # ...so remove the mark: as if the app had crashed

    again = open_window(qtbot)
    recovery = again.classroom.recovery
    assert recovery.paths and not recovery.bar.isHidden()
    assert "closed unexpectedly" in recovery.bar.label.text()
    recovery.bar.restore_button.click()
    assert again.panel.config() == config
    assert again.model.step_count == STEPS
    assert recovery.bar.isHidden() and not recovery.paths
    assert not list(data.glob("recovered-*"))
    again.close()


def test_discarding_the_crashed_autosave_deletes_it(qtbot, tmp_path, window):
    train(qtbot, window)
    window.close()
    data = tmp_path / "data"
    (data / CLEAN_EXIT_MARKER).unlink()
    again = open_window(qtbot)
    assert not again.classroom.recovery.bar.isHidden()
    again.classroom.recovery.bar.discard_button.click()
    assert again.classroom.recovery.bar.isHidden()
    assert not list(data.glob("recovered-*"))
    again.close()


def test_a_second_window_does_not_take_the_first_ones_autosave(qtbot, tmp_path, window):
    train(qtbot, window)
    with qtbot.waitSignal(window.classroom.autosave.written, timeout=WAIT_MS):
        window.classroom.autosave.autosave()
    second = open_window(qtbot)
    assert not second.classroom.recovery.paths
    assert not second.classroom.autosave.primary
    assert autosave_path(tmp_path / "data").is_file()
    second.close()
    assert not list((tmp_path / "data").glob("instance-*"))


def test_window_geometry_and_dock_layout_are_restored(qtbot, window):
    # offscreen screens are small (800 x 600): change the height only, within the screen
    window.resize(window.width(), window.minimumSizeHint().height() + 20)
    height = window.height()
    assert height < 560
    window.panel_dock.hide()
    window.close()
    again = open_window(qtbot)
    assert again.height() == height
    assert again.panel_dock.isHidden()
    again.close()


def test_a_refused_close_keeps_the_session_going(qtbot, tmp_path, window):
    def refuse(event) -> None:
        event.ignore()  # e.g. a window that asks "save first?" and the answer is Cancel

    window.closeEvent = refuse
    assert not window.close()
    assert window.classroom.autosave.timer.isActive()
    assert not (tmp_path / "data" / CLEAN_EXIT_MARKER).exists()
    del window.closeEvent
    assert window.close()
    assert not window.classroom.autosave.timer.isActive()
    assert (tmp_path / "data" / CLEAN_EXIT_MARKER).exists()


def test_export_csv_png_and_svg_through_the_menu(qtbot, tmp_path, monkeypatch, window):
    train(qtbot, window)
    answer(monkeypatch, window, ask_save_file=str(tmp_path / "h.csv"), ask_folder=str(tmp_path))
    exports = window.classroom.exports
    with qtbot.waitSignal(exports.finished, timeout=WAIT_MS):
        exports.csv_action.trigger()
    assert len((tmp_path / "h.csv").read_text().splitlines()) == STEPS + 1
    exports.png_action.trigger()
    exports.svg_action.trigger()
    assert len(list(tmp_path.glob("*.png"))) == 4 and len(list(tmp_path.glob("*.svg"))) == 4
    assert "4 plots exported" in window.statusBar().currentMessage()


def test_svg_export_is_disabled_with_a_reason_without_qtsvg(qtbot, monkeypatch):
    from gradlab.ui import exports

    monkeypatch.setattr(exports, "QSvgGenerator", None)
    win = open_window(qtbot)
    action = win.classroom.exports.svg_action
    assert not action.isEnabled() and "QtSvg" in action.toolTip()
    win.close()


def test_export_script_writes_a_script_that_repeats_the_run(window, tmp_path):
    target = tmp_path / "reproduce.py"
    window.panel.set_config(window.panel.config().with_changes(**{"training.steps": 50}))
    assert window.classroom.exports.export_script(target)
    text = target.read_text(encoding="utf-8")
    assert "steps = 50" in text and "y_pred = " in text
    compile(text, str(target), "exec")  # a syntax check only: the core tests run these scripts


def saved_run(path) -> tuple[int, int]:
    """(how many runs, steps of the last one) in a session file."""
    state = load_session(path)
    return len(state.runs), state.runs[-1].step_count if state.runs else 0


def test_save_does_not_wait_for_a_busy_worker(qtbot, tmp_path, window):
    """The worker is held inside a job: Save returns at once and is written once the worker
    hands the run over (waiting for it in the GUI thread would never return here)."""
    train(qtbot, window)
    gate = threading.Event()
    window.controller.submit(lambda _session: gate.wait(WAIT_MS / 1000))
    files, snapshots = window.classroom.files, window.classroom.snapshots
    path = tmp_path / "busy.gradlab"
    try:
        assert files.save_to(path)
        assert snapshots.pending == 1 and not path.exists()  # returned, the worker still busy
    finally:
        gate.set()
    with qtbot.waitSignal(files.save_finished, timeout=WAIT_MS) as finished:
        pass
    assert finished.args == [path] and snapshots.pending == 0
    assert saved_run(path) == (1, STEPS)


def test_a_save_pending_when_the_window_closes_is_written(qtbot, tmp_path, window):
    train(qtbot, window)
    path = tmp_path / "closing.gradlab"
    assert window.classroom.files.save_to(path)
    assert window.classroom.snapshots.pending == 1  # the worker has not answered yet
    window.close()  # the worker stops; the save is finished from the stopped session
    assert window.classroom.snapshots.pending == 0
    assert saved_run(path) == (1, STEPS)


def test_a_save_pending_at_reset_keeps_the_run_that_was_on_screen(qtbot, tmp_path, window):
    train(qtbot, window)
    path = tmp_path / "before-reset.gradlab"
    files = window.classroom.files
    with qtbot.waitSignal(files.save_finished, timeout=WAIT_MS) as finished:
        assert files.save_to(path)
        window.controller.reset()
    assert finished.args == [path]
    assert saved_run(path) == (1, STEPS)


def test_save_after_stop_takes_the_run_at_once(qtbot, tmp_path, window):
    """No worker thread runs after Stop: the run is read directly, nothing waits."""
    train(qtbot, window)
    window.controller.stop()
    path = tmp_path / "stopped.gradlab"
    files = window.classroom.files
    with qtbot.waitSignal(files.save_finished, timeout=WAIT_MS) as finished:
        assert files.save_to(path)
        assert path.exists()  # written before save_to returned
    assert finished.args == [path]
    assert saved_run(path) == (1, STEPS)
