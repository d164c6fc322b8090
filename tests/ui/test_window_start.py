"""The window is shown before its docks, classroom and menus are built; they follow after the
first paint, and a run or a close before then finds the whole window."""

from __future__ import annotations

import gc
import subprocess
import sys
import textwrap

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QDockWidget, QWidget

from gradlab.ui.on_screen import on_screen

WAIT_MS = 30_000


RIGHT_DOCKS = (
    "insideDock", "landscapeDock", "compareDock", "runHistoryDock", "lossExplorerDock",
    "graphDock",
)  # fmt: skip


class FirstPaint(QObject):
    """What the window looked like at its first paint: its docks' and plots' places."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.places: dict[str, tuple] | None = None
        self.filled: bool | None = None
        self.plots_built: bool | None = None
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.places is None:
            self.places = places(self.window)
            self.filled = any(
                self.window.findChild(QDockWidget, name).widget() is not None
                for name in RIGHT_DOCKS
            )
            self.plots_built = self.window.plots_built
        return False


def places(window) -> dict[str, tuple]:
    """Where each dock on screen and the plots' area stand (None: behind another dock's tab),
    whether they are visible, their titles."""
    widgets = {name: window.findChild(QDockWidget, name) for name in (*RIGHT_DOCKS, "lessonDock")}
    widgets["plotArea"] = window.plot_area
    widgets["parameterDock"] = window.panel_dock
    menus = [action.text() for action in window.menuBar().actions() if action.isVisible()]
    return {
        "menus": (menus, True, ""),
        **{
            name: (
                None if w.visibleRegion().isEmpty() else w.geometry().getRect(),
                w.isVisible(),
                w.windowTitle() if name != "plotArea" else "",
            )
            for name, w in widgets.items()
        },
    }


def _dispose(window) -> None:
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


def test_the_first_paint_has_every_dock_in_its_place_and_they_stay_there(qtbot, classroom_sandbox):
    from gradlab.app import create_window
    from gradlab.ui.app_window import PLOTS_LEAST_SIZE

    window = create_window(deferred=True)
    window.resize(1024, 768)  # a small classroom screen: every pixel is fought for
    window.dialogs.confirm = lambda text: True
    first_paint = FirstPaint(window)
    assert not window.is_fully_built
    with qtbot.waitSignal(window.fully_built, timeout=WAIT_MS):
        window.show()
    assert first_paint.filled is False  # empty docks at the first paint
    assert first_paint.plots_built is False
    for _turn in range(3):  # Qt lays out what was filled in posted events (LayoutRequest,
        QCoreApplication.sendPostedEvents()  # which may post more): let every one be handled
        QCoreApplication.processEvents()
    assert places(window) == first_paint.places  # nothing moved, nothing came or went
    assert window.findChild(QWidget, "fitPlot") is not None
    least = window.plots.minimumSizeHint()
    assert (least.width(), least.height()) == PLOTS_LEAST_SIZE  # the room kept for them
    for name in RIGHT_DOCKS:
        assert window.findChild(QDockWidget, name).widget() is not None, name  # filled
    assert {"inside", "file", "run", "view"} <= set(window.menus)
    assert window.inside.inside_dock.isVisible()  # the default layout
    assert window.inside.loss_explorer is None  # its dock is closed: built when opened
    window.inside.loss_dock.show()  # as its View menu entry does; then its tab is raised
    window.inside.loss_dock.raise_()
    qtbot.waitUntil(lambda: window.inside.loss_explorer is not None)
    assert window.inside.loss_dock.widget() is window.inside.loss_explorer
    assert [name for name, *_times in window.build.timings][-1] == "_build_appearance"
    _dispose(window)


def test_a_window_made_for_tests_and_tools_is_whole_at_once(qtbot, classroom_sandbox):
    from gradlab.app import create_window

    window = create_window()
    assert window.is_fully_built and window.plots_built
    assert not window.dock_layout_given
    # but for the loss explorer's pages, closed by default: built when its dock is first shown
    assert window.inside.loss_explorer is None
    window.show()
    window.inside.loss_dock.show()  # as its View menu entry does
    window.inside.loss_dock.raise_()
    qtbot.waitUntil(lambda: window.inside.loss_explorer is not None)
    assert window.inside.loss_dock.widget() is window.inside.loss_explorer
    _dispose(window)


def test_the_remembered_dock_layout_is_there_at_the_first_paint(qtbot, classroom_sandbox):
    from gradlab.app import create_window

    first = create_window()
    first.show()
    qtbot.waitExposed(first)
    first.inside.loss_dock.show()  # hidden in the default layout
    qtbot.waitUntil(first.inside.loss_dock.isVisible)
    _dispose(first)  # the layout is remembered

    again = create_window(deferred=True)
    first_paint = FirstPaint(again)
    with qtbot.waitSignal(again.fully_built, timeout=WAIT_MS):
        again.show()
    assert first_paint.places["lossExplorerDock"][1]  # shown, empty, at the first paint
    if not on_screen(again.inside.loss_dock):  # behind another dock's tab: made when chosen
        assert again.inside.loss_explorer is None
        again.inside.loss_dock.raise_()
    qtbot.waitUntil(lambda: again.inside.loss_explorer is not None, timeout=WAIT_MS)
    assert again.inside.loss_dock.isVisible()
    _dispose(again)


def test_a_run_started_before_the_docks_exist_builds_them_first(qtbot, classroom_sandbox):
    from gradlab.app import create_window

    window = create_window(deferred=True)
    window.dialogs.confirm = lambda text: True
    assert not window.is_fully_built
    window.controls.start_action.trigger()
    assert window.is_fully_built  # built within the Start, before any batch arrived
    qtbot.waitUntil(lambda: window.run_state == "finished", timeout=WAIT_MS)
    assert len(window.inside.path.points) > 1  # the landscape saw the run from its start
    qtbot.waitUntil(lambda: window.redraw_count > 0, timeout=WAIT_MS)  # and the plots did
    _dispose(window)


def test_a_window_closed_before_it_is_fully_built_saves_the_whole_layout(qtbot, classroom_sandbox):
    from gradlab.app import create_window
    from gradlab.ui.settings import Settings

    window = create_window(deferred=True)
    window.show()
    qtbot.waitExposed(window)
    window.close()  # at once: the build chain had at most begun
    assert window.is_fully_built
    assert not window.inside.compare_view.controller.running
    state = Settings().window_state()
    assert state is not None and "insideDock".encode("utf-16-be") in bytes(state)
    _dispose(window)


def test_the_first_paint_imports_nothing_it_does_not_show():
    code = textwrap.dedent(
        """
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from gradlab.app import create_window
        window = create_window(deferred=True)
        window.show()
        app.processEvents()
        print(window.is_fully_built, sorted(
            name for name in ("torch", "networkx", "pyqtgraph", "gradlab.ui.inside",
                              "gradlab.ui.classroom", "gradlab.ui.exports",
                              "gradlab.core.session_file", "gradlab.ui.cnn.lab")
            if name in sys.modules
        ))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "False []"


def test_the_build_after_the_first_paint_imports_nothing_in_the_gui_thread():
    """A module imported by a part of the build holds the window for the whole import (NumPy's
    random module, loaded on first use by the first dataset: ~10 ms in one part): the
    background import loads them all first."""
    code = textwrap.dedent(
        """
        import os, sys, threading
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from gradlab.app import create_window
        from gradlab.ui.gui_timing import wait_until
        import importlib._bootstrap as bootstrap

        window = create_window(deferred=True)
        window.show()
        app.processEvents()
        imported = []
        find_and_load = bootstrap._find_and_load
        def watched(name, import_):
            if threading.current_thread() is threading.main_thread() and name not in sys.modules:
                imported.append(name)
            return find_and_load(name, import_)
        bootstrap._find_and_load = watched
        print(wait_until(lambda: window.is_fully_built, 60), sorted(set(imported)))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "True []"


def test_qt_types_are_all_made_in_the_gui_thread_before_the_background_import():
    """Two threads making PySide's types at once crashed ~1 start in 100 (pyqtgraph's import
    in the import thread touches them all): the GUI thread makes them all first."""
    code = textwrap.dedent(
        """
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6 import QtCore, QtGui, QtWidgets
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from gradlab.app import create_window
        from gradlab.ui import build_chain
        from gradlab.ui.gui_timing import wait_until

        def unmade():
            return sum(name not in vars(m) for m in (QtCore, QtGui, QtWidgets) for name in dir(m))

        seen = []
        start = build_chain.BackgroundImport.start
        def checked_start(self):
            seen.append(unmade())
            start(self)
        build_chain.BackgroundImport.start = checked_start
        window = create_window(deferred=True)
        window.show()
        before = unmade()
        wait_until(lambda: window.is_fully_built, 60)
        print(before > 0, seen)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "True [0]"


def test_the_cnn_tab_opened_before_the_docks_exist_keeps_them_away(qtbot, classroom_sandbox):
    from gradlab.app import create_window

    window = create_window(deferred=True)
    window.dialogs.confirm = lambda text: True
    window.show()
    qtbot.waitExposed(window)
    window.show_tab("cnn")  # before the docks: they are built now, and put away with the rest
    assert window.is_fully_built
    qtbot.waitUntil(lambda: not any(d.isVisible() for d in window.findChildren(QDockWidget)))
    window.show_tab("polynomial")
    qtbot.waitUntil(lambda: window.inside.inside_dock.isVisible())
    _dispose(window)


def test_what_waits_for_the_whole_window_runs_once_it_is_whole(qtbot, classroom_sandbox):
    from gradlab.app import create_window

    window = create_window(deferred=True)
    ran: list[str] = []
    window.when_fully_built(lambda: ran.append("waited"))
    assert ran == []
    with qtbot.waitSignal(window.fully_built, timeout=WAIT_MS):
        window.show()
    window.when_fully_built(lambda: ran.append("at once"))  # GRADLAB_TAB=cnn: already whole
    assert ran == ["waited", "at once"]
    _dispose(window)


def test_a_run_started_while_the_modules_load_waits_for_them_then_builds_all(
    qtbot, classroom_sandbox
):
    from gradlab.app import create_window

    window = create_window(deferred=True)
    window.dialogs.confirm = lambda text: True
    window.show()
    qtbot.waitUntil(lambda: len(window.build.timings) > 0, timeout=WAIT_MS)  # import begun
    window.controls.start_action.trigger()
    assert window.is_fully_built
    qtbot.waitUntil(lambda: window.run_state == "finished", timeout=WAIT_MS)
    _dispose(window)
