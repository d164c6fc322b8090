"""Whether a widget can be seen at all: work per batch only for what is on screen."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def on_screen(widget: QWidget) -> bool:
    """True if some of ``widget`` is on screen. ``isVisible()`` alone is not enough: Qt keeps a
    dock that sits behind another dock's tab "visible" and only moves it out of the window."""
    return widget.isVisible() and not widget.visibleRegion().isEmpty()
