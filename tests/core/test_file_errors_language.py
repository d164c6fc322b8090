"""Every kind of bad lesson, config or session file is worded wholly in Chinese for a Chinese
reader (the window and the command line), with its English message unchanged otherwise."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from gradlab.core.lesson import Lesson, load_lesson, save_lesson
from gradlab.core.lesson_fields import LessonError
from gradlab.core.session_arrays import SessionFileError
from gradlab.core.session_file import SessionState, load_session, save_session
from gradlab.text.errors import error_text
from gradlab.text.file_errors import FILE_MESSAGES_ZH

ROOT = Path(__file__).resolve().parents[2]
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# names that stay as they are in a Chinese sentence: formats, file keys, values, the app
KEPT = {
    "JSON", "UTF-8", "ZIP", "GradLab", "manifest.json", "format", "kind", "config", "questions",
    "compare_optimizers", "title", "explanation", "locked", "hidden", "true", "false", "en", "zh",
    "gradlab-lesson", "gradlab-config", "gradlab-session", "FIFO", "sgd", "momentum", "nesterov",
    "rmsprop", "adam", "adamw", "adagrad", "NaN", "Infinity", "config.json",
}  # fmt: skip
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”")


def english_left(text: str, path: Path) -> list[str]:
    """The English words of ``text`` once its file name and quoted literals are taken out."""
    text = text.replace(str(path), " ")
    text = QUOTED.sub(" ", text)
    words = re.findall(r"[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9]", text)
    return [w for w in words if w not in KEPT and w not in FILE_KEYS]


FILE_KEYS = {"data", "model", "training", "optimizer", "seed", "training.lr", "lr"}


def lesson(**parts: object) -> str:
    return json.dumps({"format": 1, "kind": "gradlab-lesson", **parts})


BAD_LESSONS: dict[str, Callable[[Path], object]] = {
    "missing": lambda p: None,
    "folder": lambda p: p.mkdir(),
    "not JSON": lambda p: p.write_text("{", encoding="utf-8"),
    "not an object": lambda p: p.write_text("[1]", encoding="utf-8"),
    "no format": lambda p: p.write_text('{"kind": "gradlab-lesson"}', encoding="utf-8"),
    "newer format": lambda p: p.write_text('{"format": 2}', encoding="utf-8"),
    "wrong kind": lambda p: p.write_text('{"format": 1, "kind": "x"}', encoding="utf-8"),
    "top key typo": lambda p: p.write_text(lesson(confg={}), encoding="utf-8"),
    "unknown top key": lambda p: p.write_text(lesson(zzz=1), encoding="utf-8"),
    "setting outside config": lambda p: p.write_text(lesson(training={}), encoding="utf-8"),
    "lesson key in a config file": lambda p: p.write_text(
        '{"format": 1, "kind": "gradlab-config", "title": "t"}', encoding="utf-8"
    ),
    "config not an object": lambda p: p.write_text(lesson(config=5), encoding="utf-8"),
    "group not an object": lambda p: p.write_text(lesson(config={"data": 5}), encoding="utf-8"),
    "unknown setting": lambda p: p.write_text(
        lesson(config={"training": {"learning_rate": 1}}), encoding="utf-8"
    ),
    "wrong type": lambda p: p.write_text(
        lesson(config={"training": {"lr": "abc"}}), encoding="utf-8"
    ),
    "bad value": lambda p: p.write_text(lesson(config={"training": {"lr": -1}}), encoding="utf-8"),
    "NaN": lambda p: p.write_text('{"format": 1, "kind": "gradlab-lesson", "x": NaN}', "utf-8"),
    "questions not a list": lambda p: p.write_text(lesson(questions=5), encoding="utf-8"),
    "too many questions": lambda p: p.write_text(lesson(questions=["q"] * 101), encoding="utf-8"),
    "title not text": lambda p: p.write_text(lesson(title=5), encoding="utf-8"),
    "title too long": lambda p: p.write_text(lesson(title="t" * 2000), encoding="utf-8"),
    "locked unknown": lambda p: p.write_text(lesson(locked=["training.rl"]), encoding="utf-8"),
    "locked not names": lambda p: p.write_text(lesson(locked=[1]), encoding="utf-8"),
    "unknown optimizer": lambda p: p.write_text(
        lesson(compare_optimizers=["lion"]), encoding="utf-8"
    ),
    "not UTF-8": lambda p: p.write_bytes(b'{"format": 1, "title": "\xff"}'),
    "too large": lambda p: p.write_bytes(b" " * (5 * 1024 * 1024 + 1)),
    "nested too deeply": lambda p: p.write_text("[" * 5000 + "]" * 5000, encoding="utf-8"),
}


@pytest.mark.parametrize("kind", list(BAD_LESSONS))
def test_a_bad_lesson_file_is_worded_in_chinese(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "lesson.json"
    BAD_LESSONS[kind](path)
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    error = caught.value
    assert error.message_id != "invalid", f"{kind}: no message id: {error}"
    chinese = error_text(error, "zh")
    assert CHINESE.search(chinese), chinese
    assert not english_left(chinese, path), f"{kind}: {chinese}"
    assert error_text(error, "en") == str(error)  # English as before
    assert str(path) in chinese  # still names the file


def _valid_session(path: Path) -> None:
    save_session(path, SessionState())


def _rewrite_manifest(path: Path, change: Callable[[dict], None]) -> None:
    _valid_session(path)
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    change(manifest)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))


BAD_SESSIONS: dict[str, Callable[[Path], object]] = {
    "missing": lambda p: None,
    "folder": lambda p: p.mkdir(),
    "empty": lambda p: p.write_bytes(b""),
    "not a ZIP": lambda p: p.write_text("hello", encoding="utf-8"),
    "cut off": lambda p: (_valid_session(p), p.write_bytes(p.read_bytes()[:40])),
    "no manifest": lambda p: zipfile.ZipFile(p, "w").close(),
    "wrong kind": lambda p: _rewrite_manifest(p, lambda m: m.update(kind="x")),
    "newer format": lambda p: _rewrite_manifest(p, lambda m: m.update(format=99)),
    "bad config": lambda p: _rewrite_manifest(
        p, lambda m: m.update(config={"training": {"lr": -1}})
    ),
    "unknown setting": lambda p: _rewrite_manifest(p, lambda m: m.update(config={"x": 1})),
    "runs not a list": lambda p: _rewrite_manifest(p, lambda m: m.update(runs=5)),
    "a broken run": lambda p: _rewrite_manifest(p, lambda m: m.update(runs=[{"id": 1}])),
}


@pytest.mark.parametrize("kind", list(BAD_SESSIONS))
def test_a_bad_session_file_is_worded_in_chinese(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "session.gradlab"
    BAD_SESSIONS[kind](path)
    with pytest.raises(SessionFileError) as caught:
        load_session(path)
    error = caught.value
    assert error.message_id != "invalid", f"{kind}: no message id: {error}"
    chinese = error_text(error, "zh")
    assert CHINESE.search(chinese), chinese
    assert not english_left(chinese, path), f"{kind}: {chinese}"
    assert error_text(error, "en") == str(error)
    assert str(path) in chinese


def test_a_file_that_cannot_be_written_is_worded_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "no such folder" / "lesson.json"
    for save, kind in ((lambda: save_lesson(path, Lesson()), LessonError),
                       (lambda: save_session(path, SessionState()), SessionFileError)):  # fmt: skip
        with pytest.raises(kind) as caught:
            save()
        chinese = error_text(caught.value, "zh")
        assert "没有这个文件或文件夹" in chinese and not english_left(chinese, path), chinese


def test_every_chinese_template_has_an_english_raise() -> None:
    source = "".join(
        (ROOT / "gradlab" / "core" / name).read_text(encoding="utf-8")
        for name in ("lesson.py", "lesson_fields.py", "session_file.py", "session_arrays.py",
                     "worded_error.py")
    )  # fmt: skip
    unused = [
        key for key in FILE_MESSAGES_ZH if f'"{key}"' not in source and "file_cannot" not in key
    ]
    assert not unused, unused


@pytest.mark.parametrize("kind", ["not JSON", "unknown setting", "missing"])
def test_the_command_line_words_a_bad_lesson_in_chinese(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "lesson.json"
    BAD_LESSONS[kind](path)
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    done = subprocess.run(
        [sys.executable, "-m", "gradlab", "fit", "--lesson", str(path)],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120,
        env={**env, "LANG": "zh_CN.UTF-8", "GRADLAB_LANGUAGE": ""},
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    line = done.stderr.strip()
    assert len(line.splitlines()) == 1 and "课程文件无法使用" in line, line
    assert not english_left(line.replace("gradlab fit", ""), path), line
