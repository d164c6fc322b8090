"""A long classroom day: memory per kept run, closing after a long run, and what killed saves
leave in the data folder."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool

from gradlab.core.atomic import TEMP_MARK
from gradlab.core.autosave import AUTOSAVE_NAME, CLEAN_EXIT_MARKER, autosave_path
from gradlab.core.runs import KEPT_ROWS
from gradlab.core.session_file import load_session
from gradlab.ui.autosave_actions import MAX_RECOVERED

pytestmark = pytest.mark.usefixtures("classroom_sandbox")  # tests/ui/conftest.py

CYCLE_RUNNER = Path(__file__).with_name("cycle_runner.py")
WAIT_MS = 60_000
CYCLES = 200
GROWTH_KB = 20 * 1024  # 200 cycles, history included


def open_window(qtbot):
    from gradlab.app import create_window

    win = create_window()
    qtbot.addWidget(win)
    win.dialogs.confirm = lambda text: True
    win.show()
    return win


def env_for(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "GRADLAB_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "GRADLAB_LANGUAGE": "en",
    }


# ---- memory per run ----


@pytest.mark.slow
def test_two_hundred_start_stop_reset_cycles_grow_memory_little(tmp_path):
    report = tmp_path / "cycles.json"
    done = subprocess.run(
        [sys.executable, str(CYCLE_RUNNER), str(report), str(CYCLES), "20"],
        env=env_for(tmp_path), capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    data = json.loads(report.read_text())
    assert data["runs"] == 50  # the run list is full: the oldest runs went
    assert data["final_kb"] - data["baseline_kb"] < GROWTH_KB, data["samples"]
    assert data["memory_text"].startswith("Runs kept: 50 ")


@pytest.mark.slow
def test_the_run_history_shows_what_its_runs_take(qtbot):
    win = open_window(qtbot)
    try:
        label = win.inside.run_view.memory_label
        assert label.text() == "Runs kept: 0 · their history: 0.0 MB"
        win.controls.start_action.trigger()  # the chapter's 200,000 steps, as fast as can be
        qtbot.waitUntil(lambda: len(win.model.runs) == 1, timeout=WAIT_MS)
        (record,) = win.model.runs
        assert record.step_count == 200_000 and len(record.history) <= KEPT_ROWS
        assert label.text() == "Runs kept: 1 · their history: 0.1 MB"
    finally:
        win.close()


# ---- closing ----


def test_closing_after_a_long_run_ends_every_thread_within_a_second(qtbot, tmp_path):
    before = set(threading.enumerate())
    win = open_window(qtbot)
    win.controls.start_action.trigger()  # 200,000 steps: the longest history a run keeps
    qtbot.waitUntil(lambda: win.run_state == "finished", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(win.model.runs) == 1, timeout=WAIT_MS)
    started = time.perf_counter()
    win.close()

    def all_ended() -> bool:
        threads = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        return not threads and QThreadPool.globalInstance().activeThreadCount() == 0

    qtbot.waitUntil(all_ended, timeout=1000)
    assert time.perf_counter() - started < 1.0
    assert not win.controller.training.running
    data = tmp_path / "data"
    assert (data / CLEAN_EXIT_MARKER).is_file()  # the last autosave finished in time
    (saved,) = load_session(autosave_path(data)).runs
    assert saved.step_count == 200_000 and len(saved.history) <= KEPT_ROWS


# ---- litter ----

SAVER = """
import sys, numpy as np
from gradlab.core.autosave import write_autosave
from gradlab.core.config import Config
from gradlab.core.runs import RunHistory, RunRecord
from gradlab.core.session_file import SessionState
n = 2**18
rng = np.random.default_rng(0)
history = RunHistory(np.arange(1, n + 1), rng.random(n), np.full(n, np.nan), rng.random((n, 4)),
                     rng.random(n))
record = RunRecord(id=1, label="run", config=Config(), status="stopped", step_count=n,
                   diverged_at=None, final_loss=1.0, final_coefficients=np.zeros(4),
                   history=history)
state = SessionState(runs=[record])
print("saving", flush=True)
while True:
    write_autosave(sys.argv[1], state)
"""


def temporaries(folder: Path) -> list[Path]:
    """The autosave's temporaries, named as GradLab names them (six hex digits)."""
    pattern = re.compile(re.escape(f".{AUTOSAVE_NAME}{TEMP_MARK}") + "[0-9a-f]{6}")
    return sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name))


def test_saves_killed_midway_leave_nothing_behind_at_the_next_start(qtbot, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    names = ["notes.txt", f".lesson.json{TEMP_MARK}abcdef", f".{AUTOSAVE_NAME}{TEMP_MARK}not-hex",
             ".autosave.gradlab.tmp"]  # fmt: skip
    decoys = [folder / name for name in names]
    for decoy in decoys:
        decoy.write_text("not GradLab's leftover")
    chance = random.Random(16)
    seen = 0
    for _ in range(8):
        saver = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(folder)],
            env=env_for(tmp_path), stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert saver.stdout is not None and saver.stdout.readline() == "saving\n"
        time.sleep(chance.uniform(0.05, 1.5))  # a kill at a random moment of the save loop
        saver.kill()
        saver.wait()
        saver.stdout.close()
        seen = max(seen, len(temporaries(folder)))
        if seen >= 2:
            break
    assert seen, "no kill landed mid-save: the test proved nothing"
    finished_one = autosave_path(folder).is_file()  # a save that completed before a kill
    win = open_window(qtbot)  # the next start
    try:
        assert temporaries(folder) == []
        assert all(decoy.is_file() for decoy in decoys)  # never anything else
        # an autosave a kill left is whole, and offered back
        assert bool(win.classroom.recovery.paths) == finished_one
        for path in win.classroom.recovery.paths:
            load_session(path)
    finally:
        win.close()


def test_the_data_folder_keeps_few_recovered_sessions(qtbot, tmp_path):
    win = open_window(qtbot)
    try:
        data, autosave = tmp_path / "data", win.classroom.autosave
        names = [data / f"recovered-20260101-0000{i}-0.gradlab" for i in range(8)]
        for path in names:
            path.write_bytes(b"session")
        assert autosave.recoverable_sessions() == names[::-1][:MAX_RECOVERED]
        assert sorted(data.glob("recovered-*")) == names[-MAX_RECOVERED:]
        big = [data / f"recovered-20270101-0000{i}-0.gradlab" for i in range(2)]
        for path in big:
            with open(path, "wb") as file:
                file.truncate(150 * 1024 * 1024)  # sparse: no disk used
        assert autosave.recoverable_sessions() == [big[1]]  # the newest always stays
    finally:
        win.close()
