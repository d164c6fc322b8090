"""Stepping through one step of a network in the window: the phase view shows each hidden layer's
z and a, each tensor's gradient and update, and those numbers are torch's own for the same step."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QTextCursor

from gradlab.core.config import Config
from gradlab.core.network import initial_parameters, layer_views
from gradlab.ui import i18n

torch = pytest.importorskip("torch")

WAIT_MS = 60_000  # the first torch run imports torch in the worker thread; the machine is shared
HIDDEN, LAYERS, LR = 5, 2, 1e-2


@pytest.fixture
def window(app_window, classroom_sandbox):
    return app_window  # tests/ui/conftest.py


def network_config(method: str) -> Config:
    return Config().with_changes(
        **{
            "model.kind": "mlp",
            "model.hidden": HIDDEN,
            "model.layers": LAYERS,
            "training.method": method,
            "optimizer.name": "adam",
            "training.lr": LR,
            "training.reduction": "mean",
            "training.steps": 100,
        }
    )


def step_phases(qtbot, inside, count: int) -> list:
    records: list = []
    inside.relay.record_ready.connect(lambda record, _config: records.append(record))
    for n in range(count):
        inside.step_phase_action.trigger()
        qtbot.waitUntil(lambda n=n: len(records) == n + 1, timeout=WAIT_MS)
    return records


def shown_tables(browser) -> list[list[list[str]]]:
    """Every table of the values panel as rows of cell texts, in order."""
    tables, seen = [], set()
    block = browser.document().begin()
    while block.isValid():
        table = QTextCursor(block).currentTable()
        if table is not None and id(table) not in seen and table.firstPosition() not in seen:
            seen.add(table.firstPosition())
            tables.append(
                [
                    [
                        table.cellAt(r, c).firstCursorPosition().block().text().replace("\xa0", " ")
                        for c in range(table.columns())
                    ]
                    for r in range(table.rows())
                ]
            )
        block = block.next()
    return tables


def wrapped_cells(browser) -> list[str]:
    document = browser.document()
    document.setTextWidth(browser.viewport().width())
    wrapped, block = [], document.begin()
    while block.isValid():
        if QTextCursor(block).currentTable() is not None and block.layout().lineCount() > 1:
            wrapped.append(block.text())
        block = block.next()
    return wrapped


def torch_network(config: Config) -> torch.nn.Sequential:
    """torch's own nn.Sequential holding the run's starting parameters."""
    layers: list[torch.nn.Module] = [torch.nn.Linear(1, HIDDEN), torch.nn.Tanh()]
    for _ in range(LAYERS - 1):
        layers += [torch.nn.Linear(HIDDEN, HIDDEN), torch.nn.Tanh()]
    model = torch.nn.Sequential(*layers, torch.nn.Linear(HIDDEN, 1), torch.nn.Flatten(0, 1))
    model = model.double()
    parameters = list(model.parameters())
    with torch.no_grad():
        for k, (w, b) in enumerate(layer_views(config.model, initial_parameters(config))):
            parameters[2 * k].copy_(torch.from_numpy(w.copy()))
            parameters[2 * k + 1].copy_(torch.from_numpy(b.copy()))
    return model


def numbers(cells: list[str]) -> np.ndarray:
    return np.array([float(c.replace("−", "-")) for c in cells])


@pytest.mark.parametrize("method", ["numpy-manual", "torch-optim"])
def test_one_network_step_shows_torchs_own_numbers(qtbot, window, method):
    config = network_config(method)
    window.panel.set_config(config)
    inside, view = window.inside, window.inside.phase_view
    x_all = window.model.problem.dataset.x
    y_all = window.model.problem.dataset.y
    model = torch_network(config)
    x = torch.tensor(x_all, dtype=torch.float64).reshape(-1, 1)
    rows = np.unique(np.linspace(0, x_all.size - 1, 5).round().astype(int))  # the sample rows

    step_phases(qtbot, inside, 1)  # forward
    tables = shown_tables(view.values)
    assert len(tables) == LAYERS + 1  # one per hidden layer, then the output
    a = x
    for k in range(LAYERS):
        z = model[2 * k](a)
        a = model[2 * k + 1](z)
        table = tables[k]
        assert table[0][:3] == ["x", f"z{k + 1}[0]", f"a{k + 1}[0]"]
        body = np.array([numbers(row) for row in table[1:]])
        np.testing.assert_allclose(body[:, 0], x_all[rows], rtol=1e-3)
        for unit in range(3):
            np.testing.assert_allclose(
                body[:, 1 + 2 * unit], z.detach().numpy()[rows, unit], rtol=2e-3, atol=1e-4
            )
            np.testing.assert_allclose(
                body[:, 2 + 2 * unit], a.detach().numpy()[rows, unit], rtol=2e-3, atol=1e-4
            )
    prediction = model(x)
    shown = np.array([numbers(row)[1] for row in tables[-1][1:]])
    np.testing.assert_allclose(shown, prediction.detach().numpy()[rows], rtol=1e-5, atol=1e-9)

    loss = torch.nn.functional.mse_loss(prediction, torch.tensor(y_all, dtype=torch.float64))
    loss.backward()
    step_phases(qtbot, inside, 2)  # loss, backward
    (gradients,) = shown_tables(view.values)
    names = [row[0] for row in gradients[1:]]
    assert names == [f"{kind}{k}" for k in range(1, LAYERS + 2) for kind in "Wb"]
    for row, parameter in zip(gradients[1:], model.parameters(), strict=True):
        grad = parameter.grad.numpy().reshape(-1)
        assert row[1] == " × ".join(map(str, parameter.shape))
        assert float(row[2]) == pytest.approx(np.linalg.norm(grad), rel=1e-3)
        first = numbers(row[3].replace(", …", "").split(", "))
        np.testing.assert_allclose(first, grad[: first.size], rtol=1e-3, atol=1e-6)
    assert "∂L/∂W1 = (∂L/∂z1)ᵀ x" in view.values_text()

    optimizer_class = torch.optim.SGD if method == "numpy-manual" else torch.optim.Adam
    optimizer = optimizer_class(model.parameters(), lr=LR)
    before = [p.detach().numpy().reshape(-1).copy() for p in model.parameters()]
    optimizer.step()
    step_phases(qtbot, inside, 1)  # update
    update, entries = shown_tables(view.values)
    for row, entry, old, parameter in zip(
        update[1:], entries[1:], before, model.parameters(), strict=True
    ):
        new = parameter.detach().numpy().reshape(-1)
        assert float(row[1]) == pytest.approx(np.linalg.norm(old), rel=1e-5)
        assert float(row[2]) == pytest.approx(np.linalg.norm(new), rel=1e-5)
        assert float(row[3]) == pytest.approx(np.linalg.norm(new - old), rel=1e-3)
        first_before = numbers(entry[1].replace(", …", "").split(", "))
        first_after = numbers(entry[2].replace(", …", "").split(", "))
        np.testing.assert_allclose(first_before, old[: first_before.size], rtol=1e-3)
        np.testing.assert_allclose(first_after, new[: first_after.size], rtol=1e-3)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_network_tables_never_wrap_a_number(qtbot, window, language):
    if language == "zh":
        i18n.language_manager().set_language("zh", remember=False)
    window.panel.set_config(network_config("numpy-manual"))
    inside, view = window.inside, window.inside.phase_view
    for _ in range(4):  # forward, loss, backward, update
        step_phases(qtbot, inside, 1)
        assert wrapped_cells(view.values) == []
    assert view.record is not None and view.record.phase == "update"
