"""The CNN lab started alone (``python -m gradlab.ui.cnn``) follows the remembered zoom."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QApplication

from gradlab.ui.settings import Settings
from gradlab.ui.zoom import zoom_manager


def test_the_standalone_cnn_lab_opens_at_the_saved_zoom(qtbot, classroom_sandbox):
    from gradlab.ui.cnn.__main__ import create_cnn_window

    base = zoom_manager().base_points
    Settings().set_zoom(1.5)
    window, lab = create_cnn_window()
    qtbot.addWidget(window)
    try:
        assert zoom_manager().factor == 1.5
        assert QApplication.font().pointSizeF() == pytest.approx(base * 1.5)
        views = lab.findChildren(pg.GraphicsView)
        assert views
        for view in views:
            for item in view.scene().items():
                if isinstance(item, pg.AxisItem) and item.style["tickFont"] is not None:
                    assert item.style["tickFont"].pointSizeF() == pytest.approx(base * 1.5)
    finally:
        lab.shutdown()
        window.close()
        zoom_manager().set_factor(1.0)
