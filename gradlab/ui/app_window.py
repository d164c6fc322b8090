"""The whole application window: the polynomial lab with its "inside training" docks, the CNN
pipeline as a second tab, and the classroom features (lessons, languages, sessions, help).

``MainWindow`` stays the polynomial lab alone (its tests build it bare and fast); this class only
assembles the parts and routes what belongs to the tab on show: the run toolbar, the keyboard
shortcuts and the docks follow the current tab, so Space never pauses a run you cannot see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QDockWidget, QFrame, QScrollArea, QTabWidget, QWidget

from gradlab.model.run_state import RunState
from gradlab.ui.accessibility import prepare_tree
from gradlab.ui.build_chain import BackgroundImport, BuildChain, make_qt_types
from gradlab.ui.dock_tabs import DockTabFit
from gradlab.ui.main_window import MainWindow
from gradlab.ui.presenter import ViewScale
from gradlab.ui.settings import Settings
from gradlab.ui.torch_warmup import TorchWarmup, WarmupIndicator
from gradlab.ui.zoom import zoom_manager

if TYPE_CHECKING:  # the parts built after a deferred window's first paint are imported then
    from gradlab.ui.appearance import Appearance
    from gradlab.ui.classroom import Classroom
    from gradlab.ui.cnn.lab import CnnLabWidget
    from gradlab.ui.inside import InsideTraining

POLYNOMIAL_TAB, CNN_TAB = 0, 1
# imported after the first paint, in a thread (no Qt object is made at their import)
# numpy.random too: NumPy loads it on first use, which the first problem's dataset is, in the
# GUI thread (~10 ms in one part of the build, the longest with the first plot's)
DEFERRED_MODULES = (
    "pyqtgraph", "gradlab.ui.plots.live_view", "gradlab.ui.inside", "gradlab.ui.classroom",
    "gradlab.ui.appearance", "numpy.random",
)  # fmt: skip
PLOTS_LEAST_SIZE = (364, 304)  # the plots' minimumSizeHint at 100 % (checked by a test)


class GradLabWindow(MainWindow):
    """What ``gradlab`` opens. Adds ``tabs``, ``cnn_lab``, ``inside`` and ``classroom``.

    Without the CNN tab (the lab administrator's ``cnn/tab=false``) there is no CNN tab, no CNN
    menu, and the polynomial lab is the only page (``cnn_shown`` False).

    ``deferred`` (what ``gradlab`` does): the window is built for its first paint only — the
    panel, run toolbar, read-outs, menus, and every dock in its place, empty — and the rest
    (pyqtgraph and the plots, the docks' contents, the classroom's menu entries and the
    appearance menu) after that paint, a small part per turn of the event loop (``build``),
    so the window appears at once, whole, and answers meanwhile. ``fully_built`` is emitted
    after the last part; ``finish_building()`` builds the rest at once, as a run started, the
    CNN tab opened or the window closed meanwhile do. Without ``deferred`` (tests, tools) the
    whole window is built in the constructor.
    """

    fully_built = Signal()

    inside: InsideTraining
    classroom: Classroom
    appearance: Appearance

    def __init__(self, parent: QWidget | None = None, *, deferred: bool = False) -> None:
        zoom_manager().set_factor(
            1.0, quiet=True
        )  # built at 100 %; ViewScale then applies the saved zoom
        super().__init__(parent, plots_later=deferred)
        self.setWindowTitle(self.tr("GradLab — watch and drive the training of a model"))
        self._docks_hidden_for_cnn: list[QDockWidget] = []
        lab = self.takeCentralWidget()
        assert lab is not None  # MainWindow's lab column
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("labTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(lab, "")
        self.tabs.setTabBarAutoHide(True)  # one lab alone needs no tab bar
        self.cnn_shown = Settings().cnn_tab_shown()
        self._cnn_lab: CnnLabWidget | None = None  # built when first needed: a faster start
        self._polynomial_run_actions: list[QAction] = []  # hidden on the CNN tab
        # scrolls rather than widening the window past a classroom screen (it needs ~1400 px)
        self._cnn_scroll = QScrollArea(self)
        self._cnn_scroll.setObjectName("cnnScroll")
        self._cnn_scroll.setWidgetResizable(True)
        self._cnn_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.setCentralWidget(self.tabs)
        if self.cnn_shown:
            self.tabs.addTab(self._cnn_scroll, "")
            self.menus["cnn"] = self.menuBar().addMenu("")
            self.menus["cnn"].aboutToShow.connect(lambda: self.cnn_lab)
        else:
            self._cnn_scroll.hide()  # in no tab: it would sit on top of the window
        if deferred:
            self._empty_inside_docks()
            for name, context, title in (  # the whole menu bar at the first paint
                ("inside", "InsideActions", QT_TRANSLATE_NOOP("InsideActions", "&Inside")),
                ("language", "LanguageMenu", QT_TRANSLATE_NOOP("LanguageMenu", "&Language")),
                ("help", "HelpMenu", QT_TRANSLATE_NOOP("HelpMenu", "&Help")),
            ):  # their entries come with the parts that fill them
                self.menus[name] = self.menuBar().addMenu(
                    QCoreApplication.translate(context, str(title))
                )
        self.build = BuildChain(
            self,
            (
                self._import_plots,
                self._build_plots,
                self._build_inside,
                self._build_classroom,
                self._build_appearance,
            ),
        )
        self.build.done.connect(self.fully_built)
        if not deferred:  # the inside docks first: the View menu lists them first
            self.build.finish(through=self._build_inside)
        self.view_scale = ViewScale(self)
        if not self.plots_built:  # the plots' room, kept for them: nothing moves when they come
            scale = zoom_manager().factor
            self.plot_area.setMinimumSize(*(round(side * scale) for side in PLOTS_LEAST_SIZE))
        self.dock_tabs = DockTabFit(self)
        self._default_layout()
        self.retranslate_ui()
        self._shown = False
        if deferred:
            self.empty_dock(
                QCoreApplication.translate("LessonActions", "Lesson"), "lessonDock",
                Qt.DockWidgetArea.RightDockWidgetArea, self.findChild(QDockWidget, "insideDock"),
            ).hide()  # fmt: skip
            # a run begun before the docks are filled: they are built now and see it whole
            self.model.events.run_started.connect(lambda _config: self.finish_building())
        else:
            self.finish_building()  # the classroom (which restores the layout once shown), ...
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.model.events.state_changed.connect(lambda _state: self._show_tab_state())
        # PyTorch loads in the background once shown (``run_app`` starts it after the first
        # paint); a torch run started meanwhile shows what it waits for
        self.torch_warmup = TorchWarmup(self)
        self.torch_wait = WarmupIndicator(self.torch_warmup, self.statusBar())
        self.controller.preparing_torch.connect(self.torch_wait.run_preparing)
        self.model.events.state_changed.connect(
            lambda state: self.torch_wait.run_state(state is RunState.PREPARING)
        )

    # ---- what a deferred window builds after its first paint ----

    @property
    def is_fully_built(self) -> bool:
        return self.build.finished

    def when_fully_built(self, action: Callable[[], object]) -> None:
        """``action()`` once the window is whole: now, or after the build's last part."""
        if self.is_fully_built:
            action()
        else:
            self.fully_built.connect(action)

    def finish_building(self) -> None:
        """Build whatever is not built yet, now (``fully_built`` is emitted once done)."""
        self.build.finish()

    def build_for_run(self) -> None:
        """A run sees the whole window from its start (the docks follow it too)."""
        self.finish_building()

    def _empty_inside_docks(self) -> None:
        """The inside docks in their places, empty (filled by ``_build_inside``)."""
        right = Qt.DockWidgetArea.RightDockWidgetArea

        def title(text: str, context: str = "InsideTraining") -> str:
            return QCoreApplication.translate(context, text)

        inside = self.empty_dock(title("Inside one step"), "insideDock", right)
        for text, name in (
            ("Loss landscape", "landscapeDock"), ("Compare", "compareDock"),
            ("Run history", "runHistoryDock"),
        ):  # fmt: skip
            self.empty_dock(title(text), name, right, inside)
        loss = self.empty_dock(title("Loss explorer"), "lossExplorerDock", right, inside)
        loss.hide()  # opened from the View menu
        self.empty_dock(title("Computation graph", "GraphPanel"), "graphDock", right, inside)
        inside.raise_()
        self.resizeDocks([inside], [470], Qt.Orientation.Horizontal)

    def _import_plots(self) -> Iterator[BackgroundImport | None]:
        """pyqtgraph and the modules of every part to build, in a thread: their imports alone
        would hold the window for a good part of a second. Qt's Python types are made here
        first, in the GUI thread: see ``make_qt_types``."""
        yield from make_qt_types()
        yield BackgroundImport(DEFERRED_MODULES, self)

    def _build_plots(self) -> Iterator[None]:
        """The plots, one per turn of the event loop."""
        return self.plot_parts()

    def _build_inside(self) -> Iterator[None]:
        """The inside docks, one view per turn of the event loop."""
        from gradlab.ui.inside import InsideTraining

        self.inside = InsideTraining(self)
        yield from self.inside.build()

    def _build_classroom(self) -> None:
        from gradlab.ui.classroom import install_classroom

        self.classroom = install_classroom(self)

    def _build_appearance(self) -> None:
        """Themes, the shortcut list, accessible names (after the classroom's Help menu)."""
        from gradlab.ui.appearance import install_appearance

        self.appearance = install_appearance(self)

    def _default_layout(self) -> None:
        """First start: the plots get the room; the phase view is the right-hand tab on top."""
        inside = self.findChild(QDockWidget, "insideDock")
        if inside is None:
            return
        QTimer.singleShot(0, inside, inside.raise_)  # tabified docks get their tab bar once shown
        self.setTabPosition(Qt.DockWidgetArea.RightDockWidgetArea, QTabWidget.TabPosition.North)
        scale = zoom_manager().factor  # the saved zoom is on already: 150 % needs wider docks
        widths = [round(290 * scale), round(340 * scale)]
        self.resizeDocks([self.panel_dock, inside], widths, Qt.Orientation.Horizontal)

    @property
    def cnn_lab(self) -> CnnLabWidget:
        """The CNN pipeline tab's widget, built on first use (tab, menu or code)."""
        if self._cnn_lab is None:
            from gradlab.ui.cnn.lab import CnnLabWidget as Lab  # imported late: a faster start

            lab = self._cnn_lab = Lab(self)
            self._cnn_scroll.setWidget(lab)
            prepare_tree(lab)  # accessible names (and no Tab trap) for the lab built late
            for action in lab.actions.values() if self.cnn_shown else ():
                self.menus["cnn"].addAction(action)
            if self.cnn_shown:  # the Run menu drives the visible lab
                run_menu = self.menus["run"]
                self._polynomial_run_actions = list(run_menu.actions())
                for action in lab.run_actions().values():
                    run_menu.addAction(action)
                    action.setVisible(self.tabs.currentIndex() == CNN_TAB)
            lab.model.state_changed.connect(lambda _state: self._show_tab_state())
        return self._cnn_lab

    # ---- language ----

    def retranslate_ui(self) -> None:
        """Texts built in code; the classroom calls this after switching language."""
        self.tabs.setTabText(POLYNOMIAL_TAB, self.tr("Fit a curve"))  # a polynomial or a network
        self.tabs.setTabToolTip(
            POLYNOMIAL_TAB,
            self.tr(
                "The chapter's first part: fit y = sin(x) with a cubic (or a small neural "
                "network) by gradient descent"
            ),
        )
        if self.cnn_shown:
            self.tabs.setTabText(CNN_TAB, self.tr("CNN pipeline"))
            self.tabs.setTabToolTip(
                CNN_TAB,
                self.tr("The chapter's whole pipeline: data → model → loss → optimizer → "
                        "train → validate → results, on a small CNN"),
            )  # fmt: skip
            self.menus["cnn"].setTitle(self.tr("&CNN"))
        if self._cnn_lab is not None:
            self._cnn_lab.retranslate_ui()
        self.view_scale.retranslate_ui()
        self._retranslate_lab()
        if self.plots_built:
            self.plots.retranslate_ui()
            self.view.mark_dirty()  # read-outs are formatted again on the next redraw

    def _retranslate_lab(self) -> None:
        for part in (self.panel, self.readouts, self.controls):
            part.retranslate_ui()
        super().retranslate_ui()
        self._show_tab_state()

    # ---- tabs ----

    def _on_tab_changed(self, index: int) -> None:
        polynomial = index == POLYNOMIAL_TAB
        if not polynomial:
            self.finish_building()  # docks filled later would reappear on the CNN tab
            self.cnn_lab  # noqa: B018 (builds the tab on its first showing)
        for shortcut in self.controls.shortcuts:
            shortcut.setEnabled(polynomial)
        for toolbar in (self.controls.toolbar,):
            toolbar.setVisible(polynomial)
        # the Run and Inside menus act on the lab on show, never on the hidden one
        for action in self._polynomial_run_actions:
            action.setVisible(polynomial)
        if self._cnn_lab is not None:
            for action in self._cnn_lab.run_actions().values():
                action.setVisible(not polynomial)
        inside_menu = self.menus.get("inside")
        if inside_menu is not None:
            inside_menu.menuAction().setVisible(polynomial)
        self._show_tab_state()
        if polynomial:
            for dock in self._docks_hidden_for_cnn:
                dock.show()
            self._docks_hidden_for_cnn = []
        else:  # the polynomial lab's docks would only crowd the CNN tab
            docks = [d for d in self.findChildren(QDockWidget) if d.isVisible()]
            for dock in docks:
                dock.hide()
            self._docks_hidden_for_cnn = docks

    def _show_tab_state(self) -> None:
        """The status bar's run state is the visible lab's."""
        if self.tabs.currentIndex() == CNN_TAB and self._cnn_lab is not None:
            self.state_label.setText(self._cnn_lab.state_text())
        else:
            self.state_label.setText(self.controls.state_text(self.model.state))

    def show_tab(self, name: str) -> None:
        """Switch to "polynomial" or "cnn" (used by GRADLAB_TAB for screenshots)."""
        self.tabs.setCurrentIndex(CNN_TAB if name == "cnn" and self.cnn_shown else POLYNOMIAL_TAB)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The docks have their new widths here: their tabs are placed now, not a frame later."""
        super().resizeEvent(event)
        self.dock_tabs.fit()

    def showEvent(self, event: QShowEvent) -> None:
        """At the first showing every dock exists (empty, if its contents come later): the
        remembered size, place and dock layout come back."""
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            settings = Settings()
            geometry, state = settings.window_geometry(), settings.window_state()
            if geometry is not None:
                self.restoreGeometry(geometry)
            if state is not None:
                self.restoreState(state)
            layout = self.layout()
            if layout is not None:  # the docks' tab bars exist now, and their widths are known
                layout.activate()
            self.dock_tabs.fit()  # the tabs where they belong before the first paint

    def closeEvent(self, event: QCloseEvent) -> None:
        """Both labs' training threads end before the window goes; then the classroom saves
        the layout (the first tab's: docks hidden for the CNN tab come back first) and the
        session. A window closed before it is fully built is built first: what it saves is
        then the whole window's."""
        if not self.is_fully_built:
            self.finish_building()
            self.inside.shutdown()  # built just now: its threads end with this close
        if self._docks_hidden_for_cnn:
            self.tabs.setCurrentIndex(POLYNOMIAL_TAB)
        if self._cnn_lab is not None:
            self._cnn_lab.shutdown()
        super().closeEvent(event)
        if event.isAccepted():
            self.classroom.window_closed()
