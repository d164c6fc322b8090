"""The lab administrator's settings: INI files that pre-set and lock choices for every student.

Files are read in precedence order (the bundle-side ``gradlab-admin.ini`` beside the launcher,
then the system-wide ``GradLab/GradLab.ini`` files); the first file that sets a key wins, key by
key (``admin/locked`` is a key like the others). Values are checked against the allowed ones
and never evaluated. A file or a line that cannot be used is reported as a problem (a message id
and its values, worded by the UI) and skipped: a broken file never stops GradLab.

The files use Qt's INI layout (``[cnn]`` then ``tab=false`` is the key ``cnn/tab``); keys
written with a slash in ``[General]``, or before any section, are accepted too.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "ADMIN_FILE_NAME",
    "KEYS",
    "LOCKED",
    "AdminPolicy",
    "AdminProblem",
    "bundle_folder",
    "load_admin_policy",
    "parse_admin_text",
    "parse_value",
]

LANGUAGE = "language"
AUTOSAVE_FOLDER = "autosave/folder"
AUTOSAVE_INTERVAL = "autosave/interval_s"
CNN_TAB = "cnn/tab"
CIFAR_PICKER = "cnn/cifar_picker"
DEFAULT_LESSON = "lessons/default"
LOCKED = "admin/locked"
KEYS = (LANGUAGE, AUTOSAVE_FOLDER, AUTOSAVE_INTERVAL, CNN_TAB, CIFAR_PICKER, DEFAULT_LESSON)
ADMIN_FILE_NAME = "gradlab-admin.ini"  # beside the launcher: a bundle copied from a USB stick
MAX_FILE_BYTES = 64 * 1024  # a settings file is a few lines; anything bigger is not one
MIN_INTERVAL_S, MAX_INTERVAL_S = 10, 86_400
_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


@dataclass(frozen=True)
class AdminProblem:
    """Why (part of) a file was not used. ``message``: "unreadable" (the system's reason),
    "not_text", "too_large", "malformed", "unknown_key", "bad_value" or "unknown_locked_key";
    ``values`` fill the UI's sentence."""

    file: str
    message: str
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AdminPolicy:
    """What the administrator's files set and lock, with the file each key came from."""

    values: Mapping[str, object] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    sources: Mapping[str, str] = field(default_factory=dict)  # key (or LOCKED) -> file
    problems: tuple[AdminProblem, ...] = ()
    files: tuple[str, ...] = ()  # the files that exist and were read

    def is_locked(self, key: str) -> bool:
        return key in self.locked

    def source(self, key: str) -> str | None:
        """The file that locks ``key`` (or sets it, when not locked)."""
        if key in self.locked:
            return self.sources.get(LOCKED)
        return self.sources.get(key)

    def resolve(self, key: str, user_value: object, default: object) -> object:
        """The value in force: the administrator's when locked, else the student's own (if
        valid), else the administrator's, else ``default``."""
        if key not in self.locked:
            mine = parse_value(key, user_value) if user_value is not None else None
            if mine is not None:
                return mine
        return self.values.get(key, default)


def parse_value(key: str, raw: object) -> object | None:
    """``raw`` (text from a file; a list when Qt split it at commas) as ``key``'s typed value,
    or None when it is not an allowed value."""
    if isinstance(raw, (list, tuple)):
        raw = ",".join(str(item) for item in raw)
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    if key == LANGUAGE:
        return text.lower() if text.lower() in ("en", "zh") else None
    if key in (CNN_TAB, CIFAR_PICKER):
        lowered = text.lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else None
    if key == AUTOSAVE_INTERVAL:
        if not text.isdigit() or len(text) > 6:
            return None
        seconds = int(text)
        return seconds if seconds == 0 or MIN_INTERVAL_S <= seconds <= MAX_INTERVAL_S else None
    if key in (AUTOSAVE_FOLDER, DEFAULT_LESSON):
        if not text or "\0" in text or len(text) > 4096:
            return None
        # ~ and $USER / %USERNAME% give each student a folder of their own
        path = os.path.expanduser(os.path.expandvars(text))
        # a relative folder would depend on where GradLab was started from
        return path if key == DEFAULT_LESSON or os.path.isabs(path) else None
    return None


def parse_admin_text(
    text: str, file: str
) -> tuple[dict[str, object], frozenset[str] | None, list[AdminProblem]]:
    """One file's values, its locked keys (None when it does not set ``admin/locked``) and
    its problems."""
    parser = configparser.ConfigParser(interpolation=None, strict=False, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    try:
        parser.read_string(text if text.lstrip().startswith("[") else "[General]\n" + text)
    except configparser.Error as error:
        line = getattr(error, "lineno", None)
        return {}, None, [AdminProblem(file, "malformed", {"line": str(line or "?")})]
    values: dict[str, object] = {}
    locked: frozenset[str] | None = None
    problems: list[AdminProblem] = []
    for section in parser.sections():
        for name, raw in parser.items(section):
            key = name if section.lower() == "general" else f"{section}/{name}"
            key = key.replace("\\", "/").strip("/")
            if key == LOCKED:
                locked, unknown = _locked_keys(raw or "")
                problems += [AdminProblem(file, "unknown_locked_key", {"key": k}) for k in unknown]
            elif key not in KEYS:
                problems.append(AdminProblem(file, "unknown_key", {"key": key}))
            else:
                value = parse_value(key, raw or "")
                if value is None:
                    problems.append(
                        AdminProblem(file, "bad_value", {"key": key, "value": (raw or "")[:200]})
                    )
                else:
                    values[key] = value
    return values, locked, problems


def _locked_keys(raw: str) -> tuple[frozenset[str], list[str]]:
    names = [n.strip().strip('"').strip() for n in raw.split(",")]
    names = [n for n in names if n]
    return frozenset(n for n in names if n in KEYS), [n for n in names if n not in KEYS]


def load_admin_policy(files: Sequence[str | os.PathLike[str]]) -> AdminPolicy:
    """The policy from ``files``, highest precedence first; missing files are skipped."""
    values: dict[str, object] = {}
    sources: dict[str, str] = {}
    locked: frozenset[str] | None = None
    problems: list[AdminProblem] = []
    read: list[str] = []
    for entry in files:
        path = Path(entry)
        if not path.is_file():
            continue
        name = str(path)
        read.append(name)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ValueError("too large")
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            problems.append(AdminProblem(name, "not_text"))
            continue
        except ValueError:
            problems.append(AdminProblem(name, "too_large", {"limit": str(MAX_FILE_BYTES)}))
            continue
        except OSError as error:
            reason = error.strerror or type(error).__name__
            problems.append(AdminProblem(name, "unreadable", {"reason": reason}))
            continue
        file_values, file_locked, file_problems = parse_admin_text(text, name)
        problems += file_problems
        for key, value in file_values.items():
            if key not in values:
                values[key], sources[key] = value, name
        if locked is None and file_locked is not None:
            locked, sources[LOCKED] = file_locked, name
    return AdminPolicy(values, locked or frozenset(), sources, tuple(problems), tuple(read))


def bundle_folder(*, frozen: bool, executable: str, prefix: str) -> Path:
    """Where the bundle-side file goes: beside the frozen launcher, or the virtual
    environment's folder (``sys.prefix``)."""
    return Path(executable).resolve().parent if frozen else Path(prefix)
