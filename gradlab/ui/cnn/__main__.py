"""Run the CNN lab alone: ``python -m gradlab.ui.cnn``.

GRADLAB_AUTOSTART=1 starts training; GRADLAB_CNN_DEMO_RESULTS=1 trains a small model and opens
its results (``CnnLabWidget.maybe_autostart``). The window follows the same settings as the
main window's CNN tab: its language, theme and zoom (View → Zoom, remembered).
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMainWindow

from gradlab.ui.cnn.lab import CnnLabWidget


def create_cnn_window() -> tuple[QMainWindow, CnnLabWidget]:
    """The standalone CNN window (not shown) and its lab, at the remembered zoom."""
    from gradlab.ui.fonts import apply_cjk_fallback
    from gradlab.ui.i18n import language_manager
    from gradlab.ui.settings import Settings
    from gradlab.ui.themes import theme_manager
    from gradlab.ui.zoom import zoom_manager

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    language_manager()  # before building, as for the main window: born in its language
    apply_cjk_fallback(app)
    theme_manager()
    zoom = zoom_manager()
    zoom.set_factor(1.0, quiet=True)  # built at 100 %, then scaled like the main window
    window = QMainWindow()
    window.setWindowTitle("GradLab — CNN")
    lab = CnnLabWidget(window)
    window.setCentralWidget(lab)
    window.resize(1400, 900)
    zoom.set_factor(Settings().zoom())  # its plots' Ctrl+wheel zooms too (track_plot)
    return window, lab


def main(argv: list[str] | None = None) -> int:
    """Show the CNN lab alone in a window titled "GradLab — CNN"."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else None
    app = app or QApplication(list(argv if argv is not None else sys.argv))
    window, lab = create_cnn_window()
    app.aboutToQuit.connect(lab.shutdown)
    window.show()
    lab.maybe_autostart()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
