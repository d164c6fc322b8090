"""The landscape's grid, computed on a pool thread: ``GridJob`` runs ``compute_grid`` (NumPy
only) and hands the result, or the error, back to the GUI thread through ``GridSignals``."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, Signal

from gradlab.ui.inside.landscape_grid import GridRequest, compute_grid


class GridSignals(QObject):
    """Lives in the GUI thread: ``done`` arrives there queued, with a GridResult or an error."""

    done = Signal(object)


class GridJob(QRunnable):
    def __init__(self, request: GridRequest, signals: GridSignals) -> None:
        super().__init__()
        self.request = request
        self.signals = signals

    def run(self) -> None:
        try:
            result: object = compute_grid(self.request)
        except Exception as error:  # shown in the dock, never a crash of the pool thread
            result = error
        try:
            self.signals.done.emit(result)
        except RuntimeError:  # the view is gone (window closed): nothing to show it on
            pass
