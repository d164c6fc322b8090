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
)
from gradlab.core.lesson_fields import (
    LESSON_KEYS,
    LESSON_KIND,
    LessonError,
    coerce_value,
    list_field,
    string_list,
    text_field,
    unknown_key,
    unknown_top_key,
)
from gradlab.core.limits import (
    MAX_LESSON_BYTES,
    MAX_LESSON_QUESTIONS,
    MAX_LESSON_TITLE_CHARS,
)
from gradlab.core.worded_error import file_error

FORMAT_VERSION = 1
CONFIG_KIND = "gradlab-config"
MAX_FILE_BYTES = MAX_LESSON_BYTES
CONFIG_FILE_KEYS = ("format", "kind", "config")
# what "locked" and "hidden" may name: a whole group or one setting
LOCKABLE = (*GROUPS, *FIELD_PATHS)


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
                    error = unknown_key(name)
                    raise LessonError(
                        f"{key}: {str(error).replace('unknown key', 'unknown setting')}",
                        message_id=error.message_id,
                        values={**error.values, "where": key},
                    )
        for name in self.compare_optimizers:
            if name not in OPTIMIZERS:
                allowed = ", ".join(OPTIMIZERS)
                raise LessonError(
                    f"compare_optimizers: optimizer must be one of {allowed}, got {name!r}",
                    message_id="lesson_not_optimizer",
                    values={"allowed": allowed, "value": repr(name)},
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
        raise LessonError(
            f"config must be a JSON object, got {describe(data)}",
            message_id="lesson_not_object",
            values={"what": "config", "value": describe(data)},
        )
    groups: dict[str, Any] = {}
    top: dict[str, Any] = {}
    for key, value in data.items():
        if key in GROUPS:
            groups[key] = _group_from_dict(key, value)
        elif key == "seed":
            top["seed"] = coerce_value("seed", "int", value)
        else:
            raise unknown_key(str(key))
    try:
        return Config(**groups, **top)
    except ConfigError as error:
        raise LessonError(
            f"{error.field}: {error}", field=error.field, message_id="lesson_config"
        ) from error


def _group_from_dict(group: str, value: object) -> Any:
    if not isinstance(value, dict):
        raise LessonError(
            f"{group} must be a JSON object, got {describe(value)}",
            field=group,
            message_id="lesson_not_object",
            values={"what": group, "value": describe(value)},
        )
    cls = GROUPS[group]
    types = {f.name: str(f.type) for f in fields(cls)}
    arguments = {}
    for name, item in value.items():
        path = f"{group}.{name}"
        if name not in types:
            raise unknown_key(path)
        arguments[name] = coerce_value(path, types[name], item)
    return cls(**arguments)


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
        raise error.named(source) from error.__cause__


def _reject_constant(name: str) -> None:
    raise LessonError(
        f"{name} is not allowed in a lesson file; write a finite number",
        message_id="lesson_not_finite",
        values={"name": name},
    )


def _parse(text: str) -> Lesson:
    try:
        document = loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise LessonError(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
            message_id="lesson_bad_json",
            values={"line": error.lineno, "column": error.colno},
        ) from None
    except JsonBudgetError as error:
        nested = "nested" in str(error)
        raise LessonError(
            f"{'not a lesson file: ' if nested else ''}{error}",
            message_id="lesson_too_deep" if nested else "lesson_json_budget",
        ) from None
    except RecursionError:  # not expected within the depth budget; never a traceback
        raise LessonError(
            "not a lesson file: the JSON is nested too deeply", message_id="lesson_too_deep"
        ) from None
    if not isinstance(document, dict):
        raise LessonError(
            f"a lesson file must be a JSON object, got {describe(document)}",
            message_id="lesson_not_object",
            values={"what": "lesson", "value": describe(document)},
        )
    version = document.get("format")
    if version is None:
        raise LessonError(
            'missing "format": 1 (is this a GradLab lesson file?)', message_id="lesson_no_format"
        )
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise LessonError(
            f"format version {describe(version)} is not supported (this GradLab reads "
            f"version {FORMAT_VERSION})",
            message_id="lesson_bad_format",
            values={"value": describe(version), "version": FORMAT_VERSION},
        )
    kind = document.get("kind")
    if kind not in (LESSON_KIND, CONFIG_KIND):
        raise LessonError(
            f'"kind" must be "{LESSON_KIND}" or "{CONFIG_KIND}", got {describe(kind)}',
            message_id="lesson_bad_kind",
            values={"lesson": LESSON_KIND, "config": CONFIG_KIND, "value": describe(kind)},
        )
    allowed = LESSON_KEYS if kind == LESSON_KIND else CONFIG_FILE_KEYS
    for key in document:
        if key not in allowed:
            raise unknown_top_key(key, allowed, kind)
    config = config_from_dict(document.get("config", {}))
    questions = list_field("questions", document)
    if len(questions) > MAX_LESSON_QUESTIONS:
        raise LessonError(
            f"questions: {len(questions):,} questions; the limit is {MAX_LESSON_QUESTIONS}",
            message_id="lesson_too_many_questions",
            values={"count": f"{len(questions):,}", "limit": MAX_LESSON_QUESTIONS},
        )
    return Lesson(
        config=config,
        title=text_field("title", document.get("title", {}), MAX_LESSON_TITLE_CHARS),
        explanation=text_field("explanation", document.get("explanation", {})),
        questions=tuple(text_field(f"questions[{i}]", q) for i, q in enumerate(questions)),
        locked=tuple(string_list("locked", document)),
        hidden=tuple(string_list("hidden", document)),
        compare_optimizers=tuple(string_list("compare_optimizers", document)),
    )


# ---- Files ----------------------------------------------------------------------------------


def load_lesson(path: str | os.PathLike[str]) -> Lesson:
    """Read a lesson or config file; every problem is a one-line LessonError naming the file."""
    name = os.fspath(path)
    problem = input_problem(name)
    if problem:
        raise LessonError(problem, message_id="file_problem", values={"problem": problem}).named(
            name or repr(name)
        )
    try:
        with open(path, "rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise LessonError("no such file", message_id="file_missing").named(name) from None
    except IsADirectoryError:
        raise LessonError("is a folder, not a lesson file", message_id="lesson_is_folder").named(
            name
        ) from None
    except OSError as error:
        raise file_error(LessonError, "read", error).named(name) from None
    if len(raw) > MAX_FILE_BYTES:
        raise LessonError(
            f"the file is too large for a lesson (more than {MAX_FILE_BYTES:,} bytes; "
            f"the limit is {MAX_FILE_BYTES:,})",
            message_id="lesson_too_large",
            values={"limit": f"{MAX_FILE_BYTES:,}"},
        ).named(name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LessonError(
            f"not UTF-8 text (byte {error.start})",
            message_id="not_utf8",
            values={"byte": error.start},
        ).named(name) from None
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
        raise file_error(LessonError, "write", error).named(os.fspath(path)) from error
