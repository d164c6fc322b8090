"""The hidden units of a network's first layer on the x axis: where each one bends.

A unit computes act(w·x + b); its tanh or sigmoid is centred, its ReLU kinked, its GELU bent at
x = −b/w. The plot sits under the fit plot and shares its x axis, so each marker stands under
the place where that unit's grey curve above turns. A marker's height is the unit's slope w (how
sharply it switches, and which way), its size how much the next layer uses it (|output weight|),
its colour and shape the output weight's sign. The data's x range is shaded: a unit whose marker
has left it bends where there are no data, and only its flank is used. Markers beyond the plot's
edges are drawn at the edge as arrows pointing the way they went.

The numbers come from gradlab.core.network.first_layer_units; the LiveView calls ``draw`` on its
redraw timer, which does nothing while the plot is hidden (a polynomial, or another tab).
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QWidget

from gradlab.core.config import ModelConfig
from gradlab.core.network import FirstLayerUnits, first_layer_units
from gradlab.model.plot_ranges import nice_span
from gradlab.ui.flow_layout import FlowLayout
from gradlab.ui.palette import colour, curve_colour
from gradlab.ui.plots.base import LivePlot, pen, with_alpha
from gradlab.ui.zoom import SMALL, line_width, pt, set_font_ratio, zoom_manager

SMALLEST, LARGEST = 6.0, 16.0  # marker diameters (px at 100 %) for the least and most used unit
EDGE_SYMBOLS = ("t3", "t2")  # arrows pointing left and right, for units beyond the edges
MIN_HEIGHT = 110  # pixels: a strip under the fit plot, not a fifth full-size plot


def marker_reach_px() -> float:
    """How far the largest marker reaches from its centre, in pixels at the current zoom."""
    return line_width(1.0) * LARGEST / 2 + 1  # and the edge pixel of its antialiasing


class UnitsPlot(LivePlot):
    """Markers of the first layer's units: x = −b/w, y = w, size = |output weight|."""

    shown = Signal()  # on screen again: the LiveView redraws what it skipped while hidden

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "unitsPlot",
            self.tr("Hidden units at x = −b/w"),
            "x",
            self.tr("slope w"),
            x_name="x = −b/w",
            y_name="w",
            parent=parent,
        )
        self.setMinimumSize(200, MIN_HEIGHT)
        item = self.getPlotItem()
        item.setTitle(item.titleLabel.text, size=pt(9), color=colour("plot_text"))  # a strip
        # no legend inside: the strip is low, and a legend would hide the markers; the key is
        # a row under the plot (``key``, placed by the grid) whose entries wrap whole: one
        # wrapped label broke "大小：|输出权重|" inside its words in a narrow window
        self.legend.hide()
        self.key = QWidget()
        self.key.setObjectName("unitsKey")
        flow = FlowLayout(self.key)
        self.key_entries = [QLabel(self.key) for _ in range(3)]  # mark and words, one per sign
        for entry in self.key_entries:
            entry.setTextFormat(Qt.TextFormat.RichText)
            set_font_ratio(entry, SMALL)
            flow.addWidget(entry)
        self.signed = True
        self.data_band = pg.LinearRegionItem(
            values=(0.0, 1.0),
            movable=False,
            brush=pg.mkBrush(with_alpha(colour("train"), 18)),
            pen=pen(colour("train"), 1, style=Qt.PenStyle.DashLine),
        )
        self.data_band.setZValue(-10)
        item.addItem(self.data_band, ignoreBounds=True)
        self.data_label = pg.TextItem(self.tr("data"), color=colour("train"), anchor=(0, 0))
        item.addItem(self.data_label, ignoreBounds=True)
        self.zero_line = pg.InfiniteLine(
            angle=0, movable=False, pen=pen(colour("faint"), 1, style=Qt.PenStyle.DotLine)
        )
        item.addItem(self.zero_line, ignoreBounds=True)
        self.cache_static(self.data_band, self.zero_line)
        shades = (curve_colour(0), curve_colour(1))
        # one scatter per sign of the output weight (circles and squares: not colour alone)
        self.positive = self._markers(shades[0], "o")
        self.negative = self._markers(shades[1], "s")
        self.unsigned = self._markers(shades[0], "o")
        self.beyond = pg.ScatterPlotItem(pen=None)  # units past the plot's edges, as arrows
        item.addItem(self.beyond, ignoreBounds=True)
        self.units: FirstLayerUnits | None = None
        self.draw_count = 0  # redraws done (a hidden plot does none)
        self._y_range: tuple[float, float] | None = None  # set by the first markers
        item.vb.sigXRangeChanged.connect(lambda *_args: self._on_x_range())
        item.vb.sigResized.connect(lambda *_args: self._place_beyond())  # insets are in pixels
        zoom_manager().changed.connect(self._on_zoom)  # a bound slot: gone with the plot
        self.retranslate_ui()  # the key

    def _markers(self, shade: str, symbol: str) -> pg.ScatterPlotItem:
        """A scatter of unit markers (each spot its own size)."""
        markers = pg.ScatterPlotItem(size=line_width(9), pen=None, brush=shade, symbol=symbol)
        self.plotItem.addItem(markers)
        return markers

    # ---- what a config fixes ----

    def show_problem(self, x_min: float, x_max: float) -> None:
        """Shade the data's x range."""
        self.data_band.setRegion((min(x_min, x_max), max(x_min, x_max)))
        self._place_label()

    def set_signed(self, signed: bool) -> None:
        """One hidden layer: the output weights have a sign (circles and squares in the key);
        more: the markers' size is the length of each unit's column of W2, and the key says so."""
        self.signed = signed
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """The key, in the current language (made from words and the palette's colours)."""
        shades = (curve_colour(0), curve_colour(1))
        if self.signed:
            parts = [
                (shades[0], "●", self.tr("positive")),
                (shades[1], "■", self.tr("negative output weight")),
                (colour("faint"), "•", self.tr("size: |output weight|")),
            ]
        else:
            parts = [(shades[0], "●", self.tr("size: ‖its weights in layer 2‖"))]
        for index, entry in enumerate(self.key_entries):
            if index < len(parts):
                shade, mark, words = parts[index]
                mark = f"<span style='color:{shade}'>{mark}</span>"
                entry.setText(f"{mark}&nbsp;{html.escape(words)}")
            entry.setVisible(index < len(parts))

    def set_colours(self) -> None:
        """Another theme (the theme manager calls it): the key's marks and the arrows follow."""
        self.retranslate_ui()
        self._show_units()

    # ---- drawing ----

    def draw(self, model: ModelConfig, theta: np.ndarray | None) -> None:
        """Place the markers for the parameters ``theta`` (None: no run)."""
        if not self.isVisible():
            return  # hidden: nothing per frame; ``shown`` asks for a redraw
        self.draw_count += 1
        if theta is None or theta.size != model.parameter_count:
            self.units = None
        else:
            with np.errstate(all="ignore"):  # a diverging run: dropped, not drawn
                self.units = first_layer_units(model, theta)
        self._show_units()

    def clear_run(self) -> None:
        self.units = None
        self._show_units()

    def _show_units(self) -> None:
        units = self.units
        if units is None:
            for curve in (self.positive, self.negative, self.unsigned):
                curve.setData([], [])
            self.beyond.setData([], [])
            return
        x, y, weight = units.centres, units.slopes, units.outgoing
        keep = np.isfinite(x) & np.isfinite(y) & np.isfinite(weight)
        sizes = self._sizes(np.abs(weight))
        parts: tuple[tuple[pg.ScatterPlotItem, np.ndarray], ...]
        if units.signed:
            parts = ((self.positive, keep & (weight >= 0)), (self.negative, keep & (weight < 0)))
            self.unsigned.setData([], [])
        else:
            parts = ((self.unsigned, keep),)
            for curve in (self.positive, self.negative):
                curve.setData([], [])
        for curve, chosen in parts:
            curve.setData(x[chosen], y[chosen], size=sizes[chosen])
        self._frame_y(y[keep])
        self._place_beyond()

    def _sizes(self, weight: np.ndarray) -> np.ndarray:
        """Marker diameters: the most used unit LARGEST, an unused one SMALLEST (zoomed)."""
        finite = weight[np.isfinite(weight)]
        largest = float(finite.max()) if finite.size else 0.0
        share = weight / largest if largest > 0 else np.zeros_like(weight)
        share = np.nan_to_num(share, nan=0.0)
        return np.asarray(line_width(1.0) * (SMALLEST + (LARGEST - SMALLEST) * share))

    def _frame_y(self, slopes: np.ndarray) -> None:
        """Symmetric about w = 0 (a unit's sign matters), growing in round steps."""
        if self.following is False:
            return
        reach = float(np.max(np.abs(slopes))) if slopes.size else 1.0
        reach = max(reach, 0.5)
        low, high = nice_span(-reach, reach, self._y_range or (0.0, 0.0))
        bound = max(abs(low), abs(high))
        if (-bound, bound) != self._y_range:
            self._y_range = (-bound, bound)
            self.plotItem.vb.setYRange(-bound, bound, padding=0.08)
            self._place_label()

    def _place_label(self) -> None:
        """ "data" at the top of the band's left edge (inside the plot if that edge is not)."""
        (left, _right), (_low, high) = self.plotItem.vb.viewRange()
        self.data_label.setPos(max(self.data_band.getRegion()[0], left), high)

    @Slot(float)
    def _on_zoom(self, _factor: float) -> None:
        """The markers' sizes at the new zoom (the zoom scaled every spot alike)."""
        self._show_units()

    def _on_x_range(self) -> None:
        self._place_label()
        self._place_beyond()

    def _place_beyond(self) -> None:
        """Units whose centre lies beyond the shown x range: an arrow at that edge."""
        units = self.units
        if units is None:
            self.beyond.setData([], [])
            return
        (left, right), _y = self.plotItem.vb.viewRange()
        x, y = units.centres, units.slopes
        sizes = self._sizes(np.abs(units.outgoing))
        spots = []
        width = float(self.plotItem.vb.boundingRect().width())
        per_pixel = (right - left) / width if width > 0 else 0.0
        for index in range(x.size):
            if not (np.isfinite(x[index]) and np.isfinite(y[index])):
                continue
            if left <= x[index] <= right:
                continue
            side = 0 if x[index] < left else 1
            shade = self._shade(units, index)
            inset = (float(sizes[index]) / 2 + 1) * per_pixel  # the whole arrow inside the view
            spots.append(
                {
                    "pos": (left + inset if side == 0 else right - inset, float(y[index])),
                    "size": float(sizes[index]),
                    "symbol": EDGE_SYMBOLS[side],
                    "brush": pg.mkBrush(shade),
                    "pen": None,
                }
            )
        self.beyond.setData(spots)

    @staticmethod
    def _shade(units: FirstLayerUnits, index: int) -> str:
        negative = units.signed and units.outgoing[index] < 0
        return curve_colour(1) if negative else curve_colour(0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.shown.emit()
