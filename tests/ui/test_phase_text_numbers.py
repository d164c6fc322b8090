"""The update's sentence, its table and the real change agree, for every optimizer and step:
every number the sentence states is one the table beside it shows, and both are the step the
optimizer really took (θ_after − θ_before = −lr × u, bias correction and weight decay included)."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradlab.core.config import Config
from gradlab.core.phases import PhaseStepper
from gradlab.core.session import TrainingSession
from gradlab.ui.inside.phase_text import optimizer_explanation, optimizer_snapshot, record_html

pytest.importorskip("torch")

OPTIMIZERS = {
    "sgd": {"optimizer.name": "sgd"},
    "sgd+momentum": {"optimizer.name": "sgd", "optimizer.momentum": 0.9},
    "nesterov": {"optimizer.name": "sgd", "optimizer.momentum": 0.9, "optimizer.nesterov": True},
    "rmsprop": {"optimizer.name": "rmsprop"},
    "rmsprop+momentum": {"optimizer.name": "rmsprop", "optimizer.momentum": 0.5},
    "adam": {"optimizer.name": "adam"},
    "adamw": {"optimizer.name": "adamw", "optimizer.weight_decay": 0.05},
    "adagrad": {"optimizer.name": "adagrad"},
}
SENTENCE = re.compile(
    r"Here u = (?P<formula>.+?) = (?P<u>[^=]+), so the change −lr × u is (?P<change>.+) "
    r"\(lr = (?P<lr>[^)]+)\)\.$"
)


def table_rows(text: str) -> list[list[str]]:
    """The update table's body cells as plain text, row by row."""
    rows = re.findall(r"<tr>(.*?)</tr>", text)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows]
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in row] for row in cells]


def update_record(config: Config, steps_before: int):
    session = TrainingSession(config)
    session.advance(steps_before)
    stepper = PhaseStepper(session)
    for _ in range(3):
        stepper.next_phase()
    return session, stepper.next_phase()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    optimizer=st.sampled_from(sorted(OPTIMIZERS)),
    steps_before=st.integers(0, 60),
    lr=st.sampled_from([1e-6, 1e-4, 1e-3, 1e-2]),
    decay=st.sampled_from([0.0, 0.01]),
)
def test_the_sentence_the_table_and_the_real_change_agree(
    qapp, optimizer: str, steps_before: int, lr: float, decay: float
) -> None:
    if optimizer.startswith(("sgd", "nesterov")):
        lr = min(lr, 1e-6)  # stable for plain gradient descent here (below 3.56e-6)
    changes = {"optimizer.weight_decay": decay, **OPTIMIZERS[optimizer]}
    config = Config().with_changes(
        **{"training.method": "torch-optim", "training.lr": lr, "training.steps": 100, **changes}
    )
    session, record = update_record(config, steps_before)
    v = record.values
    change = v["after"] - v["before"]  # the optimizer's real step
    direction = v["direction"]
    np.testing.assert_allclose(-direction.lr * direction.u, change, rtol=1e-9, atol=1e-300)
    assert direction.lr == lr

    sentence = optimizer_explanation(direction, v["step"])
    match = SENTENCE.search(sentence)
    assert match, sentence
    said_u, said_change = match["u"].split(", "), match["change"].split(", ")
    rows = table_rows(record_html(record, config))
    assert len(rows) == len(said_u) == len(said_change) == 4
    for k, row in enumerate(rows):
        _name, _before, table_u, _after, table_change = row
        assert table_u == said_u[k] and table_change == said_change[k]
        # the printed numbers are the real ones, to the digits printed
        assert float(table_change) == pytest.approx(change[k], rel=1e-3, abs=1e-300)
        assert -lr * float(table_u) == pytest.approx(float(table_change), rel=2e-3, abs=1e-300)
    assert match["formula"] in record_html(record, config)  # the column is named after u

    # the optimizer-state table (read between steps) says the same
    snapshot = optimizer_snapshot(session)
    assert snapshot is not None and snapshot["direction"] == direction
    assert optimizer_explanation(snapshot["direction"], snapshot["step"]) == sentence


@pytest.mark.parametrize("optimizer", ["adam", "rmsprop"])
def test_no_sentence_claims_steps_of_about_lr_whatever_the_gradient(qapp, optimizer) -> None:
    config = Config().with_changes(
        **{"training.method": "torch-optim", "training.lr": 0.01, **OPTIMIZERS[optimizer]}
    )
    _session, record = update_record(config, 5)
    sentence = optimizer_explanation(record.values["direction"], record.values["step"])
    assert "about lr" not in sentence and "whatever the gradient" not in sentence
    assert "lr × g" not in record_html(record, config)  # Adam's step is not lr × g
