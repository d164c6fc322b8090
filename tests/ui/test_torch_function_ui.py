"""The fourth method in the window: the menu, phase stepping, gradcheck and the four-way check."""

from __future__ import annotations

import pytest

from gradlab.core.code_listing import code_listing
from gradlab.core.config import Config
from gradlab.core.methods.base import PHASES
from gradlab.ui import i18n

TORCH_WAIT_MS = 30_000  # the first torch run imports torch in the worker thread
FUNCTION = {"training.method": "torch-function", "training.steps": 1000}


@pytest.fixture
def window(app_window):
    return app_window  # tests/ui/conftest.py


def test_the_method_menu_offers_it_and_the_sign_flip_shows_only_for_it(qtbot, window):
    panel = window.panel
    combo = panel.method_combo
    index = combo.findData("torch-function")
    assert index >= 0 and combo.itemText(index) == "PyTorch Function, own backward"
    flip = panel.field_widget("training.flip_backward_sign")
    panel.set_config(Config())
    assert not flip.isVisibleTo(panel)
    panel.set_config(Config().with_changes(**FUNCTION))
    assert flip.isVisibleTo(panel) and not flip.isChecked()
    assert "backward you write by hand" in panel.method_explanation.text()
    flip.setChecked(True)
    qtbot.waitUntil(lambda: panel.config().training.flip_backward_sign, timeout=2000)

    i18n.language_manager().set_language("zh", remember=False)
    try:
        qtbot.waitUntil(lambda: combo.itemText(index) != "PyTorch Function, own backward")
        assert "backward" in combo.itemText(index)  # the code's name stays, in Chinese words
        assert any("\u4e00" <= ch <= "\u9fff" for ch in combo.itemText(index))
    finally:
        i18n.language_manager().set_language("en", remember=False)


def test_phases_step_with_the_functions_lines_highlighted(qtbot, window):
    inside = window.inside
    config = Config().with_changes(**FUNCTION)
    window.panel.set_config(config)
    listing = code_listing(config)
    records: list = []
    inside.relay.record_ready.connect(lambda record, _config: records.append(record))
    for n, phase in enumerate(PHASES):
        inside.step_phase_action.trigger()
        qtbot.waitUntil(lambda n=n: len(records) == n + 1, timeout=TORCH_WAIT_MS)
        assert records[-1].phase == phase and records[-1].step == 1
        lines = inside.code_pane.highlighted_lines()
        assert lines and lines == listing.phase_lines[phase]
    forward = [inside.code_pane.line_text(i) for i in listing.phase_lines["forward"]]
    assert any("ctx.save_for_backward(X)" in line for line in forward)
    assert any("Polynomial.apply(" in line for line in forward)
    backward = [inside.code_pane.line_text(i) for i in listing.phase_lines["backward"]]
    assert any("def backward(ctx, grad_y_pred):" in line for line in backward)
    assert any(line.strip() == "loss.backward()" for line in backward)
    assert records[2].values["computed_by"].id == "backward.function"
    qtbot.waitUntil(lambda: window.model.step_count == 1, timeout=TORCH_WAIT_MS)


def test_gradcheck_passes_then_blames_b_when_the_sign_is_flipped(qtbot, window):
    compare = window.inside.compare_view
    button = compare.gradcheck_button
    window.panel.set_config(Config().with_changes(**FUNCTION))
    with qtbot.waitSignal(compare.gradcheck_done, timeout=TORCH_WAIT_MS):
        button.click()
    text = compare.gradcheck_label.text()
    assert "gradcheck passed" in text and "✗" not in text
    assert button.isEnabled()

    flipped = Config().with_changes(**FUNCTION, **{"training.flip_backward_sign": True})
    window.panel.set_config(flipped)
    with qtbot.waitSignal(compare.gradcheck_done, timeout=TORCH_WAIT_MS):
        button.click()
    text = compare.gradcheck_label.text()
    assert "gradcheck failed: the hand-written backward is wrong for b " in text
    assert text.count("✗") == 1

    i18n.language_manager().set_language("zh", remember=False)
    try:
        with qtbot.waitSignal(compare.gradcheck_done, timeout=TORCH_WAIT_MS):
            button.click()
        assert "gradcheck" in compare.gradcheck_label.text()
        assert "failed" not in compare.gradcheck_label.text()  # translated
    finally:
        i18n.language_manager().set_language("en", remember=False)


def test_the_four_way_check_names_the_function_when_its_backward_is_wrong(qtbot, window):
    inside, compare = window.inside, window.inside.compare_view
    compare.steps_spin.setValue(30)
    window.panel.set_config(Config().with_changes(**FUNCTION))
    with qtbot.waitSignal(compare.finished, timeout=TORCH_WAIT_MS):
        inside.three_way_action.trigger()
    assert compare.labels == ("numpy-manual", "torch-autograd", "torch-optim", "torch-function")
    assert compare.sentence.text().startswith("Autograd computes what we derived by hand")
    assert "four methods" in compare.sentence.text()
    qtbot.waitUntil(lambda: not compare.controller.running, timeout=TORCH_WAIT_MS)

    flipped = Config().with_changes(**FUNCTION, **{"training.flip_backward_sign": True})
    window.panel.set_config(flipped)
    with qtbot.waitSignal(compare.finished, timeout=TORCH_WAIT_MS):
        inside.three_way_action.trigger()
    sentence = compare.sentence.text()
    assert sentence.startswith("The methods disagree")
    assert "PyTorch Function is the one that differs" in sentence
    differences = compare.diff_curves[1].getData()[1]
    assert differences is not None and differences[0] > 1.0  # the gradients, from step 1
    qtbot.waitUntil(lambda: not compare.controller.running, timeout=TORCH_WAIT_MS)
