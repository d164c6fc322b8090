"""Hostile files through the window: File → Open lesson / Open session, Open Recent, the lesson
remembered from the last session, the CNN tab's Load weights and CIFAR-10 folder. Each is
refused (or accepted) with one message in the window, and nothing changes; what was remembered
and broke is forgotten. pytest-qt fails a test on any exception reaching sys.excepthook; the
subprocess measures time and memory as the headless corpus test does."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gradlab.core.limits import MAX_RUN_ID
from gradlab.ui.settings import Settings

sys.path.insert(0, str(Path(__file__).parents[1] / "core" / "hostile"))
import hostile_corpus as corpus

pytestmark = pytest.mark.usefixtures("classroom_sandbox")  # tests/ui/conftest.py

RUNNER = Path(__file__).with_name("hostile_window_runner.py")
SECONDS = 5.0  # any file is accepted or refused within this
GROWTH_KB = 1024 * 1024  # and with less than this much more memory (1 GB)
WAIT_MS = 10_000
CJK = "\u4e00-\u9fff"


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


def lesson_files(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, text in corpus.lesson_cases().items():
        files[name] = folder / f"{name}.json"
        files[name].write_text(text, encoding="utf-8")
    return files


def one_kept_run(qtbot, window) -> list[int]:
    """Train a few steps and Stop: the run list then holds one run; its ids."""
    window.controller.step(5)
    qtbot.waitUntil(lambda: window.model.step_count == 5, timeout=WAIT_MS)
    window.controls.stop_action.trigger()
    qtbot.waitUntil(lambda: len(window.model.runs) == 1, timeout=WAIT_MS)
    return [record.id for record in window.model.runs]


# ---- File → Open lesson / Open session / Open Recent ----


def test_every_hostile_lesson_is_refused_with_a_message(tmp_path, window):
    lessons = window.classroom.lessons
    config = window.panel.config()
    for name, path in lesson_files(tmp_path).items():
        window.banner.dismiss()
        assert not lessons.open_lesson(path), name
        assert window.banner.level == "error", name
        assert window.banner.text.startswith("The lesson was not opened: "), name
        assert str(path) in window.banner.text and "Traceback" not in window.banner.text
        assert len(window.banner.text) < 400, name  # one line, never the file's contents
    assert window.panel.config() == config and lessons.lesson is None
    accepted = tmp_path / "long-but-legal.json"
    accepted.write_text(corpus.ACCEPTED_LESSONS["word-99000-in-explanation"], encoding="utf-8")
    assert lessons.open_lesson(accepted)


def test_every_hostile_session_leaves_the_run_list_unchanged(qtbot, tmp_path, window):
    ids = one_kept_run(qtbot, window)
    files = window.classroom.files
    cases = corpus.session_cases(tmp_path / "sessions")
    # the loader takes 2**63 - 1, but the run list could not number a run after it
    cases["run-id-2**63-1"] = corpus.rewrite_session(
        corpus.small_session(tmp_path / "last-id.gradlab"),
        lambda text: text.replace('"id": 1', f'"id": {MAX_RUN_ID}', 1),
    )
    for name, path in cases.items():
        window.banner.dismiss()
        assert not files.open_session(path), name
        assert window.banner.level == "error", name
        assert window.banner.text.startswith("The session was not opened: "), name
        assert len(window.banner.text) < 400 and "Traceback" not in window.banner.text, name
        assert [record.id for record in window.model.runs] == ids, name
    assert "run id" in window.banner.text
    window.controls.reset_action.trigger()  # a later run is numbered as ever
    one_more = window.model.runs
    window.controller.step(3)
    qtbot.waitUntil(lambda: window.model.step_count == 3, timeout=WAIT_MS)
    window.controls.stop_action.trigger()
    qtbot.waitUntil(lambda: len(one_more) == 2, timeout=WAIT_MS)
    assert [record.id for record in one_more] == [ids[0], ids[0] + 1]


def test_open_recent_drops_a_file_that_vanished_or_broke(tmp_path, window):
    recent = window.classroom.recent
    gone, broken = tmp_path / "gone.json", tmp_path / "broken.gradlab"
    broken.write_bytes(b"PK\x03\x04 not really a session")
    kept = tmp_path / "kept.json"
    kept.write_text(corpus.lesson_text(), encoding="utf-8")
    Settings().set_recent_files([str(gone), str(broken), str(kept)])
    assert not recent.open_recent(str(gone))
    assert "gone.json no longer exists" in window.banner.text
    assert not recent.open_recent(str(broken))
    assert window.banner.text.startswith("The session was not opened: ")
    assert Settings().recent_files() == [str(kept)]


def test_an_unforeseen_failure_while_opening_is_one_message(monkeypatch, tmp_path, window):
    def explode(path):
        raise RuntimeError("a bug in a loader")

    monkeypatch.setattr("gradlab.ui.lesson_actions.load_lesson", explode)
    monkeypatch.setattr("gradlab.ui.session_actions.load_session", explode)
    assert not window.classroom.lessons.open_lesson(tmp_path / "any.json")
    assert "unexpected error (RuntimeError)" in window.banner.text
    assert not window.classroom.files.open_session(tmp_path / "any.gradlab")
    assert "unexpected error (RuntimeError)" in window.banner.text


# ---- the lesson remembered from the last session ----

STARTS = [*corpus.lesson_cases(), "missing", "unforeseen-failure"]


@pytest.mark.parametrize("case", STARTS)
def test_a_broken_remembered_lesson_is_reported_and_forgotten(qtbot, monkeypatch, tmp_path, case):
    path = tmp_path / "last.json"
    if case == "unforeseen-failure":
        path.write_text(corpus.lesson_text(), encoding="utf-8")
        monkeypatch.setattr(
            "gradlab.ui.lesson_actions.load_lesson",
            lambda p: (_ for _ in ()).throw(RecursionError("deep")),
        )
    elif case != "missing":
        path.write_text(corpus.lesson_cases()[case], encoding="utf-8")
    settings = Settings()
    settings.set_last_lesson(path)
    settings.add_recent_file(path)
    win = open_window(qtbot)  # opens: nothing from the last session stops it
    try:
        assert win.isVisible() and win.classroom.lessons.lesson is None
        assert win.banner.level == "error" and "forgotten" in win.banner.text
        assert "Traceback" not in win.banner.text and len(win.banner.text) < 400
        assert Settings().last_lesson() is None
        if case != "missing":
            assert str(path) not in Settings().recent_files()
    finally:
        win.close()


def test_the_start_up_message_is_in_the_users_language(qtbot, tmp_path):
    from gradlab.ui import i18n

    path = tmp_path / "last.json"
    path.write_text(corpus.lesson_cases()["int-5000-digits"], encoding="utf-8")
    Settings().set_last_lesson(path)
    i18n.language_manager().set_language("zh", remember=False)
    win = open_window(qtbot)
    try:
        text = win.banner.text
        assert "forgotten" not in text and re.search(f"[{CJK}]", text)
        assert Settings().last_lesson() is None
    finally:
        win.close()


# ---- time and memory, in a process of its own ----


@pytest.mark.slow
def test_hostile_files_through_the_window_are_answered_quickly_and_within_memory(tmp_path):
    """Every corpus file through the window's own paths, the CNN tab's included; the loaders
    refuse before the work, so the biggest cases stay far below the budget."""
    lessons = lesson_files(tmp_path / "lessons")
    accepted = tmp_path / "accepted.json"
    accepted.write_text(corpus.ACCEPTED_LESSONS["word-99000-in-explanation"], encoding="utf-8")
    pairs = [("lesson", p) for p in lessons.values()] + [("lesson", accepted)]
    pairs += [("session", p) for p in corpus.session_cases(tmp_path / "sessions").values()]
    pairs += [("weights", p) for p in corpus.weights_cases(tmp_path / "weights").values()]
    pairs += [("cifar", p) for p in corpus.cifar_cases(tmp_path / "cifar").values()]
    report = tmp_path / "report.json"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "GRADLAB_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "GRADLAB_LANGUAGE": "en",
    }
    args = [str(part) for pair in pairs for part in pair]
    done = subprocess.run(
        [sys.executable, str(RUNNER), str(report), *args],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    data = json.loads(report.read_text())
    assert data["exceptions"] == []
    assert data["peak_kb"] - data["baseline_kb"] < GROWTH_KB
    assert len(data["cases"]) == len(pairs)
    for case in data["cases"]:
        name = Path(case["file"]).name
        assert case["seconds"] < SECONDS, name
        assert case["refused"] == (Path(case["file"]) != accepted), name
        if case["refused"]:
            assert case["message"] and "Traceback" not in case["message"], name
