"""Compare optimizers: each at a learning rate suited to it by default (said, with why), one rate
for all as an explicit choice (explained), and curves that stay apart when they overlap."""

from __future__ import annotations

from gradlab.core.config import Config
from gradlab.ui.inside.compare_view import SUITED

TORCH_WAIT_MS = 60_000
WAIT_MS = 10_000


def test_compare_runs_each_optimizer_at_its_own_rate_and_says_which(qtbot, app_window):
    window, compare = app_window, app_window.inside.compare_view
    window.panel.set_config(Config())  # lr 1e-6: far too small for RMSprop and Adam
    assert compare.lr_combo.currentData() == SUITED  # the default
    compare.steps_spin.setValue(300)
    with qtbot.waitSignal(compare.finished, timeout=TORCH_WAIT_MS):
        window.inside.compare_action.trigger()
    rates = compare.rates
    assert rates is not None and set(rates) == {"sgd", "sgd+momentum", "rmsprop", "adam"}
    assert rates["adam"].lr > 100 * 1e-6 and rates["sgd"].lr == 3e-6
    sentence = compare.sentence.text()
    assert "suited to it" in sentence
    for label, name in (("RMSprop", "rmsprop"), ("Adam", "adam")):
        s = rates[name]
        assert f"{label} {s.lr:g}".replace("e-0", "e-") in sentence
        assert f"lr × steps = {s.covered:.3g}" in sentence and f"{s.distance:.3g}" in sentence
    assert "stable limit 3.56e-06" in sentence
    # no two curves look alike: colour, line style and width all differ somewhere
    pens = [curve.opts["pen"] for curve in compare.loss_curves]
    looks = {(p.color().name(), p.style(), p.widthF()) for p in pens}
    assert len(looks) == len(pens)
    assert len({(p.style(), p.widthF()) for p in pens}) == len(pens)  # also without colour
    qtbot.waitUntil(lambda: not compare.controller.running, timeout=WAIT_MS)

    compare.lr_combo.setCurrentIndex(compare.lr_combo.findData(None))  # the experiment's, for all
    with qtbot.waitSignal(compare.finished, timeout=TORCH_WAIT_MS):
        window.inside.compare_action.trigger()
    assert compare.rates is None
    sentence = compare.sentence.text()
    assert "the same learning rate for all" in sentence
    assert "a rate that suits one optimizer can be far too small or too large" in sentence
    assert all(c.training.lr == 1e-6 for c in compare.controller.session.configs)
    qtbot.waitUntil(lambda: not compare.controller.running, timeout=WAIT_MS)
