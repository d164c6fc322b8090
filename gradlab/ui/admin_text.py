"""The lab administrator's file problems (gradlab.model.admin) in the interface language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from gradlab.model.admin import AdminProblem


def admin_problem_text(problem: AdminProblem) -> str:
    """One line naming the file and what in it was ignored."""
    translate = QCoreApplication.translate
    texts = {
        "unreadable": translate(
            "AdminSettings", "Lab settings file {file} ignored: it cannot be read ({reason})."
        ),
        "not_text": translate(
            "AdminSettings", "Lab settings file {file} ignored: it is not UTF-8 text."
        ),
        "too_large": translate(
            "AdminSettings",
            "Lab settings file {file} ignored: it is larger than {limit} bytes.",
        ),
        "malformed": translate(
            "AdminSettings",
            "Lab settings file {file} ignored: it is not an INI file (line {line}).",
        ),
        "unknown_key": translate(
            "AdminSettings", "Lab settings file {file}: unknown setting '{key}' ignored."
        ),
        "bad_value": translate(
            "AdminSettings",
            "Lab settings file {file}: '{value}' is not allowed for '{key}'; ignored.",
        ),
        "unknown_locked_key": translate(
            "AdminSettings",
            "Lab settings file {file}: admin/locked names an unknown setting '{key}'.",
        ),
    }
    text = texts.get(problem.message) or translate(
        "AdminSettings", "Lab settings file {file}: a line was ignored."
    )
    return text.format_map(_Values(problem.values, file=problem.file))


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:  # a value the model did not give: never a KeyError
        return "?"
