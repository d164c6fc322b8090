"""float32 vs float64 in the compare dock: the chapter's listing 2 by default, the differences
drawn are those of two independent runs, and the sentence quotes the numbers drawn."""

from __future__ import annotations

import numpy as np

from gradlab.core.config import Config
from gradlab.core.precision import machine_epsilon
from gradlab.core.session import TrainingSession

TORCH_WAIT_MS = 60_000
WAIT_MS = 10_000
STEPS = 200


def _alone(config: Config, dtype: str) -> TrainingSession:
    session = TrainingSession(config.with_changes(**{"model.dtype": dtype}))
    while not session.done:
        session.step()
    return session


def test_precision_check_draws_two_independent_runs_difference(qtbot, app_window):
    window, compare = app_window, app_window.inside.compare_view
    window.panel.set_config(Config())  # the chapter's defaults: lr 1e-6, squared error, sum
    page = compare.precision
    assert page.method == "torch-autograd"  # listing 2 is the default
    compare.steps_spin.setValue(STEPS)
    with qtbot.waitSignal(compare.finished, timeout=TORCH_WAIT_MS):
        window.inside.compare_view.precision_action.trigger()
    assert compare.stack.currentWidget() is page
    numbers = page.numbers
    assert numbers is not None
    configs = compare.controller.session.configs
    assert [c.model.dtype for c in configs] == ["float32", "float64"]
    assert {c.training.method for c in configs} == {"torch-autograd"}
    base = Config().with_changes(**{"training.method": "torch-autograd", "training.steps": STEPS})
    single, double = _alone(base, "float32"), _alone(base, "float64")
    np.testing.assert_array_equal(numbers.steps, np.arange(1, STEPS + 1))
    np.testing.assert_array_equal(
        numbers.loss_difference, np.abs(single.history.loss - double.history.loss)
    )
    coefficient = np.max(np.abs(single.history.coefficients - double.history.coefficients), 1)
    np.testing.assert_array_equal(numbers.coefficient_difference, coefficient)
    _x, y = page.coefficient_curve.getData()  # what is drawn, on the log axis
    np.testing.assert_allclose(10**y, coefficient, rtol=1e-12)
    qtbot.waitUntil(lambda: page.orders is not None, timeout=WAIT_MS)
    sentence = compare.sentence.text()
    loss_last = abs(single.history.loss[-1] - double.history.loss[-1])
    assert f"After step {STEPS} the losses differ by {loss_last:.3g}" in sentence
    assert f"machine epsilon {machine_epsilon('float32'):.3g}" in sentence
    assert f"added one by one give {page.orders.one_by_one:.9g}" in sentence
    ratio = coefficient[-1] / coefficient[0]
    assert f"grew {ratio:.3g}-fold" in sentence
    qtbot.waitUntil(lambda: not compare.controller.running, timeout=WAIT_MS)

    # another method: chosen on the page, run again at once
    with qtbot.waitSignal(compare.finished, timeout=TORCH_WAIT_MS):
        page.method_combo.setCurrentIndex(page.method_combo.findData("numpy-manual"))
    assert {c.training.method for c in compare.controller.session.configs} == {"numpy-manual"}
    qtbot.waitUntil(lambda: not compare.controller.running, timeout=WAIT_MS)
