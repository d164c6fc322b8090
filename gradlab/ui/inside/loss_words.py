"""Words and small pieces shared by the loss explorer's pages: the vector errors in the
student's language, number formatting and a plain plot."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from gradlab.core.messages import Message
from gradlab.ui.palette import colour, curve_colour
from gradlab.ui.plots.base import with_alpha
from gradlab.ui.plots.title import fit_title
from gradlab.ui.zoom import body_pt, pt, track_plot

_LOSS_CURVES = {"l1": 0, "squared": 1, "huber": 2}  # Okabe-Ito order in the palette


def error_style() -> str:
    """A style sheet for an input error, in the current theme's error colour."""
    return f"color: {colour('error')};"


def loss_colour(kind: str) -> str:
    return curve_colour(_LOSS_CURVES[kind])


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
    plot = pg.PlotWidget(parent=parent, background=colour("plot_background"))
    plot.setObjectName(object_name)
    plot.setMinimumSize(220, 150)
    item = plot.getPlotItem()
    fit_title(item)
    item.setMenuEnabled(False)
    item.showGrid(x=True, y=True, alpha=0.15)
    for side in ("bottom", "left"):
        item.getAxis(side).setTextPen(colour("plot_axis"))
        item.getAxis(side).setPen(colour("plot_axis"))
        item.getAxis(side).setTickFont(plot.font())  # sized by the zoom, like every plot
        item.getAxis(side).enableAutoSIPrefix(False)
    legend = item.addLegend(
        labelTextSize=pt(8),
        labelTextColor=colour("plot_text"),
        brush=pg.mkBrush(with_alpha(colour("legend_background"), 200)),
        pen=pg.mkPen(colour("border")),
        colCount=3,
    )
    # top centre, in one row: the curves of a loss are low around the target in the middle
    legend.anchor(itemPos=(0.5, 0), parentPos=(0.5, 0), offset=(0, 4))
    track_plot(plot)
    return plot


def set_plot_texts(plot: pg.PlotWidget, title: str, x_label: str, y_label: str) -> None:
    item = plot.getPlotItem()
    item.setTitle(title, size=pt(9), color=colour("plot_text"))
    axis = colour("plot_axis")
    item.setLabel("bottom", x_label, color=axis, **{"font-size": body_pt()})
    item.setLabel("left", y_label, color=axis, **{"font-size": body_pt()})
