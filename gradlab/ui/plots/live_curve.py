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

While a run trains, the plot gives each curve a ``tolerance`` of half a pixel: new values whose
points all lie within it of the points drawn last (same count) keep the old path, so the plot is
not repainted for a change nobody could see (a converged fit, a flat coefficient, a long run's
tail growing by less than a pixel per frame). ``xData``/``yData`` are always the values given.
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
        # (x, y in view units) of the values the path was last built from; see the docstring
        self._drawn: tuple[np.ndarray, np.ndarray] | None = None
        self.tolerance: tuple[float, float] | None = None  # view units (log10 for y on a log axis)

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
        shown = self._shown(y)
        if not self._moved_visibly(x, shown):
            return
        self._rebuild(shown)

    def refresh(self) -> None:
        """Build the path from the latest values if it was kept for a sub-pixel change."""
        if self.xData is not None and self.yData is not None:
            x, shown = self.xData, self._shown(self.yData)
            drawn = self._drawn
            if drawn is None or not (
                np.array_equal(drawn[0], x) and np.array_equal(drawn[1], shown, equal_nan=True)
            ):
                self._rebuild(shown)

    def _shown(self, y: np.ndarray) -> np.ndarray:
        """y in view units: log10 on a log axis."""
        if not self.log_y:
            return y
        with np.errstate(divide="ignore", invalid="ignore"):
            shown: np.ndarray = np.log10(y)
        return shown

    def _moved_visibly(self, x: np.ndarray, shown: np.ndarray) -> bool:
        """False if every point lies within ``tolerance`` of the one drawn last (NaN or inf
        anywhere, or another number of points: True)."""
        tolerance, drawn = self.tolerance, self._drawn
        if tolerance is None or drawn is None or drawn[0].shape != x.shape or not x.size:
            return True
        with np.errstate(invalid="ignore", over="ignore"):
            still = np.max(np.abs(x - drawn[0])) <= tolerance[0] and (
                np.max(np.abs(shown - drawn[1])) <= tolerance[1]
            )
        return not still

    def getData(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        return self.xData, self.yData

    def set_view_range(self, x_range: tuple[float, float], y_range: tuple[float, float]) -> None:
        """The view's ranges (y in log10 units on a log axis): what lies far outside is cut."""
        self._view = (
            (float(x_range[0]), float(x_range[1])),
            (float(y_range[0]), float(y_range[1])),
        )
        if self.xData is not None and self.yData is not None and self.xData.size:
            self._rebuild(self._shown(self.yData))

    def _rebuild(self, shown: np.ndarray) -> None:
        """Build the path from xData and ``shown`` (yData in view units)."""
        x = self.xData if self.xData is not None else np.empty(0)
        y = shown
        self._drawn = (x, y)
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
