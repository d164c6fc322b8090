"""The one atomic writer: durable, normal modes, one temporary pattern, stale ones cleaned up,
regular files only, and every writer in the core going through it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap

import pytest

from gradlab.core import atomic
from gradlab.core.atomic import (
    NotRegularFileError,
    atomic_open,
    atomic_write_bytes,
    atomic_write_text,
    output_problem,
    remove_stale_temporaries,
)
from gradlab.core.autosave import AUTOSAVE_NAME, remove_autosave_leftovers, write_autosave
from gradlab.core.session_file import SessionState

TEMPORARY = re.compile(r"\.out\.txt\.gradlab-tmp-[0-9a-f]{6}")


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield
    os.umask(old)


def test_the_temporary_is_named_by_the_one_pattern_and_new_files_follow_the_umask(
    tmp_path, umask_027
):
    path = tmp_path / "out.txt"
    with atomic_open(path, "w") as file:
        file.write("héllo\n")
        names = os.listdir(tmp_path)
        assert len(names) == 1 and TEMPORARY.fullmatch(names[0]), names
    assert path.read_text(encoding="utf-8") == "héllo\n"
    assert path.stat().st_mode & 0o777 == 0o640  # 0666 less the umask, not 0600
    assert os.listdir(tmp_path) == ["out.txt"]


def test_the_file_and_its_folder_are_synced(tmp_path, monkeypatch):
    synced = []
    real = os.fsync

    def record(descriptor):
        synced.append(os.path.isdir(f"/proc/self/fd/{descriptor}"))
        real(descriptor)

    monkeypatch.setattr(atomic.os, "fsync", record)
    atomic_write_bytes(tmp_path / "out.txt", b"data")
    assert synced == [False, True]  # the file, then the folder


def test_special_files_and_folders_are_never_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(NotRegularFileError, match="not a regular file \\(a FIFO\\)"):
        atomic_write_text(fifo, "x")
    assert fifo.is_fifo()
    with pytest.raises(NotRegularFileError, match="a folder"):
        atomic_write_text(tmp_path, "x")
    assert sorted(os.listdir(tmp_path)) == ["pipe"]  # no temporary left either


def test_output_problem_names_what_is_wrong(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    assert output_problem("") == "empty file name"
    assert "no such folder" in output_problem(tmp_path / "missing" / "x.csv")
    assert "a FIFO" in output_problem(tmp_path / "pipe")
    assert "a folder" in output_problem(tmp_path)
    assert "a device" in output_problem("/dev/null")
    assert output_problem(tmp_path / "new.csv") is None


def test_only_stale_temporaries_of_the_pattern_are_removed(tmp_path):
    keep = [
        "out.txt",
        ".out.txt.gradlab-tmp-abcdeg",  # not hex
        ".out.txt.gradlab-tmp-abcde",  # too short
        ".other.txt.gradlab-tmp-abcdef",  # another file's
        ".out.txt.12345678.tmp",  # not GradLab's pattern
        "out.txt.gradlab-tmp-abcdef",  # not hidden
    ]
    for name in keep:
        (tmp_path / name).write_text("keep")
    (tmp_path / ".out.txt.gradlab-tmp-0a0a0a").mkdir()  # a folder is never removed
    (tmp_path / ".out.txt.gradlab-tmp-1b1b1b").symlink_to(tmp_path / "out.txt")
    (tmp_path / ".out.txt.gradlab-tmp-abcdef").write_text("stale")
    (tmp_path / ".out.txt.gradlab-tmp-123456").write_text("stale")
    assert remove_stale_temporaries(tmp_path, "out.txt") == 2
    assert sorted(os.listdir(tmp_path)) == sorted(
        [*keep, ".out.txt.gradlab-tmp-0a0a0a", ".out.txt.gradlab-tmp-1b1b1b"]
    )


def test_a_save_in_progress_is_not_stale(tmp_path):
    path = tmp_path / "out.txt"
    with atomic_open(path) as file:
        file.write(b"half")
        assert remove_stale_temporaries(tmp_path, "out.txt") == 0
        assert len(os.listdir(tmp_path)) == 1
    assert path.read_bytes() == b"half"


_KILLED_SAVE = textwrap.dedent(
    """
    import os, signal, sys
    from gradlab.core.atomic import atomic_open
    with atomic_open(sys.argv[1]) as file:
        file.write(b"x" * 100_000)
        file.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    """
)


def _kill_mid_save(path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run([sys.executable, "-c", _KILLED_SAVE, str(path)], env=env)
    assert result.returncode == -signal.SIGKILL


def test_the_next_save_removes_what_killed_saves_left(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")
    for _ in range(3):
        _kill_mid_save(path)
    assert path.read_text() == "old"  # the previous file is intact
    assert sum(bool(TEMPORARY.fullmatch(n)) for n in os.listdir(tmp_path)) == 3
    atomic_write_text(path, "new")
    assert os.listdir(tmp_path) == ["out.txt"]


def test_autosave_leftovers_go_at_start_and_at_the_next_autosave(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    autosave = data_dir / AUTOSAVE_NAME
    _kill_mid_save(autosave)
    _kill_mid_save(autosave)
    assert remove_autosave_leftovers(data_dir) == 2
    assert os.listdir(data_dir) == []
    _kill_mid_save(autosave)
    write_autosave(data_dir, SessionState())
    assert sorted(os.listdir(data_dir)) == [AUTOSAVE_NAME]


def test_every_writer_in_the_core_uses_the_one_writer(tmp_path, umask_027):
    import torch

    from gradlab.core.cnn import default_config
    from gradlab.core.cnn.export import write_training_script
    from gradlab.core.cnn.weights import save_weights
    from gradlab.core.config import Config
    from gradlab.core.lesson import Lesson, save_config, save_lesson
    from gradlab.core.session_file import save_session

    writers = {
        "lesson.json": lambda p: save_lesson(p, Lesson()),
        "config.json": lambda p: save_config(p, Config()),
        "s.gradlab": lambda p: save_session(p, SessionState()),
        "w.pt": lambda p: save_weights(torch.nn.Linear(2, 1), p),
        "train.py": lambda p: write_training_script(default_config("demo"), p),
    }
    for name, write in writers.items():
        fifo = tmp_path / f"fifo-{name}"
        os.mkfifo(fifo)
        with pytest.raises(Exception, match="not a regular file"):
            write(fifo)
        assert fifo.is_fifo()
        write(tmp_path / name)
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o640, name
    assert not [n for n in os.listdir(tmp_path) if "gradlab-tmp" in n]


def test_no_copy_of_the_writer_is_left_in_the_core():
    from pathlib import Path

    import gradlab.core

    root = Path(gradlab.core.__file__).parent
    for source in root.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        if source.name != "atomic.py":
            assert "mkstemp(" not in text and "os.replace(" not in text, source
