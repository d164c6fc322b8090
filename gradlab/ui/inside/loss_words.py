"""Words and small pieces shared by the loss explorer's pages: the vector errors in the
student's language, number formatting, a plain plot and the torch job pool."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal
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


def number(value: float) -> str:
    """Six significant digits, never "-0"."""
    text = f"{value:.6g}"
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
    item.addLegend(
        offset=(-6, 6),
        labelTextSize="8pt",
        labelTextColor="#222",
        brush=pg.mkBrush(255, 255, 255, 200),
        pen=pg.mkPen("#bbb"),
    )
    return plot


def set_plot_texts(plot: pg.PlotWidget, title: str, x_label: str, y_label: str) -> None:
    item = plot.getPlotItem()
    item.setTitle(title, size="9pt", color="#222")
    item.setLabel("bottom", x_label, color="#333")
    item.setLabel("left", y_label, color="#333")


class _Signals(QObject):
    done = Signal(int, object)  # (ticket, result or the exception)


class _Job(QRunnable):
    def __init__(self, ticket: int, work: Callable[[], object], signals: _Signals) -> None:
        super().__init__()
        self.ticket, self.work, self.signals = ticket, work, signals

    def run(self) -> None:
        try:
            result: object = self.work()
        except Exception as error:  # shown as a note, never a traceback
            result = error
        try:
            self.signals.done.emit(self.ticket, result)
        except RuntimeError:  # the window is gone
            pass


class TorchJobs(QObject):
    """torch work off the GUI thread (its first use imports torch: a second or more).

    ``submit(work, callback)`` runs ``work()`` on one pool thread and calls ``callback(result)``
    in the GUI thread; a result is an exception when ``work`` raised.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._on_done)
        self._callbacks: dict[int, Callable[[object], None]] = {}
        self._next = 0

    def submit(self, work: Callable[[], object], callback: Callable[[object], None]) -> None:
        self._next += 1
        self._callbacks[self._next] = callback
        self._pool.start(_Job(self._next, work, self._signals))

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def _on_done(self, ticket: int, result: object) -> None:
        callback = self._callbacks.pop(ticket, None)
        if callback is not None:
            callback(result)

    def shutdown(self) -> None:
        self._callbacks.clear()
        self._pool.clear()
        self._pool.waitForDone(30_000)
