"""Zoom: one factor, 70 % to 250 %, that scales every text of the app together — the widgets'
fonts, the plots' titles, axis and tick text, legends and notes — and the plots' line widths and
markers, so a lesson on a projector is readable from the back row.

Widgets follow the application font (``QApplication.setFont``). The few that are deliberately
larger or smaller than it (the equation, the small captions) keep their ratio to it through
``set_font_ratio`` instead of a fixed point size. Plots are drawn text: every pyqtgraph view of
the application is rescaled when the factor changes, and plot code asks ``pt()`` and
``line_width()`` for sizes, so items made later are born at the current zoom.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPen, QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

if TYPE_CHECKING:  # imported where used: the window's first paint needs no pyqtgraph
    import pyqtgraph as pg

ZOOM_STEPS = (0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5)
MIN_ZOOM, MAX_ZOOM = ZOOM_STEPS[0], ZOOM_STEPS[-1]
FONT_RATIO = "gradlabFontRatio"  # widget property: its font size over the application font's
FIXED_PITCH = "gradlabFixedPitch"  # widget property: the system's fixed-pitch family
WHOLE_ITEMS = "gradlabWholeItems"  # combo box property: never narrower than its longest item
TEXT_WIDTH = "gradlabTextWidth"  # widget property: the sample text its maximum width must take
SMALL = 0.9  # captions and notes: 8 pt next to the usual 9 pt
PIXELS_PER_POINT = 96 / 72
COMBO_PADDING = 32  # pixels a combo box adds to its text: frame, margins and the arrow
DEFAULT_POINTS = 9.0  # when the platform gives the application font in pixels
_POINTS = re.compile(r"^\s*([0-9.]+)\s*pt\s*$")

_zoom: Zoom | None = None


def clamp(factor: float) -> float:
    return round(min(MAX_ZOOM, max(MIN_ZOOM, float(factor))), 2)


def zoom_factor() -> float:
    """The application's zoom (1.0 before any window set one)."""
    return _zoom.factor if _zoom is not None else 1.0


def whole_pixels(points: float) -> float:
    """``points`` moved to the nearest whole pixel at 96 dpi, as the text is drawn anyway: 8 pt
    is drawn 11 px high, and so at 200 % must be 22 px, not 16 pt (21 px)."""
    return round(points * PIXELS_PER_POINT) / PIXELS_PER_POINT


def pt(points: float) -> str:
    """A pyqtgraph text size: ``points`` at 100 %, as CSS ("8pt" becomes "16.5pt" at 200 %)."""
    return _points_text(whole_pixels(points) * zoom_factor())


def body_pt() -> str:
    """The application font's size as CSS (axis labels read like the window's text)."""
    return _points_text(application_points())


def line_width(width: float) -> float:
    """A plot pen's width at the current zoom."""
    return round(width * zoom_factor(), 3)


def marker_size(size: float) -> float:
    """A plot marker's size (pixels at 100 %) at the current zoom."""
    return round(size * zoom_factor(), 3)


def _points_text(points: float) -> str:
    return f"{round(points, 2):g}pt"


def set_font_ratio(widget: QWidget, ratio: float, *, fixed_pitch: bool = False) -> None:
    """Give ``widget`` a font ``ratio`` times the application font's size, now and at every
    zoom (a fixed point size would stay small on a projector)."""
    widget.setProperty(FONT_RATIO, float(ratio))
    widget.setProperty(FIXED_PITCH, bool(fixed_pitch))
    _apply_ratio(widget)


def keep_items_whole(combo: QComboBox) -> None:
    """``combo`` is never squeezed below its longest item (its dock scrolls instead), in any
    language and at any zoom."""
    combo.setProperty(WHOLE_ITEMS, True)
    model = combo.model()
    model.dataChanged.connect(lambda *_args: _fit_items(combo))  # another language's texts
    model.rowsInserted.connect(lambda *_args: _fit_items(combo))
    _fit_items(combo)


def _fit_items(combo: QComboBox) -> None:
    # the application's font: a zoom reaches the widgets' own fonts only with the next events
    own = combo.testAttribute(Qt.WidgetAttribute.WA_SetFont)
    metrics = QFontMetrics(combo.font() if own else QApplication.font())
    texts = [combo.itemText(i) for i in range(combo.count())]
    widest = max((metrics.horizontalAdvance(text) for text in texts), default=0)
    combo.setMinimumWidth(widest + COMBO_PADDING)


def set_text_width(widget: QWidget, sample: str, padding: int = 14) -> None:
    """At most as wide as ``sample`` (plus ``padding`` pixels) in the widget's font, at every
    zoom: a field capped in pixels would cut its text off at 150 %."""
    widget.setProperty(TEXT_WIDTH, f"{padding}:{sample}")
    _apply_text_width(widget)


def _apply_text_width(widget: QWidget) -> None:
    value = widget.property(TEXT_WIDTH)
    if isinstance(value, str):
        padding, _colon, sample = value.partition(":")
        own = widget.testAttribute(Qt.WidgetAttribute.WA_SetFont)  # else: as _fit_items
        metrics = QFontMetrics(widget.font() if own else QApplication.font())
        widget.setMaximumWidth(metrics.horizontalAdvance(sample) + int(padding))


def _apply_ratio(widget: QWidget) -> None:
    ratio = widget.property(FONT_RATIO)
    if not isinstance(ratio, float):
        return
    font = QFont(widget.font())
    if widget.property(FIXED_PITCH):
        font.setFamilies(["monospace", *font.families()])
        font.setStyleHint(QFont.StyleHint.TypeWriter)
    font.setPointSizeF(scaled_font(ratio).pointSizeF())
    widget.setFont(font)


def scaled_font(ratio: float) -> QFont:
    """The application font at ``ratio`` times its size (whole pixels at 100 %)."""
    font = QFont(QApplication.font())
    factor = zoom_factor()
    font.setPointSizeF(whole_pixels(application_points() / factor * ratio) * factor)
    return font


def application_points() -> float:
    """The application font's size in points (the platform's may be given in pixels)."""
    size = QApplication.font().pointSizeF()
    return size if size > 0 else DEFAULT_POINTS * zoom_factor()


class Zoom(QObject):
    """The application's zoom; ``changed(factor)`` after everything was rescaled."""

    changed = Signal(float)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.factor = 1.0
        size = QApplication.font().pointSizeF()
        self.base_points = size if size > 0 else DEFAULT_POINTS
        self.wheel_filter = WheelZoom(self)
        # False while a change is only for a while (presenter mode's): no window remembers it
        self.lasting = True

    def set_factor(
        self,
        factor: float,
        *,
        quiet: bool = False,
        root: QWidget | None = None,
        lasting: bool = True,
    ) -> None:
        """Scale everything to ``factor`` (clamped to 70 %–250 %). ``quiet``: a window about to
        be built: only the application font is set (its widgets do not exist yet, and other
        windows' widgets may be half torn down), and ``changed``'s listeners are not told (a
        window being built is not a zoom to remember). ``root``: only that window's widgets
        are adjusted (a new window taking the saved zoom leaves closed ones alone).
        ``lasting=False``: a zoom for a while (presenter mode's), which ``changed``'s listeners
        see in ``self.lasting``, so that no window saves it as the user's zoom."""
        factor = clamp(factor)
        ratio = factor / self.factor
        self.factor = factor
        font = QFont(QApplication.font())
        font.setPointSizeF(round(self.base_points * factor, 2))
        QApplication.setFont(font)  # every widget without its own size follows
        if quiet:
            return
        widgets = QApplication.allWidgets() if root is None else [root, *root.findChildren(QWidget)]
        pg = sys.modules.get("pyqtgraph")  # not imported yet: no plot to rescale
        for widget in widgets:
            if isinstance(widget, QComboBox):  # Qt sized it for its items at the old font
                policy = widget.sizeAdjustPolicy()
                widget.setSizeAdjustPolicy(
                    QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
                )
                widget.setSizeAdjustPolicy(policy)
                if widget.property(WHOLE_ITEMS):
                    _fit_items(widget)
            if isinstance(widget.property(TEXT_WIDTH), str):
                _apply_text_width(widget)
            if isinstance(widget.property(FONT_RATIO), float):
                _apply_ratio(widget)
            elif widget.testAttribute(Qt.WidgetAttribute.WA_StyleSheet):
                # Qt leaves a widget under a style sheet at its old font
                widget.style().unpolish(widget)
                widget.style().polish(widget)
            if pg is not None and isinstance(widget, pg.GraphicsView) and abs(ratio - 1) > 1e-9:
                scale_plot(widget, ratio)
        self.lasting = lasting
        try:
            self.changed.emit(factor)
        finally:
            self.lasting = True

    def step(self, direction: int) -> None:
        """One step of ZOOM_STEPS up (+1) or down (-1)."""
        if direction > 0:
            bigger = [s for s in ZOOM_STEPS if s > self.factor + 1e-9]
            self.set_factor(bigger[0] if bigger else MAX_ZOOM)
        else:
            smaller = [s for s in ZOOM_STEPS if s < self.factor - 1e-9]
            self.set_factor(smaller[-1] if smaller else MIN_ZOOM)

    def track(self, view: pg.GraphicsView) -> None:
        """Ctrl+wheel over ``view`` zooms the application (not the plot's own range)."""
        view.viewport().installEventFilter(self.wheel_filter)


class WheelZoom(QObject):
    """The event filter behind ``Zoom.track``."""

    def __init__(self, zoom: Zoom) -> None:
        super().__init__(zoom)
        self.zoom = zoom

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(event, QWheelEvent):
            return False
        return zoom_by_ctrl_wheel(event, self.zoom)


def zoom_by_ctrl_wheel(event: QWheelEvent, zoom: Zoom | None = None) -> bool:
    """Step ``zoom`` (the application's) if ``event`` is a Ctrl+wheel; True: it is eaten (the
    plot under it must not also zoom its own range)."""
    if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
        return False
    delta = event.angleDelta().y()
    if delta:
        (zoom or zoom_manager()).step(1 if delta > 0 else -1)
    return True


def zoom_manager() -> Zoom:
    """The application's one Zoom (made on first use; needs a QApplication)."""
    global _zoom
    if _zoom is None:
        app = QApplication.instance()
        if app is None:
            raise RuntimeError("zoom_manager() needs a QApplication first")
        _zoom = Zoom(app)
    return _zoom


def track_plot(view: pg.GraphicsView) -> None:
    """Plots call this once built: Ctrl+wheel over them zooms the application."""
    if QApplication.instance() is not None:
        zoom_manager().track(view)


# ---- plots: drawn text and lines, rescaled by the ratio of the new zoom to the old ----


def scale_plot(view: pg.GraphicsView, ratio: float) -> None:
    """Rescale the text, lines and markers of one pyqtgraph view by ``ratio``."""
    import pyqtgraph as pg

    from gradlab.ui.plots.live_curve import LiveCurve  # here: the plots import this module

    scene = view.scene()
    if scene is None:
        return
    font = QFont(QApplication.font())
    for item in scene.items():
        if isinstance(item, pg.AxisItem):
            item.setTickFont(font)
            item.labelStyle = {**item.labelStyle, "font-size": body_pt()}
            item._updateLabel()  # pyqtgraph's own refresh after a style change
        elif isinstance(item, pg.LegendItem):
            item.opts["labelTextSize"] = _scaled_points(item.opts.get("labelTextSize"), ratio)
        elif isinstance(item, pg.LabelItem):
            size = item.opts.get("size")
            item.setText(item.text, size=_scaled_points(size, ratio))
        elif isinstance(item, pg.TextItem):
            text_font = QFont(item.textItem.font())
            text_font.setPointSizeF(_scaled_font_points(text_font, ratio))
            item.setFont(text_font)
        elif isinstance(item, LiveCurve):
            item.set_pen(_scaled_pen(pg.mkPen(item.opts["pen"]), ratio))
        elif isinstance(item, pg.PlotDataItem):
            _scale_data_item(item, ratio)
        elif isinstance(item, pg.InfiniteLine):
            item.setPen(_scaled_pen(item.pen, ratio))
        elif isinstance(item, pg.ScatterPlotItem) and not isinstance(
            item.parentItem(), pg.PlotDataItem
        ):
            item.setSize(item.opts["size"] * ratio)
    for item in scene.items():
        if isinstance(item, pg.LegendItem):
            item.updateSize()


def _scale_data_item(item: pg.PlotDataItem, ratio: float) -> None:
    import pyqtgraph as pg

    pen = item.opts.get("pen")
    if pen is not None:
        item.setPen(_scaled_pen(pg.mkPen(pen), ratio))
    if item.opts.get("symbol") is not None:
        item.setSymbolSize(item.opts["symbolSize"] * ratio)
        symbol_pen = item.opts.get("symbolPen")
        if symbol_pen is not None:
            item.setSymbolPen(_scaled_pen(pg.mkPen(symbol_pen), ratio))


def _scaled_pen(pen: QPen, ratio: float) -> QPen:
    scaled = QPen(pen)
    width = pen.widthF() if pen.widthF() > 0 else 1.0  # 0: Qt's one-pixel cosmetic line
    scaled.setWidthF(round(width * ratio, 3))
    return scaled


def _scaled_points(size: object, ratio: float) -> str:
    """A CSS "8pt" size times ``ratio``; no size yet: the application font's (already zoomed)."""
    match = _POINTS.match(size) if isinstance(size, str) else None
    if match is None:
        return _points_text(application_points())
    return _points_text(float(match.group(1)) * ratio)


def _scaled_font_points(font: QFont, ratio: float) -> float:
    size = font.pointSizeF()
    return size * ratio if size > 0 else application_points()
