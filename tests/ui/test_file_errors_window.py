"""The Chinese window says why a lesson or session file was refused in Chinese, the reason
included (it showed an English detail after a Chinese prefix)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gradlab.ui import i18n

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from test_file_errors_language import (
    BAD_LESSONS,
    BAD_SESSIONS,
    english_left,
)

LESSONS = ["not JSON", "unknown setting", "wrong type", "locked unknown", "missing", "too large"]
SESSIONS = ["not a ZIP", "cut off", "newer format", "a broken run", "bad config"]


@pytest.fixture
def chinese_window(qtbot, classroom_sandbox):
    from gradlab.app import create_window

    i18n.language_manager().set_language("zh", remember=False)
    window = create_window()
    qtbot.addWidget(window)
    shown: list[str] = []
    window.dialogs.show_error = shown.append
    window.shown_errors = shown
    yield window
    window.close()


def test_bad_files_are_refused_in_chinese(chinese_window, tmp_path: Path) -> None:
    window = chinese_window
    for kind in LESSONS:
        path = tmp_path / kind / "lesson.json"
        path.parent.mkdir()
        BAD_LESSONS[kind](path)
        assert not window.classroom.lessons.open_lesson(path)
        message = window.shown_errors[-1]
        assert "课程" in message and not english_left(message, path), f"{kind}: {message}"
    for kind in SESSIONS:
        path = tmp_path / kind / "session.gradlab"
        path.parent.mkdir()
        BAD_SESSIONS[kind](path)
        assert not window.classroom.files.open_session(path)
        message = window.shown_errors[-1]
        assert "会话" in message and not english_left(message, path), f"{kind}: {message}"
