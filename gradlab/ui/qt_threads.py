"""Qt paints in the GUI thread alone, so the training thread keeps its core to itself.

Qt's raster engine splits a large fill or blend (a plot's background, a blit of a cached pixmap)
into parts that it hands to a pool of ``QThread.idealThreadCount()`` threads, and the GUI thread
waits for them. On a 2-core PC one of those threads runs on the core that is training, at every
frame: the training step then cost 20-40 % more CPU time beside the redraws (measured with
``bench_frame.py --bounds``; with the pool off, 0-5 %), and the GUI thread's context switches
halved (perf). The painting itself costs the GUI thread no more CPU without the pool.

Qt reads ``QT_NO_GUI_THREADPOOL`` once, when it first asks for the pool (a first large fill),
so this must run before anything is painted.
"""

from __future__ import annotations

import os

NO_POOL_VARIABLE = "QT_NO_GUI_THREADPOOL"


def paint_in_gui_thread_only() -> None:
    """Turn Qt's GUI thread pool off for this process (see the module docstring)."""
    os.environ[NO_POOL_VARIABLE] = "1"  # Qt checks only that it is set
