"""The lab window: parameter panel (left dock), read-outs and 2×2 live plots (centre), the run
toolbar and a status bar — the views of one ``LabModel``, driven through one ``LabController``.

The window builds the model, the controller and the views, and connects them: the panel reports
its settings to the controller; the views subscribe to the model's events. It keeps no run state
of its own. Worker batches reach the model; the LiveView redraws on a 33 ms timer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QChildEvent, QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from gradlab.core.config import Config, ConfigError
from gradlab.model.advice import divergence_advice, lr_warning
from gradlab.model.lab import LabModel
from gradlab.model.lr_defaults import lr_offer
from gradlab.model.problem import Problem
from gradlab.model.run_state import RunState
from gradlab.ui.controls import RunControls
from gradlab.ui.dialogs import Dialogs
from gradlab.ui.error_text import error_text
from gradlab.ui.i18n import current_language
from gradlab.ui.lab_controller import LabController
from gradlab.ui.parameter_panel import ParameterPanel
from gradlab.ui.readouts import Banner, ReadoutBar, divergence_text, lr_warning_text
from gradlab.ui.widgets import format_number
from gradlab.ui.worker_text import describe_failure

if TYPE_CHECKING:  # pyqtgraph is imported with the plots (``build_plots``)
    from gradlab.ui.plots import PlotGrid
    from gradlab.ui.plots.live_view import LiveView

DATA_PATHS = ("data.target", "data.val_fraction", "data.x_min", "data.x_max")


class MainWindow(QMainWindow):
    """GradLab's polynomial lab: ``model`` (state), ``controller`` (intents), ``dialogs``, and
    the views ``panel``, ``plots``, ``readouts``, ``banner``, ``controls``, ``view``.

    ``plots_later``: the plots and the LiveView (and pyqtgraph, and the problem's analysis)
    wait for ``build_plots()``, so a first paint can come before them; the run controls build
    them before they act."""

    plots: PlotGrid
    view: LiveView

    # What the helpers of the window (its dock tabs, the inside docks) follow. Qt calls each
    # handler below for its own kind of event only, where an event filter on the window ran
    # Python for every event it gets, several per frame while a run trains.
    shown = Signal()  # each showEvent
    closing = Signal()  # closeEvent has begun (before the training thread is stopped)
    language_changed = Signal()
    font_changed = Signal()
    child_added = Signal()  # e.g. a tab bar Qt made for docks stacked in tabs

    def __init__(self, parent: QWidget | None = None, *, plots_later: bool = False) -> None:
        super().__init__(parent)
        # the language its texts are made in: the classroom re-translates them only if the
        # language manager came later (a window built by hand, as some tests do)
        self.built_language = current_language()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("GradLab — watch gradient descent fit a polynomial"))
        self.panel = ParameterPanel()
        self.model = LabModel(self.panel.config())
        self.plots_built = False
        self._plot_builder: Iterator[None] | None = None
        self.plot_area = QWidget()  # the plots' place in the lab column
        self.plot_area.setObjectName("plotArea")
        self.plot_area.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        QVBoxLayout(self.plot_area).setContentsMargins(0, 0, 0, 0)
        self.readouts = ReadoutBar()
        self.banner = Banner()
        self.dialogs = Dialogs(self, banner=self.banner, status_bar=self.statusBar())
        self.controller = LabController(self.model, self.dialogs, self)
        self.controller.read_settings = self.panel.config
        self.controls = RunControls(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.controls.toolbar)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(6)
        layout.addWidget(self.banner)
        layout.addWidget(self.readouts)
        layout.addWidget(self.plot_area, 1)
        self.setCentralWidget(central)
        self.setDockNestingEnabled(True)
        self._empty_docks: dict[str, QDockWidget] = {}  # made by empty_dock, not yet filled
        # True once docks were placed before their contents (empty_dock): whoever fills them
        # leaves their place, size and visibility alone
        self.dock_layout_given = False
        self.menus = self._build_menus()
        self.panel_dock = self.add_dock(
            self.panel, self.tr("Experiment"), "parameterDock", Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.state_label = QLabel(self)
        self.state_label.setObjectName("stateLabel")
        self.statusBar().addPermanentWidget(self.state_label)

        controls = self.controls
        for action in (controls.start_action, controls.step_action, controls.step_n_action):
            action.triggered.connect(self.build_for_run)  # first: they draw the run from its start
        self._connect()
        self._on_state(self.model.state)
        if not plots_later:
            self.build_plots()

    def build_plots(self) -> None:
        """The plots and their LiveView, then what the panel's config fixes (data, optimum,
        the learning rate's warnings), at once; nothing once built."""
        for _part in self.plot_parts():
            pass

    def build_for_run(self) -> None:
        """What a run needs built before it begins (Start, Step): the plots."""
        self.build_plots()

    def plot_parts(self) -> Iterator[None]:
        """``build_plots`` in parts, a pause (yield) after each plot: one builder, however
        many times asked, so a part built is never built again."""
        if self._plot_builder is None:
            self._plot_builder = self._plots_in_parts()
        return self._plot_builder

    def _plots_in_parts(self) -> Iterator[None]:
        from gradlab.ui.plots import PlotGrid
        from gradlab.ui.plots.live_view import LiveView

        plots = PlotGrid(in_parts=True)
        yield from plots.build()
        self.plots = plots
        self.view = LiveView(self.model, self.plots, self.readouts, self)
        self.plots_built = True
        layout = self.plot_area.layout()
        assert layout is not None  # made in __init__
        layout.addWidget(self.plots)
        self.plot_area.setMinimumSize(0, 0)  # the plots' own least size from now on
        self.plots.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # click a plot to leave a field
        if self.plot_area.hasFocus():
            self.plots.setFocus()
        yield
        try:
            config = self.model.display_config or self.panel.config()
        except ConfigError:
            return  # the panel marks it; the problem comes with a valid config
        self._show_problem(config)

    # ---- read-only conveniences (tests and the benchmark read them) ----

    @property
    def run_state(self) -> RunState:
        return self.model.state

    @property
    def redraw_count(self) -> int:
        """Redraws actually done (the benchmark reads it)."""
        return self.view.redraw_count

    @property
    def problem(self) -> Problem | None:
        """Dataset, analysis and reference curves of the config on screen."""
        return self.model.problem

    def showEvent(self, event: QShowEvent) -> None:
        """Start with the focus on the plots, so Space and → work before any click."""
        super().showEvent(event)
        self.shown.emit()
        focus = QApplication.focusWidget()
        if focus is None or not self.isAncestorOf(focus):
            (self.plots if self.plots_built else self.plot_area).setFocus()

    # ---- layout helpers for other panes ----

    def add_dock(
        self,
        widget: QWidget,
        title: str,
        object_name: str,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
        tabify_with: QDockWidget | None = None,
        *,
        hidden: bool = False,
    ) -> QDockWidget:
        """Put ``widget`` in a dock (named for saveState) with a toggle in the View menu;
        ``hidden``: closed until opened from the menu (or the remembered layout shows it).

        A dock of that name made empty beforehand (``empty_dock``) gets ``widget`` and keeps
        its place, size and visibility: the layout was given before its contents."""
        dock = self._empty_docks.pop(object_name, None)
        if dock is not None:
            dock.setWindowTitle(title)
            dock.setWidget(widget)
            return dock
        dock = self._new_dock(widget, title, object_name, area, tabify_with)
        if hidden:
            dock.hide()
        return dock

    def empty_dock(
        self,
        title: str,
        object_name: str,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
        tabify_with: QDockWidget | None = None,
    ) -> QDockWidget:
        """A dock with nothing in it yet, in its place, with its View menu toggle: the window
        can be shown with its whole layout before the dock's contents are built (the
        ``add_dock`` of that name fills it)."""
        dock = self._new_dock(None, title, object_name, area, tabify_with)
        self._empty_docks[object_name] = dock
        self.dock_layout_given = True
        return dock

    def _new_dock(
        self,
        widget: QWidget | None,
        title: str,
        object_name: str,
        area: Qt.DockWidgetArea,
        tabify: QDockWidget | None,
    ) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(object_name)
        if widget is not None:
            dock.setWidget(widget)
        self.addDockWidget(area, dock)
        if tabify is not None:
            self.tabifyDockWidget(tabify, dock)
        self.menus["view"].addAction(dock.toggleViewAction())
        return dock

    def _build_menus(self) -> dict[str, QMenu]:
        """The window's menus by name; other parts add theirs ("cnn", "inside", ...)."""
        bar = self.menuBar()
        menus = {
            "file": bar.addMenu(self.tr("&File")),
            "run": bar.addMenu(self.tr("&Run")),
            "view": bar.addMenu(self.tr("&View")),
        }
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menus["file"].addAction(quit_action)
        for action in self.controls.actions.values():
            menus["run"].addAction(action)
        menus["view"].addAction(self.controls.toolbar.toggleViewAction())
        return menus

    def _connect(self) -> None:
        c, ctl, e = self.controls, self.controller, self.model.events
        c.start_action.triggered.connect(ctl.start)
        c.pause_action.triggered.connect(lambda _checked=False: self._toggle_pause())
        c.step_action.triggered.connect(lambda: ctl.step(1))
        c.step_n_action.triggered.connect(lambda: ctl.step(c.step_count()))
        c.stop_action.triggered.connect(ctl.stop)
        c.reset_action.triggered.connect(ctl.reset)
        c.speed_changed.connect(ctl.set_speed)
        ctl.set_speed(c.speed())
        self.panel.config_changed.connect(self._on_panel_config)
        self.panel.validity_changed.connect(self._on_validity_changed)
        ctl.failed.connect(lambda f: self.banner.show_message(lambda: describe_failure(f), "error"))
        ctl.invalid_settings.connect(
            lambda error: self.statusBar().showMessage(error_text(error), 5000)
        )
        ctl.preparing_torch.connect(self._on_preparing_torch)
        e.state_changed.connect(self._on_state)
        e.panel_reverted.connect(self._on_panel_reverted)
        e.run_started.connect(self._on_run_started)
        e.run_cleared.connect(lambda _none: self._on_run_cleared())
        e.session_ready.connect(lambda _start: self.statusBar().clearMessage())

    def _toggle_pause(self) -> None:
        self.controller.toggle_pause()
        self._update_controls()

    # ---- the panel ----

    def _on_panel_config(self, config: Config) -> None:
        self._update_lr_warning(config)
        if self.model.run_config is None:
            self._show_problem(config)
        self.controller.settings_changed(config)
        self._update_controls()

    def _on_validity_changed(self, valid: bool) -> None:
        if valid:
            self._update_lr_warning(self.panel.config(), compute=False)
        else:
            self.controller.settings_changed(None, self._panel_error())
        self._update_controls()

    def _panel_error(self) -> ConfigError | None:
        try:
            self.panel.config()
        except ConfigError as error:
            return error
        return None

    def _on_panel_reverted(self, config: Config) -> None:
        self.panel.set_config(config, notify=False)
        self._update_lr_warning(config)
        self._update_controls()

    # ---- the model's run ----

    def _on_run_started(self, config: Config) -> None:
        self.banner.dismiss()
        self._show_problem(config)

    def _on_run_cleared(self) -> None:
        self.banner.dismiss()
        try:
            config = self.panel.config()
        except ConfigError:
            return
        self._show_problem(config)

    def _on_preparing_torch(self) -> None:
        self.statusBar().showMessage(
            self.tr(
                "Preparing the run: the first PyTorch run of a session loads PyTorch, "
                "which takes a few seconds…"
            ),
            10_000,
        )

    def _on_state(self, state: RunState) -> None:
        self.state_label.setText(self.controls.state_text(state))
        self._update_controls()
        if state is RunState.DIVERGED:
            self._show_divergence()
        elif state is RunState.FINISHED:
            self.statusBar().showMessage(self.tr("Finished: all steps done."), 5000)

    def _update_controls(self) -> None:
        self.controls.update_state(self.model.state, config_valid=self.panel.is_valid())

    def _show_divergence(self) -> None:
        m = self.model
        config = m.run_config or m.panel_config
        if config is None:
            return
        analysis = m.problem.analysis if m.problem is not None else None
        advice = divergence_advice(config, analysis, m.diverged_at)
        suggestion = advice.suggestion
        self.banner.show_message(
            lambda: divergence_text(advice),
            "warning",
            lambda: self.tr("Use lr = {lr}").format(lr=format_number(suggestion)),
            lambda: self.controller.use_learning_rate(suggestion),
        )

    def _update_lr_warning(self, config: Config, *, compute: bool = True) -> None:
        try:
            problem = self.model.cached_problem(config, compute=compute)
        except ConfigError:  # bad data: _show_problem marks it at its field
            problem = None
        if problem is not None or compute:
            analysis = problem.analysis if problem is not None else None
            self.panel.set_lr_warning(lr_warning_text(lr_warning(config, analysis)))
            self.panel.show_lr_offer(lr_offer(config, analysis), config.training.lr)

    def _show_problem(self, config: Config) -> None:
        """Draw what a config fixes before any step; data errors are marked in the panel."""
        try:
            self.model.show_problem(config)
        except ConfigError as error:
            self.panel.set_external_error(error.field, error_text(error))
            self._update_controls()
            return
        for path in DATA_PATHS:
            self.panel.set_external_error(path, None)
        self._update_lr_warning(config)

    def retranslate_ui(self) -> None:
        """After a language switch: the texts this window made from values."""
        self.banner.retranslate_ui()
        self.statusBar().clearMessage()  # a passing message in the old language goes
        self.state_label.setText(self.controls.state_text(self.model.state))
        try:
            self._update_lr_warning(self.panel.config(), compute=False)
        except ConfigError:
            pass  # an invalid panel shows its own error, re-made by the panel

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.language_changed.emit()
        elif event.type() == QEvent.Type.FontChange:
            self.font_changed.emit()

    def childEvent(self, event: QChildEvent) -> None:
        super().childEvent(event)
        if event.added():
            self.child_added.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop the worker and join its thread (within a second) before the window goes."""
        self.closing.emit()
        if self.plots_built:
            self.view.timer.stop()
        self.controller.shutdown()
        super().closeEvent(event)
