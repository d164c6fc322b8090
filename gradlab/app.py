"""Start the GUI: ``create_window()`` for tests and tools, ``run_app(argv)`` for people.

Nothing here imports torch: ``run_app`` shows the window built for its first paint only (the
rest follows, see GradLabWindow's ``deferred``), and once it is whole has PyTorch loaded in a
background thread (gradlab.ui.torch_warmup), so the window appears at once and the first torch
run starts without waiting for the import.

Demo and screenshot aids: ``GRADLAB_AUTOSTART=1`` presses Start once the window is shown;
``GRADLAB_TAB=cnn`` opens on the CNN pipeline tab (with GRADLAB_AUTOSTART / CNN demo variables);
``GRADLAB_SPEED=1000`` starts with that many steps per second (the chapter's run otherwise ends
in well under a second, too fast for a mid-run screenshot); ``GRADLAB_PRESENTER=1`` opens in
presenter mode.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow

from gradlab.ui.qt_threads import paint_in_gui_thread_only

if TYPE_CHECKING:
    from gradlab.ui.app_window import GradLabWindow

APP_NAME = "GradLab"
WARMUP_DELAY_MS = 200  # after the window is whole: PyTorch loads in the background
DEFAULT_SIZE = (1400, 900)


def create_window(*, deferred: bool = False) -> GradLabWindow:
    """The main window (not shown) for the running QApplication; ``deferred`` (``run_app``):
    built for its first paint, the rest after it (GradLabWindow's ``fully_built``)."""
    if QApplication.instance() is None:
        raise RuntimeError("create a QApplication before create_window()")
    paint_in_gui_thread_only()  # before the first paint: run_app, tools and tests build here
    from gradlab.ui.app_window import GradLabWindow
    from gradlab.ui.i18n import language_manager, locked_language

    languages = language_manager()  # before building: the window is born in its language and font
    from gradlab.ui.themes import theme_manager

    theme_manager()  # before building too: plots are drawn in the remembered theme
    locked = locked_language()
    if locked and languages.language != locked:  # the manager was made before the lock
        languages.set_language(locked, remember=False)
    window = GradLabWindow(deferred=deferred)
    screen = QGuiApplication.primaryScreen()
    width, height = DEFAULT_SIZE
    if screen is not None:  # never larger than the screen's free area (small lab monitors)
        free = screen.availableGeometry()
        width, height = min(width, free.width()), min(height, free.height())
    window.resize(width, height)
    return window


def run_app(argv: list[str] | None = None) -> int:
    """Create the QApplication, show the window, run the event loop; the exit status."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Qt 6 scales for high-DPI screens by itself; pass fractional factors (150%) through
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        QApplication.setApplicationName(APP_NAME)
        QApplication.setOrganizationName(APP_NAME)
        app = QApplication(list(argv if argv is not None else sys.argv))
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    window = create_window(deferred=True)
    apply_demo_speed(window, os.environ.get("GRADLAB_SPEED", ""))
    cnn = os.environ.get("GRADLAB_TAB") == "cnn" and window.cnn_shown
    window.show()
    if cnn:  # after the first showing: the whole window, layout restored; then docks hidden
        window.show_tab("cnn")
    if os.environ.get("GRADLAB_PRESENTER") == "1":  # once its docks are filled, to be put away
        window.when_fully_built(window.view_scale.enter_presenter)
    # PyTorch loads once the window is whole: its import would hold up the rest's build
    window.when_fully_built(lambda: QTimer.singleShot(WARMUP_DELAY_MS, window.torch_warmup.start))
    quit_on_interrupt(window)
    if cnn:
        window.cnn_lab.maybe_autostart()
    elif os.environ.get("GRADLAB_AUTOSTART") == "1":  # once the whole window is there
        window.when_fully_built(window.controller.start)
    return app.exec()


def quit_on_interrupt(window: QMainWindow) -> QTimer:
    """Ctrl+C in the terminal (SIGINT) and SIGTERM close the window like its close button: the
    worker stops, the session is autosaved, no traceback. Qt's event loop never runs Python
    code by itself, so a timer lets the interpreter look at pending signals a few times a
    second. Returns the timer (kept by the window)."""
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda _number, _frame: QTimer.singleShot(0, window.close))
    timer = QTimer(window)
    timer.setObjectName("interruptPoll")
    timer.timeout.connect(lambda: None)  # a Python slot: pending signal handlers run here
    timer.start(200)
    return timer


def run_self_test(t0: float | None = None) -> int:
    """`gradlab --self-test` (gradlab.ui.selftest), driving the window ``create_window`` makes."""
    from gradlab.ui.selftest import run_self_test as run

    return run(lambda: create_window(deferred=True), t0=t0)  # shown as `gradlab` shows it


def apply_demo_speed(window: GradLabWindow, text: str) -> None:
    """Select GRADLAB_SPEED steps/s in the speed control (ignored unless a positive number)."""
    try:
        speed = float(text)
    except ValueError:
        return
    if not speed > 0:
        return
    combo = window.controls.speed_combo
    index = combo.findData(speed)
    if index < 0:
        text = QCoreApplication.translate("RunControls", "{n} steps/s").format(n=f"{speed:g}")
        combo.addItem(text, speed)
        index = combo.count() - 1
    combo.setCurrentIndex(index)


if __name__ == "__main__":
    sys.exit(run_app(sys.argv))
