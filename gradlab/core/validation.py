"""Checking config values: one set of helpers for both labs' settings.

A bad value raises ``ConfigError``. Its English message names the field, the value and the
allowed range (what the command line prints); its fields say the same as data (``message_id``,
``field``, ``value``, ``limits`` or ``allowed``), so a window can put it in the user's language.

Message ids: ``not_a_number``, ``not_an_integer``, ``out_of_range`` (see ``limits``),
``not_a_choice`` (see ``allowed``), ``not_a_boolean``, ``unknown_field``, ``bad_expression``
(the target does not parse), and ids of the checks that fit no pattern, named where they are
raised (e.g. ``x_max_not_above_x_min``, ``too_few_training_points``); ``invalid`` when a
caller gives none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gradlab.core.messages import Message


@dataclass(frozen=True)
class Limits:
    """The allowed range of a number: low < or <= value < or <= high."""

    low: float
    high: float
    open_low: bool = False
    open_high: bool = False
    integer: bool = False

    def contains(self, value: float) -> bool:
        low_ok = value > self.low if self.open_low else value >= self.low
        high_ok = value < self.high if self.open_high else value <= self.high
        return is_finite_number(value) and low_ok and high_ok

    def text(self) -> str:
        """``> 0 and <= 1000``, with integers in full."""
        low = f"{'>' if self.open_low else '>='} {show_number(self.low, self.integer)}"
        high = f"{'<' if self.open_high else '<='} {show_number(self.high, self.integer)}"
        return f"{low} and {high}"


class ConfigError(ValueError):
    """A config value is out of range; the message names the field, the value and the range."""

    def __init__(
        self,
        field_name: str,
        message: str,
        *,
        message_id: str = "invalid",
        value: object = None,
        limits: Limits | None = None,
        allowed: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message)
        self.field = field_name  # dotted path, e.g. "training.lr"
        self.message_id = message_id
        self.value = value
        self.limits = limits
        self.allowed = allowed

    @property
    def details(self) -> Message:
        """The error as a message id and values: field, value, low, high, allowed."""
        values: dict[str, float | str] = {"field": self.field, "value": _value_text(self.value)}
        if self.limits is not None:
            values["low"] = show_number(self.limits.low, self.limits.integer)
            values["high"] = show_number(self.limits.high, self.limits.integer)
            values["range"] = self.limits.text()
        if self.allowed:
            values["allowed"] = ", ".join(self.allowed)
        return Message(f"config.{self.message_id}", values)


def check(
    ok: bool, path: str, message: str, *, message_id: str = "invalid", value: object = None
) -> None:
    """Raise ConfigError(path, message) unless ``ok``."""
    if not ok:
        raise ConfigError(path, message, message_id=message_id, value=value)


def require_choice(path: str, label: str, value: object, allowed: tuple[str, ...]) -> None:
    """``value`` must be one of ``allowed``."""
    if value not in allowed:
        raise ConfigError(
            path,
            choice_message(label, value, allowed),
            message_id="not_a_choice",
            value=value,
            allowed=allowed,
        )


def choice_message(label: str, value: object, allowed: tuple[str, ...]) -> str:
    return f"{label} must be one of {', '.join(allowed)}, got {value!r}"


def require_bool(path: str, label: str, value: object) -> None:
    if not isinstance(value, bool):
        raise ConfigError(
            path,
            f"{label} must be true or false, got {value!r}",
            message_id="not_a_boolean",
            value=value,
        )


def require_number(
    path: str,
    label: str,
    value: object,
    limits: Limits,
) -> None:
    """``value`` must be a number (an int when ``limits.integer``) within ``limits``."""
    integer = limits.integer
    is_number = isinstance(value, int) if integer else isinstance(value, (int, float))
    if isinstance(value, bool) or not is_number:
        kind = "an integer" if integer else "a number"
        raise ConfigError(
            path,
            f"{label} must be {kind}, got {value!r}",
            message_id="not_an_integer" if integer else "not_a_number",
            value=value,
            limits=limits,
        )
    assert isinstance(value, (int, float))
    if not limits.contains(value):
        raise ConfigError(
            path,
            f"{label} must be {limits.text()}, got {show_number(value, integer)}",
            message_id="out_of_range",
            value=value,
            limits=limits,
        )


def is_finite_number(value: object) -> bool:
    """A real number that is not inf or NaN (huge ints count: isfinite would overflow)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return isinstance(value, int) or math.isfinite(value)


def show_number(value: float, integer: bool = False) -> str:
    """Integers in full (a seed limit reads 4294967295, not 4.29497e+09), other numbers as :g."""
    if isinstance(value, int) and (integer or abs(value) > 1e15):
        return str(value)  # also avoids :g overflowing on a huge int
    if integer and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}"


def _value_text(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return show_number(value, isinstance(value, int))
    return repr(value)
