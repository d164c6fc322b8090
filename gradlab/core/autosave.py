"""Autosave with crash recovery: the running session saved now and then to the user's data
folder, and offered back at the next start if the app did not exit cleanly.

The autosave is an ordinary session file (gradlab.core.session_file). A marker file next to it
records a clean exit; an autosave without one is what a crash left behind.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from gradlab.core.atomic import atomic_write_text, remove_stale_temporaries
from gradlab.core.session_arrays import SessionFileError
from gradlab.core.session_file import SESSION_SUFFIX, SessionState, save_session

AUTOSAVE_NAME = "autosave" + SESSION_SUFFIX
CLEAN_EXIT_MARKER = "autosave.clean"


def autosave_path(data_dir: str | os.PathLike[str]) -> Path:
    """Where the running session is autosaved (the user's data folder)."""
    return Path(data_dir) / AUTOSAVE_NAME


def write_autosave(data_dir: str | os.PathLike[str], state: SessionState) -> Path:
    """Save ``state`` as the autosave and mark it as not yet cleanly closed.

    The clean-exit marker goes first: if the save then fails, the worst case is being offered
    an older autosave, never losing the chance to recover.
    """
    folder = Path(data_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / CLEAN_EXIT_MARKER).unlink(missing_ok=True)
    except OSError as error:
        reason = error.strerror or str(error)
        raise SessionFileError(f"{folder}: cannot use the folder for autosave ({reason})") from None
    path = autosave_path(folder)
    save_session(path, state)
    return path


def mark_clean_exit(data_dir: str | os.PathLike[str]) -> bool:
    """Record that the session ended normally, so its autosave needs no recovery.

    Best effort (it runs while the app quits): False if the marker could not be written, in
    which case the next start merely offers the autosave back.
    """
    folder = Path(data_dir)
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(folder / CLEAN_EXIT_MARKER, stamp + "\n")
    except OSError:
        return False
    return True


def remove_autosave_leftovers(data_dir: str | os.PathLike[str]) -> int:
    """Delete the temporaries killed autosaves (and clean-exit marks) left, at start-up; how
    many went. Only GradLab's own temporaries of those two files; never raises."""
    return sum(
        remove_stale_temporaries(data_dir, name) for name in (AUTOSAVE_NAME, CLEAN_EXIT_MARKER)
    )


def autosave_needs_recovery(data_dir: str | os.PathLike[str]) -> bool:
    """True when an autosave exists and its session did not exit cleanly (a crash)."""
    folder = Path(data_dir)
    return autosave_path(folder).is_file() and not (folder / CLEAN_EXIT_MARKER).exists()


def find_autosave(data_dir: str | os.PathLike[str]) -> Path | None:
    """The autosave to offer back after a crash, or None."""
    return autosave_path(data_dir) if autosave_needs_recovery(data_dir) else None


def discard_autosave(data_dir: str | os.PathLike[str]) -> None:
    """Delete the autosave, its marker and any temporary file a killed save left behind."""
    folder = Path(data_dir)
    # older GradLab versions named their temporaries .autosave.gradlab.XXXXXXXX.tmp
    leftovers = folder.glob(f".{AUTOSAVE_NAME}.*.tmp") if folder.is_dir() else ()
    try:
        for path in (autosave_path(folder), folder / CLEAN_EXIT_MARKER, *leftovers):
            path.unlink(missing_ok=True)
        remove_stale_temporaries(folder, AUTOSAVE_NAME)
    except OSError as error:
        reason = error.strerror or str(error)
        raise SessionFileError(f"{folder}: cannot delete the autosave ({reason})") from None
