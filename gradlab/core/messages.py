"""Words for people are made in the UI: the core says what happened as a message id and values.

``Message("zero_grad.grad_none", {"letters": "a, b, c, d"})`` is turned into a sentence in the
user's language by the Qt layer; the core itself never writes one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Message:
    """A message identifier and the values its sentence needs (numbers, names, formulas)."""

    id: str
    values: Mapping[str, float | str] = field(default_factory=lambda: MappingProxyType({}))
