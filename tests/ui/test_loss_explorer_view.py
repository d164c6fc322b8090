"""The loss explorer: typing a vector updates the numbers, bad input gives one clear line, torch
follows off the GUI thread, and the window's dock is there without importing torch."""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import Qt

from gradlab.ui import i18n
from gradlab.ui.inside.loss_explorer_view import LossExplorer

TORCH_WAIT_MS = 60_000  # the first job imports torch


@pytest.fixture
def explorer(qtbot):
    view = LossExplorer()
    qtbot.addWidget(view)
    view.resize(600, 900)
    yield view
    view.shutdown()


def cell(table, row: int, column: int) -> str:
    return table.item(row, column).text()


def test_listing_4_and_its_torch_column(qtbot, explorer):
    page = explorer.regression
    assert explorer.jobs.pending == 0  # nothing asked of torch before the explorer is shown
    assert cell(page.table, 0, 0) == 'L1Loss(reduction="sum")'
    assert cell(page.table, 0, 1) == "0 + 0 + 2 = 2"
    assert cell(page.table, 2, 1) == "0 + 0 + 4 = 4"
    assert cell(page.table, 0, 2) == "…"
    explorer.show()
    qtbot.waitExposed(explorer)
    qtbot.waitUntil(lambda: page.torch is not None, timeout=TORCH_WAIT_MS)
    assert cell(page.table, 0, 2) == "2" and cell(page.table, 2, 2) == "4"  # the chapter's
    assert cell(page.table, 2, 3) == "-4, -4"  # d(MSE)/dŷ3 = 2(3 − 5), by hand and by autograd
    assert "L1 -1, squared error -4, Huber -1" in page.sentence.text()
    qtbot.waitUntil(lambda: explorer.classification.torch is not None, timeout=TORCH_WAIT_MS)
    table = explorer.classification.table
    assert cell(table, 3, 0) == "mean"
    assert cell(table, 3, 2) == cell(table, 3, 3) == "0.578564"


def test_editing_a_vector_updates_the_numbers_and_the_plot(qtbot, explorer):
    page = explorer.regression
    explorer.show()
    qtbot.waitExposed(explorer)
    with qtbot.waitSignal(page.numbers_changed, timeout=5000):
        page.predictions_edit.setText("1, 2, 9")  # typed: merged by the timer, then shown
    assert cell(page.table, 0, 1) == "0 + 0 + 4 = 4"
    assert cell(page.table, 2, 1) == "0 + 0 + 16 = 16"
    # the curves pass through the new point: ŷ3 = 9, squared error 16, slope 2·(9 − 5) = 8
    marker_x, marker_y = page.markers["squared"][0].getData()
    assert (marker_x[0], marker_y[0]) == (9.0, 16.0)
    assert page.markers["squared"][1].getData()[1][0] == 8.0
    assert page.markers["l1"][1].getData()[1][0] == 1.0  # L1's slope: still size 1
    qtbot.waitUntil(lambda: cell(page.table, 2, 2) == "16", timeout=TORCH_WAIT_MS)
    page.reduction_combo.setCurrentIndex(page.reduction_combo.findData("mean"))
    qtbot.waitUntil(lambda: "divided by the 3 points" in page.sentence.text(), timeout=5000)


@pytest.mark.parametrize(
    ("predictions", "targets", "expected"),
    [
        ("1, two, 3", "1, 2, 5", "Predictions: Entry 2, “two”, is not a number"),
        ("1, 2, 3", "__import__('os').system('x')", "Targets: Entry 1,"),
        ("1, 2, 3", "", "Targets: Type at least one number"),
        ("1, 2", "1, 2, 5", "need the same number of entries (now 2 and 3)"),
        ("1, 2, 1e300", "1, 2, 5", "Predictions: Entry 3, “1e300”, is too large"),
    ],
)
def test_bad_input_gives_one_clear_line(qtbot, explorer, predictions, targets, expected):
    page = explorer.regression
    before = [cell(page.table, r, 1) for r in range(page.table.rowCount())]
    page.set_vectors(predictions, targets)
    assert page.error is not None and expected in page.error
    assert page.error_label.text() == page.error and "\n" not in page.error
    assert not page.error_label.isHidden()
    assert [cell(page.table, r, 1) for r in range(page.table.rowCount())] == before  # kept
    page.set_vectors("1, 2, 3", "1, 2, 5")
    assert page.error is None and page.error_label.isHidden()


def test_classification_errors_and_updates(qtbot, explorer):
    page = explorer.classification
    page.logit_edits[0].setText("2, 1")  # two classes where the others have three
    page.update_numbers()
    assert page.error is not None and "one logit per class" in page.error
    page.logit_edits[0].setText("2, 1, 0.1")
    page.label_spins[0].setValue(5)
    page.update_numbers()
    assert page.error is not None and "Class 5 does not exist: there are 3." in page.error
    page.label_spins[0].setValue(1)
    page.logit_edits[2].setText("0, 0, 5")
    page.update_numbers()
    assert page.error is None
    top = math.exp(5) / (2 + math.exp(5))  # softmax of (0, 0, 5)
    assert cell(page.table, 2, 1).endswith(f"{top:.6g}]")


def test_bad_input_reads_in_chinese(qtbot, explorer):
    manager = i18n.language_manager()
    manager.set_language("zh", remember=False)
    try:
        page = explorer.regression
        page.set_vectors("1, x, 3", "1, 2, 5")
        assert page.error is not None
        assert any("\u4e00" <= ch <= "\u9fff" for ch in page.error), page.error
        assert "“x”" in page.error
    finally:
        manager.set_language("en", remember=False)


def test_clicking_the_loss_plot_moves_the_prediction(qtbot, explorer):
    page = explorer.regression
    explorer.show()
    qtbot.waitExposed(explorer)
    view = page.loss_plot.getPlotItem().vb
    scene_point = view.mapViewToScene(view.mapToView(view.boundingRect().center()))
    widget_point = page.loss_plot.mapFromScene(scene_point)  # whole pixels, as clicked
    x = round(float(view.mapSceneToView(page.loss_plot.mapToScene(widget_point)).x()), 2)
    qtbot.mouseClick(page.loss_plot.viewport(), Qt.MouseButton.LeftButton, pos=widget_point)
    qtbot.waitUntil(lambda: page.predictions_edit.text().endswith(f"{x:g}]"), timeout=5000)


def test_the_window_has_the_dock_without_importing_torch():
    code = textwrap.dedent(
        """
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from gradlab.app import create_window
        window = create_window()
        window.show()
        app.processEvents()
        torch_at_start = "torch" in sys.modules
        window.inside.loss_dock.show()  # the explorer is built when its dock is first shown
        window.inside.loss_dock.raise_()  # (torch's own numbers then follow in the background)
        explorer = window.inside.loss_explorer
        print(explorer.regression.table.item(2, 1).text(), torch_at_start)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "0 + 0 + 4 = 4 False"
