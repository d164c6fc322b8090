"""The fit: data points, the target curve, the best possible fit (dashed) and the current one."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtWidgets import QWidget

from gradlab.core.data import Dataset
from gradlab.ui.palette import colour
from gradlab.ui.plots.base import LivePlot, drawable, with_alpha
from gradlab.ui.plots.legend_room import LEGEND_MARGIN, LEGEND_POINTS, SMALL_LEGEND_POINTS
from gradlab.ui.plots.units import marker_reach_px
from gradlab.ui.zoom import pt

MAX_SCATTER_POINTS = 4000  # a million training points still draw as a few thousand dots
# (legend point, view point, offset sign) per corner, in the order tried when several are free
CORNERS = (
    ((0, 0), (0, 0), (1, 1)),  # top left
    ((1, 0), (1, 0), (-1, 1)),  # top right
    ((0, 1), (0, 1), (1, -1)),  # bottom left
    ((1, 1), (1, 1), (-1, -1)),  # bottom right
)


def _thin(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    stride = max(1, int(np.ceil(x.size / MAX_SCATTER_POINTS)))
    return x[::stride], y[::stride]


class FitPlot(LivePlot):
    """y against x: what the polynomial looks like next to the data it learns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("fitPlot", self.tr("Fit"), "x", "y", legend_offset=(6, 6), parent=parent)
        self.legend_band = False  # place_legend chooses its corner, columns and band itself
        self.points = self.add_curve(
            self.tr("training points"),
            colour("train"),
            symbol="o",
            symbolSize=4,
            symbolPen=None,
            symbolBrush=with_alpha(colour("train"), 90),
        )
        self.validation_points = self.add_curve(
            self.tr("validation points"),
            colour("validation"),
            symbol="o",
            symbolSize=5,
            symbolPen=None,
            symbolBrush=with_alpha(colour("validation"), 170),
        )
        self.target = self.add_curve(self.tr("target"), colour("target"), 1.2)
        self.optimum = self.add_curve(
            self.tr("best possible fit"), colour("optimum"), 2, dashed=True
        )
        self.cache_static(self.points, self.validation_points, self.target, self.optimum)
        for dots in (self.points, self.validation_points):
            # thinned already (_thin) and drawn only where the view is (pyqtgraph's scatter
            # skips the points outside it): nothing to redo when the range changes, where
            # pyqtgraph rebuilt every dot, ~10 ms at each of the range changes a Start makes
            dots.setClipToView(False)
            dots.setDownsampling(auto=False)
            dots.setDynamicRangeLimit(None)
        self.prediction = self.add_live_curve(self.tr("current fit"), colour("prediction"), 2.5)
        self.unit_curves: list[pg.PlotDataItem] = []  # a network's hidden units, when shown
        # where the data ends, when the plot reaches beyond it (data.plot_margin)
        edge_pen = pg.mkPen(colour("muted"), width=1.2, style=Qt.PenStyle.DashLine)
        self.data_edges = [pg.InfiniteLine(angle=90, pen=edge_pen) for _ in range(2)]
        for edge in self.data_edges:
            edge.setVisible(False)
            self.plotItem.addItem(edge, ignoreBounds=True)
        self.data_edges_key = self.add_curve(None, colour("muted"), 1.2, dashed=True)
        self.data_range: tuple[float, float] | None = None
        self._target_label: str | None = None  # the data's target, named again by retranslate_ui
        self._data_xy = np.empty((0, 2))  # what the legend must not cover (points and curves)
        # the arrays show_problem drew last (dataset, grid, target, optimum): compared by identity
        self._problem_shown: tuple[object, ...] = (None, None, None, None)
        self.legend_corner = 0
        self._base_y: tuple[float, float] | None = None  # the data's framing, before any band
        self._x_ends: tuple[float, float] | None = None  # the grid's ends, framed with room
        self._x_set: tuple[float, float] | None = None  # the x range that framing set
        self._legend_timer = QTimer(self)  # after the view and the legend have their sizes
        self._legend_timer.setSingleShot(True)
        self._legend_timer.setInterval(0)
        self._legend_timer.timeout.connect(self.place_legend)
        # view sizes the legend was already placed for, since the data or texts last changed:
        # placing it can change the y range, the axis width and so the view's size, and back
        self._placed_for: set[tuple[int, int]] = set()
        self.plotItem.vb.sigResized.connect(self._on_view_resized)

    def show_problem(
        self,
        dataset: Dataset,
        grid: np.ndarray,
        target: np.ndarray,
        optimum: np.ndarray | None,
        data_range: tuple[float, float] | None = None,
    ) -> None:
        """The parts that do not change during a run: points, target and optimum curves, and
        the data's ends as dashed lines when ``data_range`` is given (the plot reaches beyond)."""
        shown = (dataset, grid, target, optimum)
        if data_range == self.data_range and all(
            a is b for a, b in zip(shown, self._problem_shown, strict=True)
        ):
            # the same (cached) problem again, at Start and Reset: it is drawn already, and
            # setting its points again held the GUI ~10 ms (measured); only a view the student
            # moved is framed again, and the legend placed for what it lists now
            if not self.following:
                self.following = True
                self._frame(np.concatenate([dataset.y, dataset.y_val, target]), grid)
            self._replace_legend()
            return
        self._problem_shown = shown
        self.following = True
        self.data_range = data_range
        for edge, x in zip(self.data_edges, data_range or (0.0, 0.0), strict=True):
            edge.setPos(x)
            edge.setVisible(data_range is not None)
        self._name_data_range()
        self.set_curve(self.points, *_thin(dataset.x, dataset.y))
        self.set_curve(self.validation_points, *_thin(dataset.x_val, dataset.y_val))
        has_validation = dataset.x_val.size > 0
        self.validation_points.setVisible(has_validation)
        self.show_in_legend(self.validation_points, self.tr("validation points"), has_validation)
        self.set_curve(self.target, grid, target)
        self._target_label = dataset.target_label
        self._name_target()
        if optimum is None:
            self.optimum.setData([], [])
        else:
            self.set_curve(self.optimum, grid, optimum)
        # a network has no closed-form best fit: no legend entry for a curve that is not drawn
        self.show_in_legend(self.optimum, self.tr("best possible fit"), optimum is not None)
        self._frame(np.concatenate([dataset.y, dataset.y_val, target]), grid)
        parts = [_thin(dataset.x, dataset.y), _thin(dataset.x_val, dataset.y_val), (grid, target)]
        if optimum is not None:
            parts.append((grid, optimum))
        xy = np.concatenate([np.column_stack(part) for part in parts])
        self._data_xy = xy[np.isfinite(xy).all(axis=1)]
        self._replace_legend()

    def retranslate_ui(self) -> None:
        """Name the target curve again in the current language (a language switch)."""
        if self._target_label is not None:
            self._name_target()
        self._name_data_range()
        self._replace_legend()  # the legend's size changed with its texts

    def _replace_legend(self) -> None:
        """The data or the legend changed: place it again, whatever the view's size."""
        self._placed_for.clear()
        self._legend_timer.start()

    def _view_size(self) -> tuple[int, int]:
        rect = self.plotItem.vb.boundingRect()
        return (round(rect.width()), round(rect.height()))

    def _on_view_resized(self) -> None:
        self._keep_edges_whole()
        # a size it was placed for already: placing again would only start the same loop
        if self._view_size() not in self._placed_for:
            self._legend_timer.start()

    def _legend_box(self, corner: int) -> tuple[float, float, float, float] | None:
        """(x0, x1, y0, y1) in data units the legend would take in ``corner``."""
        view = self.plotItem.vb
        box, area = self.legend.boundingRect(), view.boundingRect()
        if box.isEmpty() or area.isEmpty():
            return None
        (lx, ly), _view_point, _sign = CORNERS[corner]
        m = self._x_margin()
        left = area.left() + m if lx == 0 else area.right() - m - box.width()
        top = (
            area.top() + LEGEND_MARGIN if ly == 0 else area.bottom() - LEGEND_MARGIN - box.height()
        )
        rect = QRectF(left, top, box.width(), box.height()).adjusted(-3, -3, 3, 3)
        a, b = view.mapToView(rect.topLeft()), view.mapToView(rect.bottomRight())
        (x0, x1), (y0, y1) = sorted((a.x(), b.x())), sorted((a.y(), b.y()))
        return x0, x1, y0, y1

    def legend_covers(self, corner: int) -> int:
        """How many data points the legend would cover in ``corner`` (0-3, see CORNERS)."""
        box = self._legend_box(corner)
        if box is None or self._data_xy.size == 0:
            return 0
        x0, x1, y0, y1 = box
        x, y = self._data_xy[:, 0], self._data_xy[:, 1]
        return int(np.count_nonzero((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)))

    def place_legend(self) -> None:
        """Put the legend in the corner where it covers no data (the first such corner in
        CORNERS' order, the current one if still free). When every corner covers some, the
        y range grows at the top or bottom by just enough for a free band under a corner."""
        view = self.plotItem.vb
        self._placed_for.add(self._view_size())
        if self._base_y is not None:
            view.setYRange(*self._base_y, padding=0)
            view.updateMatrix()
        # a small plot (1280x720, longer Chinese names) gets its legend in two columns
        height = view.boundingRect().height()
        columns = 1 if self._band_share(1, height) < 0.45 else 2
        if self.legend.columnCount != columns:
            self.legend.setColumnCount(columns)
        # and, if two columns are still wider than the plot, slightly smaller text
        width = self.legend.boundingRect().width()
        if self.legend.opts["labelTextSize"] == pt(SMALL_LEGEND_POINTS):
            width *= 8 / 7  # judged at the usual size, so the choice does not flip back and forth
        wide = width > view.boundingRect().width() - 2
        small = columns == 2 and wide
        if self._set_legend_text_size(pt(SMALL_LEGEND_POINTS if small else LEGEND_POINTS)):
            self._legend_timer.start()  # place it again once the legend has its new size
            return
        if columns == 2 and self.legend.boundingRect().width() > view.boundingRect().width() - 2:
            self.legend.setColumnCount(1)  # a very narrow plot: one column, never cut off
        counts = [self.legend_covers(corner) for corner in range(len(CORNERS))]
        best = min(range(len(CORNERS)), key=lambda c: (counts[c], c != self.legend_corner, c))
        if counts[best] > 0 and self._base_y is not None:
            best = self._open_band()
        self.legend_corner = best
        legend_point, view_point, (sx, sy) = CORNERS[best]
        self.legend.anchor(
            legend_point, view_point, offset=(sx * self._x_margin(), sy * LEGEND_MARGIN)
        )
        self._placed_for.add(self._view_size())

    def _set_legend_text_size(self, size: str) -> bool:
        """True if the size changed (the legend's new size is known after the next layout)."""
        if self.legend.opts["labelTextSize"] == size:
            return False
        self.legend.setLabelTextSize(size)
        for _sample, label in self.legend.items:
            label.setText(label.text)  # LabelItem draws the new size only with its text again
        self.legend.updateSize()
        return True

    def _x_margin(self) -> float:
        """The legend's distance from the side: less when it barely fits the plot's width."""
        spare = float(self.plotItem.vb.boundingRect().width() - self.legend.boundingRect().width())
        return max(0.0, min(float(LEGEND_MARGIN), spare / 2))

    def _band_share(self, columns: int, height: float) -> float:
        """The share of the view's height a legend of ``columns`` columns takes."""
        rows = -(-len(self.legend.items) // columns)
        row_height = self.legend.boundingRect().height() / max(
            -(-len(self.legend.items) // self.legend.columnCount), 1
        )
        return float((rows * row_height + 2 * LEGEND_MARGIN + 6) / max(height, 1))

    def _open_band(self) -> int:
        """Grow the y range for the corner that needs the least room; returns that corner."""
        view = self.plotItem.vb
        low, high = view.viewRange()[1]
        height = view.boundingRect().height()
        share = (self.legend.boundingRect().height() + 2 * LEGEND_MARGIN + 6) / max(height, 1)
        if share >= 0.7:  # no room for a band: the least covered corner will do
            return min(range(len(CORNERS)), key=self.legend_covers)
        x, y = self._data_xy[:, 0], self._data_xy[:, 1]
        options = []
        for corner in range(len(CORNERS)):
            box = self._legend_box(corner)
            if box is None:
                continue
            under = y[(x >= box[0]) & (x <= box[1])]
            if under.size == 0:
                continue
            if CORNERS[corner][0][1] == 0:  # a top corner: the data must stay below the band
                new = (low, (float(under.max()) - share * low) / (1 - share))
            else:
                new = ((float(under.min()) - share * high) / (1 - share), high)
            options.append((new[1] - new[0], corner, new))
        if not options:
            return self.legend_corner
        _span, corner, (new_low, new_high) = min(options)
        view.setYRange(min(new_low, low), max(new_high, high), padding=0)
        return corner

    def _name_data_range(self) -> None:
        shown = self.data_range is not None
        name = ""
        if self.data_range is not None:
            low, high = (f"{x:.3g}" for x in self.data_range)
            name = self.tr("data from x = {low} to {high}").format(low=low, high=high)
        self.show_in_legend(self.data_edges_key, name, shown)
        if shown:
            self.rename(self.data_edges_key, name)

    def _name_target(self) -> None:
        self.rename(self.target, self.tr("target: {label}").format(label=self._target_label))

    def show_prediction(self, grid: np.ndarray, values: np.ndarray) -> None:
        self.set_curve(self.prediction, grid, values)

    def clear_prediction(self) -> None:
        self.prediction.setData([], [])
        self.show_units(None, None)

    def show_units(self, grid: np.ndarray | None, parts: np.ndarray | None) -> None:
        """Each hidden unit's part of a network's prediction (activation × output weight), as
        thin curves: with the output bias they sum to the current fit. None hides them."""
        count = 0 if parts is None else parts.shape[0]
        while len(self.unit_curves) < count:
            curve = self.add_curve(None, colour("faint"), 0.8)  # quiet grey: the parts
            curve.setZValue(-1)  # under the fit and the data
            self.unit_curves.append(curve)
        for index, curve in enumerate(self.unit_curves):
            if index < count and grid is not None and parts is not None:
                self.set_curve(curve, grid, parts[index])
                curve.setVisible(True)
            else:
                curve.setData([], [])
                curve.setVisible(False)
        if self.unit_curves:
            name = self.tr("hidden units: activation × output weight")
            listed = len(self.legend.items)
            self.show_in_legend(self.unit_curves[0], name, count > 0)
            if len(self.legend.items) != listed:
                self._replace_legend()  # a taller legend: its corner is chosen again

    def _frame(self, ys: np.ndarray, grid: np.ndarray) -> None:
        """Frame the data, not a wild prediction: a diverging fit must not zoom the data away."""
        _, finite = drawable(np.zeros_like(ys), ys)
        if finite.size == 0 or grid.size == 0:
            return
        low, high = float(finite.min()), float(finite.max())
        margin = 0.15 * (high - low) if high > low else 1.0
        self._x_ends = (float(grid[0]), float(grid[-1]))
        self._x_set = self._padded_x(self._x_ends)
        view = self.plotItem.vb
        view.setXRange(*self._x_set, padding=0, update=False)
        view.setYRange(low - margin, high + margin, padding=0.02)
        self._base_y = tuple(view.viewRange()[1])  # with the padding

    def _padded_x(self, ends: tuple[float, float]) -> tuple[float, float]:
        """The grid's ends with room for the widest mark at each edge: a data point there, or
        (the units strip under this plot shares its x range) a unit's largest marker, which
        the view's edge cut in half in a narrow plot (1024 px screens)."""
        low, high = ends
        span = high - low
        width = float(self.plotItem.vb.boundingRect().width())
        reach = marker_reach_px()
        if span <= 0 or width <= 2 * reach:
            return (low - 0.02 * span, high + 0.02 * span)
        pad = max(0.02 * span, span * reach / (width - 2 * reach))
        return (low - pad, high + pad)

    def _keep_edges_whole(self) -> None:
        """After a resize: the same room in pixels, unless the student moved the view."""
        if self._x_ends is None or self._x_set is None:
            return
        view = self.plotItem.vb
        if not np.allclose(view.viewRange()[0], self._x_set):
            self._x_set = None  # panned or zoomed: the student's view stays
            return
        padded = self._padded_x(self._x_ends)
        if not np.allclose(padded, self._x_set):
            view.setXRange(*padded, padding=0)
        self._x_set = padded
