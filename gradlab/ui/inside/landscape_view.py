"""The loss landscape dock: the loss over two chosen coefficients (the others at their current
values) as a colour map with contour lines, the optimisation path, the optimum, and a click that
sets a new starting point for those two coefficients.

The grid and its contour lines are computed off the GUI thread (a QRunnable on a private
QThreadPool, NumPy only: gradlab.core.landscape.loss_grid and the vectorised marching squares
below), at most a few times a second and only while the dock is visible.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from gradlab.core.config import Config
from gradlab.core.landscape import default_window, steady_window
from gradlab.ui.accessibility import prepare_tree
from gradlab.ui.inside.landscape_grid import GridRequest, GridResult, axis_choices, round_for_view
from gradlab.ui.inside.landscape_job import GridJob, GridSignals
from gradlab.ui.on_screen import on_screen
from gradlab.ui.palette import colour as role_colour
from gradlab.ui.plots.base import with_alpha
from gradlab.ui.plots.title import fit_title
from gradlab.ui.zoom import SMALL, body_pt, line_width, marker_size, pt, set_font_ratio, track_plot

UPDATE_MS = 250  # at most four grid updates a second
CONTOUR_PEN = (255, 255, 255, 150)


def _marker(item: Any, symbol: str, size: int, brush: Any, pen: Any) -> pg.PlotDataItem:
    """A one-point scatter (start, now, optimum) on ``item``, ``size`` pixels at 100 %."""
    return item.plot(
        [], [], pen=None, symbol=symbol, symbolSize=marker_size(size), symbolBrush=brush,
        symbolPen=pen,
    )  # fmt: skip


class LandscapeView(QWidget):
    """The contour plot; ``start_point_chosen(i, j, a, b)`` when the student clicks in it."""

    start_point_chosen = Signal(int, int, float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("landscapeView")
        self.config: Config | None = None
        self.data_x: np.ndarray | None = None
        self.data_y: np.ndarray | None = None
        self.optimum: np.ndarray | None = None
        self.path = np.empty((0, 0))
        self.center: np.ndarray | None = None
        self.overlays: list[tuple[str, str, np.ndarray]] = []  # (label, colour, path)
        self.grid_window: tuple[float, float, float, float] | None = None
        self.result: GridResult | None = None
        self.update_count = 0  # grids drawn (tests wait on it)
        self._features: np.ndarray | None = None
        self._generation = 0
        self._busy = False
        self._dirty = False
        self._manual_view = False
        self._min_half = 1e-3  # the view's least half-width (axis_choices)
        self._rest_until = 0.0  # monotonic time before which no grid starts (a slow grid)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = GridSignals(self)
        self._signals.done.connect(self._on_grid)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        axes = QFormLayout()  # one axis per row: whole names in a narrow or zoomed dock
        self.i_combo = QComboBox(self)
        self.i_combo.setObjectName("landscapeXCombo")
        axes.addRow(QLabel(self.tr("Horizontal:"), self), self.i_combo)
        self.j_combo = QComboBox(self)
        self.j_combo.setObjectName("landscapeYCombo")
        axes.addRow(QLabel(self.tr("Vertical:"), self), self.j_combo)
        axes.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        layout.addLayout(axes)
        for combo in (self.i_combo, self.j_combo):
            # filled later, and zoomed: sized for what they hold now, not at their first showing
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._on_axes_changed)

        # the plot (~25 ms to make) is made in its place here when the dock first comes to the
        # front (``dock_visible``) or the plot is asked for: behind the phases' tab, most
        # windows never show it
        self._plot: pg.PlotWidget | None = None
        self._layout = layout
        self._plot_index = layout.count()

        self.hint_label = QLabel(self._hint(None), self)
        self.hint_label.setStyleSheet(f"color: {role_colour('muted')};")
        set_font_ratio(self.hint_label, SMALL)
        self.hint_label.setWordWrap(True)
        layout.addWidget(self.hint_label)
        self.note_label = QLabel(self)
        self.note_label.setObjectName("landscapeNote")
        self.note_label.setWordWrap(True)
        layout.addWidget(self.note_label)

        self.timer = QTimer(self)
        self.timer.setInterval(UPDATE_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    # ---- the plot, made on first showing ----

    @property
    def plot(self) -> pg.PlotWidget:
        return self._plot if self._plot is not None else self._make_plot()

    def _make_plot(self) -> pg.PlotWidget:
        self._plot = plot = pg.PlotWidget(background=role_colour("plot_background"))
        plot.setObjectName("landscapePlot")
        track_plot(plot)
        plot.setMinimumSize(260, 220)
        item = plot.getPlotItem()
        fit_title(item)  # "Loss over b and d (a, c held ...)" on two lines in a narrow dock
        item.setMenuEnabled(False)
        for side in ("bottom", "left"):
            item.getAxis(side).setTextPen(role_colour("plot_axis"))
            item.getAxis(side).enableAutoSIPrefix(False)
        self.image = pg.ImageItem()
        self.image.setLookupTable(pg.colormap.get("viridis").getLookupTable(nPts=256))
        item.addItem(self.image)
        # pens and markers at the zoom of the moment: the plot may be made after a zoom
        self.contours = pg.PlotDataItem([], [], pen=pg.mkPen(CONTOUR_PEN, width=line_width(1)))
        item.addItem(self.contours)
        self.legend = item.addLegend(
            offset=(-6, 6),
            labelTextSize=pt(8),
            labelTextColor=role_colour("plot_text"),
            brush=pg.mkBrush(with_alpha(role_colour("legend_background"), 210)),
        )
        red, white = role_colour("prediction"), pg.mkPen("w", width=line_width(1))
        red_pen = pg.mkPen(red, width=line_width(2))
        self.path_curve = item.plot([], [], pen=red_pen, connect="finite")
        self.start_marker = _marker(item, "o", 10, None, red_pen)
        self.current_marker = _marker(item, "o", 9, red, white)
        self.optimum_marker = _marker(item, "star", 16, role_colour("optimum"), white)
        self.legend.addItem(self.optimum_marker, self.tr("optimum"))
        self.overlay_curves: list[pg.PlotDataItem] = []
        self._legend_names = {
            self.path_curve: self.tr("path"),
            self.start_marker: self.tr("start"),
            self.current_marker: self.tr("now"),
        }
        self._layout.insertWidget(self._plot_index, plot, 1)
        prepare_tree(plot)  # as the window's own widgets were when it was built
        plot.scene().sigMouseClicked.connect(self._on_scene_clicked)
        item.vb.sigRangeChangedManually.connect(self._on_range_changed_by_hand)
        item.autoBtn.clicked.connect(self._on_auto_button)

        self.retranslate_ui()  # its title and axes name the chosen coefficients
        self._draw_paths()
        return plot

    # ---- inputs ----

    @property
    def axes(self) -> tuple[int, int]:
        return self.i_combo.currentIndex(), self.j_combo.currentIndex()

    def set_problem(
        self, config: Config, x: np.ndarray, y: np.ndarray, optimum: np.ndarray | None
    ) -> None:
        """The data and model whose loss is drawn (the training points)."""
        same_data = (
            self.config is not None
            and self.data_x is x
            and self.config.model == config.model
            and self.config.data == config.data
        )
        if not same_data:
            self._generation += 1  # a grid still being computed is for the old data: drop it
            self._features = None
            self.grid_window = None
            self._manual_view = False
        refill = self.config is None or self.config.coefficient_names != config.coefficient_names
        self.config, self.data_x, self.data_y = config, x, y
        self.optimum = None if optimum is None else np.asarray(optimum, dtype=np.float64)
        if refill:  # new coefficient names
            self._fill_combos(config)
        self.mark_dirty()

    def set_path(self, path: np.ndarray, center: np.ndarray | None) -> None:
        """The path so far (rows of coefficients, NaN rows break the line) and where it is now."""
        self.path = np.asarray(path, dtype=np.float64)
        self.center = None if center is None else np.asarray(center, dtype=np.float64)
        self.mark_dirty()

    def set_overlays(self, overlays: list[tuple[str, str, np.ndarray]]) -> None:
        """Other runs' paths as (label, colour, coefficients), e.g. the compared optimizers."""
        self.overlays = overlays
        if not self._manual_view and self.grid_window is not None:
            self.mark_dirty()  # the view may have to grow to show them
        self._draw_paths()

    def mark_dirty(self) -> None:
        self._dirty = True

    def set_start_at(self, a: float, b: float) -> None:
        """Ask for a new start with the chosen coefficients at (a, b) (the click's effect)."""
        i, j = self.axes
        self.start_point_chosen.emit(i, j, float(a), float(b))

    def handle_scene_click(self, scene_pos: Any) -> bool:
        """A left click at ``scene_pos``: True if it was inside the plot (and asked for a start)."""
        view = self.plot.getPlotItem().vb
        if not view.sceneBoundingRect().contains(scene_pos):
            return False
        point = view.mapSceneToView(scene_pos)
        x_pixel, y_pixel = view.viewPixelSize()  # coefficient units per screen pixel
        self.set_start_at(round_for_view(point.x(), x_pixel), round_for_view(point.y(), y_pixel))
        return True

    def shutdown(self) -> None:
        """Stop updating and wait for a grid still being computed (window closing)."""
        self.timer.stop()
        self._pool.waitForDone(2000)

    # ---- internals ----

    def _fill_combos(self, config: Config) -> None:
        names, i, j, self._min_half = axis_choices(config)
        for combo, index in ((self.i_combo, i), (self.j_combo, j)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        self._on_axes_changed()

    def _on_axes_changed(self, *_args: object) -> None:
        i, j = self.axes
        if i == j:  # never the same coefficient twice: move the other chooser along
            other = self.j_combo if self.sender() is self.i_combo else self.i_combo
            other.blockSignals(True)
            other.setCurrentIndex((i + 1) % max(self.i_combo.count(), 1))
            other.blockSignals(False)
        self.grid_window = None
        self._manual_view = False
        self.retranslate_ui()
        self.mark_dirty()

    def retranslate_ui(self) -> None:
        """The axis labels and the title (they name the chosen coefficients)."""
        if self.config is None:
            return
        names = self.config.coefficient_names
        i, j = self.axes
        network = self.config.model.kind == "mlp"
        held = [n for k, n in enumerate(names) if k not in (i, j)]
        self.hint_label.setText(self._hint(len(held) if network else None))
        if self._plot is None:
            return  # the plot is titled when it is made
        item = self._plot.getPlotItem()
        axis = role_colour("plot_axis")
        item.setLabel("bottom", names[i], color=axis, **{"font-size": body_pt()})
        item.setLabel("left", names[j], color=axis, **{"font-size": body_pt()})
        title = self.tr("Loss over {i} and {j}").format(i=names[i], j=names[j])
        if held and not network:  # a network's count is in the hint below (a short title)
            title += self.tr(" ({held} held at their current values)").format(held=", ".join(held))
        item.setTitle(title, size=pt(9), color=role_colour("plot_text"))

    def _hint(self, network_held: int | None) -> str:
        if network_held is not None:
            return self.tr(
                "The other {count} parameters are held at their current values. A network's "
                "loss is not a bowl: ridges, saddles and more than one valley. Once a run has "
                "started, click to move these two parameters there; training goes on from that "
                "point. Drag to pan, wheel to zoom."
            ).format(count=network_held)
        return self.tr("Click anywhere to start from that point. Drag to pan, wheel to zoom.")

    def _on_range_changed_by_hand(self, *_args: object) -> None:
        self._manual_view = True
        self.mark_dirty()

    def _on_auto_button(self) -> None:
        self._manual_view = False
        self.grid_window = None
        self.mark_dirty()

    def _on_scene_clicked(self, event: Any) -> None:
        if event.button() == Qt.MouseButton.LeftButton and not event.double():
            if self.handle_scene_click(event.scenePos()):
                event.accept()

    def _tick(self) -> None:
        if (
            not self._dirty
            or self._busy
            or self.config is None
            or self.data_x is None
            or self.data_y is None
        ):
            return
        if not on_screen(self) or time.monotonic() < self._rest_until:
            return  # hidden, behind another dock's tab, or resting: catch up later
        center = self.center if self.center is not None else self._path_end()
        if center is None or center.size != self.config.model.parameter_count:
            return
        self._dirty = False
        i, j = self.axes
        window = self._wanted_window(center, i, j)
        self.grid_window = window
        self._generation += 1
        request = GridRequest(
            self._generation,
            self.data_x,
            self.data_y,
            self.config,
            center.copy(),
            i,
            j,
            window,
            self._features,
        )
        self._busy = True
        self._pool.start(GridJob(request, self._signals))
        self._draw_paths()

    def _path_end(self) -> np.ndarray | None:
        finite = self.path[np.isfinite(self.path).all(axis=1)] if self.path.size else self.path
        return finite[-1] if len(finite) else None

    def _wanted_window(
        self, center: np.ndarray, i: int, j: int
    ) -> tuple[float, float, float, float]:
        if self._manual_view:
            (x0, x1), (y0, y1) = self.plot.getPlotItem().vb.viewRange()
            return (x0, x1, y0, y1)
        rows = [self.path] if self.path.size else []
        rows += [points for _label, _colour, points in self.overlays if points.size]
        width = center.size
        rows = [r for r in rows if r.ndim == 2 and r.shape[1] == width]
        path = np.concatenate(rows) if rows else None
        wanted = default_window(center, self.optimum, path, i, j, self._min_half)
        return steady_window(self.grid_window, wanted)  # no jumping while the path moves inside

    def _on_grid(self, result: object) -> None:
        self._busy = False
        if isinstance(result, Exception):
            self.hint_label.setText(
                self.tr("Could not draw the landscape: {error}").format(error=result)
            )
            return
        assert isinstance(result, GridResult)
        if result.generation != self._generation:
            return
        self.result = result
        self._features = result.features
        self._rest_until = time.monotonic() + 2 * result.seconds  # at most a third of a core
        a, b = result.a, result.b
        log_loss = result.log_loss
        finite = log_loss[np.isfinite(log_loss)]
        if finite.size:
            self.image.setImage(log_loss.T, levels=(float(finite.min()), float(finite.max())))
            step_a = (a[-1] - a[0]) / max(a.size - 1, 1)
            step_b = (b[-1] - b[0]) / max(b.size - 1, 1)
            self.image.setRect(
                QRectF(
                    a[0] - step_a / 2,
                    b[0] - step_b / 2,
                    a[-1] - a[0] + step_a,
                    b[-1] - b[0] + step_b,
                )
            )
        contours = result.contours
        self.contours.setData(contours[:, 0], contours[:, 1], connect="pairs")
        if not self._manual_view:
            window = self.grid_window or (a[0], a[-1], b[0], b[-1])
            self.plot.getPlotItem().vb.setRange(
                xRange=window[:2], yRange=window[2:], padding=0.0, disableAutoRange=True
            )
        self.update_count += 1

    def _draw_paths(self) -> None:
        if self.config is None or self._plot is None:
            return
        i, j = self.axes
        width = self.config.model.parameter_count
        path = self.path if self.path.ndim == 2 and self.path.shape[1:] == (width,) else None
        if path is not None and len(path):
            self.path_curve.setData(path[:, i], path[:, j], connect="finite")
            self.start_marker.setData([path[0, i]], [path[0, j]])
        else:
            self.path_curve.setData([], [])
            self.start_marker.setData([], [])
        end = self.center if self.center is not None else self._path_end()
        if end is not None and end.size == width:
            self.current_marker.setData([end[i]], [end[j]])
        optimum = self.optimum is not None and self.optimum.size == width
        if self.optimum is not None and optimum:
            self.optimum_marker.setData([self.optimum[i]], [self.optimum[j]])
        else:
            self.optimum_marker.setData([], [])
        self._list(self.optimum_marker, self.tr("optimum"), optimum)  # none for a network
        trained = path is not None and len(path) > 1  # a lone start point needs no legend
        for curve, name in self._legend_names.items():
            self._list(curve, name, trained)
        self._draw_overlays(i, j, width)

    def _list(self, curve: pg.PlotDataItem, name: str, shown: bool) -> None:
        listed = any(sample.item is curve for sample, _ in self.legend.items)
        if shown and not listed:
            self.legend.addItem(curve, name)
        elif listed and not shown:
            self.legend.removeItem(curve)

    def _draw_overlays(self, i: int, j: int, width: int) -> None:
        item = self.plot.getPlotItem()
        while len(self.overlay_curves) < len(self.overlays):
            curve = pg.PlotDataItem([], [])
            item.addItem(curve)
            self.overlay_curves.append(curve)
        for index, curve in enumerate(self.overlay_curves):
            usable = index < len(self.overlays) and self.overlays[index][2].shape[1:] == (width,)
            if usable:
                label, colour, points = self.overlays[index]
                finite = points[np.isfinite(points).all(axis=1)]
                curve.setPen(pg.mkPen(colour, width=line_width(2)))  # at the zoom now
                curve.setData(finite[:, i], finite[:, j])
                self._list(curve, label, False)  # re-listed: the label may have changed
                self._list(curve, label, True)
            else:
                curve.setData([], [])
                self._list(curve, "", False)

    def dock_visible(self, visible: bool) -> None:
        """Its dock came to the front: the plot, made now (Qt keeps a dock behind another's tab
        "visible", so a show event would make it in every window)."""
        if visible and self._plot is None:
            self._make_plot()

    def showEvent(self, event: Any) -> None:  # Qt's name
        super().showEvent(event)
        self.mark_dirty()
