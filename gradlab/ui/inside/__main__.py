"""``python -m gradlab.ui.inside``: the main window with the inside-training docks installed
(for screenshots until the window installs them itself; GRADLAB_DEMO sets up a view)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from gradlab.app import APP_NAME, create_window
from gradlab.ui.inside.install import install_inside_training


def main(argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(list(argv if argv is not None else sys.argv))
    app.setApplicationName(APP_NAME)
    window = create_window()
    if getattr(window, "inside", None) is None:  # the window may install them already
        install_inside_training(window)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
