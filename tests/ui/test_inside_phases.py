"""Issue 4: stepping one phase at a time, with the code pane following (real worker)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from gradlab.core.code_listing import code_listing
from gradlab.core.config import Config
from gradlab.core.methods.base import PHASES
from gradlab.core.phases import PhaseStepper
from gradlab.core.session import TrainingSession
from gradlab.ui.inside.code_pane import split_line

WAIT_MS = 10_000
TORCH_WAIT_MS = 30_000  # the first torch run imports torch in the worker thread


@pytest.fixture
def window(app_window):
    return app_window  # tests/ui/conftest.py


def step_phases(qtbot, inside, count: int, timeout: int = WAIT_MS) -> list:
    """Trigger Step phase ``count`` times, one at a time; the records that came back."""
    records: list = []
    inside.relay.record_ready.connect(lambda record, _config: records.append(record))
    for n in range(count):
        inside.step_phase_action.trigger()
        qtbot.waitUntil(lambda n=n: len(records) == n + 1, timeout=timeout)
    return records


def same_values(ours: dict, theirs: dict) -> None:
    assert ours.keys() == theirs.keys()
    for key, value in ours.items():
        other = theirs[key]
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(value, other, err_msg=key)
        elif isinstance(value, dict):
            same_values(value, other)
        else:
            assert value == other, key


def test_step_phase_runs_the_five_phases_and_the_code_highlight_follows(qtbot, window):
    inside = window.inside
    config = Config().with_changes(**{"training.steps": 1000})
    window.panel.set_config(config)
    listing = code_listing(config)
    records: list = []
    inside.relay.record_ready.connect(lambda record, _config: records.append(record))
    for n, phase in enumerate(PHASES):
        inside.step_phase_action.trigger()
        qtbot.waitUntil(lambda n=n: len(records) == n + 1, timeout=WAIT_MS)
        assert records[-1].phase == phase and records[-1].step == 1
        lines = inside.code_pane.highlighted_lines()
        assert lines and lines == listing.phase_lines[phase]
        assert f"phase {n + 1} of 5" in inside.phase_view.title_label.text()
    assert "grad_" in inside.code_pane.line_text(listing.phase_lines["backward"][-1])
    assert "nothing to clear" in inside.phase_view.values_text()
    qtbot.waitUntil(lambda: window.model.step_count == 1, timeout=WAIT_MS)  # the step is recorded

    # the numbers are the core's: the same phases on a session of our own give the same values
    reference = PhaseStepper(TrainingSession(config))
    for record in records:
        theirs = reference.next_phase()
        assert (record.phase, record.step) == (theirs.phase, theirs.step)
        same_values(record.values, theirs.values)
    after = records[3].values["after"]
    np.testing.assert_array_equal(window.model.history.last_coefficients, after)


def test_phases_and_whole_steps_mix_and_the_key_works(qtbot, window):
    inside = window.inside
    window.panel.set_config(Config().with_changes(**{"training.steps": 1000}))
    marks = inside.fit_marks
    # hidden while empty: an empty scatter would still be painted at every frame of a run
    assert not any(m.isVisible() for m in (marks.predictions, marks.labels, marks.errors))
    records = step_phases(qtbot, inside, 2)  # forward and loss of step 1
    assert [r.phase for r in records] == ["forward", "loss"]
    assert inside.fit_marks.shown == 5  # the forward pass's sample points on the fit plot
    assert all(m.isVisible() for m in (marks.predictions, marks.labels, marks.errors))
    assert f"{records[1].values['loss']:.8g}" in inside.phase_view.values_text()
    window.controller.step(1)  # → finishes step 1 (the core runs its remaining phases)
    qtbot.waitUntil(lambda: window.model.step_count == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: inside.phase_view.record is None, timeout=WAIT_MS)
    assert inside.code_pane.highlighted_lines() == []
    assert not marks.predictions.isVisible() and marks.shown == 0
    window.plots.setFocus()
    seen: list = []
    inside.relay.record_ready.connect(lambda record, _config: seen.append(record))
    qtbot.keyClick(window.plots, Qt.Key.Key_Period)
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=WAIT_MS)
    assert (seen[0].phase, seen[0].step) == ("forward", 2)
    qtbot.keyClick(window.plots, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=WAIT_MS)
    assert (seen[1].phase, seen[1].step) == ("loss", 2)
    assert window.model.step_count == 1


def test_torch_optim_update_shows_the_optimizer_state(qtbot, window):
    inside = window.inside
    config = Config().with_changes(
        **{"training.method": "torch-optim", "training.lr": 1e-4, "training.steps": 100}
    )
    window.panel.set_config(config)
    records = step_phases(qtbot, inside, 5, timeout=TORCH_WAIT_MS)
    update, zero = records[3], records[4]
    assert update.phase == "update" and "square_avg" in update.values["optimizer_state"]
    table = inside.phase_view.state_table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert table.rowCount() == 4 and "square avg v" in headers
    assert float(table.item(1, headers.index("square avg v")).text()) == pytest.approx(
        update.values["optimizer_state"]["square_avg"][1], rel=1e-3
    )
    assert "RMSprop" in inside.phase_view.state_label.text()
    assert zero.values["gradients_cleared"] is True
    assert "optimizer.zero_grad()" in inside.phase_view.values_text()
    assert "optimizer.zero_grad()" in inside.code_pane.line_text(
        inside.code_pane.highlighted_lines()[-1]
    )


def test_a_hash_inside_a_string_is_not_a_comment():
    assert split_line('print("a#b")  # done') == ([(6, 11)], 14)
    assert split_line("x = 1") == ([], 5)
