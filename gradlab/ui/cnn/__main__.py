"""Run the CNN lab alone: ``python -m gradlab.ui.cnn``.

GRADLAB_AUTOSTART=1 starts training; GRADLAB_CNN_DEMO_RESULTS=1 trains a small model and opens
its results (``CnnLabWidget.maybe_autostart``).
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMainWindow

from gradlab.ui.cnn.lab import CnnLabWidget


def main(argv: list[str] | None = None) -> int:
    """Show the CNN lab alone in a window titled "GradLab — CNN"."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else None
    app = app or QApplication(list(argv if argv is not None else sys.argv))
    from gradlab.ui.fonts import apply_cjk_fallback

    apply_cjk_fallback(app)
    window = QMainWindow()
    window.setWindowTitle("GradLab — CNN")
    lab = CnnLabWidget(window)
    window.setCentralWidget(lab)
    window.resize(1400, 900)
    app.aboutToQuit.connect(lab.shutdown)
    window.show()
    lab.maybe_autostart()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
