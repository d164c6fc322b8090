"""Python's cyclic garbage collector kept from holding up the window while PyTorch loads.

A full collection walks every object the collector tracks, holding Python's lock meanwhile:
~80,000 objects once the window is built, ~340,000 once PyTorch is loaded. While PyTorch loaded
in the background, such passes over its growing module graph ran 4-6 times and held the GUI
thread 150-260 ms each (measured); after it, one at a Reset held it 157-231 ms.

So the collector pauses during the import, and then everything alive is frozen out of its
sight (PyTorch's modules and the window, whole by then, live as long as the process): later
passes walk only what was made since. The price, once per process: cycles that were already
garbage then are never freed (~8,400 objects after PyTorch's import, measured).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collection meanwhile (an import of many modules); everything alive is frozen after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
