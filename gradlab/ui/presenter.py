"""View → Zoom in / out / reset and Presenter mode, for a lesson on a projector.

The zoom (gradlab.ui.zoom) scales the whole window and the plots together and is remembered in
the settings. Presenter mode is for the teacher at the front: full screen, every dock out of the
way (a narrow strip at the left brings the experiment's settings back), the plots and the
equation large and the step and loss in big digits; Esc or F11 returns to the window as it was,
at the zoom it had.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QToolBar, QWidget

from gradlab.ui.menu_actions import make_action
from gradlab.ui.readouts import EQUATION_RATIO
from gradlab.ui.settings import Settings
from gradlab.ui.zoom import Zoom, set_font_ratio, zoom_manager

if TYPE_CHECKING:
    from gradlab.ui.app_window import GradLabWindow

PRESENTER_LINES = 600  # presenter mode zooms so that the screen is this many 100 % pixels high
BIG_READOUT = 2.2  # the step and the loss, in presenter mode, over the window's text
BIG_EQUATION = 2.0
AREA_RIGHT = Qt.DockWidgetArea.RightDockWidgetArea


class ViewScale(QObject):
    """The zoom and presenter actions of one window (``actions`` by name)."""

    def __init__(self, window: GradLabWindow) -> None:
        super().__init__(window)
        self.window = window
        self.zoom: Zoom = zoom_manager()
        self.presenting = False
        self._saved: tuple[QByteArray, Qt.WindowState, float] | None = None
        self._hidden_docks: list[QDockWidget] = []
        w = window
        self.zoom_in_action = make_action(w, "zoomInAction", lambda: self.zoom.step(1))
        self.zoom_in_action.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        self.zoom_out_action = make_action(w, "zoomOutAction", lambda: self.zoom.step(-1), "Ctrl+-")
        self.zoom_reset_action = make_action(
            w, "zoomResetAction", lambda: self.zoom.set_factor(1.0), "Ctrl+0"
        )
        self.presenter_action = make_action(w, "presenterAction", self.toggle_presenter, "F11")
        self.presenter_action.setCheckable(True)
        self.leave_action = make_action(w, "leavePresenterAction", self.leave_presenter, "Esc")
        self.leave_action.setEnabled(False)
        w.addAction(self.leave_action)  # a shortcut of the window, in no menu
        menu = w.menus["view"]
        menu.addSeparator()
        for action in (self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.presenter_action)
        self.strip = QToolBar(w)
        self.strip.setObjectName("presenterStrip")
        self.strip.setMovable(False)
        self.strip.setFloatable(False)
        self.strip_action = QAction(w)
        self.strip_action.setObjectName("presenterPanelAction")
        self.strip_action.triggered.connect(self._toggle_panel)
        self.strip.addAction(self.strip_action)
        menu.addAction(self.strip_action)  # every toolbar action is in a menu too
        w.addToolBar(Qt.ToolBarArea.LeftToolBarArea, self.strip)
        self.strip.hide()
        self.strip.toggleViewAction().setVisible(False)
        self._factor = self.zoom.factor  # the zoom the docks' widths were made for
        self.zoom.changed.connect(self._on_zoom_changed)
        saved = Settings().zoom()
        if abs(saved - self.zoom.factor) > 1e-9:  # the window was built at 100 %
            self.zoom.set_factor(saved, root=w)
        self.retranslate_ui()

    @property
    def actions(self) -> dict[str, QAction]:
        return {
            a.objectName(): a
            for a in (
                self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action,
                self.presenter_action, self.leave_action,
            )
        }  # fmt: skip

    def retranslate_ui(self) -> None:
        self.zoom_in_action.setText(self.tr("Zoom &in"))
        self.zoom_in_action.setToolTip(self.tr("Larger text, lines and plots (Ctrl+=)"))
        self.zoom_out_action.setText(self.tr("Zoom &out"))
        self.zoom_out_action.setToolTip(self.tr("Smaller text, lines and plots (Ctrl+-)"))
        self.zoom_reset_action.setText(self.tr("&Reset zoom"))
        self.zoom_reset_action.setToolTip(self.tr("Back to 100 % (Ctrl+0)"))
        self.presenter_action.setText(self.tr("&Presenter mode"))
        self.presenter_action.setToolTip(
            self.tr("Full screen with large plots and numbers, for a projector; Esc leaves it")
        )
        self.leave_action.setText(self.tr("Leave presenter mode"))
        self.strip_action.setText("»")
        self.strip_action.setToolTip(self.tr("Show or hide the experiment's settings"))

    def _on_zoom_changed(self, factor: float) -> None:
        ratio, self._factor = factor / self._factor, factor
        self._scale_docks(ratio)
        # presenter mode's zoom lasts only while it does: neither this window nor another
        # one open beside it remembers it
        if not self.presenting and self.zoom.lasting:
            Settings().set_zoom(factor)
        percent = round(factor * 100)
        self.window.statusBar().showMessage(
            self.tr("Zoom: {percent} %").format(percent=percent), 2000
        )

    def _scale_docks(self, ratio: float) -> None:
        """The docks' widths follow the zoom, as their text does (the window limits them)."""
        w = self.window
        docks = [
            d for d in w.findChildren(QDockWidget)
            if d.isVisible() and not d.isFloating()
            and w.dockWidgetArea(d) in (Qt.DockWidgetArea.LeftDockWidgetArea, AREA_RIGHT)
        ]  # fmt: skip
        if docks and abs(ratio - 1) > 1e-9:
            widths = [round(d.width() * ratio) for d in docks]
            w.resizeDocks(docks, widths, Qt.Orientation.Horizontal)

    # ---- presenter mode ----

    def toggle_presenter(self) -> None:
        if self.presenting:
            self.leave_presenter()
        else:
            self.enter_presenter()

    def enter_presenter(self) -> None:
        if self.presenting:
            return
        w = self.window
        self._saved = (w.saveState(), w.windowState(), self.zoom.factor)
        self._hidden_docks = [d for d in w.findChildren(QDockWidget) if d.isVisible()]
        self.presenting = True
        for dock in self._hidden_docks:
            dock.hide()
        self.strip.show()
        self._big_readouts(True)
        self.zoom.set_factor(max(self.zoom.factor, presenter_zoom(w)), lasting=False)
        w.setWindowState(w.windowState() | Qt.WindowState.WindowFullScreen)
        self.leave_action.setEnabled(True)
        self.presenter_action.setChecked(True)

    def leave_presenter(self) -> None:
        if not self.presenting or self._saved is None:
            return
        w = self.window
        state, window_state, factor = self._saved
        self._big_readouts(False)
        self.zoom.set_factor(factor, lasting=False)  # the user's zoom, already remembered
        self.presenting = False
        self.strip.hide()
        w.setWindowState(window_state)
        w.restoreState(state)
        for dock in self._hidden_docks:
            dock.show()
        self._hidden_docks = []
        self.leave_action.setEnabled(False)
        self.presenter_action.setChecked(False)

    def _toggle_panel(self) -> None:
        dock = self.window.panel_dock
        dock.setVisible(not dock.isVisible())

    def _big_readouts(self, big: bool) -> None:
        readouts = self.window.readouts
        for label in (readouts.step_label, readouts.loss_label):
            set_font_ratio(label, BIG_READOUT if big else 1.0, fixed_pitch=True)
        set_font_ratio(readouts.equation_label, BIG_EQUATION if big else EQUATION_RATIO)
        readouts.updateGeometry()


def presenter_zoom(window: QWidget) -> float:
    """Large on a large screen, yet the four plots still fit a 1280×720 projector (120 %)."""
    screen = window.screen()
    height = screen.geometry().height() if screen is not None else 720
    return round(min(2.0, max(1.0, height / PRESENTER_LINES)), 2)
