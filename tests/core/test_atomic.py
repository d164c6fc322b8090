"""Atomic writes: the old file or the new one, synced, with the user's usual file mode."""

from __future__ import annotations

import os
import stat

import pytest

from gradlab.core.atomic import atomic_open, atomic_write_bytes


def test_a_new_file_gets_the_umask_mode(tmp_path):
    old = os.umask(0o027)
    try:
        atomic_write_bytes(tmp_path / "new.bin", b"\x00\x01")
    finally:
        os.umask(old)
    path = tmp_path / "new.bin"
    assert path.read_bytes() == b"\x00\x01"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # not mkstemp's private 0600


def test_a_replaced_file_keeps_its_mode_and_text_mode_writes_utf8(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("old")
    path.chmod(0o604)
    with atomic_open(path, "w") as file:
        file.write("θ ← θ − lr · g\n")
    assert path.read_text(encoding="utf-8") == "θ ← θ − lr · g\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o604


def test_a_failure_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "keep.bin"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_open(path) as file:
        file.write(b"half")
        raise RuntimeError("disk full")
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.bin"]


def test_through_a_symlink_the_target_is_replaced(tmp_path):
    target = tmp_path / "real.bin"
    target.write_bytes(b"old")
    link = tmp_path / "link.bin"
    link.symlink_to(target)
    atomic_write_bytes(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
