"""What GradLab remembers between starts (QSettings) and where it keeps its own files.

Settings are an INI file in every platform's usual per-user place (organisation and application
"GradLab"), never next to the app, so a read-only install folder works: INI everywhere, rather
than the Windows registry, so a teacher can copy or delete it and tests can redirect it with
``QSettings.setPath(IniFormat, UserScope, folder)``.

The lab administrator's files (gradlab.model.admin) pre-set and lock some choices: the
bundle-side ``gradlab-admin.ini`` beside the launcher, then the system-wide file
(``/etc/xdg/GradLab/GradLab.ini`` and the other ``$XDG_CONFIG_DIRS``, ``%ProgramData%`` on
Windows). They are read through ``admin_policy()``, not through QSettings' own fallback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from gradlab.model import admin
from gradlab.model.admin import ADMIN_FILE_NAME, AdminPolicy, bundle_folder, load_admin_policy
from gradlab.resources import resource_path

ORGANISATION = "GradLab"
APPLICATION = "GradLab"
MAX_RECENT = 8
DATA_DIR_VARIABLE = "GRADLAB_DATA_DIR"  # overrides the data folder (self-test, tests, kiosks)

_GEOMETRY = "window/geometry"
_STATE = "window/state"
_LANGUAGE = "language"
_LAST_LESSON = "lessons/last"
_RECENT = "recent/files"
_THEME = "view/theme"


def open_settings() -> QSettings:
    """The student's own settings file (created on first write)."""
    store = QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
    )
    # the system-wide file comes in through admin_policy(): checked values, and the bundle-side
    # file winning over it, which Qt's own fallback would not do
    store.setFallbacksEnabled(False)
    return store


def admin_files() -> list[Path]:
    """The administrator's files, highest precedence first (they need not exist)."""
    frozen = bool(getattr(sys, "frozen", False))
    files = [bundle_folder(frozen=frozen, executable=sys.executable, prefix=sys.prefix)]
    files[0] = files[0] / ADMIN_FILE_NAME
    system = QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.SystemScope, ORGANISATION, APPLICATION
    )
    files.append(Path(system.fileName()))
    if sys.platform.startswith("linux"):  # Qt reads every $XDG_CONFIG_DIRS folder, first wins
        folders = os.environ.get("XDG_CONFIG_DIRS") or "/etc/xdg"
        files += [Path(d) / ORGANISATION / f"{APPLICATION}.ini" for d in folders.split(":") if d]
    return list(dict.fromkeys(files))


def admin_policy() -> AdminPolicy:
    """What the lab administrator's files set and lock (read afresh: they are a few lines)."""
    return load_admin_policy(admin_files())


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

    def __init__(self, store: QSettings | None = None, policy: AdminPolicy | None = None) -> None:
        self.store = store if store is not None else open_settings()
        self.policy = policy if policy is not None else admin_policy()

    # ---- what the lab administrator may set and lock ----

    def is_locked(self, key: str) -> bool:
        return self.policy.is_locked(key)

    def lock_source(self, key: str) -> str | None:
        """The administrator's file that locks ``key``."""
        return self.policy.source(key) if self.policy.is_locked(key) else None

    def _admin(self, key: str, default: object) -> object:
        return self.policy.resolve(key, self.store.value(key), default)

    def autosave_folder(self) -> Path | None:
        """Where autosaves go when the administrator chose a folder (None: the data folder)."""
        folder = self._admin(admin.AUTOSAVE_FOLDER, None)
        return Path(folder) if isinstance(folder, str) else None

    def autosave_interval_s(self, default: int) -> int:
        """Seconds between autosaves; 0: no timed autosave."""
        seconds = self._admin(admin.AUTOSAVE_INTERVAL, default)
        return seconds if isinstance(seconds, int) else default

    def cnn_tab_shown(self) -> bool:
        return self._admin(admin.CNN_TAB, True) is not False

    def cifar_picker_shown(self) -> bool:
        return self._admin(admin.CIFAR_PICKER, True) is not False

    def default_lesson(self) -> str | None:
        """The lesson to open at start: a file, or the name of a shipped lesson."""
        name = self._admin(admin.DEFAULT_LESSON, None)
        if not isinstance(name, str):
            return None
        shipped = resource_path("lessons", name)
        return str(shipped) if not os.path.exists(name) and shipped.is_file() else name

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
        """ "en", "zh" or None (never chosen: follow the system); the administrator's when
        locked."""
        value = self.policy.resolve(_LANGUAGE, self.store.value(_LANGUAGE), None)
        if value is None and not self.policy.is_locked(_LANGUAGE):
            own = self.store.value(_LANGUAGE)  # a code from an older GradLab ("zh_CN")
            return own if isinstance(own, str) and own else None
        return value if isinstance(value, str) else None

    def set_language(self, language: str) -> None:
        if not self.policy.is_locked(_LANGUAGE):  # the student's file never holds a locked key
            self.store.setValue(_LANGUAGE, language)

    # ---- theme ----

    def theme(self) -> str | None:
        """ "system", "light", "dark" or "high-contrast"; None when never chosen."""
        value = self.store.value(_THEME)
        return value if isinstance(value, str) and value else None

    def set_theme(self, theme: str) -> None:
        self.store.setValue(_THEME, theme)

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
