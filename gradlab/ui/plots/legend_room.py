"""A live plot's legend: kept as pixmaps, and given room at the top of its view, so that the
curves run below it, not under it.

A legend in a plot's top corner covered the curves that reached up there (the coefficients'
"b" at 0.85, on every screen size). The plot's y range grows at the top instead, just enough for
the values drawn in the legend's columns to stay below its band (model/plot_ranges.top_below_band,
in round steps, so the axes are rarely re-drawn), and a legend that would take more than 30 % of
the plot's height goes into two columns when they fit its width, in slightly smaller text if
only that way (a network's four tensor norms at 1024×768, whose one column was taller than the
plot and cut off at its bottom). A legend that still takes more than half of the plot covers
some curve: the curves keep the plot.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from numpy.typing import ArrayLike
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem

from gradlab.model.plot_ranges import top_below_band
from gradlab.ui.zoom import pt, whole_pixels, zoom_factor

MAX_BAND_SHARE = 0.5  # of the view's height; a taller legend would leave the curves too little
TWO_COLUMNS_SHARE = 0.3  # a legend taller than this in one column takes two (if they fit)
LEGEND_MARGIN = 6  # pixels between the legend and the view's edges (LivePlot's legend offset)
FIT_VIEW_MARGIN = 8  # pixels: a legend wider than its view less this is hidden (fit_view)
LEGEND_FRAME_MARGINS = (6, 3, 6, 3)  # pixels inside the legend's frame: left, top, right, bottom
COMPACT_FRAME_MARGINS = (3, 2, 3, 2)  # a compact legend's (a network's six tensors at 1024×768)
VIEW_PADDING = 0.04  # LivePlot.frame's padding: what the view shows beyond the range set
LEGEND_POINTS, SMALL_LEGEND_POINTS = 8, 7  # a legend's text at 100 % zoom: usual, compact
COMPACT_COLUMN_GAP = 3  # pixels between a compact legend's samples and labels
# how a curve's line reads in text, for the key a hidden legend leaves in the view's tooltip
LINE_MARKS = {
    Qt.PenStyle.SolidLine: "━━━",
    Qt.PenStyle.DashLine: "━ ━",
    Qt.PenStyle.DotLine: "┅┅┅",
    Qt.PenStyle.DashDotLine: "━·━",
    Qt.PenStyle.DashDotDotLine: "━··",
}


def cache_as_pixmap(item: QGraphicsItem) -> None:
    """Cache ``item`` and everything inside it as pixmaps. A parent's cache holds only its own
    painting: a PlotDataItem paints nothing itself (its curve and scatter children do), and a
    legend's samples and labels are children too, so each descendant needs its own cache."""
    item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    for child in item.childItems():
        cache_as_pixmap(child)


class CachedLegend(pg.LegendItem):
    """A legend kept as pixmaps: the live curves span the whole view, so every frame repaints
    the area under the legend, and re-laying out its text each time costs more than a blit."""

    def __init__(self, **options: object) -> None:
        super().__init__(**options)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        # Qt's 9 px around the entries made a one-entry legend take 55 % of a small plot
        self.layout.setContentsMargins(*LEGEND_FRAME_MARGINS)
        self.compact = False  # in SMALL_LEGEND_POINTS text (set_compact)
        self.usual_spacing = float(self.layout.horizontalSpacing())
        # the widest view a compact legend turned out too wide for, and the zoom it was found
        # at: not tried again up to that width while the zoom is the same (its text then is)
        self._compact_too_wide_for = (-1.0, zoom_factor())

    def addItem(self, item: object, name: str) -> None:  # pyqtgraph names the override
        super().addItem(item, name)
        # a sample redraws itself when clicked (pyqtgraph updates it); a curve hidden by code
        # leaves the legend instead (show_in_legend), so a cached sample never goes stale here
        for part in self.items[-1]:
            cache_as_pixmap(part)

    def set_compact(self, compact: bool) -> bool:
        """Text of SMALL_LEGEND_POINTS and narrow gaps (compact), or the usual ones; True if
        that changed (the legend has its new size after the next layout: geometryChanged)."""
        if compact == self.compact:
            return False
        self.compact = compact
        self.layout.setHorizontalSpacing(COMPACT_COLUMN_GAP if compact else self.usual_spacing)
        margins = COMPACT_FRAME_MARGINS if compact else LEGEND_FRAME_MARGINS
        self.layout.setContentsMargins(*margins)
        self.setLabelTextSize(pt(SMALL_LEGEND_POINTS if compact else LEGEND_POINTS))
        for _sample, label in self.items:
            label.setText(label.text)  # a LabelItem draws the new size only with its text again
        self.updateSize()
        return True

    def compact_fits(self, view_width: float, estimate: bool) -> bool:
        """``estimate`` unless compact text was already found too wide for a view this wide
        (remembered when ``estimate`` is False while the legend is compact)."""
        zoom = zoom_factor()
        too_wide_for, found_at = self._compact_too_wide_for
        if found_at != zoom:  # text of another size: what was found no longer holds
            too_wide_for = -1.0
        if self.compact and not estimate:
            too_wide_for = max(too_wide_for, view_width)
        self._compact_too_wide_for = (too_wide_for, zoom)
        return estimate and view_width > too_wide_for

    def updateSize(self) -> None:  # pyqtgraph names the override
        """Fit the frame to the entries shown now: pyqtgraph measures the entries' current
        widths, which a longer name, since removed or renamed, had stretched; the legend then
        outgrew a narrow plot, and the plot's edge hid the line samples."""
        self.resize(0, 0)  # Qt keeps the layout's minimum: each entry at its own width
        super().updateSize()
        self.fit_view()

    def fit_view(self, *_args: object) -> None:
        """Shown only while it has entries and fits its plot: a legend wider than a narrow
        plot (1024 px screens) would be cut at the plot's edge, its line samples first, one
        taller than a short plot would lose its last entries at the bottom (a key that looks
        whole but is not), and an empty one is a stray little box (the units plot keeps its key
        under the plot)."""
        view = self.parentItem()
        if view is not None:
            room = view.boundingRect()
            fits = (
                self.width() <= room.width() - FIT_VIEW_MARGIN
                and self.height() <= room.height() - LEGEND_MARGIN
            )
            self.setVisible(bool(self.items) and fits)
            # a legend with no room leaves its key where the pointer finds it: on the view
            view.setToolTip(self.key_html() if self.items and not fits else "")

    def key_html(self) -> str:
        """The entries as rich text: each curve's line in its colour and style, its name."""
        rows = []
        for sample, label in self.items:
            options = getattr(sample.item, "opts", {})
            line = pg.mkPen(options.get("pen"))
            if line.style() == Qt.PenStyle.NoPen:  # points only: their colour
                colour, mark = pg.mkBrush(options.get("symbolBrush")).color(), "●"
            else:
                colour, mark = line.color(), LINE_MARKS.get(line.style(), "━━━")
            rows.append(
                f"<span style='color:{colour.name()}'>{mark}</span>&nbsp;{html.escape(label.text)}"
            )
        return "<br>".join(rows)


@dataclass(frozen=True)
class Room:
    """Where a shown legend sits, measured when the view or the legend changes size (not at
    every frame: measuring pyqtgraph items calls back into Python, ~0.15 ms a plot)."""

    share: float  # of the view's height, with the margins
    reach: float  # of the view's width, from its right edge to the legend's left edge


def measure_room(legend: pg.LegendItem, view: pg.ViewBox) -> Room | None:
    """The legend's room in ``view`` (columns fitted first); None when it is not shown or
    takes more than MAX_BAND_SHARE of the height (it covers some curve then)."""
    fit_columns(legend, view)
    height, width = float(view.boundingRect().height()), float(view.boundingRect().width())
    if not legend.isVisible() or not legend.items or height <= 0 or width <= 0:
        return None
    box = legend.boundingRect()
    share = (float(box.height()) + 2 * LEGEND_MARGIN) / height
    if share > MAX_BAND_SHARE:
        return None
    return Room(share, (float(box.width()) + LEGEND_MARGIN + 3) / width)


def fit_columns(legend: pg.LegendItem, view: pg.ViewBox) -> None:
    """Two columns for a legend of three or more entries that would take more than
    TWO_COLUMNS_SHARE of the view's height in one, when two fit the view's width (a
    CachedLegend's in compact text if they fit only so); else one. (A legend wider than its plot
    is hidden, CachedLegend.fit_view: judged hidden or shown.)"""
    entries, columns = len(legend.items), int(legend.columnCount)
    height, width = float(view.boundingRect().height()), float(view.boundingRect().width())
    box = legend.boundingRect()
    cached = legend if isinstance(legend, CachedLegend) else None  # only these can be compact
    compact = cached is not None and cached.compact
    wanted_compact = False
    if entries < 3 or height <= 0 or box.isEmpty():
        wanted = 1
    else:
        row_height = float(box.height()) / max(math.ceil(entries / columns), 1)
        one_column = (row_height * entries + 2 * LEGEND_MARGIN) / height
        two_wide = float(box.width())
        left, _top, right, _bottom = legend.layout.getContentsMargins()
        if columns == 1:  # the entries twice, the gap between them, the frame's margins once
            two_wide = 2 * two_wide - left - right + float(legend.layout.horizontalSpacing())
        # judged at the usual text size, so that the choice does not flip back and forth;
        # the labels and the gaps between the columns shrink (the samples are 20 px always),
        # the labels as the text's whole pixels do (9 px for 11: 7/8 guessed ~5 px too wide)
        ratio = whole_pixels(SMALL_LEGEND_POINTS) / whole_pixels(LEGEND_POINTS)
        labels = 2 * max((float(label.boundingRect().width()) for _s, label in legend.items))
        spacing = float(legend.layout.horizontalSpacing())
        # the samples: what neither text size nor frame changes (3 gaps: sample | label | ...)
        fixed = two_wide - labels - 3 * spacing - left - right
        if compact:
            labels /= ratio
        usual_frame = LEGEND_FRAME_MARGINS[0] + LEGEND_FRAME_MARGINS[2] if cached else left + right
        usual_gaps = 3 * (cached.usual_spacing if cached else spacing)
        usual_wide = fixed + usual_frame + labels + usual_gaps
        compact_frame = COMPACT_FRAME_MARGINS[0] + COMPACT_FRAME_MARGINS[2]
        compact_wide = fixed + compact_frame + labels * ratio + 3 * COMPACT_COLUMN_GAP
        room = width - FIT_VIEW_MARGIN  # CachedLegend.fit_view would hide a wider one
        fits = usual_wide <= room
        fits_compact = compact_wide <= room  # estimated: tried, then measured
        if compact and columns == 2:  # measured: the estimate may have been short
            fits_compact = two_wide <= room
        fits_compact = cached is not None and cached.compact_fits(width, fits_compact)
        two = one_column > TWO_COLUMNS_SHARE and (fits or fits_compact)
        wanted = 2 if two else 1
        wanted_compact = two and not fits
    if cached is not None:
        cached.set_compact(wanted_compact)
    if columns != wanted:
        legend.setColumnCount(wanted)


def largest_under(
    room: Room, xs: Sequence[ArrayLike], ys: Sequence[ArrayLike], x_range: tuple[float, float]
) -> float | None:
    """The largest value drawn in the legend's columns (right-hand corner) once the view shows
    ``x_range``: of each curve (xs[i], ys[i], x ascending) from the legend's left edge on, and
    of the values in ys beyond xs (horizontal lines across the plot). NaN-free input expected
    (what LivePlot.set_curve drew)."""
    low, high = x_range
    span = high - low
    if span <= 0:
        return None
    view_low, view_high = low - VIEW_PADDING * span, high + VIEW_PADDING * span
    left = view_high - room.reach * (view_high - view_low)
    largest = -math.inf
    for index, values in enumerate(ys):
        y = np.asarray(values, dtype=np.float64).ravel()
        if index < len(xs):
            x = np.asarray(xs[index], dtype=np.float64)
            y = y[int(np.searchsorted(x, left)) :]
        if y.size:
            largest = max(largest, float(y.max()))
    return largest if math.isfinite(largest) else None


def y_range_below_legend(
    room: Room,
    xs: Sequence[ArrayLike],
    ys: Sequence[ArrayLike],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    largest: float,
    log_y: bool,
) -> tuple[float, float]:
    """``y_range`` (log10 units on a log axis) with its top raised so that the curves stay
    below the legend's band; unchanged when they already do. ``largest``: the largest value
    of all (a value, not a log), which spares the search under the legend when even it stays
    below the band (a converged run's flat curves: at most frames)."""
    low, high = y_range
    if largest <= 0 and log_y:
        return y_range
    top_of_all = math.log10(largest) if log_y else largest
    if top_of_all <= high - room.share * (high - low):
        return y_range
    under = largest_under(room, xs, ys, x_range)
    if under is None or (log_y and under <= 0):
        return y_range
    if log_y:
        under = math.log10(under)
    # the view shows VIEW_PADDING more on each side: for a band of at most half its height
    # that only lifts the band's lower edge, so the curves stay below it all the same
    return (low, top_below_band(low, high, under, room.share))
