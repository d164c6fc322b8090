"""The experiment panel's rows are never wider than the dock shows: no field or combo box runs
under the dock's edge (its arrow or its last words cut off), in either language."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication

from gradlab.ui import i18n


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_panel_rows_fit_the_dock(qtbot, app_window, classroom_sandbox, language) -> None:
    i18n.language_manager().set_language(language, remember=False)
    for size in ((1400, 900), (1024, 768)):
        app_window.resize(*size)
        for _ in range(3):
            QCoreApplication.processEvents()
        panel = app_window.panel
        assert panel.widget().width() <= panel.viewport().width(), (size, language)
