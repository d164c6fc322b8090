"""The phase view's tables never wrap a number or a header, in either language."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor

from gradlab.core.config import Config
from gradlab.ui import i18n

TORCH_WAIT_MS = 30_000


@pytest.fixture
def window(app_window, classroom_sandbox):
    return app_window  # tests/ui/conftest.py


def wrapped_cells(browser) -> list[str]:
    """Texts of table cells laid out on more than one line."""
    document = browser.document()
    document.setTextWidth(browser.viewport().width())  # as the browser lays it out
    wrapped = []
    block = document.begin()
    while block.isValid():
        cursor = QTextCursor(block)
        if cursor.currentTable() is not None and block.layout().lineCount() > 1:
            wrapped.append(block.text())
        block = block.next()
    return wrapped


def state_table_fits_its_contents(table) -> bool:
    return not table.wordWrap() and all(
        table.columnWidth(c) >= table.sizeHintForColumn(c) for c in range(table.columnCount())
    )


@pytest.mark.parametrize("language", ["en", "zh"])
def test_update_and_state_tables_do_not_wrap_numbers(qtbot, window, language):
    inside = window.inside
    if language == "zh":
        i18n.language_manager().set_language("zh", remember=False)
    config = Config().with_changes(
        **{"training.method": "torch-optim", "optimizer.name": "adam", "training.lr": 1e-2}
    )
    window.panel.set_config(config)
    records: list = []
    inside.relay.record_ready.connect(lambda record, _config: records.append(record))
    for n in range(4):  # forward, loss, backward, update
        inside.step_phase_action.trigger()
        qtbot.waitUntil(lambda n=n: len(records) == n + 1, timeout=TORCH_WAIT_MS)
    view = inside.phase_view
    assert records[-1].phase == "update"
    qtbot.waitUntil(lambda: view.state_table.rowCount() == 4, timeout=TORCH_WAIT_MS)
    assert "<table" in view.values.toHtml()
    assert wrapped_cells(view.values) == []
    assert state_table_fits_its_contents(view.state_table)
