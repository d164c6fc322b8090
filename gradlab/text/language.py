"""Which language a command-line run answers in: ``--language``, else the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping

LANGUAGES = ("en", "zh")
FORCED = "GRADLAB_LANGUAGE"  # the same variable the window honours
# POSIX order: LANGUAGE (a list) outranks LC_ALL, which outranks LC_MESSAGES, then LANG
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def normalise_language(code: str | None) -> str:
    """ "zh" for any Chinese locale name ("zh_CN.UTF-8", "zh-Hans", "zh_TW"), else "en"."""
    if code and code.replace("-", "_").lower().split("_")[0].split(".")[0] == "zh":
        return "zh"
    return "en"


def environment_language(environ: Mapping[str, str] | None = None) -> str:
    """The language the environment asks for: GRADLAB_LANGUAGE, else the locale variables.

    LANGUAGE is a colon-separated preference list; the first entry decides. An unset or empty
    variable passes to the next; "C" and "POSIX" mean English.
    """
    env = os.environ if environ is None else environ
    forced = env.get(FORCED, "").strip()
    if forced:
        return normalise_language(forced)
    for name in LOCALE_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            first = value.split(":")[0] if name == "LANGUAGE" else value
            return normalise_language(first)
    return "en"


def chosen_language(option: str | None, environ: Mapping[str, str] | None = None) -> str:
    """``--language`` when given, else the environment's language."""
    return normalise_language(option) if option else environment_language(environ)
