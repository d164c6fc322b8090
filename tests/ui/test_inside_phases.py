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
from gradlab.ui.inside.phase_text import optimizer_snapshot, updates_made

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


def test_a_network_update_table_has_a_norm_and_first_entries_per_tensor(qtbot, window):
    """A network's optimizer state in a block per tensor (norm, first entries), not a row per
    parameter: 16 hidden units would give 49 rows, 64 units in 3 layers thousands."""
    inside = window.inside
    config = Config().with_changes(
        **{
            "model.kind": "mlp",
            "model.hidden": 16,
            "training.method": "torch-optim",
            "optimizer.name": "adam",
            "training.lr": 1e-2,
        }
    )
    window.panel.set_config(config)
    records = step_phases(qtbot, inside, 5 + 4, timeout=TORCH_WAIT_MS)
    update = records[-1]
    assert update.phase == "update" and update.step == 2
    # paused after step 2's update, the snapshot a pause reads says step 2, as Adam's t does
    relay = inside.relay
    with qtbot.waitSignal(relay.optimizer_state, timeout=WAIT_MS) as snapshot:
        window.controller.submit(lambda s: relay.optimizer_state.emit(optimizer_snapshot(s)))
    assert snapshot.args[0]["step_count"] == 2 and snapshot.args[0]["direction"].parts["t"] == 2
    assert inside.phase_view.state_label.text().startswith("After step 2.")
    table = inside.phase_view.state_table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    # W1, b1 and W2 have 16 entries (norm + 3 shown), b2 one (norm + 1)
    assert table.rowCount() == 4 + 4 + 4 + 2 and headers[0] == "tensor"
    assert names[:4] == ["‖W1‖ (16×1)", "W1[0,0]", "W1[1,0]", "W1[2,0]"]
    assert names[-2:] == ["‖b2‖ (1)", "b2[0]"]
    column = headers.index("exp_avg_sq v")
    v = update.values["optimizer_state"]["exp_avg_sq"]
    assert float(table.item(0, column).text()) == pytest.approx(np.linalg.norm(v[:16]), rel=1e-3)
    assert float(table.item(2, column).text()) == pytest.approx(v[1], rel=1e-3)
    assert "One block per tensor" in inside.phase_view.state_label.text()


def test_a_short_dock_scrolls_the_optimizer_state_instead_of_cutting_it(qtbot, window):
    """At 1024×768 the dock is too short for all of the phase view: the table keeps three rows
    in view and the sentence all its lines; the view scrolls."""
    window.resize(1024, 700)
    inside = window.inside
    config = Config().with_changes(
        **{"training.method": "torch-optim", "optimizer.name": "adam", "training.lr": 1e-2}
    )
    window.panel.set_config(config)
    step_phases(qtbot, inside, 4, timeout=TORCH_WAIT_MS)
    view = inside.phase_view
    table, label = view.state_table, view.state_label
    qtbot.waitUntil(lambda: table.rowCount() == 4, timeout=WAIT_MS)
    rows = sum(table.rowHeight(row) for row in range(3))
    qtbot.waitUntil(lambda: table.height() >= rows + table.horizontalHeader().height())
    assert label.height() >= label.heightForWidth(label.width())
    area = view.parentWidget().parentWidget()  # the scroll area's viewport, then the area
    assert area.verticalScrollBar().maximum() > 0  # it does not all fit: it scrolls


def test_updates_made_counts_an_update_before_its_zero_grad():
    session = TrainingSession(
        Config().with_changes(**{"training.method": "torch-optim", "optimizer.name": "adam"})
    )
    stepper = PhaseStepper(session)
    seen = []
    for _ in range(5 + 5):
        phase = stepper.next_phase().phase
        seen.append((phase, updates_made(session)))
    assert seen[3:5] == [("update", 1), ("zero_grad", 1)]
    assert seen[8] == ("update", 2)


def test_a_hash_inside_a_string_is_not_a_comment():
    assert split_line('print("a#b")  # done') == ([(6, 11)], 14)
    assert split_line("x = 1") == ([], 5)
