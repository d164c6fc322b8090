"""Words and small pieces shared by the loss explorer's pages: the vector errors in the
student's language, number formatting and a plain plot."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from gradlab.core.messages import Message

ERROR_STYLE = "color: #b00020;"
LOSS_COLOURS = {"l1": "#1f77b4", "squared": "#d62728", "huber": "#2ca02c"}


def _tr(text: str) -> str:
    # lupdate reads module-level _tr() like tr() outside a class: the empty context
    return QCoreApplication.translate("", text)


def vector_error(message: Message) -> str:
    """One line in the student's language for a ``VectorError``'s message."""
    v = dict(message.values)
    texts = {
        "vector.empty": lambda: _tr("Type at least one number, e.g. 1, 2, 3."),
        "vector.too_many": lambda: _tr(
            "At most {most} numbers, please (there are {count})."
        ).format(**v),
        "vector.not_a_number": lambda: _tr(
            "Entry {position}, “{entry}”, is not a number: type numbers separated by commas, "
            "e.g. 1, 2, 3."
        ).format(**v),
        "vector.too_large": lambda: _tr(
            "Entry {position}, “{entry}”, is too large or not a number: use numbers between "
            "-1e6 and 1e6."
        ).format(**v),
        "vector.lengths": lambda: _tr(
            "Predictions and targets need the same number of entries (now {predictions} and "
            "{targets})."
        ).format(**v),
        "vector.classes": lambda: _tr(
            "Every sample needs one logit per class, the same number of classes each (at least 2)."
        ),
        "vector.label": lambda: _tr("Class {label} does not exist: there are {classes}.").format(
            **v
        ),
        "vector.samples": lambda: _tr("The data set needs at least one sample."),
        "vector.delta": lambda: _tr("Huber's δ must be greater than 0."),
    }
    make = texts.get(message.id)
    return make() if make is not None else message.id


def in_field(field: str, error: str) -> str:
    """ "Predictions: entry 2, “x”, is not a number: ..." """
    return _tr("{field}: {error}").format(field=field, error=error)


def number(value: float, digits: int = 6) -> str:
    """``digits`` significant digits, never "-0"."""
    text = f"{value:.{digits}g}"
    return "0" if text == "-0" else text


def vector_text(values: Any) -> str:
    return "[" + ", ".join(number(float(v)) for v in values) + "]"


def plain_plot(object_name: str, parent: QWidget | None = None) -> pg.PlotWidget:
    """A white plot with grey axes and a legend, for curves that are drawn once per edit."""
    plot = pg.PlotWidget(parent=parent, background="w")
    plot.setObjectName(object_name)
    plot.setMinimumSize(220, 150)
    item = plot.getPlotItem()
    item.setMenuEnabled(False)
    item.showGrid(x=True, y=True, alpha=0.15)
    for side in ("bottom", "left"):
        item.getAxis(side).setTextPen("#333")
        item.getAxis(side).enableAutoSIPrefix(False)
    legend = item.addLegend(
        labelTextSize="8pt",
        labelTextColor="#222",
        brush=pg.mkBrush(255, 255, 255, 200),
        pen=pg.mkPen("#bbb"),
        colCount=3,
    )
    # top centre, in one row: the curves of a loss are low around the target in the middle
    legend.anchor(itemPos=(0.5, 0), parentPos=(0.5, 0), offset=(0, 4))
    return plot


def set_plot_texts(plot: pg.PlotWidget, title: str, x_label: str, y_label: str) -> None:
    item = plot.getPlotItem()
    item.setTitle(title, size="9pt", color="#222")
    item.setLabel("bottom", x_label, color="#333")
    item.setLabel("left", y_label, color="#333")
