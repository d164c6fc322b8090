"""What GradLab remembers between starts (QSettings) and where it keeps its own files.

Settings are an INI file in every platform's usual place (organisation and application
"GradLab"): INI everywhere, rather than the Windows registry, so a teacher can copy or delete it
and tests can redirect it with ``QSettings.setPath(IniFormat, UserScope, folder)``.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

ORGANISATION = "GradLab"
APPLICATION = "GradLab"
MAX_RECENT = 8
DATA_DIR_VARIABLE = "GRADLAB_DATA_DIR"  # overrides the data folder (self-test, tests, kiosks)

_GEOMETRY = "window/geometry"
_STATE = "window/state"
_LANGUAGE = "language"
_LAST_LESSON = "lessons/last"
_RECENT = "recent/files"


def open_settings() -> QSettings:
    """GradLab's settings file (created on first write)."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
    )


def data_dir() -> Path:
    """The user's GradLab data folder (autosave lives here); not created by this call."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        return Path(override)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    # GenericDataLocation + our own names: AppDataLocation depends on the QApplication's names,
    # which tests and tools do not always set
    base = Path(location) if location else Path.home() / ".local" / "share"
    return base / ORGANISATION / APPLICATION


class Settings:
    """Typed access to the few values GradLab keeps; every getter copes with a missing or
    garbled entry (a hand-edited INI file) by returning the default."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else open_settings()

    # ---- window ----

    def window_geometry(self) -> QByteArray | None:
        return _bytes(self.store.value(_GEOMETRY))

    def window_state(self) -> QByteArray | None:
        return _bytes(self.store.value(_STATE))

    def set_window_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        """Remember the window's saveGeometry() and saveState() (dock layout)."""
        self.store.setValue(_GEOMETRY, geometry)
        self.store.setValue(_STATE, state)

    # ---- language ----

    def language(self) -> str | None:
        """ "en", "zh" or None (never chosen: follow the system)."""
        value = self.store.value(_LANGUAGE)
        return value if isinstance(value, str) and value else None

    def set_language(self, language: str) -> None:
        self.store.setValue(_LANGUAGE, language)

    # ---- lessons and files ----

    def last_lesson(self) -> str | None:
        value = self.store.value(_LAST_LESSON)
        return value if isinstance(value, str) and value else None

    def set_last_lesson(self, path: str | os.PathLike[str] | None) -> None:
        if path is None:
            self.store.remove(_LAST_LESSON)
        else:
            self.store.setValue(_LAST_LESSON, os.fspath(path))

    def recent_files(self) -> list[str]:
        """Recently opened or saved lessons and sessions, newest first (at most MAX_RECENT)."""
        value = self.store.value(_RECENT)
        if isinstance(value, str):  # an INI list of one item reads back as a plain string
            value = [value]
        if not isinstance(value, list):
            return []
        files = [item for item in value if isinstance(item, str) and item]
        return list(dict.fromkeys(files))[:MAX_RECENT]

    def set_recent_files(self, files: list[str]) -> None:
        self.store.setValue(_RECENT, list(dict.fromkeys(files))[:MAX_RECENT])

    def add_recent_file(self, path: str | os.PathLike[str]) -> list[str]:
        """Put ``path`` first in the recent list; returns the new list."""
        text = os.path.abspath(os.fspath(path))
        files = [text, *(item for item in self.recent_files() if item != text)]
        self.set_recent_files(files)
        return self.recent_files()

    def prune_recent_files(self) -> list[str]:
        """Drop files that no longer exist; returns the ones dropped."""
        files = self.recent_files()
        missing = [item for item in files if not os.path.isfile(item)]
        if missing:
            self.set_recent_files([item for item in files if item not in missing])
        return missing

    def sync(self) -> None:
        self.store.sync()


def _bytes(value: object) -> QByteArray | None:
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    if isinstance(value, (bytes, bytearray)) and value:
        return QByteArray(bytes(value))
    return None
