"""The model stage's settings page: the activation choice and the chapter's CNN as a summary table
(layers, output shapes, parameters), counted from the layer sizes without importing torch (the
test compares it with the core's torch summary).

The texts are in the CnnSettings translation context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from gradlab.ui.forms import QT_TRANSLATE_NOOP, FieldSpec
from gradlab.ui.palette import colour

if TYPE_CHECKING:
    from gradlab.ui.cnn.settings import CnnSettings

MODEL_FIELDS = (
    FieldSpec(
        "relu",
        QT_TRANSLATE_NOOP("CnnSettings", "Activation"),
        QT_TRANSLATE_NOOP("CnnSettings", "The chapter's model has none"),
        "check",
        "cnnReluCheck",
        check_text=QT_TRANSLATE_NOOP(
            "CnnSettings", "ReLU after each convolution and the first Linear"
        ),
    ),
)
# the chapter's CNN (gradlab/core/cnn/model.py): counted here without importing torch
CONV_CHANNELS, HIDDEN, N_OUTPUTS, KERNEL, IMAGE_SIZE = (32, 32, 64), 64, 10, 5, 32


def summary_rows(dataset: str, relu: bool) -> list[tuple[str, str, tuple[int, ...], int]]:
    """(layer, kind, output shape, parameters) of the chapter's CNN for a dataset's input."""
    channels, side = (1 if dataset == "digits" else 3), IMAGE_SIZE
    rows: list[tuple[str, str, tuple[int, ...], int]] = []
    for i, out in enumerate(CONV_CHANNELS, start=1):
        rows.append((f"conv{i}", "Conv2d", (out, side, side), out * (channels * KERNEL**2 + 1)))
        if relu:
            rows.append((f"relu{i}", "ReLU", (out, side, side), 0))
        side //= 2
        rows.append((f"pool{i}", "MaxPool2d", (out, side, side), 0))
        channels = out
    flat = channels * side * side  # computed, not hard-coded: 1024 for 32×32 input
    rows.append(("flatten", "Flatten", (flat,), 0))
    rows.append(("fc1", "Linear", (HIDDEN,), flat * HIDDEN + HIDDEN))
    if relu:
        rows.append(("relu4", "ReLU", (HIDDEN,), 0))
    rows.append(("fc2", "Linear", (N_OUTPUTS,), HIDDEN * N_OUTPUTS + N_OUTPUTS))
    return rows


def build_model_page(settings: CnnSettings) -> QWidget:
    """The model page. Keeps relu_check, summary_table and total_label on ``settings``."""
    table = settings.table
    page, layout, form = settings.new_page(
        QT_TRANSLATE_NOOP(
            "CnnSettings",
            "The chapter's CNN: three blocks of Conv2d(kernel 5, padding 2) + MaxPool2d(2) "
            "with 32, 32 and 64 channels, Flatten, Linear(1024, 64), Linear(64, 10). The "
            "input's channels follow the dataset; the flattened size is computed.",
        )
    )
    relu = table.build(form, MODEL_FIELDS)["relu"]
    assert isinstance(relu, QCheckBox)
    settings.relu_check = relu
    note = QLabel()
    table.show_text(
        note.setText,
        QT_TRANSLATE_NOOP(
            "CnnSettings",
            "The chapter has no activation between its layers. Without one, every "
            "convolution and Linear layer is linear, so the stack can only learn what max "
            "pooling lets through. Train once with and once without ReLU and compare the "
            "validation accuracy.",
        ),
    )
    note.setWordWrap(True)
    note.setStyleSheet(f"color: {colour('muted')};")
    layout.addWidget(note)
    summary = settings.summary_table = QTableWidget(0, 4)
    summary.setObjectName("cnnSummaryTable")
    headers = (
        QT_TRANSLATE_NOOP("CnnSettings", "Layer"),
        QT_TRANSLATE_NOOP("CnnSettings", "Type"),
        QT_TRANSLATE_NOOP("CnnSettings", "Output shape"),
        QT_TRANSLATE_NOOP("CnnSettings", "Parameters"),
    )
    for column, header in enumerate(headers):
        item = QTableWidgetItem()
        summary.setHorizontalHeaderItem(column, item)
        table.show_text(item.setText, header)
    summary.verticalHeader().hide()
    summary.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    layout.addWidget(summary, 1)
    settings.total_label = QLabel()
    settings.total_label.setObjectName("cnnTotalParameters")
    layout.addWidget(settings.total_label)
    return page


def show_summary(table: QTableWidget, total_label: QLabel, dataset: str, relu: bool) -> int:
    """Fill the summary table for a dataset's input; returns the total parameter count."""
    rows = summary_rows(dataset, relu)
    table.setRowCount(len(rows))
    for r, (name, kind, shape, params) in enumerate(rows):
        for c, text in enumerate((name, kind, " × ".join(map(str, shape)), f"{params:,}")):
            item = QTableWidgetItem(text)
            if c == 3:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    total = sum(row[3] for row in rows)
    total_label.setText(
        QCoreApplication.translate("CnnSettings", "Total: {n:,} parameters").format(n=total)
    )
    return total
