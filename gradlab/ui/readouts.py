"""What the student reads above the plots: the current polynomial, step, loss, distance to the
optimum, speed, elapsed time, a progress bar, and a message banner that is never modal."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gradlab.model.advice import DivergenceAdvice, DivergenceCause, LrWarning
from gradlab.ui.palette import colour
from gradlab.ui.readout_tiles import TileGrid
from gradlab.ui.zoom import SMALL, set_font_ratio, zoom_manager

PROGRESS_RESOLUTION = 1000  # progress bar units: per mille, smooth for long runs


def lr_warning_text(warning: LrWarning | None) -> str | None:
    """The note under the learning rate when it is above the stable limit (None otherwise)."""
    if warning is None:
        return None
    return QCoreApplication.translate(
        "Advice",
        "Above the stable limit {limit} for this data and model: plain gradient descent will "
        "probably diverge. Try {suggestion} or less (you may still try this one).",
    ).format(limit=f"{warning.limit:.4g}", suggestion=f"{warning.suggestion:g}")


def divergence_text(advice: DivergenceAdvice) -> str:
    """The banner text after a divergence."""
    where = (
        QCoreApplication.translate("Advice", "at step {step}").format(step=advice.step)
        if (advice.step is not None)
        else ""
    )
    if advice.cause is DivergenceCause.LR_ABOVE_LIMIT and advice.limit is not None:
        return QCoreApplication.translate(
            "Advice",
            "Training diverged {where}: the loss grew without bound. The learning rate {lr} is "
            "above the stable limit {limit} for this data and model (2 / the largest curvature), "
            "so every step overshoots further. Try {suggestion}. The plots show the history up "
            "to the last finite step.",
        ).format(
            where=where,
            lr=f"{advice.lr:g}",
            limit=f"{advice.limit:.4g}",
            suggestion=f"{advice.suggestion:g}",
        )
    return QCoreApplication.translate(
        "Advice",
        "Training diverged {where}: the loss or a coefficient became infinite. The learning "
        "rate {lr} is too large for this setup; try a smaller one such as {suggestion}. The "
        "plots show the history up to the last finite step.",
    ).format(where=where, lr=f"{advice.lr:g}", suggestion=f"{advice.suggestion:g}")


def format_loss(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.6g}" if math.isfinite(value) else str(value)


def format_small(value: float | None) -> str:
    """Distances to the optimum: 3 significant digits, scientific when tiny."""
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:.3g}"


def format_duration(seconds: float) -> str:
    """``3.25 s``, ``42.0 s``, ``2:05``, ``1:02:03``."""
    if seconds < 60:
        text = f"{seconds:.2f}" if seconds < 10 else f"{seconds:.1f}"
        return QCoreApplication.translate("ReadoutBar", "{seconds} s").format(seconds=text)
    minutes, whole = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{whole:02d}" if hours else f"{minutes}:{whole:02d}"


def step_fraction(step: int, total: int) -> float:
    """How much of the run is done, between 0 and 1 (0 for a run of no steps)."""
    return min(max(step / total, 0.0), 1.0) if total > 0 else 0.0


def refit(label: QLabel) -> None:
    """Size a live number's label afresh for its font (after a zoom), shrinking too."""
    metrics, margin = label.fontMetrics(), 2 * label.margin()
    label.setFixedSize(
        metrics.horizontalAdvance(label.text()) + margin + 2, metrics.height() + margin
    )


def show_text(label: QLabel, text: str) -> None:
    """Set a live number's text without re-laying out the window for it.

    A QLabel whose text changes asks its parent layout to recompute unless its size is fixed:
    measured, that relayout costs the GUI thread ~0.1 ms per label per frame, time the training
    thread waits for. So live labels get a fixed size that only ever grows (no jitter either).
    """
    if label.text() == text:
        return
    label.setText(text)
    metrics, margin = label.fontMetrics(), 2 * label.margin()
    width = metrics.horizontalAdvance(text) + margin + 2
    height = metrics.height() + margin  # follows a font change (e.g. another language's font)
    fixed = label.minimumWidth() == label.maximumWidth()
    if not fixed or width > label.maximumWidth() or height != label.maximumHeight():
        label.setFixedSize(max(width, label.minimumWidth() if fixed else 0), height)


FIT_SLACK = 8  # pixels: a text this close to the box's width is laid out to be sure
LINE_HEIGHTS_KEPT = 64  # one-line heights remembered per font and character set


class WrappedLabelBox(QWidget):
    """Holds a word-wrapped label outside any layout, so that its text, which changes every
    frame (the equation), does not re-lay out the window each time: Qt would otherwise walk up
    to the main window (measured: ~0.15 ms bare, ~0.7 ms with the docks, per change). The box
    fills the width its layout gives it and changes its height only when the line count does."""

    def __init__(self, label: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        label.setParent(self)
        self._sized = False
        self._fitted: tuple[str, int, str, bool] | None = None  # what fit() last fitted
        self._line_heights: dict[tuple[str, frozenset[str]], int] = {}  # see _height_for
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.fit()

    def set_text(self, text: str) -> None:
        if self.label.text() != text:
            self.label.setText(text)
            self.fit()

    def fit(self) -> None:
        """Follow the label's height for the box's width (one relayout when it changes)."""
        width = max(self.width(), 1)
        # the label's own layout request after set_text() fitted it already: nothing changed
        fitted = (self.label.text(), width, self.label.font().key(), self._sized)
        if fitted == self._fitted:
            return
        self._fitted = fitted
        metrics = self.label.fontMetrics()
        height = metrics.height()
        if self._sized:  # before the layout gives it a width, one line (not a narrow column)
            height = max(self._height_for(self.label.text(), width, metrics), height)
        self.label.setGeometry(0, 0, width, height)
        if height != self.minimumHeight() or height != self.maximumHeight():
            self.setFixedHeight(height)

    def _height_for(self, text: str, width: int, metrics: QFontMetrics) -> int:
        """The label's height for ``text`` at ``width``. heightForWidth lays the text out, which
        costs the GUI thread at every frame of a run (the equation): a text on one line is as
        high as the last one-line text of the same characters (the fonts drawing them set the
        height, a fallback font's taller glyphs too), so that height is remembered."""
        if "\n" in text or metrics.horizontalAdvance(text) > width - FIT_SLACK:
            return int(self.label.heightForWidth(width))
        key = (self._fitted[2] if self._fitted else "", frozenset(text))
        height = self._line_heights.get(key)
        if height is None:
            if len(self._line_heights) >= LINE_HEIGHTS_KEPT:
                self._line_heights.clear()
            height = self._line_heights[key] = int(self.label.heightForWidth(width))
        return height

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt names the override
        super().resizeEvent(event)
        self._sized = True
        self.fit()

    def event(self, event: QEvent) -> bool:
        # the label's text or font changed behind set_text's back (e.g. a language switch)
        if event.type() == QEvent.Type.LayoutRequest:
            self.fit()
        return super().event(event)


EQUATION_RATIO = 1.35  # the equation reads larger than the window's text


class ReadoutBar(QWidget):
    """The live numbers of the run. ``stepLabel`` shows plain digits for automation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readoutBar")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 0, 2, 0)
        layout.setSpacing(4)
        self.equation_label = QLabel(self)
        self.equation_label.setObjectName("equationLabel")
        self.equation_label.setWordWrap(True)
        self.equation_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_font_ratio(self.equation_label, EQUATION_RATIO)
        self.equation_label.setToolTip(self.tr("The polynomial as it is right now, in powers of x"))
        self.equation_box = WrappedLabelBox(self.equation_label, self)
        layout.addWidget(self.equation_box)

        tiles = TileGrid(self)
        self.tiles = tiles
        step_box = QWidget(tiles)  # the step and "of 2000" under one caption
        step_row = QHBoxLayout(step_box)
        step_row.setContentsMargins(0, 0, 0, 0)
        step_row.setSpacing(6)
        self.step_label = self._tile(
            tiles, self.tr("Step"), "stepLabel", self.tr("Training steps done so far"), step_box
        )
        step_row.addWidget(self.step_label)
        self.total_label = QLabel(step_box)
        self.total_label.setObjectName("totalLabel")
        self.total_label.setStyleSheet(f"color: {colour('muted')};")
        step_row.addWidget(self.total_label)
        step_row.addStretch(1)
        self.loss_label = self._tile(
            tiles,
            self.tr("Loss"),
            "lossLabel",
            self.tr("The loss at the latest step (before its update, as the chapter prints it)"),
        )
        self.gap_label = self._tile(
            tiles,
            self.tr("Above optimum"),
            "gapLabel",
            self.tr("Loss minus the smallest loss possible for this data and model"),
        )
        self.distance_label = self._tile(
            tiles,
            self.tr("Coefficient distance"),
            "coefDistanceLabel",
            self.tr(
                "How far the coefficients are from the optimal ones (length of the difference)"
            ),
        )
        self.rate_label = self._tile(
            tiles, self.tr("Speed"), "rateLabel", self.tr("Training steps per second")
        )
        self.elapsed_label = self._tile(
            tiles,
            self.tr("Elapsed"),
            "elapsedLabel",
            self.tr("Time spent training (pauses not counted)"),
        )
        layout.addWidget(tiles)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("progressBar")
        self.progress.setRange(0, PROGRESS_RESOLUTION)
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        layout.addWidget(self.progress)
        zoom_manager().changed.connect(self._refit)
        self._shown_step: tuple[int, int] = (0, 0)  # what retranslate_ui formats again
        self._shown_total: int | None = None  # the total "of N" says now
        self._shown_speed: tuple[float | None, float] = (None, 0.0)
        self.clear(0)

    def _tile(
        self, tiles: TileGrid, caption: str, name: str, tooltip: str, box: QWidget | None = None
    ) -> QLabel:
        """A caption above a live number; ``box`` holds the number (and more) when given."""
        title = QLabel(caption, tiles)
        title.setStyleSheet(f"color: {colour('muted')};")
        title.setWordWrap(True)  # "Coefficient distance" in two lines on a 1024 px screen
        set_font_ratio(title, SMALL)
        title.setToolTip(tooltip)
        value = QLabel(box or tiles)
        value.setObjectName(name)
        value.setToolTip(tooltip)
        set_font_ratio(value, 1.0, fixed_pitch=True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        value.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        tiles.add_tile(title, box or value)
        return value

    def _refit(self, _factor: float) -> None:
        for label in (
            self.step_label, self.loss_label, self.gap_label, self.distance_label,
            self.rate_label, self.elapsed_label,
        ):  # fmt: skip
            refit(label)

    def clear(self, total: int) -> None:
        """Back to step 0 (Reset / a new config)."""
        self.show_step(0, total)
        self.show_loss(None, None, None)
        self.show_speed(None, 0.0)

    def show_equation(self, text: str) -> None:
        self.equation_box.set_text(text)

    def show_step(self, step: int, total: int) -> None:
        self._shown_step = (step, total)
        show_text(self.step_label, str(int(step)))
        if total != self._shown_total:  # not worded again every frame
            self._shown_total = total
            self.total_label.setText(self.tr("of {total}").format(total=int(total)))
        fraction = step_fraction(step, total)
        value = round(fraction * PROGRESS_RESOLUTION)
        if value != self.progress.value():
            # QProgressBar.setValue repaints at once, inside this Python call, holding the lock
            # the training thread waits for (~0.13 ms); with updates off for the call, the
            # repaint comes with the window's next one, from Qt's event loop
            self.progress.setUpdatesEnabled(False)
            self.progress.setValue(value)
            self.progress.setUpdatesEnabled(True)  # schedules that repaint
            self._show_progress_tooltip(fraction)

    def _show_progress_tooltip(self, fraction: float) -> None:
        self.progress.setToolTip(
            self.tr("{percent:.1f}% of the steps done").format(percent=100 * fraction)
        )

    def show_loss(self, loss: float | None, gap: float | None, distance: float | None) -> None:
        show_text(self.loss_label, format_loss(loss))
        show_text(self.gap_label, format_small(gap))
        show_text(self.distance_label, format_small(distance))

    def show_speed(self, steps_per_second: float | None, elapsed: float) -> None:
        show_text(
            self.rate_label,
            "–"
            if steps_per_second is None
            # digits only, as the step count beside it: in the tiles' fixed-pitch font a
            # thousands comma drew as a dot (20,212 steps/s read as 20.212)
            else self.tr("{rate} steps/s").format(rate=f"{steps_per_second:.0f}"),
        )
        self._shown_speed = (steps_per_second, elapsed)
        show_text(self.elapsed_label, format_duration(elapsed))

    def retranslate_ui(self) -> None:
        """Format the numbers last shown again in the current language (a language switch)."""
        step, total = self._shown_step
        self._shown_total = None  # "of N" in the new language
        self.show_step(step, total)
        self._show_progress_tooltip(step_fraction(step, total))
        self.show_speed(*self._shown_speed)


class Banner(QFrame):
    """A coloured message strip above the plots: never modal, so it blocks neither students
    nor tests. An optional button offers the obvious fix (e.g. "Use lr = 3e-6")."""

    closed = Signal()
    STYLES = {  # noqa: RUF012 - a constant table of palette roles
        "info": ("info_background", "info_text"),
        "warning": ("warning_background", "warning_text"),
        "error": ("error_background", "error_text"),
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.level = "info"
        self._texts: tuple[str | Callable[[], str], str | Callable[[], str] | None] = ("", None)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel(self)
        self.label.setObjectName("bannerLabel")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.label, 1)
        self.action_button = QPushButton(self)
        self.action_button.setObjectName("bannerActionButton")
        self.action_button.hide()
        layout.addWidget(self.action_button)
        close = QToolButton(self)
        close.setObjectName("bannerCloseButton")
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip(self.tr("Hide this message"))
        close.clicked.connect(self.dismiss)
        layout.addWidget(close)
        self._action: Callable[[], None] | None = None
        self.action_button.clicked.connect(self._on_action_clicked)
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text()

    def show_message(
        self,
        text: str | Callable[[], str],
        level: str = "info",
        action_text: str | Callable[[], str] | None = None,
        action: Callable[[], None] | None = None,
    ) -> None:
        """Show ``text``; ``level`` is info, warning or error. Give the texts as functions that
        make them and a language switch re-makes them (``retranslate_ui``)."""
        self._texts = (text, action_text)
        self.level = level
        background, foreground = (colour(role) for role in self.STYLES[level])
        self.setStyleSheet(
            f"#banner {{ background: {background}; border: 1px solid {foreground}; "
            f"border-radius: 4px; }} #bannerLabel {{ color: {foreground}; }}"
        )
        self._action = action
        self._write_texts()
        self.action_button.setVisible(bool(action_text and action))
        self.show()

    def _write_texts(self) -> None:
        text, action_text = self._texts
        self.label.setText(text() if callable(text) else text)
        self.action_button.setText((action_text() if callable(action_text) else action_text) or "")
        self.action_button.setAccessibleName(self.action_button.text())  # screen readers
        self.action_button.setAccessibleDescription(self.label.text())

    def retranslate_ui(self) -> None:
        """The message shown, in the new language (if it was given as a function)."""
        if self.isVisible():
            self._write_texts()

    def dismiss(self) -> None:
        self.hide()
        self._action = None
        self.closed.emit()

    def _on_action_clicked(self) -> None:
        action = self._action
        self.dismiss()
        if action is not None:
            action()
