"""An error whose English message is also given as data: a message id and its values.

The English message is what an English reader sees (``str(error)``); ``message_id`` and
``values`` let the interface word the same facts in another language (gradlab.text.file_errors),
so a Chinese window never shows an English detail after a Chinese prefix. ``values["file"]``,
when present, is the file the message is about (shown first, as the English message does).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

_E = TypeVar("_E", bound="WordedError")


class WordedError(ValueError):
    """A one-line problem with a message id and values ("invalid": none given)."""

    def __init__(
        self,
        message: str,
        field: str | None = None,
        *,
        message_id: str = "invalid",
        values: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.field = field
        self.message_id = message_id
        self.values: dict[str, object] = dict(values or {})

    def named(self: _E, name: str) -> _E:
        """The same problem, said of the file ``name`` (``name: message``)."""
        made = type(self)(
            f"{name}: {self}",
            self.field,
            message_id=self.message_id,
            values={**self.values, "file": name},
        )
        return made


def file_error(kind: type[_E], verb: str, error: OSError) -> _E:
    """``cannot read the file (reason)`` or ``cannot write ...`` (``verb``), with the errno."""
    reason = error.strerror or str(error)
    return kind(
        f"cannot {verb} the file ({reason})",
        message_id=f"file_cannot_{verb}",
        values={"reason": reason, "errno": error.errno},
    )
