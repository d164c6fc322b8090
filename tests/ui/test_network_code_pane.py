"""The code pane never shows the polynomial's listing for a network: it says what runs."""

from __future__ import annotations

from gradlab.core.config import Config
from gradlab.ui.inside.code_pane import CodePane


def test_a_network_shows_where_its_code_is_not_the_polynomials_listing(qtbot) -> None:
    pane = CodePane()
    qtbot.addWidget(pane)
    pane.set_config(Config())
    assert "grad_y_pred" in pane.toPlainText()  # listing 1, by hand
    network = Config().with_changes(**{"model.kind": "mlp", "model.hidden": 4})
    pane.set_config(network)
    text = pane.toPlainText()
    assert "numpy_mlp.py" in text and "grad_y_pred" not in text
    pane.highlight_phase("backward")
    assert pane.listing is None and pane.highlighted_lines() == []
    pane.set_config(network.with_changes(**{"training.method": "torch-optim"}))
    assert "torch_mlp.py" in pane.toPlainText()
