"""The parts of a lesson file checked one by one, and LessonError: each problem is one line in
English with a message id and values (gradlab.text.file_errors words it in Chinese)."""

from __future__ import annotations

import difflib
from typing import Any

from gradlab.core.bounded_json import describe
from gradlab.core.config import FIELD_PATHS, GROUPS, closest_field
from gradlab.core.limits import (
    MAX_LESSON_LANGUAGES,
    MAX_LESSON_TEXT_CHARS,
    MAX_TEXT_CHARS,
)
from gradlab.core.text_breaks import breakable
from gradlab.core.worded_error import WordedError

LESSON_KIND = "gradlab-lesson"
_NAME_SHOWN = 60  # a key or name longer than this is cut in messages, never matched
LESSON_KEYS = ("format", "kind", "title", "explanation", "questions", "locked", "hidden",
               "compare_optimizers", "config")  # fmt: skip


class LessonError(WordedError):
    """A lesson or config file (or dict) cannot be used; the message is one readable line.

    ``field`` is the dotted config path at fault when there is one (e.g. ``"training.lr"``),
    so the GUI can mark it; ``message_id`` and ``values`` say the same as data
    (gradlab.text.file_errors words it in Chinese).
    """


def coerce_value(path: str, type_name: str, value: object) -> object:
    """Check a JSON value against the field's declared type; ints become floats where expected."""
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if type_name == "str" and isinstance(value, str):
        if len(value) > MAX_TEXT_CHARS:
            raise LessonError(
                f"{path} is {len(value):,} characters long; the limit is {MAX_TEXT_CHARS:,}",
                field=path,
                message_id="lesson_text_too_long",
                values={"where": path, "length": f"{len(value):,}", "limit": f"{MAX_TEXT_CHARS:,}"},
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
        return tuple(coerce_value(path, "float", v) for v in value)
    expected = {
        "str": "text",
        "bool": "true or false",
        "float": "a number",
        "int": "a whole number",
        "tuple[float, ...]": "a list of numbers",
    }.get(type_name, type_name)
    raise LessonError(
        f"{path} must be {expected}, got {describe(value)}",
        field=path,
        message_id="lesson_wrong_type",
        values={"where": path, "expected": type_name, "value": describe(value)},
    )


def unknown_key(path: str) -> LessonError:
    """An unknown setting, with the closest known one; a huge key is cut short and never
    fuzzy-matched."""
    if len(path) > _NAME_SHOWN:
        shown = describe(path, _NAME_SHOWN)
        return LessonError(
            f"unknown key {shown} ({len(path):,} characters)",
            message_id="lesson_unknown_long_key",
            values={"name": shown, "length": f"{len(path):,}"},
        )
    close = closest_field(path)
    hint = f" — did you mean {close!r}?" if close else ""
    return LessonError(
        f"unknown key {path!r}{hint}",
        message_id="lesson_unknown_key",
        values={"name": repr(path), "close": repr(close) if close else ""},
    )


def unknown_top_key(key: str, allowed: tuple[str, ...], kind: str) -> LessonError:
    if len(key) > _NAME_SHOWN:
        return unknown_key(key)
    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        return LessonError(
            f"unknown key {key!r} — did you mean {close[0]!r}?",
            message_id="lesson_unknown_key",
            values={"name": repr(key), "close": repr(close[0])},
        )
    if key in LESSON_KEYS:
        return LessonError(
            f"{key!r} belongs in a {LESSON_KIND} file, not a {kind} file",
            message_id="lesson_key_of_lessons",
            values={"name": repr(key), "lesson": LESSON_KIND, "kind": kind},
        )
    if key in GROUPS or key in FIELD_PATHS:
        return LessonError(
            f'unknown key {key!r} — settings go inside "config"',
            message_id="lesson_setting_outside",
            values={"name": repr(key)},
        )
    known = ", ".join(allowed)
    return LessonError(
        f"unknown key {key!r} (known: {known})",
        message_id="lesson_unknown_top_key",
        values={"name": repr(key), "known": known},
    )


def text_field(where: str, value: object, limit: int = MAX_LESSON_TEXT_CHARS) -> dict[str, str]:
    """A {language: text} object within the budgets; a plain string is taken as English."""
    if isinstance(value, str):
        value = {"en": value}
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        if len(value) > MAX_LESSON_LANGUAGES:
            raise LessonError(
                f"{where}: {len(value):,} languages; the limit is {MAX_LESSON_LANGUAGES}",
                message_id="lesson_too_many_languages",
                values={"where": where, "count": f"{len(value):,}", "limit": MAX_LESSON_LANGUAGES},
            )
        for language, text in value.items():
            if len(language) > _NAME_SHOWN:
                raise LessonError(
                    f"{where}: a language name of {len(language):,} characters",
                    message_id="lesson_long_language",
                    values={"where": where, "length": f"{len(language):,}"},
                )
            if len(text) > limit:
                raise LessonError(
                    f"{where}: the {describe(language)} text is {len(text):,} characters long; "
                    f"the limit is {limit:,}",
                    message_id="lesson_text_too_long",
                    values={
                        "where": f"{where} ({describe(language)})",
                        "length": f"{len(text):,}",
                        "limit": f"{limit:,}",
                    },
                )
        return {language: breakable(text) for language, text in value.items()}
    raise LessonError(
        f'{where} must be text or an object like {{"en": "...", "zh": "..."}}, '
        f"got {describe(value)}",
        message_id="lesson_not_texts",
        values={"where": where, "value": describe(value)},
    )


def list_field(key: str, document: dict[str, Any]) -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        raise LessonError(
            f"{key} must be a list, got {describe(value)}",
            message_id="lesson_not_list",
            values={"where": key, "value": describe(value)},
        )
    return value


def string_list(key: str, document: dict[str, Any]) -> list[str]:
    values = list_field(key, document)
    for value in values:
        if not isinstance(value, str):
            raise LessonError(
                f"{key} must be a list of names, got {describe(value)}",
                message_id="lesson_not_names",
                values={"where": key, "value": describe(value)},
            )
    return values
