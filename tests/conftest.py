"""Shared test set-up: Qt must never look for a display (see ../shared/ENV-NOTES.md)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
