"""Errors as the window shows them: a ConfigError in the interface's language (its wording is
shared with the command line, gradlab.text.errors), anything else as it is."""

from __future__ import annotations

from gradlab.text import errors
from gradlab.ui.i18n import current_language


def error_text(error: BaseException) -> str:
    """``error`` as one sentence in the interface's language."""
    return errors.error_text(error, current_language())
