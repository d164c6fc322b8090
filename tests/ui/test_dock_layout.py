"""The right-hand docks keep their width while stepping phases, and their tab titles are whole."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTabBar

from gradlab.core.config import Config
from gradlab.ui import i18n

WAIT_MS = 10_000


@pytest.fixture
def window(app_window, classroom_sandbox):
    return app_window  # tests/ui/conftest.py


def dock_tab_bars(window) -> list[QTabBar]:
    titles = {window.inside.inside_dock.windowTitle(), window.inside.compare_dock.windowTitle()}
    return [
        bar
        for bar in window.findChildren(QTabBar)
        if bar.isVisible() and any(bar.tabText(i) in titles for i in range(bar.count()))
    ]


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("size", [(1400, 900), (1280, 720)])
def test_stepping_phases_keeps_the_dock_width_and_tabs_readable(qtbot, window, size, language):
    if language == "zh":
        i18n.language_manager().set_language("zh", remember=False)
    window.resize(*size)
    inside = window.inside
    window.panel.set_config(Config())
    qtbot.waitUntil(lambda: inside.inside_dock.width() > 0, timeout=WAIT_MS)
    QApplication_process()
    width, plots = inside.inside_dock.width(), window.plots.loss.width()
    records: list = []
    inside.relay.record_ready.connect(lambda record, _config: records.append(record))
    for n in range(12):  # two whole steps phase by phase, then into the third
        inside.step_phase_action.trigger()
        qtbot.waitUntil(lambda n=n: len(records) == n + 1, timeout=WAIT_MS)
        QApplication_process()
        assert inside.inside_dock.width() == width, records[-1].phase
        assert window.plots.loss.width() == plots
    bars = dock_tab_bars(window)
    assert bars
    for bar in bars:
        # tabs at the dock's side (a narrow dock) run their titles vertically
        vertical = bar.shape() in (QTabBar.Shape.RoundedWest, QTabBar.Shape.RoundedEast)
        for i in range(bar.count()):  # each title gets at least its text's length
            text_width = bar.fontMetrics().horizontalAdvance(bar.tabText(i))
            rect = bar.tabRect(i)
            assert (rect.height() if vertical else rect.width()) >= text_width, bar.tabText(i)


def QApplication_process() -> None:
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.processEvents()
