"""Narrow docks (1024 x 768, two docks beside the plots): plot titles take two lines instead of
widening their plot, and rows of buttons wrap, so nothing is cut off at a dock's edge."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDockWidget, QScrollArea, QToolButton, QWidget

from gradlab.ui import i18n
from gradlab.ui.flow_layout import FlowLayout
from gradlab.ui.plots.title import FittedTitle, break_points, fit_lines, fit_title
from gradlab.ui.zoom import pt, zoom_manager

LONG = "Loss over b and d (a, c held at their current values)"


def settle() -> None:
    for _ in range(4):
        QCoreApplication.processEvents()


def test_a_title_that_fits_stays_on_one_line():
    assert fit_lines(LONG, 1000, lambda s: 5.0 * len(s)) == [LONG]


def test_a_long_title_breaks_into_two_balanced_lines():
    first, second = fit_lines(LONG, 200, lambda s: 5.0 * len(s))
    assert f"{first} {second}" == LONG
    assert abs(len(first) - len(second)) <= 8


def test_chinese_breaks_between_characters_and_before_a_bracket():
    text = "关于 b 和 d 的损失曲面（a, c 保持当前值不变）"
    firsts = [first for first, _ in break_points(text)]
    assert "关于 b 和 d 的损失曲面" in firsts  # before the bracket
    assert "关于 b 和 d 的损" in firsts  # between two characters
    assert all(not f.endswith(" ") for f in firsts)


def title_plot(qtbot, width: int) -> pg.PlotWidget:
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    item = plot.getPlotItem()
    fit_title(item)
    item.setTitle(LONG, size=pt(9))
    plot.resize(width, 240)
    plot.show()
    qtbot.waitExposed(plot)
    settle()
    return plot


def view_inside(plot: pg.PlotWidget) -> bool:
    view = plot.getPlotItem().vb.sceneBoundingRect()
    return view.right() <= plot.viewport().width() + 1


def lines(plot: pg.PlotWidget) -> int:
    return plot.getPlotItem().titleLabel.item.toHtml().count("<br />") + 1


def test_a_narrow_plot_keeps_its_view_inside_and_its_title_on_two_lines(qtbot):
    plot = title_plot(qtbot, 260)
    title = plot.getPlotItem().titleLabel
    assert isinstance(title, FittedTitle)
    assert view_inside(plot)
    assert lines(plot) == 2
    assert title.text == LONG  # set again (a zoom step, a language), it is fitted again
    assert title.item.boundingRect().width() <= title.width() + 1
    plot.resize(900, 240)
    settle()
    assert lines(plot) == 1


def test_a_zoom_step_fits_the_title_again(qtbot):
    plot = title_plot(qtbot, 520)
    assert lines(plot) == 1
    try:
        zoom_manager().set_factor(2.0)
        settle()
        assert lines(plot) == 2
        assert view_inside(plot)
    finally:
        zoom_manager().set_factor(1.0)


def test_a_flow_layout_wraps_its_widgets_and_asks_only_for_the_widest(qtbot):
    box = QWidget()
    qtbot.addWidget(box)
    flow = FlowLayout(box)
    buttons = []
    for text in ("Compare optimizers", "Four-way check", "gradcheck", "float32 vs float64"):
        button = QToolButton(box)
        button.setText(text)
        flow.addWidget(button)
        buttons.append(button)
    widest = max(b.sizeHint().width() for b in buttons)
    assert flow.minimumSize().width() == widest
    row = buttons[0].sizeHint().height()
    assert flow.heightForWidth(10_000) == row
    assert flow.heightForWidth(widest) >= 4 * row
    box.resize(widest + 4, flow.heightForWidth(widest + 4))
    box.show()
    settle()
    tops = [b.geometry().top() for b in buttons]
    assert tops == sorted(tops) and len(set(tops)) == 4  # one a row
    assert all(b.geometry().right() < box.width() for b in buttons)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_compare_and_landscape_beside_the_plots_at_1024x768_cut_nothing(
    qtbot, classroom_sandbox, language
):
    """The compare demo's layout: the two docks one above the other, right of the plots."""
    from gradlab.app import create_window

    i18n.language_manager().set_language(language, remember=False)
    window = create_window()
    qtbot.addWidget(window)
    inside = window.inside
    try:
        window.show()
        qtbot.waitExposed(window)
        window.resize(1024 - 16, 768 - 40)
        qtbot.waitUntil(lambda: window.is_fully_built, timeout=30_000)
        for dock in (inside.inside_dock, inside.runs_dock, inside.graph.dock):
            dock.hide()
        for dock in (inside.compare_dock, inside.landscape_dock):
            window.removeDockWidget(dock)
        right = Qt.DockWidgetArea.RightDockWidgetArea
        window.addDockWidget(right, inside.compare_dock)
        window.splitDockWidget(inside.compare_dock, inside.landscape_dock, Qt.Orientation.Vertical)
        for dock in (inside.compare_dock, inside.landscape_dock):
            dock.show()
        window.resizeDocks([inside.compare_dock], [540], Qt.Orientation.Horizontal)
        settle()
        for name in ("compareDock", "landscapeDock"):
            dock = window.findChild(QDockWidget, name)
            area = dock.findChild(QScrollArea)
            qtbot.waitUntil(
                lambda a=area: bool(a.widget().findChildren(pg.PlotWidget)), timeout=10_000
            )
            settle()
            assert dock.width() < 400  # narrow indeed: the plots keep their room
            assert not area.horizontalScrollBar().isVisible(), f"{name} scrolls sideways"
            for plot in area.widget().findChildren(pg.PlotWidget):
                if plot.isVisible():
                    assert view_inside(plot), f"{plot.objectName()} is wider than its widget"
                    title = plot.getPlotItem().titleLabel
                    assert title.item.boundingRect().width() <= title.width() + 1
    finally:
        window.close()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_units_key_wraps_whole_entries(qtbot, language):
    """Under a narrow units plot its key takes two rows, each entry whole (one wrapped label
    broke "大小：|输出权重|" inside its words)."""
    from gradlab.ui.plots.units import UnitsPlot

    i18n.language_manager().set_language(language, remember=False)
    try:
        units = UnitsPlot()
        qtbot.addWidget(units)
        units.set_signed(True)
        key = units.key
        qtbot.addWidget(key)
        entries = [e for e in units.key_entries if not e.isHidden()]
        assert len(entries) == 3
        width = max(e.sizeHint().width() for e in entries) + 10  # room for one entry a row
        key.resize(width, key.heightForWidth(width))
        key.show()
        qtbot.waitExposed(key)
        settle()
        for entry in entries:
            assert entry.width() >= entry.sizeHint().width(), entry.text()
            assert entry.geometry().right() < key.width()
        assert len({e.geometry().top() for e in entries}) >= 2  # wrapped, as whole entries
    finally:
        i18n.language_manager().set_language("en", remember=False)
