"""LiveCurve: a curve that is redrawn every frame, painted by Qt alone.

A pyqtgraph PlotDataItem runs a few hundred lines of Python per ``setData`` and per paint
(display-data mapping, bounds, pixel padding), and the GUI thread holds the GIL all along, which
the training thread then waits for. The live curves need none of that: their points are already
decimated (plot_buffer) and finite (``drawable``), so a QGraphicsPathItem holding one QPainterPath
paints and bounds itself in C++. Measured: about half the cost of a PlotDataItem per frame.

The curve keeps what a pyqtgraph legend sample reads (``opts["pen"]``, ``name()``) and answers
``setData``/``getData``/``xData`` like a PlotDataItem. On a log axis it draws log10 of the values
(as pyqtgraph's log mode does). Like pyqtgraph's clip-to-view and ``dynamicRangeLimit``, points
far outside the view are cut or pulled in before they reach Qt, whose rasteriser slows to a crawl
on coordinates like 1e300 (a diverging run seen zoomed in).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

DYNAMIC_RANGE = 1e6  # points beyond this many view heights above/below the view are pulled in
MAX_WIDE_WIDTH = 4.0  # pixels: half of it stays within the view's 2-pixel repaint margin


class LiveCurve(QGraphicsPathItem):
    """A 1-D curve (x, y) drawn with ``pen``; x ascending; see the module docstring."""

    def __init__(self, pen: QPen, name: str | None = None, *, log_y: bool = False) -> None:
        super().__init__()
        self.opts = {"pen": pen, "name": name}  # what pyqtgraph's ItemSample reads
        self.set_pen(pen)
        self.log_y = log_y
        self.xData: np.ndarray | None = None  # the values given, as PlotDataItem keeps them
        self.yData: np.ndarray | None = None
        self._view: tuple[tuple[float, float], tuple[float, float]] | None = None

    def set_pen(self, pen: QPen) -> None:
        """Draw with ``pen`` from now on (the zoom changes its width)."""
        self.opts["pen"] = pen
        drawn = QPen(pen)
        if drawn.isCosmetic() and drawn.widthF() <= 1:
            # width 0 is Qt's 1-pixel cosmetic line: drawn the same, but bounded without
            # stroking the whole path (QGraphicsPathItem strokes it for any wider pen)
            drawn.setWidthF(0)
        self.setPen(drawn)

    def name(self) -> str | None:
        name = self.opts["name"]
        return name if isinstance(name, str) else None

    def setData(self, x: object, y: object) -> None:  # the PlotDataItem spelling
        """Draw (x, y): finite values (and > 0 on a log axis) expected, see ``drawable``."""
        x = np.asarray(x, dtype=np.float64).ravel()
        y = np.asarray(y, dtype=np.float64).ravel()
        if x.shape != y.shape:
            raise ValueError(f"x and y need the same length, got {x.size} and {y.size}")
        self.xData, self.yData = x, y
        self._rebuild()

    def getData(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        return self.xData, self.yData

    def set_view_range(self, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        """The view's ranges (y in log10 units on a log axis): what lies far outside is cut."""
        self._view = (
            (float(x_range[0]), float(x_range[1])),
            (float(y_range[0]), float(y_range[1])),
        )
        if self.xData is not None and self.xData.size:
            self._rebuild()

    def _rebuild(self) -> None:
        x = self.xData if self.xData is not None else np.empty(0)
        y = self.yData if self.yData is not None else np.empty(0)
        if self.log_y:
            with np.errstate(divide="ignore", invalid="ignore"):
                y = np.log10(y)
        finite = np.isfinite(x) & np.isfinite(y)  # so already (set_curve): only a safety net
        if not finite.all():
            x, y = x[finite], y[finite]
        if x.size and self._view is not None:
            x, y = _clip_to_view(x, y, *self._view)
        self.setPath(
            pg.arrayToQPath(x, y, connect="all", finiteCheck=False) if x.size else QPainterPath()
        )


def _clip_to_view(
    x: np.ndarray, y: np.ndarray, x_view: tuple[float, float], y_view: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Keep the points in the view's x range and one more each side (the lines leaving it); pull
    y values more than DYNAMIC_RANGE view heights away in. Qt gets no coordinates that overflow
    its integer device rectangles, whatever the zoom."""
    first = max(int(np.searchsorted(x, x_view[0], side="left")) - 1, 0)
    last = int(np.searchsorted(x, x_view[1], side="right")) + 1
    if first > 0 or last < x.size:
        x, y = x[first:last], y[first:last]
    low, high = y_view
    margin = DYNAMIC_RANGE * max(high - low, 1e-300)
    if y.size and (y.min() < low - margin or y.max() > high + margin):
        y = np.clip(y, low - margin, high + margin)
    return x, y


class WideLiveCurve(LiveCurve):
    """A LiveCurve with a pen a few pixels wide. Qt would bound it by stroking the whole path at
    every change; the path's own rectangle is enough, as the view widens every item's rectangle
    by 2 pixels when it decides what to repaint (no DontAdjustForAntialiasing in pyqtgraph)."""

    def boundingRect(self) -> QRectF:  # Qt names the override
        return self.path().controlPointRect()


def make_live_curve(pen: QPen, name: str | None = None, *, log_y: bool = False) -> LiveCurve:
    """A LiveCurve, or a WideLiveCurve for a pen wider than one pixel."""
    wide = pen.isCosmetic() and 1 < pen.widthF() <= MAX_WIDE_WIDTH
    return (WideLiveCurve if wide else LiveCurve)(pen, name, log_y=log_y)
