"""Lesson and config files: JSON in, a validated Config (and a teacher's texts) out, and back.

A lesson file (format version 1)::

    {"format": 1, "kind": "gradlab-lesson",
     "title": {"en": "...", "zh": "..."}, "explanation": {"en": "...", "zh": "..."},
     "questions": [{"en": "...", "zh": "..."}],
     "locked": ["training.method"], "hidden": ["optimizer"],
     "compare_optimizers": ["sgd", "rmsprop", "adam"],
     "config": {"data": {...}, "model": {...}, "training": {...}, "optimizer": {...}, "seed": 0}}

A bare config file is ``{"format": 1, "kind": "gradlab-config", "config": {...}}``. Missing
settings take the chapter's defaults; unknown keys are errors that suggest the closest known key.
Files are only ever parsed as JSON data (never eval/exec/pickle) and written atomically.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

# re-exported: the writers used to live here, and the GUI still imports them from here
from gradlab.core.atomic import atomic_open as atomic_open
from gradlab.core.atomic import atomic_write_bytes as atomic_write_bytes
from gradlab.core.atomic import atomic_write_text as atomic_write_text
from gradlab.core.atomic import input_problem
from gradlab.core.bounded_json import JsonBudgetError, describe, loads
from gradlab.core.config import (
    FIELD_PATHS,
    GROUPS,
    OPTIMIZERS,
    Config,
    ConfigError,
    unknown_field_message,
)
from gradlab.core.limits import (
    MAX_LESSON_BYTES,
    MAX_LESSON_LANGUAGES,
    MAX_LESSON_QUESTIONS,
    MAX_LESSON_TEXT_CHARS,
    MAX_LESSON_TITLE_CHARS,
    MAX_TEXT_CHARS,
)
from gradlab.core.text_breaks import breakable

FORMAT_VERSION = 1
LESSON_KIND = "gradlab-lesson"
CONFIG_KIND = "gradlab-config"
MAX_FILE_BYTES = MAX_LESSON_BYTES
_NAME_SHOWN = 60  # a key or name longer than this is cut in messages, never matched
LESSON_KEYS = ("format", "kind", "title", "explanation", "questions", "locked", "hidden",
               "compare_optimizers", "config")  # fmt: skip
CONFIG_FILE_KEYS = ("format", "kind", "config")
# what "locked" and "hidden" may name: a whole group or one setting
LOCKABLE = (*GROUPS, *FIELD_PATHS)


class LessonError(ValueError):
    """A lesson or config file (or dict) cannot be used; the message is one readable line.

    ``field`` is the dotted config path at fault when there is one (e.g. ``"training.lr"``),
    so the GUI can mark it.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Lesson:
    """A config plus a teacher's texts and which controls to lock, hide or compare.

    Texts map a language code ("en", "zh") to the text; treat the dicts as read-only.
    """

    config: Config = field(default_factory=Config)
    title: dict[str, str] = field(default_factory=dict)
    explanation: dict[str, str] = field(default_factory=dict)
    questions: tuple[dict[str, str], ...] = ()
    locked: tuple[str, ...] = ()  # dotted paths or group names the student may not change
    hidden: tuple[str, ...] = ()  # dotted paths or group names not shown at all
    compare_optimizers: tuple[str, ...] = ()  # optimizers to race side by side

    def __post_init__(self) -> None:
        for key in ("locked", "hidden"):
            for name in getattr(self, key):
                if name not in LOCKABLE:
                    message = _unknown_key_message(name).replace("unknown key", "unknown setting")
                    raise LessonError(f"{key}: {message}")
        for name in self.compare_optimizers:
            if name not in OPTIMIZERS:
                raise LessonError(
                    f"compare_optimizers: optimizer must be one of {', '.join(OPTIMIZERS)}, "
                    f"got {name!r}"
                )


def localized(texts: Mapping[str, str], language: str) -> str:
    """The text in ``language``, else English, else any language given, else ""."""
    for key in (language, "en"):
        if key in texts:
            return texts[key]
    return next(iter(texts.values()), "")


# ---- Config <-> plain dict ------------------------------------------------------------------


def config_to_dict(config: Config) -> dict[str, Any]:
    """A JSON-ready dict of every setting: {"data": {...}, ..., "seed": 0}."""
    result = asdict(config)
    result["model"]["init_values"] = list(config.model.init_values)
    return result


def config_from_dict(data: object) -> Config:
    """Build and validate a Config; missing settings take their defaults.

    Raises LessonError for unknown keys (suggesting the closest known one), wrong types and
    out-of-range values, always naming the dotted path of the setting.
    """
    if not isinstance(data, dict):
        raise LessonError(f"config must be a JSON object, got {_describe(data)}")
    groups: dict[str, Any] = {}
    top: dict[str, Any] = {}
    for key, value in data.items():
        if key in GROUPS:
            groups[key] = _group_from_dict(key, value)
        elif key == "seed":
            top["seed"] = _coerce("seed", "int", value)
        else:
            raise LessonError(_unknown_key_message(str(key)))
    try:
        return Config(**groups, **top)
    except ConfigError as error:
        raise LessonError(f"{error.field}: {error}", field=error.field) from error


def _group_from_dict(group: str, value: object) -> Any:
    if not isinstance(value, dict):
        raise LessonError(f"{group} must be a JSON object, got {_describe(value)}", field=group)
    cls = GROUPS[group]
    types = {f.name: str(f.type) for f in fields(cls)}
    arguments = {}
    for name, item in value.items():
        path = f"{group}.{name}"
        if name not in types:
            raise LessonError(_unknown_key_message(path))
        arguments[name] = _coerce(path, types[name], item)
    return cls(**arguments)


def _coerce(path: str, type_name: str, value: object) -> object:
    """Check a JSON value against the field's declared type; ints become floats where expected."""
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if type_name == "str" and isinstance(value, str):
        if len(value) > MAX_TEXT_CHARS:
            raise LessonError(
                f"{path} is {len(value):,} characters long; the limit is {MAX_TEXT_CHARS:,}",
                field=path,
            )
        return value
    if type_name == "bool" and isinstance(value, bool):
        return value
    if type_name == "float" and is_number:
        return float(value)  # type: ignore[arg-type]
    if type_name == "int" and is_number:
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
    if type_name == "tuple[float, ...]" and isinstance(value, list):
        return tuple(_coerce(path, "float", v) for v in value)
    expected = {
        "str": "text",
        "bool": "true or false",
        "float": "a number",
        "int": "a whole number",
        "tuple[float, ...]": "a list of numbers",
    }.get(type_name, type_name)
    raise LessonError(f"{path} must be {expected}, got {_describe(value)}", field=path)


def _describe(value: object) -> str:
    return describe(value)


def _unknown_key_message(path: str) -> str:
    """unknown_field_message, but a huge key is cut short and never fuzzy-matched."""
    if len(path) <= _NAME_SHOWN:
        return unknown_field_message(path)
    return f"unknown key {describe(path, _NAME_SHOWN)} ({len(path):,} characters)"


# ---- Lesson <-> JSON text -------------------------------------------------------------------


def lesson_to_json(lesson: Lesson) -> str:
    """The lesson as a version-1 lesson file (indented UTF-8 JSON, empty parts left out)."""
    document: dict[str, Any] = {"format": FORMAT_VERSION, "kind": LESSON_KIND}
    optional = {
        "title": lesson.title,
        "explanation": lesson.explanation,
        "questions": list(lesson.questions),
        "locked": list(lesson.locked),
        "hidden": list(lesson.hidden),
        "compare_optimizers": list(lesson.compare_optimizers),
    }
    document.update({key: value for key, value in optional.items() if value})
    document["config"] = config_to_dict(lesson.config)
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def config_to_json(config: Config) -> str:
    """The config alone as a version-1 ``gradlab-config`` file."""
    document = {"format": FORMAT_VERSION, "kind": CONFIG_KIND, "config": config_to_dict(config)}
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def parse_lesson(text: str, source: str = "lesson") -> Lesson:
    """Parse a lesson or bare config file's text; ``source`` (e.g. the file name) starts errors."""
    try:
        return _parse(text)
    except LessonError as error:
        raise LessonError(f"{source}: {error}", field=error.field) from error.__cause__


def _reject_constant(name: str) -> None:
    raise LessonError(f"{name} is not allowed in a lesson file; write a finite number")


def _parse(text: str) -> Lesson:
    try:
        document = loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise LessonError(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except JsonBudgetError as error:
        prefix = "not a lesson file: " if "nested" in str(error) else ""
        raise LessonError(f"{prefix}{error}") from None
    except RecursionError:  # not expected within the depth budget; never a traceback
        raise LessonError("not a lesson file: the JSON is nested too deeply") from None
    if not isinstance(document, dict):
        raise LessonError(f"a lesson file must be a JSON object, got {_describe(document)}")
    version = document.get("format")
    if version is None:
        raise LessonError('missing "format": 1 (is this a GradLab lesson file?)')
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise LessonError(
            f"format version {_describe(version)} is not supported (this GradLab reads "
            f"version {FORMAT_VERSION})"
        )
    kind = document.get("kind")
    if kind not in (LESSON_KIND, CONFIG_KIND):
        raise LessonError(
            f'"kind" must be "{LESSON_KIND}" or "{CONFIG_KIND}", got {_describe(kind)}'
        )
    allowed = LESSON_KEYS if kind == LESSON_KIND else CONFIG_FILE_KEYS
    for key in document:
        if key not in allowed:
            raise LessonError(_unknown_top_key(key, allowed, kind))
    config = config_from_dict(document.get("config", {}))
    questions = _list("questions", document)
    if len(questions) > MAX_LESSON_QUESTIONS:
        raise LessonError(
            f"questions: {len(questions):,} questions; the limit is {MAX_LESSON_QUESTIONS}"
        )
    return Lesson(
        config=config,
        title=_texts("title", document.get("title", {}), MAX_LESSON_TITLE_CHARS),
        explanation=_texts("explanation", document.get("explanation", {})),
        questions=tuple(_texts(f"questions[{i}]", q) for i, q in enumerate(questions)),
        locked=tuple(_strings("locked", document)),
        hidden=tuple(_strings("hidden", document)),
        compare_optimizers=tuple(_strings("compare_optimizers", document)),
    )


def _unknown_top_key(key: str, allowed: tuple[str, ...], kind: str) -> str:
    if len(key) > _NAME_SHOWN:
        return _unknown_key_message(key)
    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        return f"unknown key {key!r} — did you mean {close[0]!r}?"
    if key in LESSON_KEYS:
        return f"{key!r} belongs in a {LESSON_KIND} file, not a {kind} file"
    if key in GROUPS or key in FIELD_PATHS:
        return f'unknown key {key!r} — settings go inside "config"'
    return f"unknown key {key!r} (known: {', '.join(allowed)})"


def _texts(where: str, value: object, limit: int = MAX_LESSON_TEXT_CHARS) -> dict[str, str]:
    """A {language: text} object within the budgets; a plain string is taken as English."""
    if isinstance(value, str):
        value = {"en": value}
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        if len(value) > MAX_LESSON_LANGUAGES:
            raise LessonError(
                f"{where}: {len(value):,} languages; the limit is {MAX_LESSON_LANGUAGES}"
            )
        for language, text in value.items():
            if len(language) > _NAME_SHOWN:
                raise LessonError(f"{where}: a language name of {len(language):,} characters")
            if len(text) > limit:
                raise LessonError(
                    f"{where}: the {describe(language)} text is {len(text):,} characters long; "
                    f"the limit is {limit:,}"
                )
        return {language: breakable(text) for language, text in value.items()}
    raise LessonError(
        f'{where} must be text or an object like {{"en": "...", "zh": "..."}}, '
        f"got {_describe(value)}"
    )


def _list(key: str, document: dict[str, Any]) -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        raise LessonError(f"{key} must be a list, got {_describe(value)}")
    return value


def _strings(key: str, document: dict[str, Any]) -> list[str]:
    values = _list(key, document)
    for value in values:
        if not isinstance(value, str):
            raise LessonError(f"{key} must be a list of names, got {_describe(value)}")
    return values


# ---- Files ----------------------------------------------------------------------------------


def load_lesson(path: str | os.PathLike[str]) -> Lesson:
    """Read a lesson or config file; every problem is a one-line LessonError naming the file."""
    name = os.fspath(path)
    problem = input_problem(name)
    if problem:
        raise LessonError(f"{name or repr(name)}: {problem}")
    try:
        with open(path, "rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise LessonError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise LessonError(f"{name}: is a folder, not a lesson file") from None
    except OSError as error:
        raise LessonError(f"{name}: cannot read the file ({error.strerror})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise LessonError(
            f"{name}: the file is too large for a lesson (more than {MAX_FILE_BYTES:,} bytes; "
            f"the limit is {MAX_FILE_BYTES:,})"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LessonError(f"{name}: not UTF-8 text (byte {error.start})") from None
    return parse_lesson(text, source=name)


def save_lesson(path: str | os.PathLike[str], lesson: Lesson) -> None:
    """Write the lesson atomically: the old file survives any failure untouched."""
    _save(path, lesson_to_json(lesson))


def save_config(path: str | os.PathLike[str], config: Config) -> None:
    """Write a bare ``gradlab-config`` file atomically."""
    _save(path, config_to_json(config))


def _save(path: str | os.PathLike[str], text: str) -> None:
    try:
        atomic_write_text(path, text)
    except OSError as error:
        reason = error.strerror or str(error)
        raise LessonError(f"{os.fspath(path)}: cannot write the file ({reason})") from error
