"""Putting a theme on screen: the application palette, every plot and every style sheet.

``theme_manager()`` owns the choice (``palette.THEME_NAMES``, remembered in the settings). With
"system" it follows what Qt reports: a high-contrast preference
(``QStyleHints.accessibility().contrastPreference()``) wins, then the colour scheme (dark or
light), and it switches again when the desktop does. A switch recolours what is already drawn
through ``palette.theme_map``: pens, brushes, axis text and legends of every pyqtgraph plot and
the colours in style sheets; painted widgets read ``palette.colour`` when they paint, and
widgets that build colours in code (the code pane's highlighting) have a ``set_colours()``
method, called after every switch.
"""

from __future__ import annotations

import sys
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QPen
from PySide6.QtWidgets import QApplication, QWidget

from gradlab.ui import palette
from gradlab.ui.palette import DARK, HIGH_CONTRAST, LIGHT, SYSTEM, THEMES, Theme
from gradlab.ui.settings import Settings


def system_theme_name() -> str:
    """What the desktop asks for: high contrast, dark or light."""
    hints = QGuiApplication.styleHints()
    accessibility = hints.accessibility() if hasattr(hints, "accessibility") else None
    if accessibility is not None:
        if accessibility.contrastPreference() == Qt.ContrastPreference.HighContrast:
            return HIGH_CONTRAST
    return DARK if hints.colorScheme() == Qt.ColorScheme.Dark else LIGHT


def qt_palette(theme: Theme, native: QPalette | None = None) -> QPalette:
    """The widgets' palette for ``theme``; the light theme keeps a light native palette."""
    if theme.name == LIGHT and native is not None and native.window().color().lightness() > 128:
        return QPalette(native)
    c = theme.colour
    made = QPalette()
    roles = QPalette.ColorRole
    for role, name in (
        (roles.Window, "window"), (roles.WindowText, "text"), (roles.Base, "base"),
        (roles.AlternateBase, "window"), (roles.Text, "text"), (roles.Button, "window"),
        (roles.ButtonText, "text"), (roles.ToolTipBase, "base"), (roles.ToolTipText, "text"),
        (roles.Highlight, "highlight"), (roles.HighlightedText, "highlighted_text"),
        (roles.Link, "link"), (roles.PlaceholderText, "muted"), (roles.BrightText, "error"),
    ):  # fmt: skip
        made.setColor(role, QColor(c(name)))
    border = QColor(c("border"))
    for role in (roles.Mid, roles.Dark, roles.Shadow):
        made.setColor(role, border)
    made.setColor(roles.Light, QColor(c("base")))
    made.setColor(roles.Midlight, QColor(c("window")))
    disabled = QColor(c("disabled"))  # not "faint": black in high contrast, as enabled text
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        made.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return made


class ThemeManager(QObject):
    """The app's theme: ``set_choice(name)`` applies and remembers; ``theme`` is on screen."""

    theme_changed = Signal(object)  # the Theme now on screen

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.native = QPalette(app.palette())  # the platform's own, for the light theme
        self.native_style = app.style().name()
        stored = Settings().theme()
        self.choice = stored if stored in palette.THEME_NAMES else SYSTEM
        hints = app.styleHints()
        hints.colorSchemeChanged.connect(lambda _scheme: self._follow_system())
        if hasattr(hints, "accessibility"):
            hints.accessibility().contrastPreferenceChanged.connect(
                lambda _preference: self._follow_system()
            )
        self.apply()

    def resolved(self, choice: str | None = None) -> Theme:
        name = choice or self.choice
        return THEMES[system_theme_name() if name == SYSTEM else name]

    def set_choice(self, choice: str, *, remember: bool = True) -> None:
        """Show ``choice`` ("system", "light", "dark", "high-contrast") and remember it."""
        if choice not in palette.THEME_NAMES:
            raise ValueError(choice)
        self.choice = choice
        if remember:
            Settings().set_theme(choice)
        self.apply()

    def _follow_system(self) -> None:
        if self.choice == SYSTEM:
            self.apply()

    def apply(self) -> None:
        """Bring the palette, the plots and the style sheets to the chosen theme."""
        theme = self.resolved()
        old = palette.set_current_theme(theme)
        if theme.name != LIGHT and sys.platform == "win32" and self.native_style != "fusion":
            self.app.setStyle("Fusion")  # Windows' native styles ignore a dark palette
        if theme.name != LIGHT or old.name != LIGHT:  # light from the start: the platform's own
            self.app.setPalette(qt_palette(theme, self.native))
        if old is not theme:
            recolour_widgets(QApplication.allWidgets(), palette.theme_map(old, theme))
        self.theme_changed.emit(theme)


def recolour_widgets(widgets: list[QWidget], mapping: dict[str, str]) -> None:
    """Carry style sheets and plots drawn in one theme to another (see ``theme_map``)."""
    pg = sys.modules.get("pyqtgraph")
    for widget in widgets:
        if not shiboken6.isValid(widget):
            continue
        sheet = widget.styleSheet()
        if sheet:
            recoloured = palette.recolour_text(sheet, mapping)
            if recoloured != sheet:
                widget.setStyleSheet(recoloured)
        if pg is not None and isinstance(widget, pg.PlotWidget):
            recolour_plot(widget, mapping)
        set_colours = getattr(widget, "set_colours", None)
        if callable(set_colours):
            set_colours()
        widget.update()


def _mapped(colour: QColor, mapping: dict[str, str]) -> QColor:
    new = mapping.get(colour.name())
    if new is None:
        return colour
    made = QColor(new)
    made.setAlpha(colour.alpha())
    return made


def _pen(value: object, mapping: dict[str, str]) -> QPen | None:
    if not isinstance(value, QPen):
        return None
    made = QPen(value)
    made.setColor(_mapped(value.color(), mapping))
    return made


def recolour_plot(plot: Any, mapping: dict[str, str]) -> None:
    """A pyqtgraph PlotWidget's background, axes, title, legend and items in the new colours."""
    import pyqtgraph as pg

    assert isinstance(plot, pg.PlotWidget)
    background = plot.backgroundBrush().color()
    plot.setBackground(_mapped(background, mapping))
    item = plot.getPlotItem()
    for side in ("left", "bottom", "right", "top"):
        axis = item.getAxis(side)
        axis.setPen(_mapped(axis.pen().color(), mapping))
        axis.setTextPen(_mapped(axis.textPen().color(), mapping))
        colour = axis.labelStyle.get("color")
        if isinstance(colour, str):
            axis.labelStyle["color"] = palette.recolour_text(colour, mapping)
            axis._updateLabel()
        axis.picture = None
        axis.update()
    title = item.titleLabel
    if isinstance(title.opts.get("color"), str):
        title.setText(title.text, color=palette.recolour_text(title.opts["color"], mapping))
    legend = item.legend
    if legend is not None:
        legend.setBrush(pg.mkBrush(_mapped(legend.brush().color(), mapping)))
        legend.setPen(pg.mkPen(_mapped(legend.pen().color(), mapping)))
        text = legend.opts.get("labelTextColor")
        if text is not None:
            legend.setLabelTextColor(_mapped(pg.mkColor(text), mapping))
        legend.update()
    if legend is not None:  # samples and labels are cached pixmaps of their own
        for sample, label in legend.items:
            sample.update()
            label.update()
    for child in item.vb.allChildren():
        if isinstance(child.parentItem(), pg.PlotDataItem):
            continue  # its curve and scatter follow the PlotDataItem's pens: mapped once there
        _recolour_item(child, mapping, pg)
    # imported here, as pyqtgraph above: themes is on the first paint's import path, which
    # leaves pyqtgraph (and the plots' modules) for after it
    from gradlab.ui.plots.legend_room import CachedLegend

    if isinstance(legend, CachedLegend):
        legend.fit_view()  # a key left in the view's tooltip takes the new colours too


def _recolour_item(child: Any, mapping: dict[str, str], pg: Any) -> None:
    """One graphics item of a plot: whichever of pen, brush and symbol colours it has."""
    opts: Any = getattr(child, "opts", None)
    if isinstance(child, pg.PlotDataItem):
        pen = _pen(pg.mkPen(opts["pen"]), mapping) if opts.get("pen") is not None else None
        if pen is not None:
            child.setPen(pen)
        if opts.get("symbolBrush") is not None:
            brush = pg.mkBrush(opts["symbolBrush"])
            child.setSymbolBrush(_mapped(brush.color(), mapping))
        if opts.get("symbolPen") is not None:
            symbol_pen = _pen(pg.mkPen(opts["symbolPen"]), mapping)
            child.setSymbolPen(symbol_pen)
        return
    if isinstance(child, pg.ScatterPlotItem):
        if opts.get("pen") is not None:
            child.setPen(_pen(pg.mkPen(opts["pen"]), mapping))
        if opts.get("brush") is not None:
            child.setBrush(pg.mkBrush(_mapped(pg.mkBrush(opts["brush"]).color(), mapping)))
    elif hasattr(child, "pen") and hasattr(child, "setPen"):
        if isinstance(opts, dict) and isinstance(opts.get("pen"), QPen):
            opts["pen"] = _pen(opts["pen"], mapping)  # a LiveCurve's legend sample reads it
        current = child.pen() if callable(child.pen) else child.pen
        pen = _pen(current, mapping)
        if pen is not None:
            child.setPen(pen)
    if isinstance(child, pg.TextItem):
        child.setColor(_mapped(child.color, mapping))
        child.fill = pg.mkBrush(_mapped(child.fill.color(), mapping))
    if hasattr(child, "setCacheMode"):
        child.update()


_manager: ThemeManager | None = None


def theme_manager() -> ThemeManager:
    """The app's ThemeManager, made (and the remembered theme applied) on the first call."""
    global _manager
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("create the QApplication before theme_manager()")
    if _manager is None or not shiboken6.isValid(_manager) or _manager.app is not app:
        _manager = ThemeManager(app)
    return _manager
