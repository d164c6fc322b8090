"""Atomic file writes: readers see the old file or the new one, never half of either.

A temporary file next to the target is written, flushed and fsynced, then ``os.replace``d over
the target, and the folder is fsynced where the platform allows. A new file gets the usual mode
for this user (0666 minus the umask), a replaced file keeps its mode. On any failure the
temporary file is removed, the old file is left intact and the error propagates.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Literal, overload


@overload
def atomic_open(
    path: str | os.PathLike[str], mode: Literal["wb"] = "wb"
) -> contextlib.AbstractContextManager[IO[bytes]]: ...
@overload
def atomic_open(
    path: str | os.PathLike[str], mode: Literal["w"]
) -> contextlib.AbstractContextManager[IO[str]]: ...
def atomic_open(
    path: str | os.PathLike[str], mode: Literal["wb", "w"] = "wb"
) -> contextlib.AbstractContextManager[IO[Any]]:
    """A file to write (``"wb"``, or ``"w"`` for UTF-8 text) that replaces ``path`` only once
    the ``with`` block ends without an error. Streaming: nothing is held in memory twice."""
    if mode == "w":
        return _atomic(path, "w+")
    return _atomic(path, "w+b")


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once."""
    with atomic_open(path) as file:
        file.write(data)


@contextlib.contextmanager
def _atomic(path: str | os.PathLike[str], mode: str) -> Iterator[IO[Any]]:
    target = Path(os.path.realpath(path))  # through a symlink, replace the file it points to
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        # readable too: zipfile may seek back and read
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(descriptor, mode, encoding=encoding) as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        # mkstemp makes the file private (0600): keep the old file's mode, or the umask's
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_directory(target.parent)


def _mode_for(target: Path) -> int:
    if target.exists():
        return target.stat().st_mode & 0o7777
    umask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; not possible on every platform, so best effort."""
    flags = getattr(os, "O_DIRECTORY", None)
    if flags is None:
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY | flags)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
