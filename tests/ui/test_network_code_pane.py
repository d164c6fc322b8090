"""A network's code pane shows its own listing (not the polynomial's) with the running phase's
lines highlighted, in the interface's language; File → Export → Script writes its script."""

from __future__ import annotations

import pytest

from gradlab.core.code_listing import code_listing
from gradlab.core.config import Config
from gradlab.core.methods.base import PHASES
from gradlab.ui import i18n
from gradlab.ui.inside.code_pane import CodePane

WAIT_MS = 60_000  # the first torch run imports torch in the worker thread; the machine is shared
NETWORK = Config().with_changes(
    **{"model.kind": "mlp", "model.hidden": 4, "model.layers": 2, "training.steps": 100}
)


@pytest.fixture
def window(app_window):
    return app_window  # tests/ui/conftest.py


def test_a_network_shows_its_own_listing_and_highlights_its_phases(qtbot) -> None:
    pane = CodePane()
    qtbot.addWidget(pane)
    pane.set_config(Config())
    assert "grad_b = (grad_y_pred * X[:, 1]).sum()" in pane.toPlainText()  # the polynomial's
    pane.set_config(NETWORK)
    text = pane.toPlainText()
    assert "grad_W3 = grad_y_pred[None, :] @ a2" in text and "X[:, 1]" not in text
    assert pane.listing is not None
    pane.highlight_phase("backward")
    lines = pane.highlighted_lines()
    assert lines == code_listing(NETWORK).phase_lines["backward"]
    assert pane.line_text(lines[-1]).strip().startswith("grad_b1 = ")
    pane.set_config(NETWORK.with_changes(**{"training.method": "torch-optim"}))
    assert "model = nn.Sequential(" in pane.toPlainText()
    assert pane.line_text(pane.highlighted_lines()[-1]).strip() == "loss.backward()"


def test_torch_functions_listing_highlights_its_functions_backward(qtbot) -> None:
    """The custom Functions' backward lines light up with loss.backward(), which runs them."""
    pane = CodePane()
    qtbot.addWidget(pane)
    config = NETWORK.with_changes(**{"training.method": "torch-function"})
    pane.set_config(config)
    assert "class Linear(torch.autograd.Function):" in pane.toPlainText()
    assert pane.listing == code_listing(config)
    pane.highlight_phase("backward")
    lines = [pane.line_text(n).strip() for n in pane.highlighted_lines()]
    assert lines[0] == "def backward(ctx, grad_z):" and lines[-1] == "loss.backward()"
    assert "return grad_a * (1 - a * a)" in lines  # the Tanh Function's slope
    pane.highlight_phase("forward")
    lines = [pane.line_text(n).strip() for n in pane.highlighted_lines()]
    assert lines[0] == "def forward(ctx, a, W, b):" and "a2 = Tanh.apply(z2)" in lines


def test_a_networks_listing_follows_a_language_switch_on_the_same_lines(qtbot) -> None:
    pane = CodePane()
    qtbot.addWidget(pane)
    config = NETWORK.with_changes(**{"training.method": "torch-autograd"})
    pane.set_config(config)
    listing = code_listing(config)
    for phase in PHASES:
        pane.highlight_phase(phase)
        assert pane.highlighted_lines() == listing.phase_lines[phase]
    pane.highlight_phase("backward")
    assert pane.line_text(pane.highlighted_lines()[-1]).strip() == "loss.backward()"
    try:
        i18n.language_manager().set_language("zh", remember=False)
        qtbot.waitUntil(lambda: "链式法则" in pane.toPlainText(), timeout=WAIT_MS)
        assert pane.highlighted_lines() == listing.phase_lines["backward"]
        assert "# 4. 更新每个权重和偏置，在计算图之外进行" in pane.toPlainText()
    finally:
        i18n.language_manager().set_language("en", remember=False)
    qtbot.waitUntil(lambda: "chain rule" in pane.toPlainText(), timeout=WAIT_MS)


def test_export_script_writes_a_networks_script(window, tmp_path) -> None:
    target = tmp_path / "network.py"
    window.panel.set_config(NETWORK)
    assert window.classroom.exports.export_script(target)
    text = target.read_text(encoding="utf-8")
    assert "W1, b1, W2, b2, W3, b3 = start" in text and "RESULT_JSON" in text
    compile(text, str(target), "exec")  # a syntax check only: the core tests run these scripts
