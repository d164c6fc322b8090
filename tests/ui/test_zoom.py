"""View → Zoom scales every text of both labs (plots included) and is remembered; presenter mode
enters with F11 and leaves with Esc, giving the window back as it was."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QWheelEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QScrollBar, QWidget

from gradlab.ui.plots.legend_room import LEGEND_POINTS, SMALL_LEGEND_POINTS
from gradlab.ui.presenter import presenter_zoom
from gradlab.ui.settings import Settings
from gradlab.ui.zoom import MAX_ZOOM, MIN_ZOOM, pt, zoom_manager

LABEL_SIZE = re.compile(r"^([0-9.]+)pt$")


@pytest.fixture
def window(classroom_sandbox, app_window) -> Iterator[object]:
    yield app_window  # tests/ui/conftest.py: settings in this test's own folder
    zoom_manager().set_factor(1.0)


def _height(font: QFont) -> float:
    return QFontMetricsF(font).height()


def _css_height(name: str, size: object) -> float:
    """The height of text drawn at a CSS size such as "8pt"."""
    match = LABEL_SIZE.match(size) if isinstance(size, str) else None
    assert match, f"{name} ({size!r}): a text without its own size does not zoom"
    font = QFont(QApplication.font())
    font.setPointSizeF(float(match.group(1)))
    return _height(font)


def plot_text_heights(view: pg.GraphicsView) -> dict[str, float]:
    """Pixel height of every kind of text drawn in a pyqtgraph view, by a name for messages."""
    heights: dict[str, float] = {}
    for item in view.scene().items():  # keyed by identity: the scene's order changes
        name = f"{view.objectName()}:{type(item).__name__}@{id(item):x}"
        if isinstance(item, pg.AxisItem):
            if item.style["tickFont"] is not None:
                heights[name + ":ticks"] = _height(item.style["tickFont"])
            if item.label.isVisible():
                heights[name + ":label"] = _css_height(name, item.labelStyle.get("font-size"))
        elif isinstance(item, pg.LabelItem) and item.text:
            size = item.opts.get("size")
            if getattr(item.parentItem(), "compact", False):
                # a legend short of room has smaller text (legend_room.py), at any zoom: its
                # usual size follows the zoom if its compact one does
                assert size == pt(SMALL_LEGEND_POINTS), name
                size = pt(LEGEND_POINTS)
            heights[name] = _css_height(name, size)
        elif isinstance(item, pg.TextItem):
            heights[name] = _height(item.textItem.font())
    return heights


def text_heights(root: QWidget) -> dict[str, float]:
    """Pixel height of the font of every visible widget and plot text under ``root``."""
    heights: dict[str, float] = {}
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or isinstance(widget, QScrollBar):
            continue  # a scroll bar has no text
        if widget.objectName() == "qt_scrollarea_viewport":
            continue  # its scroll area draws the text, in the scroll area's font (measured)
        heights[f"{type(widget).__name__}@{id(widget):x}:{widget.objectName()}"] = _height(
            widget.font()
        )
        if isinstance(widget, pg.GraphicsView):
            heights.update(plot_text_heights(widget))
    return heights


def assert_doubled(before: dict[str, float], after: dict[str, float]) -> None:
    shown = before.keys() & after.keys()  # the toolbar's overflow button may come or go
    assert len(shown) > 0.9 * len(before) > 50
    shrunk = {k: (before[k], after[k]) for k in shown if after[k] < 2 * before[k] - 0.01}
    assert not shrunk, f"{len(shrunk)} texts less than doubled, e.g. {list(shrunk.items())[:5]}"


def test_zoom_200_doubles_every_text_of_the_polynomial_lab(qtbot, window):
    QApplication.processEvents()
    before = text_heights(window)
    assert any(":ticks" in k for k in before) and any("LabelItem" in k for k in before)
    window.view_scale.zoom_reset_action.trigger()
    for _ in range(20):  # 100 % -> 200 % by the menu's steps: 110, 125, 150, 175, 200
        if zoom_manager().factor >= 2.0:
            break
        window.view_scale.zoom_in_action.trigger()
    assert zoom_manager().factor == 2.0
    QApplication.processEvents()
    assert_doubled(before, text_heights(window))


def test_zoom_200_doubles_every_text_of_the_cnn_lab(qtbot, window):
    window.show_tab("cnn")
    qtbot.waitUntil(lambda: window.cnn_lab.isVisible(), timeout=10_000)
    QApplication.processEvents()
    before = text_heights(window.cnn_lab)
    zoom_manager().set_factor(2.0)
    QApplication.processEvents()
    assert_doubled(before, text_heights(window.cnn_lab))


@pytest.mark.slow
def test_zoom_is_clamped_and_remembered_across_restarts(qtbot, window):
    zoom = zoom_manager()
    for _ in range(20):
        window.view_scale.zoom_in_action.trigger()
    assert zoom.factor == MAX_ZOOM
    for _ in range(20):
        window.view_scale.zoom_out_action.trigger()
    assert zoom.factor == MIN_ZOOM
    zoom.set_factor(1.5)
    assert Settings().zoom() == 1.5
    window.close()
    from gradlab.app import create_window

    again = create_window()  # a restart, as far as the window can tell
    qtbot.addWidget(again)
    try:
        assert zoom.factor == 1.5
        assert QApplication.font().pointSizeF() == pytest.approx(zoom.base_points * 1.5)
        again.view_scale.zoom_reset_action.trigger()
        assert Settings().zoom() == 1.0
    finally:
        again.close()


def test_ctrl_wheel_over_a_plot_zooms_the_window_not_the_plot(qtbot, window):
    plot = window.plots.loss
    ranges = plot.plotItem.vb.viewRange()
    centre = QPointF(plot.viewport().rect().center())
    event = QWheelEvent(
        centre, QPointF(plot.viewport().mapToGlobal(centre.toPoint())), QPoint(0, 0),
        QPoint(0, 120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(plot.viewport(), event)
    assert zoom_manager().factor == 1.1
    assert plot.plotItem.vb.viewRange() == ranges


def test_presenter_mode_enters_with_f11_and_esc_gives_the_window_back(qtbot, window):
    docks = [d for d in window.findChildren(QDockWidget) if d.isVisible()]
    assert window.panel_dock in docks
    zoom_manager().set_factor(1.1)
    scale = window.view_scale
    step_size = window.readouts.step_label.font().pointSizeF()
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert scale.presenting and scale.presenter_action.isChecked()
    assert window.isFullScreen()
    assert not any(d.isVisible() for d in docks)
    assert scale.strip.isVisible()
    assert zoom_manager().factor == max(1.1, presenter_zoom(window))  # more on a large screen
    assert window.readouts.step_label.font().pointSizeF() > 2.5 * step_size
    assert Settings().zoom() == 1.1  # presenter mode's zoom is not remembered
    scale.strip_action.trigger()  # the strip brings the settings back while presenting
    assert window.panel_dock.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not scale.presenting and not scale.presenter_action.isChecked()
    assert not window.isFullScreen()
    assert all(d.isVisible() for d in docks)
    assert not scale.strip.isVisible()
    assert zoom_manager().factor == 1.1
    assert window.readouts.step_label.font().pointSizeF() == pytest.approx(step_size)


def test_presenter_mode_beside_a_second_window_is_not_remembered_either(qtbot, window):
    """Every open window listens to the one zoom: presenter mode's must not be saved by the
    window that is not presenting (the classroom's second window, or one not yet deleted)."""
    from gradlab.app import create_window

    other = create_window()
    qtbot.addWidget(other)
    other.dialogs.confirm = lambda text: True
    zoom_manager().set_factor(1.1)
    assert Settings().zoom() == 1.1  # a lasting change: remembered
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.view_scale.presenting and not other.view_scale.presenting
    assert zoom_manager().factor == max(1.1, presenter_zoom(window)) > 1.1
    assert Settings().zoom() == 1.1
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert zoom_manager().factor == 1.1 and Settings().zoom() == 1.1
    other.close()
