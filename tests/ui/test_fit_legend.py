"""The fit plot's legend sits where it covers no data, in both languages and window sizes."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from gradlab.core.config import Config
from gradlab.ui import i18n

WAIT_MS = 10_000


@pytest.fixture
def window(app_window, classroom_sandbox):
    return app_window  # tests/ui/conftest.py


def covered_points(fit) -> int:
    """Plotted data points and curve samples whose on-screen position is under the legend."""
    legend = fit.legend.sceneBoundingRect()
    view = fit.plotItem.vb
    count = 0
    for item in (fit.points, fit.validation_points, fit.target, fit.optimum):
        x, y = item.getData()
        if x is None or not item.isVisible():
            continue
        for px, py in zip(np.asarray(x), np.asarray(y), strict=True):
            if legend.contains(view.mapViewToScene(QPointF(float(px), float(py)))):
                count += 1
    return count


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("size", [(1400, 900), (1280, 720)])
def test_the_fit_legend_covers_no_data(qtbot, window, size, language):
    if language == "zh":
        i18n.language_manager().set_language("zh", remember=False)
    window.resize(*size)
    window.panel.set_config(Config().with_changes(**{"data.val_fraction": 0.2}))
    fit = window.plots.fit
    qtbot.waitUntil(lambda: fit.points.getData()[0] is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: covered_points(fit) == 0, timeout=WAIT_MS)
    for _ in range(3):  # and it stays there (nothing else re-arranges the legend afterwards)
        with qtbot.waitSignal(window.view.timer.timeout, timeout=WAIT_MS):
            pass
    assert covered_points(fit) == 0
    assert fit.plotItem.vb.sceneBoundingRect().contains(fit.legend.sceneBoundingRect())


def test_an_idle_window_does_not_keep_placing_the_legend(qtbot, window):
    """Placing the legend may change the y range, the axis width and so the view's size: it
    must not start over for a size it was already placed for (that loop kept a core busy)."""
    from PySide6.QtCore import Qt

    window.resize(1119, 774)  # a saved layout seen to start the loop: the fit plot ~250 px
    window.resizeDocks([window.inside.inside_dock], [620], Qt.Orientation.Horizontal)
    fit = window.plots.fit
    placed = []
    fit._legend_timer.timeout.connect(lambda: placed.append(1))
    for _ in range(3):  # let the first placement settle
        with qtbot.waitSignal(window.view.timer.timeout, timeout=5000):
            pass
    placed.clear()
    for _ in range(15):  # half a second of redraw ticks with nothing new
        with qtbot.waitSignal(window.view.timer.timeout, timeout=5000):
            pass
    assert len(placed) <= 1


def test_a_range_change_leaves_the_data_dots_alone(qtbot, window, monkeypatch):
    # placing the legend at a Start changes the y range; pyqtgraph rebuilt every data dot then
    # (clip to view, downsampling, the dynamic range limit), ~10 ms each time
    fit = window.plots.fit
    qtbot.waitUntil(lambda: fit.points.getData()[0] is not None, timeout=WAIT_MS)
    view = fit.plotItem.vb
    rebuilt: list[int] = []
    for dots in (fit.points, fit.validation_points):
        scatter = dots.scatter
        original = scatter.setData
        monkeypatch.setattr(
            scatter, "setData", lambda *a, _o=original, **k: (rebuilt.append(1), _o(*a, **k))
        )
    low, high = view.viewRange()[1]
    view.setYRange(low - 0.5, high + 0.5, padding=0)
    fit.place_legend()
    qtbot.wait(50)
    x, _y = fit.points.getData()
    assert rebuilt == [] and x is not None and x.size > 0
    shown, _ = fit.points.scatter.getData()
    assert shown.size == x.size  # every dot drawn (thinned before, never downsampled again)
