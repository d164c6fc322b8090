"""Issue 4: run history (faded curves toggled on and off) and comparing optimizers."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from gradlab.core.config import Config
from gradlab.core.runs import RunRecord
from gradlab.core.session import TrainingSession

WAIT_MS = 10_000
TORCH_WAIT_MS = 30_000


@pytest.fixture
def window(app_window):
    return app_window  # tests/ui/conftest.py


def legend_texts(plot) -> list[str]:
    return [label.text for _sample, label in plot.legend.items]


def test_run_list_check_boxes_show_and_hide_the_faded_curves(qtbot, window):
    inside, view = window.inside, window.inside.run_view
    session = TrainingSession(Config().with_changes(**{"training.steps": 50, "training.lr": 2e-6}))
    session.advance(50)
    stored = inside.runs.add(RunRecord.from_session(session, base_config=Config()))
    assert stored.label == "numpy-manual lr=2e-6 50 steps"
    assert view.visible_curves() == [stored.id]
    title = view.title(stored)
    assert title == "NumPy by hand lr=2e-6"  # the first run listed: its method and lr
    loss_curve, fit_curve = view.curves[stored.id]
    assert len(loss_curve.xData) == 50 and len(fit_curve.xData) > 0
    assert any(title in text for text in legend_texts(window.plots.loss))
    item = view.list.item(0)
    item.setCheckState(Qt.CheckState.Unchecked)
    assert view.visible_curves() == [] and not loss_curve.isVisible()
    assert not any(title in text for text in legend_texts(window.plots.loss))
    item.setCheckState(Qt.CheckState.Checked)
    assert view.visible_curves() == [stored.id] and fit_curve.isVisible()
    inside.runs.remove(stored.id)
    assert view.list.count() == 0 and stored.id not in view.curves


def test_runs_of_an_opened_session_replace_the_curves_of_runs_with_the_same_ids(qtbot, window):
    """Opening a saved session puts its runs in place, ids included: a run that reuses an id
    on screen brings its own curves and entry, never the old run's (they were kept once)."""
    runs, view = window.inside.runs, window.inside.run_view

    def record(steps: int, lr: float) -> RunRecord:
        changes = {"training.steps": steps, "training.lr": lr}
        session = TrainingSession(Config().with_changes(**changes))
        session.advance(steps)
        return RunRecord.from_session(session, base_config=Config())

    first, second = runs.add(record(50, 2e-6)), runs.add(record(30, 1e-6))
    kept_curve = view.curves[first.id][0]
    opened = [replace(record(80, 3e-6), id=first.id)]  # a saved session's only run: id 1
    runs.replace_all(opened)
    (shown,) = list(runs)
    loss_curve, _fit_curve = view.curves[shown.id]
    assert shown.id == first.id and second.id not in view.curves
    assert loss_curve is not kept_curve and len(loss_curve.xData) == 80
    assert view.list.count() == 1 and "lr=3e-6" in view.list.item(0).text()
    assert [t for t in legend_texts(window.plots.loss) if t.startswith("#")] == [
        f"#{shown.id} {view.title(shown)}"
    ]
    third = runs.add(record(20, 4e-6))  # then a new run joins the list above it
    assert [view.list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(2)] == [
        third.id,
        shown.id,
    ]


def test_finished_and_stopped_runs_are_kept(qtbot, window):
    inside, view = window.inside, window.inside.run_view
    window.panel.set_config(Config().with_changes(**{"training.steps": 200}))
    window.controller.start()
    qtbot.waitUntil(lambda: len(inside.runs) == 1, timeout=WAIT_MS)
    first = next(iter(inside.runs))
    assert first.status == "finished" and first.step_count == 200
    assert view.visible_curves() == []  # its live curves are still on screen
    longer = {"training.steps": 10**7, "training.lr": 2e-6, "seed": 1}  # seed: a new run
    window.panel.set_config(Config().with_changes(**longer))
    window.controller.start()
    qtbot.waitUntil(
        lambda: window.run_state == "running" and window.model.step_count > 0, timeout=WAIT_MS
    )
    assert view.visible_curves() == [first.id]  # the new run replaced it on screen
    window.controls.stop_action.trigger()
    qtbot.waitUntil(lambda: len(inside.runs) == 2, timeout=WAIT_MS)
    second = list(inside.runs)[-1]
    assert second.status == "stopped" and "lr=2e-6" in second.label


def test_compare_optimizers_draws_four_curves_and_four_paths(qtbot, window):
    inside, compare = window.inside, window.inside.compare_view
    window.panel.set_config(
        Config().with_changes(**{"training.reduction": "mean", "training.lr": 1e-3})
    )
    compare.steps_spin.setValue(40)
    with qtbot.waitSignal(compare.finished, timeout=TORCH_WAIT_MS):
        inside.compare_action.trigger()
    assert compare.drawn_curves() == 4
    assert legend_texts(compare.loss_plot) == ["SGD", "SGD+momentum", "RMSprop", "Adam"]
    assert [label for label, _c, _p in inside.landscape.overlays] == list(compare.labels)
    assert all(len(points) == 40 for _l, _c, points in inside.landscape.overlays)
    qtbot.waitUntil(lambda: not compare.controller.running, timeout=WAIT_MS)

    compare.steps_spin.setValue(25)
    with qtbot.waitSignal(compare.finished, timeout=TORCH_WAIT_MS):
        inside.three_way_action.trigger()
    sentence = compare.sentence.text()
    assert sentence.startswith("Autograd computes what we derived by hand")
    assert "25 steps" in sentence
    differences = [c.getData()[1] for c in compare.diff_curves]
    assert all(d is None or (d < 1e-6).all() for d in differences)
