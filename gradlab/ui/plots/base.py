"""LivePlot: a pyqtgraph plot in the theme's colours, labelled axes, a legend and a crosshair
read-out.

Curves are created once and afterwards only get ``setData``. Curves redrawn every frame from
already-decimated points are LiveCurves (``add_live_curve``, painted by Qt without Python);
others are PlotDataItems, with clip-to-view and peak downsampling for long data. What does not
change during a run (axes, legend, reference lines, data points) is cached as pixmaps. Values that
cannot be drawn (NaN, inf, and <= 0 on a log axis) are dropped before they reach a curve,
deliberately rather than by turning pyqtgraph's checks off.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QPen, QWheelEvent
from PySide6.QtWidgets import QGraphicsItem, QLabel, QWidget

from gradlab.model.plot_ranges import decade_span, nice_ceiling, nice_span
from gradlab.ui.palette import colour as role_colour
from gradlab.ui.plots.axes import LogAxis, PairedAxis, SpacedAxis
from gradlab.ui.plots.legend_room import (
    LEGEND_POINTS,
    CachedLegend,
    Room,
    cache_as_pixmap,
    measure_room,
    y_range_below_legend,
)
from gradlab.ui.plots.live_curve import LiveCurve, make_live_curve
from gradlab.ui.plots.title import fit_title
from gradlab.ui.plots.view_box import LazyMenuViewBox
from gradlab.ui.zoom import (
    SMALL,
    body_pt,
    line_width,
    marker_size,
    pt,
    set_font_ratio,
    zoom_by_ctrl_wheel,
)

LEGEND_COLUMN_GAP = 10  # pixels (pyqtgraph's 25): two columns fit a small plot's legend
LIVE_WIDTH = 1  # curves redrawn every frame: 1 px lines take Qt's fast path (~2x cheaper)
MIN_STEP_SPAN = 10  # a step axis shows at least steps 0-10: a first step is not at the edge
LONE_POINT_SIZE = 6  # pixels: the dot that shows a curve of a single point (one step done)
EMPTY_RANGES = {False: (0.0, 1.0), True: (-1.0, 1.0)}  # y of an empty plot (log: 0.1 to 10)


def pen(
    colour: str, width: float = 1.5, *, dashed: bool = False, style: Qt.PenStyle | None = None
) -> QPen:
    """A pen of ``colour`` (#rrggbb), as wide as the zoom says; ``style`` overrides ``dashed``."""
    if style is None:
        style = Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine
    made: QPen = pg.mkPen(colour, width=line_width(width), style=style)
    return made


def with_alpha(colour: str, alpha: int) -> QColor:
    made = QColor(colour)
    made.setAlpha(alpha)
    return made


def drawable(x: np.ndarray, y: np.ndarray, *, positive: bool = False) -> tuple[np.ndarray, ...]:
    """Only the points pyqtgraph can draw: finite, and > 0 for a log axis."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    keep = np.isfinite(x) & np.isfinite(y)
    if positive:
        keep &= y > 0
    return x[keep], y[keep]


def extent(arrays: Sequence[ArrayLike], *, positive: bool = False) -> tuple[float, float] | None:
    """The smallest and largest finite value (> 0 if asked) over ``arrays``; None if none.

    Array by array, two reductions each when all is well: no joined copy of the data."""
    lows, highs = [], []
    for values in arrays:
        v = np.asarray(values, dtype=np.float64).ravel()
        if not v.size:
            continue
        low, high = float(v.min()), float(v.max())  # NaN anywhere makes these NaN
        if not (math.isfinite(low) and math.isfinite(high)) or (positive and low <= 0):
            keep = np.isfinite(v) & (v > 0) if positive else np.isfinite(v)
            v = v[keep]
            if not v.size:
                continue
            low, high = float(v.min()), float(v.max())
        lows.append(low)
        highs.append(high)
    return (min(lows), max(highs)) if lows else None


def format_value(value: float) -> str:
    """Four significant digits, scientific for very large or small numbers."""
    if not math.isfinite(value):
        return str(value)
    return f"{value:.4g}"


class LivePlot(pg.PlotWidget):
    """One titled plot; ``add_curve`` creates the curves it will keep updating."""

    def __init__(
        self,
        object_name: str,
        title: str,
        x_label: str,
        y_label: str,
        *,
        x_name: str = "x",
        y_name: str = "y",
        log_y: bool = False,
        legend_offset: tuple[int, int] = (-6, 6),
        grid: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        axes: dict[str, pg.AxisItem] = {
            "bottom": SpacedAxis("bottom"),
            "left": LogAxis("left") if log_y else PairedAxis("left"),
        }
        super().__init__(
            parent=parent,
            background=role_colour("plot_background"),
            axisItems=axes,
            viewBox=LazyMenuViewBox(),
        )
        self.setObjectName(object_name)
        self.log_y = log_y
        self.x_name, self.y_name = x_name, y_name
        item = self.getPlotItem()
        fit_title(item)  # a long title in a narrow plot takes two lines, never more width
        item.setTitle(title, size=pt(10), color=role_colour("plot_text"))
        for side, text in (("bottom", x_label), ("left", y_label)):
            item.setLabel(side, text, color=role_colour("plot_axis"), **{"font-size": body_pt()})
            item.getAxis(side).setTickFont(self.font())
            item.getAxis(side).setTextPen(role_colour("plot_axis"))
            item.getAxis(side).setPen(role_colour("plot_axis"))
            item.getAxis(side).enableAutoSIPrefix(False)  # "value (x0.001)" puzzles students
            # replaying an axis's text costs ~2 ms per repaint; a cached pixmap costs ~nothing
            item.getAxis(side).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        for side in ("top", "right"):  # hidden, but pyqtgraph re-lays out their label's HTML
            item.getAxis(side).enableAutoSIPrefix(False)  # on every range change (each frame)
        # horizontal grid lines only, and none where dashed reference lines do the job:
        # a full grid doubles the cost of every repaint (measured), which slows training
        item.showGrid(x=False, y=grid, alpha=0.15)
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
        item.setLogMode(x=False, y=log_y)
        item.setMenuEnabled(True)
        self.legend = CachedLegend(
            offset=legend_offset,  # negative: from the right / bottom edge
            horSpacing=LEGEND_COLUMN_GAP,
            labelTextSize=pt(LEGEND_POINTS),
            labelTextColor=role_colour("plot_text"),
            brush=pg.mkBrush(with_alpha(role_colour("legend_background"), 190)),
            pen=pg.mkPen(role_colour("border")),
        )
        self.legend.setParentItem(item.vb)
        # frame() keeps the curves below a legend at the top (a plot that places its own, the
        # fit plot, turns this off)
        self.legend_band = legend_offset[1] >= 0
        # the legend's room depends on its size and the view's: framed again when they change
        # (a short run can end before the legend has its size, and frame() is not called again)
        self._last_frame: tuple[Sequence[ArrayLike], Sequence[ArrayLike]] | None = None
        self._legend_room: Room | None = None  # measured by _frame_again
        self._reframe = QTimer(self)
        self._reframe.setSingleShot(True)
        self._reframe.setInterval(0)
        self._reframe.timeout.connect(self._frame_again)
        item.vb.sigResized.connect(self._reframe.start)
        self.legend.geometryChanged.connect(self._reframe.start)
        item.vb.sigResized.connect(self.legend.fit_view)
        item.legend = self.legend  # named curves added later go here (as addLegend() does)
        cross = pen(role_colour("crosshair"), 1, style=Qt.PenStyle.DotLine)
        self._v_line = pg.InfiniteLine(angle=90, movable=False, pen=cross)
        self._h_line = pg.InfiniteLine(angle=0, movable=False, pen=cross)
        for line in (self._v_line, self._h_line):
            line.hide()
            item.addItem(line, ignoreBounds=True)
        self.readout = QLabel(self)
        self.readout.setObjectName(f"{object_name}Readout")
        self.readout.setStyleSheet(
            f"background: {role_colour('legend_background')}; color: {role_colour('plot_text')};"
            f" border: 1px solid {role_colour('readout_border')}; border-radius: 3px;"
            " padding: 1px 4px;"
        )
        set_font_ratio(self.readout, SMALL)
        self.readout.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.readout.hide()
        self._mouse = pg.SignalProxy(
            self.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse_moved
        )
        # two plots side by side fit the lab column of a 1024 px screen, beside both docks
        self.setMinimumSize(180, 150)
        # Framing is done here, not by pyqtgraph's auto-range: that one settles at paint time
        # and so repaints every plot twice per frame (measured). Following stops when the
        # student pans or zooms, and resumes with the plot's "A" button.
        self.following = True
        self._framed: tuple[tuple[float, float], tuple[float, float]] | None = None
        item.vb.disableAutoRange()
        self._live_curves: list[LiveCurve] = []
        self._lone_points: dict[int, pg.ScatterPlotItem] = {}  # id(live curve) -> its dot
        self.tolerant = False  # see set_tolerant
        item.vb.sigRangeChanged.connect(self._on_range_changed)
        item.vb.sigResized.connect(self._on_range_changed)  # a pixel is another span of values
        item.vb.sigRangeChangedManually.connect(self._on_range_changed_by_hand)

    def add_curve(
        self,
        name: str | None,
        colour: str,
        width: float = 1.5,
        *,
        dashed: bool = False,
        **options: object,
    ) -> pg.PlotDataItem:
        """A curve (a scatter with ``symbol=...``) kept for ``setData``; in the legend if named."""
        if isinstance(options.get("symbolSize"), (int, float)):
            options["symbolSize"] = marker_size(options["symbolSize"])  # type: ignore[arg-type]
        if "symbol" in options:
            curve = self.plotItem.plot([], [], pen=None, name=name, **options)
        else:
            curve = self.plotItem.plot(
                [], [], pen=pen(colour, width, dashed=dashed), name=name, **options
            )
        return curve

    def add_live_curve(
        self,
        name: str | None,
        colour: str,
        width: float = LIVE_WIDTH,
        *,
        style: Qt.PenStyle = Qt.PenStyle.SolidLine,
    ) -> LiveCurve:
        """A curve redrawn every frame from already-decimated points (see live_curve.py): Qt
        paints it without calling back into Python. In the legend if named."""
        curve = make_live_curve(pen(colour, width, style=style), name, log_y=self.log_y)
        self.plotItem.addItem(curve)
        curve.set_view_range(*self.plotItem.vb.viewRange())
        self._live_curves.append(curve)
        self._set_tolerances()
        if name is not None:
            self.legend.addItem(curve, name)
        return curve

    def cache_static(self, *items: QGraphicsItem) -> None:
        """Keep items that do not change during a run (reference lines, the data points) as
        pixmaps: a live repaint then blits them instead of redrawing dashes and dots."""
        for item in items:
            cache_as_pixmap(item)

    def set_curve(
        self, curve: pg.PlotDataItem, x: np.ndarray, y: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Draw (x, y) on ``curve``, dropping what cannot be drawn on this plot's axes;
        returns what was drawn (for ``frame``)."""
        x, y = drawable(x, y, positive=self.log_y)
        curve.setData(x, y)
        if isinstance(curve, LiveCurve):
            self._show_lone_point(curve, x, y)
        return x, y

    def _show_lone_point(self, curve: LiveCurve, x: np.ndarray, y: np.ndarray) -> None:
        """A line through one point draws nothing: a single step done shows as a dot."""
        dot = self._lone_points.get(id(curve))
        if x.size != 1:
            if dot is not None and dot.isVisible():
                dot.hide()
            return
        if dot is None:
            colour = pg.mkPen(curve.opts["pen"]).color()
            dot = pg.ScatterPlotItem(
                size=line_width(LONE_POINT_SIZE), pen=None, brush=pg.mkBrush(colour)
            )
            dot.setZValue(curve.zValue() + 1)
            self.plotItem.addItem(dot, ignoreBounds=True)
            self._lone_points[id(curve)] = dot
        shown_y = np.log10(y) if self.log_y else y  # the view's y is log10 on a log axis
        dot.setData(x, shown_y)
        dot.show()

    def frame(self, xs: Sequence[ArrayLike], ys: Sequence[ArrayLike]) -> None:
        """Show all of the data drawn (values, not logs), unless the student moved the view.

        The range moves in round steps (x up to the next 1, 2 or 5 × 10ⁿ; y by whole decades
        on a log axis) and only when the data outgrows it: the axes then keep their drawing
        from frame to frame, and repainting them is most of the cost of a live plot."""
        view = self.plotItem.vb
        if any(view.autoRangeEnabled()):  # the "A" button: follow the data again
            self.follow_data()
            view.disableAutoRange()
        if not self.following:
            return
        self._last_frame = (xs, ys)
        x_extent = extent(xs)
        y_extent = extent(ys, positive=self.log_y)
        x_now, y_now = self._framed or view.viewRange()
        ranges = {"xRange": tuple(x_now), "yRange": tuple(y_now)}
        if x_extent is not None:
            low, high = x_extent
            ranges["xRange"] = (
                (min(low, 0.0), nice_ceiling(max(high, MIN_STEP_SPAN)))
                if low >= 0
                else nice_span(low, high, x_now)
            )
        if y_extent is not None:
            low, high = y_extent
            if self.log_y:  # the view's y is log10 of the value
                ranges["yRange"] = decade_span(math.log10(low), math.log10(high), y_now)
            else:
                ranges["yRange"] = nice_span(low, high, y_now)
        # nothing to show on an axis: a neutral range, not the axes of a run that is gone
        if x_extent is None:
            ranges["xRange"] = (0.0, float(MIN_STEP_SPAN))
        if y_extent is None:
            ranges["yRange"] = EMPTY_RANGES[self.log_y]
        elif self._legend_room is not None:  # the curves run below the legend, not under it
            ranges["yRange"] = y_range_below_legend(
                self._legend_room, xs, ys, ranges["xRange"], ranges["yRange"], y_extent[1],
                self.log_y,
            )  # fmt: skip
        framed = (ranges["xRange"], ranges["yRange"])
        if framed != self._framed:
            self._framed = framed
            view.setRange(**ranges, padding=0.04, disableAutoRange=True)  # edge labels show
            view.updateMatrix()  # now, not at paint time, where it costs a second repaint

    def follow_data(self) -> None:
        """Frame the data again from the next draw (a new run, or the "A" button)."""
        self.following = True
        self._framed = None
        self._last_frame = None

    def _frame_again(self) -> None:
        """The legend's room measured again (the view or the legend changed size), then the
        last data framed for it."""
        if self.legend_band:
            self._legend_room = measure_room(self.legend, self.plotItem.vb)
        if self._last_frame is not None:
            self.frame(*self._last_frame)

    def set_tolerant(self, tolerant: bool) -> None:
        """While a run trains: live curves keep their path for changes under half a pixel
        (live_curve.py), so a plot whose curves did not visibly move is not repainted. Off: the
        paths are built from the latest values again, exactly."""
        self.tolerant = tolerant
        self._set_tolerances()
        # while training, the value axis keeps its width when its labels get narrower: a new
        # width lays the whole plot out again and repaints all of it (measured: three times in
        # the first 1.5 s of a run on the gradient plot, ~6 ms each); paused, it fits them again
        axis = self.plotItem.getAxis("left")
        if axis.style["autoReduceTextSpace"] == tolerant:
            axis.setStyle(autoReduceTextSpace=not tolerant)
        if not tolerant:
            for curve in self._live_curves:
                curve.refresh()

    def _set_tolerances(self) -> None:
        tolerance = None
        if self.tolerant:
            view = self.plotItem.vb
            (x0, x1), (y0, y1) = view.viewRange()
            rect = view.boundingRect()
            if rect.width() >= 1 and rect.height() >= 1:
                tolerance = (0.5 * (x1 - x0) / rect.width(), 0.5 * (y1 - y0) / rect.height())
        for curve in self._live_curves:
            curve.tolerance = tolerance

    def _on_range_changed(self, *_args: object) -> None:
        x_range, y_range = self.plotItem.vb.viewRange()
        for curve in self._live_curves:
            curve.set_view_range(x_range, y_range)
        self._set_tolerances()

    def _on_range_changed_by_hand(self, *_args: object) -> None:
        self.following = False
        self._framed = None

    def show_in_legend(self, curve: pg.PlotDataItem, name: str, shown: bool) -> None:
        """Add ``curve`` to the legend or take it out (an empty series has no place there)."""
        listed = any(sample.item is curve for sample, _label in self.legend.items)
        if shown and not listed:
            self.legend.addItem(curve, name)
        elif not shown and listed:
            self.legend.removeItem(curve)

    def rename(self, curve: pg.PlotDataItem, name: str) -> None:
        """Change a curve's legend text in place (the legend keeps its order)."""
        changed = False
        for sample, label in self.legend.items:
            if sample.item is curve and label.text != name:
                label.setText(name)
                changed = True
        curve.opts["name"] = name
        if changed:
            self.legend.updateSize()  # a longer name must not be cut off by the old frame

    def readout_text(self, point: QPointF) -> str:
        """What the corner label shows for the view point under the mouse."""
        y = 10.0 ** point.y() if self.log_y else point.y()
        return f"{self.x_name} = {format_value(point.x())}   {self.y_name} = {format_value(y)}"

    def _on_mouse_moved(self, event: tuple[QPointF]) -> None:
        position = event[0]
        view = self.plotItem.vb
        if not view.sceneBoundingRect().contains(position):
            self._hide_crosshair()
            return
        point = view.mapSceneToView(position)
        self._v_line.setPos(point.x())
        self._h_line.setPos(point.y())
        self._v_line.show()
        self._h_line.show()
        self.readout.setText(self.readout_text(point))
        self.readout.adjustSize()
        corner = self.mapFromScene(view.sceneBoundingRect().bottomLeft())
        self.readout.move(corner.x() + 4, corner.y() - self.readout.height() - 4)
        self.readout.show()

    # Handlers, not event filters on the viewport (as other plots have, zoom.track_plot): a
    # live plot repaints at every frame, and a Python filter would run for each repaint.
    def leaveEvent(self, event: QEvent) -> None:  # Qt's name
        self._hide_crosshair()
        super().leaveEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # Qt's name
        """Ctrl+wheel zooms the application, not the plot's range."""
        if not zoom_by_ctrl_wheel(event):
            super().wheelEvent(event)

    def _hide_crosshair(self) -> None:
        self._v_line.hide()
        self._h_line.hide()
        self.readout.hide()
