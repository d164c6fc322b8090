"""The command line's own sentences in the language it answers in (one line each).

``set_language`` is called once, before the arguments are parsed; ``say(english, **values)``
gives the sentence in that language (the English text is the key of its Chinese one, so each
sentence has one source), ``error_text`` words an exception and ``argparse_text`` argparse's
own complaints.
"""

from __future__ import annotations

import argparse
import re

from gradlab.text import errors
from gradlab.text.language import LANGUAGES, normalise_language

_state = {"language": "en"}

ZH = {
    # gradlab
    "{prog}: error: {message} (see '{prog} --help')": (
        "{prog}：错误：{message}（参见 '{prog} --help'）"
    ),
    "{prog}: error: {message}": "{prog}：错误：{message}",
    "{prog}: interrupted": "{prog}：已中断",
    # gradlab fit
    "{flag} needs a number, got {text}": "{flag} 需要一个数字，而不是 {text}",
    "{flag} needs a whole number, got {text}": "{flag} 需要一个整数，而不是 {text}",
    "{flag}: {text} is not a finite number": "{flag}：{text} 不是有限的数字",
    "{flag}: {problem}": "{flag}：{problem}",
    "--lesson: empty file name": "--lesson：文件名为空",
    "{option}: cannot write {name}: {problem}": "{option}：无法写入 {name}：{problem}",
    "--x-range needs LO,HI such as -pi,pi, got {text}": (
        "--x-range 需要 LO,HI 形式的两个数，例如 -pi,pi，而不是 {text}"
    ),
    "cannot save {path}: {reason}": "无法保存 {path}：{reason}",
    "cannot write {path}: {reason}": "无法写入 {path}：{reason}",
    "the lesson file cannot be used: {reason}": "课程文件无法使用：{reason}",
    "the expression {text} cannot be used (at position {position})": (
        "表达式 {text} 无法使用（第 {position} 个字符处）"
    ),
    # argparse
    "argument {name}: {message}": "参数 {name}：{message}",
    "invalid choice: {value} (choose from {choices})": "无效的选项 {value}（可选：{choices}）",
    "unrecognized arguments: {names}": "无法识别的参数：{names}",
    "expected one argument": "需要一个值",
    "the following arguments are required: {names}": "缺少必需的参数：{names}",
    # why a file cannot be written (gradlab.core.atomic)
    "empty file name": "文件名为空",
    "is a folder": "这是一个文件夹",
    "no such folder {folder}": "没有文件夹 {folder}",
    "cannot write in the folder {folder} (permission denied)": (
        "无法在文件夹 {folder} 中写入（权限不足）"
    ),
}
# argparse's own messages (Python 3.10-3.14), each with the English template it matches
_ARGPARSE = [
    (re.compile(r"argument (?P<name>\S+): (?P<message>.*)"), "argument {name}: {message}"),
    (
        re.compile(r"invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)"),
        "invalid choice: {value} (choose from {choices})",
    ),
    (re.compile(r"unrecognized arguments: (?P<names>.*)"), "unrecognized arguments: {names}"),
    (re.compile(r"expected one argument"), "expected one argument"),
    (
        re.compile(r"the following arguments are required: (?P<names>.*)"),
        "the following arguments are required: {names}",
    ),
]
_PROBLEMS = [
    (re.compile(r"no such folder (?P<folder>.*)"), "no such folder {folder}"),
    (
        re.compile(r"cannot write in the folder (?P<folder>.*) \(permission denied\)"),
        "cannot write in the folder {folder} (permission denied)",
    ),
]


def set_language(language: str) -> None:
    """Answer in ``language`` ("zh" or anything else for English) from now on."""
    _state["language"] = normalise_language(language)


def language() -> str:
    return _state["language"]


def say(english: str, **values: object) -> str:
    """``english`` with its ``{name}`` fields filled in, in the command line's language."""
    template = ZH.get(english, english) if _state["language"] == "zh" else english
    return template.format(**values)


def error_text(exc: BaseException) -> str:
    """An exception as one line in the command line's language."""
    from gradlab.core.validation import ConfigError

    language = _state["language"]
    worded = language == "zh" and (
        isinstance(exc.__cause__, ConfigError) or hasattr(exc, "message_id")
    )
    if language == "zh" and type(exc).__name__ == "LessonError":  # its detail worded too
        reason = errors.error_text(exc, language)
        text = say("the lesson file cannot be used: {reason}", reason=reason)
    elif isinstance(exc, ConfigError) or worded:
        text = errors.error_text(exc, language)
    elif language == "zh" and type(exc).__name__ == "ExpressionError":
        position = int(getattr(exc, "position", 0)) + 1
        shown = repr(getattr(exc, "text", ""))
        text = say(
            "the expression {text} cannot be used (at position {position})",
            text=shown,
            position=position,
        )
    elif isinstance(exc, OSError):
        text = reason_text(exc)
    else:
        text = str(exc)
    return " ".join(text.split())


def reason_text(exc: OSError) -> str:
    """Why a file operation failed, in the command line's language."""
    if _state["language"] == "zh" and exc.errno in errors.ERRNO_ZH:
        return errors.ERRNO_ZH[exc.errno]
    return exc.strerror or str(exc)


def problem_text(problem: str) -> str:
    """A reason from gradlab.core.atomic.output_problem, in the command line's language."""
    if _state["language"] != "zh":
        return problem
    if problem in ZH:
        return ZH[problem]
    for pattern, english in _PROBLEMS:
        match = pattern.fullmatch(problem)
        if match:
            return say(english, **match.groupdict())
    return problem


def argparse_text(message: str) -> str:
    """argparse's complaint in the command line's language (nested: "argument --x: ...")."""
    if _state["language"] != "zh":
        return message
    for pattern, english in _ARGPARSE:
        match = pattern.fullmatch(message)
        if match:
            parts = {key: argparse_text(value) for key, value in match.groupdict().items()}
            return say(english, **parts)
    return message


def add_language_option(parser: argparse.ArgumentParser) -> None:
    """``--language``: the language of error messages and of exported scripts' comments."""
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        help="answer (and comment exported scripts) in this language; "
        "default: GRADLAB_LANGUAGE, else the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG)",
    )
