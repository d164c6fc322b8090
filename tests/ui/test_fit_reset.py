"""Start and Reset show the same cached problem again: the fit plot keeps what it drew (setting
its points again held the GUI ~10 ms), and frames the data again only where the student moved
the view."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

WAIT_MS = 60_000


@pytest.fixture
def window(app_window, classroom_sandbox):
    return app_window  # tests/ui/conftest.py


def count_calls(monkeypatch, obj, name: str) -> list[int]:
    calls = [0]
    original = getattr(obj, name)

    def counted(*args, **kwargs):
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(obj, name, counted)
    return calls


def flat(ranges: list[list[float]]) -> list[float]:
    return [value for pair in ranges for value in pair]


def run_a_few_steps_then_reset(qtbot, window) -> None:
    window.controller.step(3)
    qtbot.waitUntil(lambda: window.model.step_count == 3, timeout=WAIT_MS)
    window.controller.reset()
    qtbot.waitUntil(lambda: window.model.step_count == 0, timeout=WAIT_MS)


def test_a_reset_keeps_the_points_drawn(qtbot, monkeypatch, window):
    fit = window.plots.fit
    run_a_few_steps_then_reset(qtbot, window)  # the legend gains the fit's entry: placed anew
    qtbot.wait(100)
    x_before, _ = fit.points.getData()
    assert x_before is not None and len(x_before) > 0
    framed = fit.plotItem.vb.viewRange()
    set_points = count_calls(monkeypatch, fit.points, "setData")

    run_a_few_steps_then_reset(qtbot, window)

    assert set_points[0] == 0  # the same problem: nothing set again
    x_after, _ = fit.points.getData()
    assert list(x_after) == list(x_before)
    qtbot.wait(100)
    assert flat(fit.plotItem.vb.viewRange()) == pytest.approx(flat(framed))


def test_a_reset_frames_a_view_the_student_moved(qtbot, window):
    fit = window.plots.fit
    view = fit.plotItem.vb
    run_a_few_steps_then_reset(qtbot, window)
    qtbot.wait(100)  # the legend placed for the view's size (it may lift the top of the range)
    (x0, x1), (y0, y1) = framed = view.viewRange()
    view.setRange(xRange=(x0 / 4, x1 / 4), yRange=(y0 / 4, y1 / 4), padding=0)
    view.sigRangeChangedManually.emit([True, True])  # as a drag or the wheel says it
    assert not fit.following

    run_a_few_steps_then_reset(qtbot, window)

    assert fit.following
    qtbot.wait(100)
    assert flat(view.viewRange()) == pytest.approx(flat(framed), rel=0.05)


def test_another_problem_is_drawn(qtbot, window):
    fit = window.plots.fit
    x_before, _ = fit.points.getData()
    edit = window.panel.field_widget("data.points")
    edit.selectAll()
    qtbot.keyClicks(edit, "40")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: fit.points.getData()[0] is not x_before, timeout=WAIT_MS)
    # no validation points by default: all 40 are drawn as training points
    assert len(fit.points.getData()[0]) == window.model.problem.dataset.x.size == 40
