"""Run records (immutable copies of a run), their legend labels, and the bounded run list."""

import math

import numpy as np
import pytest

from gradlab.core.config import Config
from gradlab.core.history import History
from gradlab.core.runs import (
    RunHistory,
    RunList,
    RunListChange,
    RunRecord,
    run_label,
    short_number,
)
from gradlab.core.session import TrainingSession

BASE = Config()  # the chapter's first listing: numpy-manual, lr 1e-6, squared/sum, cubic


def synthetic(config=BASE, rows=5, status="finished", **changes):
    """A record from made-up arrays (no training needed)."""
    n = config.model.degree + 1
    steps = np.arange(1, rows + 1, dtype=np.int64)
    history = RunHistory(
        steps,
        np.linspace(10, 1, rows),
        np.full(rows, np.nan),
        np.arange(rows * n, dtype=float).reshape(rows, n),
        np.ones(rows),
    )
    values = {
        "id": 0,
        "label": "test",
        "config": config,
        "status": status,
        "step_count": rows,
        "diverged_at": rows + 1 if status == "diverged" else None,
        "final_loss": 1.0,
        "final_coefficients": np.zeros(n),
        "history": history,
        **changes,
    }
    return RunRecord(**values)


# ---- RunHistory and RunRecord ----


def test_history_arrays_are_read_only_copies():
    source = np.array([1, 2, 3])
    loss = np.array([3.0, 2.0, 1.0])
    history = RunHistory(source, loss, loss, np.zeros((3, 4)), loss)
    loss[0] = 99.0
    assert history.loss[0] == 3.0
    assert history.steps.dtype == np.int64
    for name in ("steps", "loss", "val_loss", "coefficients", "grad_norm"):
        with pytest.raises(ValueError):
            getattr(history, name)[0] = 0


@pytest.mark.parametrize(
    ("steps", "loss", "coefficients", "message"),
    [
        ([1.0, 2.0], [1.0, 1.0], np.zeros((2, 4)), "whole numbers"),
        ([1, 2], [1.0], np.zeros((2, 4)), "loss must be a list of 2"),
        ([1, 2], [1.0, 1.0], np.zeros((3, 4)), r"coefficients must be a \(2, n\)"),
        ([2, 1], [1.0, 1.0], np.zeros((2, 4)), "increasing"),
        ([-1, 1], [1.0, 1.0], np.zeros((2, 4)), ">= 0"),
    ],
)
def test_history_rejects_inconsistent_arrays(steps, loss, coefficients, message):
    with pytest.raises(ValueError, match=message):
        RunHistory(np.array(steps), np.array(loss), np.array(loss), coefficients, np.array(loss))


def test_history_keeps_non_finite_values_as_they_are():
    loss = np.array([1.0, np.inf, np.nan])
    history = RunHistory(np.arange(3), loss, loss, np.full((3, 4), np.nan), loss)
    assert np.array_equal(history.loss, loss, equal_nan=True)


def test_from_session_copies_the_history_and_end_state():
    config = BASE.with_changes(**{"training.steps": 30})
    session = TrainingSession(config)
    session.advance(30)
    record = RunRecord.from_session(session, run_id=4, base_config=config)
    assert (record.id, record.status, record.step_count, record.diverged_at) == (
        4,
        "finished",
        30,
        None,
    )
    assert record.config == session.config
    assert np.array_equal(record.history.loss, session.history.loss)
    assert np.array_equal(record.final_coefficients, session.coefficients)
    assert record.final_loss == session.history.loss[-1]
    assert record.label == "numpy-manual lr=1e-6"  # the base itself: method and lr
    assert not np.shares_memory(record.history.coefficients, session.history.coefficients)
    session.set_total_steps(40)
    session.advance(10)  # the session goes on; the record does not change
    assert len(record.history) == 30


def test_from_session_stopped_and_diverged():
    session = TrainingSession(BASE.with_changes(**{"training.steps": 100}))
    session.advance(10)
    assert RunRecord.from_session(session).status == "stopped"
    wild = BASE.with_changes(**{"training.lr": 1e-2, "training.steps": 500})
    session = TrainingSession(wild)
    session.advance(500)
    record = RunRecord.from_session(session, base_config=BASE)
    assert record.status == "diverged"
    assert record.diverged_at == session.diverged_at
    assert record.label == "numpy-manual lr=1e-2 500 steps"


def test_from_session_never_loses_a_run_to_non_finite_coefficients():
    class Broken:  # a session whose coefficients went non-finite without noticing
        config, status, step_count, diverged_at = BASE, "running", 3, None
        history = History(4)
        coefficients = np.array([np.nan, 0.0, 0.0, 0.0])

    Broken.history.append_block(
        np.arange(1, 4),
        np.ones(3),
        np.ones(3),
        [[1, 2, 3, 4], [5, 6, 7, 8], [np.inf] * 4],
        np.ones(3),
    )
    record = RunRecord.from_session(Broken())
    assert record.status == "stopped"
    assert record.final_coefficients.tolist() == [5, 6, 7, 8]


def test_history_must_hold_numbers():
    for bad in (np.array([True, False]), np.array(["1", "2"]), np.array([1j, 2j])):
        with pytest.raises(ValueError, match="must be numbers"):
            RunHistory(np.arange(2), bad, np.ones(2), np.zeros((2, 4)), np.ones(2))
    with pytest.raises(ValueError, match="steps must be a list"):
        RunHistory(np.array(3), np.ones(1), np.ones(1), np.zeros((1, 4)), np.ones(1))


def test_create_from_a_history_like_object():
    history = History(4)
    history.append_block(
        np.arange(1, 4), np.ones(3), np.full(3, np.nan), np.zeros((3, 4)), np.ones(3)
    )
    record = RunRecord.create(
        BASE, history, status="stopped", step_count=3, final_coefficients=np.zeros(4)
    )
    assert len(record.history) == 3 and record.final_loss == 1.0
    empty = RunRecord.create(
        BASE, RunHistory.empty(4), status="stopped", step_count=0, final_coefficients=np.zeros(4)
    )
    assert math.isnan(empty.final_loss)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "running"}, "status must be one of"),
        ({"status": "diverged", "diverged_at": None}, "cannot have diverged_at"),
        ({"diverged_at": 3}, "cannot have diverged_at"),
        ({"step_count": -1}, "step count"),
        ({"id": True}, "run id"),
        ({"final_coefficients": np.zeros(3)}, "final coefficients must be 4 numbers"),
        ({"final_coefficients": np.array([0.0, np.nan, 0, 0])}, "must be finite"),
        ({"visible": 1}, "visible"),
    ],
)
def test_record_rejects_inconsistent_fields(changes, message):
    with pytest.raises(ValueError, match=message):
        synthetic(**changes)


def test_record_history_must_match_the_degree():
    quintic = BASE.with_changes(**{"model.degree": 5})
    with pytest.raises(ValueError, match="history must have 6 coefficients per row"):
        synthetic(quintic, final_coefficients=np.zeros(6), history=synthetic().history)


def test_record_is_immutable():
    record = synthetic()
    with pytest.raises(AttributeError):
        record.label = "x"
    with pytest.raises(ValueError):
        record.final_coefficients[0] = 1.0


# ---- labels ----


def optim(name, lr, **more):
    return BASE.with_changes(
        **{"training.method": "torch-optim", "optimizer.name": name, "training.lr": lr, **more}
    )


@pytest.mark.parametrize(
    ("config", "base", "label"),
    [
        (optim("adam", 1e-2), optim("rmsprop", 1e-4), "Adam lr=1e-2"),
        (optim("rmsprop", 1e-4), optim("adam", 1e-2), "RMSprop lr=1e-4"),
        (BASE.with_changes(**{"training.loss": "l1"}), optim("adam", 1e-2),
         "numpy-manual lr=1e-6 L1"),
        (BASE.with_changes(**{"model.degree": 9, "model.basis": "legendre"}), BASE,
         "degree 9 legendre"),
        (BASE, BASE, "numpy-manual lr=1e-6"),
        (optim("rmsprop", 1e-4), None, "RMSprop lr=1e-4"),
        # a training-side difference alone comes with the method's name
        (BASE.with_changes(**{"training.lr": 3e-4}), BASE, "numpy-manual lr=3e-4"),
        (optim("sgd", 1e-3, **{"optimizer.momentum": 0.9}), optim("sgd", 1e-3), "SGD momentum=0.9"),
        (BASE.with_changes(**{"data.noise": 0.1}), BASE, "noise=0.1"),
        (BASE.with_changes(**{"seed": 3}), BASE, "seed 3"),
        (BASE.with_changes(**{"data.target": "x**2 - 1 + 0.5*x**3 - x"}), BASE,
         "target x**2 - 1 + 0.5*x**3…"),
        (
            BASE.with_changes(**{"training.method": "torch-autograd", "training.lr": 1e-5,
                                 "training.loss": "huber", "model.degree": 5}),
            BASE,
            "torch-autograd lr=1e-5 Huber …",
        ),
    ],
)  # fmt: skip
def test_run_label(config, base, label):
    assert run_label(config, base) == label


def test_optimizer_settings_do_not_label_other_methods():
    changed = BASE.with_changes(**{"optimizer.momentum": 0.5})
    assert run_label(changed, BASE) == "numpy-manual lr=1e-6"


@pytest.mark.parametrize(
    ("value", "text"),
    [(1e-2, "1e-2"), (1e-6, "1e-6"), (3e-4, "3e-4"), (0.5, "0.5"), (1.0, "1"), (1.5e-3, "1.5e-3"),
     (0.0, "0"), (2e5, "2e5")],
)  # fmt: skip
def test_short_number(value, text):
    assert short_number(value) == text


# ---- RunList ----


def test_ids_are_assigned_and_never_reused():
    runs = RunList()
    first = runs.add(synthetic())
    second = runs.add(synthetic(id=77))
    assert (first.id, second.id) == (1, 2)
    runs.remove(2)
    runs.clear()
    assert runs.add(synthetic()).id == 3
    assert [r.id for r in runs] == [3] and len(runs) == 1 and 3 in runs


def test_get_remove_and_visibility():
    runs = RunList()
    a, b = runs.add(synthetic()), runs.add(synthetic())
    runs.set_visible(a.id, False)
    assert runs.get(a.id).visible is False and runs.get(b.id).visible is True
    assert runs.remove(b.id).id == b.id
    with pytest.raises(KeyError, match="no run with id 2"):
        runs.get(b.id)
    with pytest.raises(KeyError):
        runs.set_visible(99, True)


def test_subscribers_hear_every_change_and_can_leave():
    runs = RunList()
    heard = []
    unsubscribe = runs.subscribe(heard.append)
    a = runs.add(synthetic())
    runs.set_visible(a.id, False)
    runs.set_visible(a.id, False)  # no change, no notification
    runs.remove(a.id)
    runs.add(synthetic())
    runs.clear()
    assert heard == [
        RunListChange("added", (1,)),
        RunListChange("visibility", (1,)),
        RunListChange("removed", (1,)),
        RunListChange("added", (2,)),
        RunListChange("cleared", (2,)),
    ]
    unsubscribe()
    runs.add(synthetic())
    assert len(heard) == 5


def test_a_failing_subscriber_does_not_silence_the_others():
    runs = RunList()
    heard = []

    def broken(change):
        raise RuntimeError("boom")

    runs.subscribe(broken)
    runs.subscribe(heard.append)
    with pytest.raises(RuntimeError, match="boom"):
        runs.add(synthetic())
    assert len(runs) == 1 and len(heard) == 1


def test_the_bound_drops_the_oldest_hidden_run_first():
    runs = RunList(max_runs=3)
    heard = []
    runs.subscribe(heard.append)
    for _ in range(3):
        runs.add(synthetic())
    runs.set_visible(2, False)
    runs.add(synthetic())
    assert [r.id for r in runs] == [1, 3, 4]
    assert heard[-1] == RunListChange("removed", (2,), evicted=True)
    runs.add(synthetic())  # nothing hidden any more: the oldest goes
    assert [r.id for r in runs] == [3, 4, 5]


def test_the_memory_bound_keeps_at_least_the_newest_run():
    big = synthetic(rows=2000)
    runs = RunList(max_bytes=big.nbytes * 2 + 1)
    for _ in range(4):
        runs.add(big)
    assert [r.id for r in runs] == [3, 4]
    runs = RunList(max_bytes=10)
    runs.add(big)
    assert len(runs) == 1


def test_replace_all_keeps_ids_and_continues_after_them():
    runs = RunList()
    records = [synthetic(id=5), synthetic(id=9, visible=False)]
    heard = []
    runs.subscribe(heard.append)
    runs.replace_all(records)
    assert [r.id for r in runs] == [5, 9] and not runs.get(9).visible
    assert heard == [RunListChange("replaced", (5, 9))]
    assert runs.add(synthetic()).id == 10
    with pytest.raises(ValueError, match="unique"):
        runs.replace_all([synthetic(id=1), synthetic(id=1)])
