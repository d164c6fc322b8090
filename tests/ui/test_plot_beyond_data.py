"""Lesson 18 in the window: the fit plot reaches past the data, whose ends are marked, and the
network's prediction is drawn over the whole wider range."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gradlab.resources import resource_path
from gradlab.ui import i18n

WAIT_MS = 60_000
LESSON = resource_path("lessons") / "18-network-extrapolates-badly.json"


@pytest.fixture
def window(app_window, classroom_sandbox):
    return app_window  # tests/ui/conftest.py


def legend_texts(plot) -> list[str]:
    return [label.text for _sample, label in plot.legend.items]


def test_the_lesson_draws_the_fit_past_the_data_and_marks_its_ends(qtbot, window):
    assert window.classroom.lessons.open_lesson(LESSON)
    fit = window.plots.fit
    assert window.panel.config().data.plot_margin == 0.5
    assert window.panel.fields["data.plot_margin"].shown().isVisible()
    qtbot.waitUntil(lambda: all(edge.isVisible() for edge in fit.data_edges), timeout=WAIT_MS)
    assert [edge.value() for edge in fit.data_edges] == [-math.pi, math.pi]
    assert "data from x = -3.14 to 3.14" in legend_texts(fit)
    x, _y = fit.target.getData()
    assert x.min() == pytest.approx(-2 * math.pi, abs=0.02)
    assert x.max() == pytest.approx(2 * math.pi, abs=0.02)
    (low, high), _ = fit.plotItem.vb.viewRange()
    assert low < -6 and high > 6  # the view shows the wider range

    window.controller.step(5)
    qtbot.waitUntil(lambda: window.model.step_count == 5, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: fit.prediction.getData()[0] is not None, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: len(fit.prediction.getData()[0]) > 0, timeout=WAIT_MS)
    x, y = fit.prediction.getData()
    assert x.min() < -6 and x.max() > 6 and np.isfinite(y).all()

    i18n.language_manager().set_language("zh", remember=False)
    qtbot.waitUntil(lambda: any("数据范围" in t for t in legend_texts(fit)), timeout=WAIT_MS)


def test_without_a_margin_nothing_is_marked(qtbot, window):
    fit = window.plots.fit
    assert window.panel.config().data.plot_margin == 0
    assert not any(edge.isVisible() for edge in fit.data_edges)
    assert not any(t.startswith("data from") for t in legend_texts(fit))
