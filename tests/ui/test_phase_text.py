"""The phase view's words: every message the core returns about a phase becomes a sentence."""

from __future__ import annotations

import pytest

from gradlab.core.config import Config
from gradlab.core.messages import Message
from gradlab.core.phases import PhaseStepper
from gradlab.core.session import TrainingSession
from gradlab.ui.inside.phase_text import message_text, record_html

METHODS = ("numpy-manual", "torch-autograd", "torch-optim")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (Message("backward.by_hand"), "by hand"),
        (Message("backward.autograd"), "loss.backward(): autograd"),
        (Message("zero_grad.nothing_to_clear"), "nothing to clear"),
        (Message("zero_grad.grad_none", {"letters": "a, b"}), ".grad = None: the gradients of a"),
        (Message("zero_grad.optimizer", {"letters": "a, b"}), "optimizer.zero_grad(): every"),
    ],
)
def test_each_phase_message_has_its_sentence(qapp, message: Message, expected: str) -> None:
    assert expected in message_text(message)


@pytest.mark.parametrize("method", METHODS)
def test_every_phase_of_every_method_is_put_into_words(qapp, method: str) -> None:
    if method.startswith("torch"):
        pytest.importorskip("torch")
    config = Config().with_changes(**{"training.method": method, "training.steps": 10})
    stepper = PhaseStepper(TrainingSession(config))
    texts = [record_html(stepper.next_phase(), config) for _ in range(5)]
    assert ("by hand" in texts[2]) == (method == "numpy-manual")
    assert ("autograd derives" in texts[2]) == (method != "numpy-manual")
    assert ("optimizer.step() applied" in texts[3]) == (method == "torch-optim")
    cleared = {"numpy-manual": "nothing to clear", "torch-autograd": ".grad = None"}
    assert cleared.get(method, "optimizer.zero_grad()") in texts[4]
