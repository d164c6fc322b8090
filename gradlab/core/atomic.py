"""GradLab's one way of writing a file: all at once, durably, and only over a regular file.

``atomic_open`` writes to a temporary file beside the target, named ``.NAME.gradlab-tmp-XXXXXX``
(six hex digits), fsyncs it, renames it over the target and fsyncs the folder: a reader, a
crash or a full disk sees the old file or the new one, never half of either. New files get the
usual mode (0666 less the umask), a replaced file keeps its mode. Special files (a FIFO, a
device) and folders are never replaced. A save killed midway leaves its temporary behind;
``remove_stale_temporaries`` deletes exactly those (never any other file), and every save runs
it for its own target.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

try:  # a lock tells a live save's temporary from a dead one's (POSIX); elsewhere, age does
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

TEMP_MARK = ".gradlab-tmp-"
_TEMP_DIGITS = 6
STALE_AFTER_S = 600.0  # without file locks, a temporary this old is taken as a dead save's


class NotRegularFileError(OSError):
    """The target exists but is a folder, a FIFO, a device or a socket: never replaced."""


def temporary_name(name: str) -> str:
    """A fresh temporary name for target ``name``: ``.NAME.gradlab-tmp-XXXXXX``."""
    return f".{name}{TEMP_MARK}{os.urandom(_TEMP_DIGITS // 2).hex()}"


def _temporary_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(name)}{re.escape(TEMP_MARK)}[0-9a-f]{{{_TEMP_DIGITS}}}")


def output_problem(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` cannot be written as a regular file (checked before any work), or None.

    The reasons are short phrases for a one-line message: "empty file name", "no such folder
    ...", "is a folder", "not a regular file (a FIFO)" and so on.
    """
    name = os.fspath(path)
    if not name.strip():
        return "empty file name"
    target = Path(os.path.realpath(name))
    kind = _special_kind(target)
    if kind:
        return f"not a regular file ({kind}); GradLab writes only regular files"
    if not target.parent.is_dir():
        return f"no such folder {str(target.parent)!r}"
    if not os.access(target.parent, os.W_OK):
        return f"cannot write in the folder {str(target.parent)!r} (permission denied)"
    return None


def input_problem(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` cannot be read as a regular file (a FIFO would block), or None.

    None also when it does not exist or cannot be examined: opening it then says why.
    """
    name = os.fspath(path)
    if not name.strip():
        return "empty file name"
    kind = _special_kind(Path(name))
    if kind and kind != "a folder":  # each loader words "is a folder" its own way
        return f"not a regular file ({kind})"
    return None


def _special_kind(target: Path) -> str | None:
    try:
        mode = target.stat().st_mode
    except OSError:
        return None  # missing (fine) or unreadable (the write itself will say)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see the old file or the new, never half."""
    with atomic_open(path, "wb") as file:
        file.write(data)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Replace ``path`` with UTF-8 ``text`` all at once (newlines written as given)."""
    atomic_write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "wb") -> Iterator[IO[Any]]:
    """A temporary file beside ``path`` that replaces it only once fully written and synced.

    ``mode`` is "wb" (binary, also readable: zipfile may seek back) or "w" (UTF-8 text). On any
    failure, in the ``with`` body too, the temporary is removed, the old file is left intact and
    the error propagates; NotRegularFileError (an OSError) if ``path`` is a folder or special
    file. Through a symlink, the file it points to is replaced.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"mode must be 'wb' or 'w', got {mode!r}")
    target = Path(os.path.realpath(path))
    kind = _special_kind(target)
    if kind:
        raise NotRegularFileError(errno.EINVAL, f"not a regular file ({kind})", str(target))
    descriptor, temporary = _create_temporary(target)
    try:
        with os.fdopen(descriptor, "w+b") as raw:
            _lock(raw.fileno())
            if mode == "w":
                with _text_view(raw) as text:
                    yield text
            else:
                yield raw
            raw.flush()
            os.fsync(raw.fileno())
            with contextlib.suppress(FileNotFoundError):
                os.chmod(temporary, target.stat().st_mode & 0o7777)  # keep the old file's mode
            os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_directory(target.parent)
    with contextlib.suppress(OSError):
        remove_stale_temporaries(target.parent, target.name)


@contextlib.contextmanager
def _text_view(raw: IO[bytes]) -> Iterator[IO[str]]:
    text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
    try:
        yield text
        text.flush()
    finally:
        text.detach()  # the binary file stays open for the fsync


def _create_temporary(target: Path) -> tuple[int, str]:
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        temporary = str(target.parent / temporary_name(target.name))
        try:
            return os.open(temporary, flags, 0o666), temporary  # the umask applies
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(target.parent))


def _lock(descriptor: int) -> None:
    if fcntl is not None:
        with contextlib.suppress(OSError):
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)


def remove_stale_temporaries(folder: str | os.PathLike[str], name: str) -> int:
    """Delete the temporaries that killed saves of ``folder/name`` left; how many went.

    Only regular files named exactly ``.NAME.gradlab-tmp-XXXXXX`` are candidates, and only
    those no live save holds (a lock on POSIX; elsewhere, older than ``STALE_AFTER_S``).
    """
    pattern = _temporary_pattern(name)
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not pattern.fullmatch(entry.name) or not entry.is_file(follow_symlinks=False):
            continue
        if _is_stale(entry.path):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed += 1
    return removed


def _is_stale(path: str) -> bool:
    if fcntl is None:  # pragma: no cover - Windows
        with contextlib.suppress(OSError):
            return time.time() - os.stat(path).st_mtime > STALE_AFTER_S
        return False
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a save in progress holds it
    finally:
        os.close(descriptor)  # closing releases the lock
    return True


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
