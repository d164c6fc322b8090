"""A small typed observer: ``Event[T]`` holds callbacks and calls them with one value.

The models emit in the thread that changes them (the GUI thread); views connect their update
methods. Kept tiny on purpose: no queued delivery, no weak references — a view that outlives its
model is a bug the tests catch, and a view disconnects what it connected when it goes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Event(Generic[T]):
    """Callbacks called, in connection order, with each emitted value."""

    __slots__ = ("_callbacks", "name")

    def __init__(self, name: str = "") -> None:
        self.name = name
        self._callbacks: list[Callable[[T], object]] = []

    def connect(self, callback: Callable[[T], object]) -> Callable[[T], object]:
        """Call ``callback(value)`` on every emit; returns it (usable as a decorator)."""
        self._callbacks.append(callback)
        return callback

    def disconnect(self, callback: Callable[[T], object]) -> None:
        """Forget ``callback`` (no error if it was not connected)."""
        try:
            self._callbacks.remove(callback)
        except ValueError:
            pass

    def emit(self, value: T) -> None:
        """Call every callback with ``value``; a copy of the list, so callbacks may disconnect."""
        for callback in list(self._callbacks):
            callback(value)

    def __len__(self) -> int:
        return len(self._callbacks)

    def __repr__(self) -> str:
        return f"Event({self.name!r}, {len(self._callbacks)} callbacks)"
