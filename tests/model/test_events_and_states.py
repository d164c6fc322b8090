"""The observer and the shared run-state table."""

from __future__ import annotations

import pytest

from gradlab.model.events import Event
from gradlab.model.run_state import Control, RunState, enabled_controls


def test_event_calls_callbacks_in_order_and_disconnects() -> None:
    event: Event[int] = Event("count")
    seen: list[tuple[str, int]] = []
    first = event.connect(lambda v: seen.append(("a", v)))
    event.connect(lambda v: seen.append(("b", v)))
    event.emit(1)
    event.disconnect(first)
    event.disconnect(first)  # twice is fine
    event.emit(2)
    assert seen == [("a", 1), ("b", 1), ("b", 2)]
    assert len(event) == 1


def test_a_callback_may_disconnect_itself_while_emitting() -> None:
    event: Event[str] = Event()
    seen: list[str] = []

    def once(value: str) -> None:
        seen.append(value)
        event.disconnect(once)

    event.connect(once)
    event.emit("x")
    event.emit("y")
    assert seen == ["x"]


@pytest.mark.parametrize("state", list(RunState))
def test_every_state_has_controls_and_start_needs_valid_settings(state: RunState) -> None:
    controls = enabled_controls(state)
    assert Control.RESET in controls or state is RunState.READY
    invalid = enabled_controls(state, settings_valid=False)
    assert Control.START not in invalid and Control.STEP not in invalid
    assert invalid <= controls


def test_a_finished_run_cannot_be_stopped_and_only_a_diverged_one_rewinds() -> None:
    assert Control.STOP not in enabled_controls(RunState.FINISHED)
    assert {s for s in RunState if Control.REWIND in enabled_controls(s)} == {RunState.DIVERGED}


def test_states_with_a_session() -> None:
    assert {s for s in RunState if s.has_session} == {
        RunState.PREPARING,
        RunState.RUNNING,
        RunState.PAUSED,
        RunState.FINISHED,
        RunState.DIVERGED,
    }
    assert RunState("paused") is RunState.PAUSED
