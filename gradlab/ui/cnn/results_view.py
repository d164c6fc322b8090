"""The results stage: confusion matrix (click a cell to see its images), validation images with
predicted and true labels, per-class accuracy, the first layer's filters and feature maps.

The ``collect_*`` functions run in the worker thread (they use torch) and return NumPy-only
snapshots; the widgets below only draw them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gradlab.core.cnn.results import CnnResults
from gradlab.ui.cnn.plots import ClassAccuracyPlot, ImageGrid

MAX_CELLS = 96  # images shown at once in the validation grid
RIGHT, WRONG, MUTED = "#2e7d32", "#c62828", "#666666"


# ---- what crosses from the worker thread (NumPy only) ----


@dataclass(frozen=True)
class FeatureMaps:
    index: int  # which picture (validation image, or the demo's input)
    layers: tuple[tuple[str, np.ndarray], ...]  # ("conv1", (channels, h, w) uint8 0..255)


@dataclass(frozen=True)
class ResultsSnapshot:
    results: CnnResults
    pictures: np.ndarray | None  # (n, h, w, 3) uint8 validation images; None: sent before
    filters: np.ndarray  # (32, 5, 5, 3) uint8: the first convolution's kernels
    maps: FeatureMaps
    step_count: int


@dataclass(frozen=True)
class SamplePictures:
    pictures: np.ndarray  # (n, h, w, 3) uint8
    labels: tuple[str, ...]
    n_train: int
    n_val: int


def display_pictures(images: object) -> np.ndarray:
    """(n, c, h, w) uint8 or float 0..1 tensor -> (n, h, w, 3) uint8 (worker thread)."""
    from gradlab.core.cnn.datasets import images_as_float

    x = images_as_float(images).clamp(0, 1).mul(255).round().byte().numpy()
    x = x.transpose(0, 2, 3, 1)
    return np.ascontiguousarray(np.repeat(x, 3, axis=-1) if x.shape[-1] == 1 else x)


def _picker_images(session: object) -> object:
    data = session.data
    return data.val_images if data.n_val else data.train_images


def collect_samples(session: object, count: int = 40) -> SamplePictures:
    """The first training images with their labels (the data page's preview)."""
    data = session.data
    n = min(count, data.n_train)
    if data.is_classification:
        labels = tuple(data.class_names[int(i)] for i in data.train_targets[:n])
    else:
        labels = ("[1..10]",) * n
    return SamplePictures(display_pictures(data.train_images[:n]), labels, data.n_train, data.n_val)


def collect_feature_maps(session: object, index: int) -> FeatureMaps:
    """Feature maps of picture ``index`` after each convolution, each stretched to 0..255."""
    from gradlab.core.cnn.datasets import images_as_float
    from gradlab.core.cnn.model import feature_maps

    images = _picker_images(session)
    index = int(min(max(index, 0), len(images) - 1))
    layers = []
    for name, maps in feature_maps(session.model, images_as_float(images[index : index + 1])[0]):
        low = maps.min(axis=(1, 2), keepdims=True)
        span = maps.max(axis=(1, 2), keepdims=True) - low
        scaled = (maps - low) / np.where(span > 0, span, 1.0) * 255
        layers.append((name, scaled.round().astype(np.uint8)))
    return FeatureMaps(index, tuple(layers))


def collect_results(session: object, image_index: int, with_pictures: bool) -> ResultsSnapshot:
    """Everything the results page shows (worker thread; may predict the validation set)."""
    from gradlab.core.cnn.model import first_layer_filters

    results = session.results()
    filters = (first_layer_filters(session.model) * 255).round().astype(np.uint8)
    if filters.shape[-1] == 1:
        filters = np.repeat(filters, 3, axis=-1)
    pictures = display_pictures(_picker_images(session)) if with_pictures else None
    maps = collect_feature_maps(session, image_index)
    return ResultsSnapshot(results, pictures, filters, maps, session.step_count)


# ---- widgets ----


class ConfusionMatrixView(QWidget):
    """Rows: true class; columns: predicted class. Right answers green, mistakes red, each
    cell's colour by its share of the row; click a cell to see its images."""

    cell_clicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cnnConfusion")
        self.matrix = np.zeros((0, 0), dtype=np.int64)
        self.names: tuple[str, ...] = ()
        self.selected: tuple[int, int] | None = None
        self.setMinimumSize(300, 300)
        self.setMouseTracking(True)

    def set_matrix(self, matrix: np.ndarray, names: tuple[str, ...]) -> None:
        self.matrix, self.names = np.asarray(matrix, dtype=np.int64), tuple(names)
        self.selected = None
        self.update()

    def select(self, true_class: int | None, predicted: int | None = None) -> None:
        self.selected = None if true_class is None else (true_class, predicted)
        self.update()

    def _small_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(6.5, font.pointSizeF() * 0.8))
        return font

    def _layout(self) -> tuple[int, int, float]:
        """(left, top, cell size) of the grid inside the widget: room for the longest name."""
        k = max(len(self.names), 1)
        metrics = QFontMetrics(self._small_font())
        widest = max((metrics.horizontalAdvance(n) for n in self.names), default=40)
        left, top, bottom = widest + 24, 22, round(widest * 0.72) + 14
        cell = max(8.0, min((self.width() - left - 6) / k, (self.height() - top - bottom) / k))
        return left, top, cell

    def cell_rect(self, true_class: int, predicted: int) -> QRect:
        left, top, cell = self._layout()
        x, y = left + predicted * cell, top + true_class * cell
        return QRect(round(x), round(y), round(cell), round(cell))

    def cell_at(self, point: QPoint) -> tuple[int, int] | None:
        left, top, cell = self._layout()
        col, row = math.floor((point.x() - left) / cell), math.floor((point.y() - top) / cell)
        k = len(self.names)
        return (row, col) if 0 <= row < k and 0 <= col < k else None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hit = self.cell_at(event.position().toPoint())
        if hit is not None and event.button() == Qt.MouseButton.LeftButton:
            self.select(*hit)
            self.cell_clicked.emit(*hit)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self.cell_at(event.position().toPoint())
        if hit is None:
            self.setToolTip("")
        else:
            t, p = hit
            self.setToolTip(
                self.tr("true {true}, predicted {pred}: {n} images").format(
                    true=self.names[t], pred=self.names[p], n=int(self.matrix[t, p])
                )
            )
        super().mouseMoveEvent(event)

    def paintEvent(self, _event) -> None:
        k = len(self.names)
        if not k:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        left, top, cell = self._layout()
        painter.setFont(self._small_font())
        rows = np.maximum(self.matrix.sum(axis=1), 1)
        painter.setPen(QColor("#222"))
        painter.drawText(
            QRect(left, 2, round(cell * k), 16), Qt.AlignmentFlag.AlignCenter, self.tr("predicted")
        )
        for t in range(k):
            for p in range(k):
                rect = self.cell_rect(t, p)
                share = self.matrix[t, p] / rows[t]
                base = (46, 125, 50) if t == p else (198, 40, 40)
                # square root: a few mistakes must show, not fade into white
                strength = min(1.0, share * 1.6 if t == p else math.sqrt(share) * 1.5)
                colour = QColor(*(round(255 - (255 - c) * strength) for c in base))
                share = strength / 1.6
                painter.fillRect(rect, colour)
                painter.setPen(QColor("#ffffff" if share > 0.45 else "#222222"))
                if self.matrix[t, p]:
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(self.matrix[t, p]))
        painter.setPen(QColor("#bbbbbb"))
        for i in range(k + 1):
            painter.drawLine(
                left, round(top + i * cell), round(left + k * cell), round(top + i * cell)
            )
            painter.drawLine(
                round(left + i * cell), top, round(left + i * cell), round(top + k * cell)
            )
        painter.setPen(QColor("#222"))
        for i, name in enumerate(self.names):
            painter.drawText(
                QRect(0, round(top + i * cell), left - 4, round(cell)),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
            painter.save()
            painter.translate(left + (i + 0.5) * cell, top + k * cell + 4)
            painter.rotate(-45)
            painter.drawText(QRect(-200, -8, 200, 16), Qt.AlignmentFlag.AlignRight, name)
            painter.restore()
        painter.save()
        painter.translate(10, top + k * cell / 2)
        painter.rotate(-90)
        painter.drawText(QRect(-40, -8, 80, 16), Qt.AlignmentFlag.AlignCenter, self.tr("true"))
        painter.restore()
        if self.selected is not None:
            painter.setPen(QColor("#1f5fbf"))
            pen = painter.pen()
            pen.setWidth(3)
            painter.setPen(pen)
            painter.drawRect(self.cell_rect(*self.selected).adjusted(1, 1, -1, -1))


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    return area


class ResultsView(QWidget):
    """The results page. ``image_chosen(index)`` asks the lab for that image's feature maps."""

    image_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cnnResultsView")
        self.snapshot: ResultsSnapshot | None = None
        self.pictures: np.ndarray | None = None
        self.shown_indices = np.zeros(0, dtype=np.int64)  # validation indices in the grid
        self.selected_cell: tuple[int, int] | None = None
        self.headline = QLabel(self.tr("Results appear when training is paused or finished."))
        self.headline.setObjectName("cnnResultsHeadline")
        self.headline.setWordWrap(True)
        self.confusion = ConfusionMatrixView()
        self.class_accuracy = ClassAccuracyPlot()
        self.grid_title = QLabel()
        self.grid_title.setWordWrap(True)
        self.show_all_button = QPushButton(self.tr("All images"))
        self.show_all_button.setObjectName("cnnShowAllButton")
        self.mistakes_button = QPushButton(self.tr("Mistakes only"))
        self.mistakes_button.setObjectName("cnnMistakesButton")
        self.grid = ImageGrid("cnnValidationGrid", scale=2, caption_lines=2)
        self.filters = ImageGrid("cnnFilterGrid", scale=6, caption_lines=0)
        self.image_spin = QSpinBox()
        self.image_spin.setObjectName("cnnImageIndexSpin")
        self.image_spin.setKeyboardTracking(False)
        self.layer_combo = QComboBox()
        self.layer_combo.setObjectName("cnnLayerCombo")
        self.maps_title = QLabel()
        self.chosen_picture = ImageGrid("cnnChosenImage", scale=3, caption_lines=1)
        self.maps = ImageGrid("cnnFeatureMaps", scale=2, caption_lines=0)
        self._feature_maps: FeatureMaps | None = None
        self._lut = pg.colormap.get("viridis").getLookupTable(nPts=256).astype(np.uint8)
        self._build()
        self.clear()

    def _build(self) -> None:
        left = QVBoxLayout()
        left.addWidget(self.confusion, 3)
        left.addWidget(self.class_accuracy, 2)
        middle = QVBoxLayout()
        buttons = QHBoxLayout()
        buttons.addWidget(self.grid_title, 1)
        buttons.addWidget(self.show_all_button)
        buttons.addWidget(self.mistakes_button)
        middle.addLayout(buttons)
        middle.addWidget(_scrolled(self.grid), 1)
        filters_box = QGroupBox(self.tr("First layer's filters (conv1: 32 kernels of 5×5)"))
        QVBoxLayout(filters_box).addWidget(self.filters)
        maps_box = QGroupBox(self.tr("Feature maps of one image"))
        maps_layout = QVBoxLayout(maps_box)
        pick = QHBoxLayout()
        pick.addWidget(QLabel(self.tr("Image")))
        pick.addWidget(self.image_spin)
        pick.addWidget(QLabel(self.tr("Layer")))
        pick.addWidget(self.layer_combo)
        pick.addStretch(1)
        maps_layout.addLayout(pick)
        row = QHBoxLayout()
        self.chosen_picture.setFixedWidth(110)
        row.addWidget(self.chosen_picture, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.maps_title, 1)
        maps_layout.addLayout(row)
        maps_layout.addWidget(_scrolled(self.maps), 1)
        right = QVBoxLayout()
        right.addWidget(filters_box)
        right.addWidget(maps_box, 1)
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.addWidget(self.headline, 0, 0, 1, 3)
        grid.addLayout(left, 1, 0)
        grid.addLayout(middle, 1, 1)
        grid.addLayout(right, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 4)
        grid.setColumnStretch(2, 4)
        grid.setRowStretch(1, 1)
        self.confusion.cell_clicked.connect(self.select_confusion_cell)
        self.show_all_button.clicked.connect(lambda: self.show_images("all"))
        self.mistakes_button.clicked.connect(lambda: self.show_images("mistakes"))
        self.grid.clicked.connect(lambda i: self.choose_image(int(self.shown_indices[i])))
        self.image_spin.valueChanged.connect(self.choose_image)
        self.layer_combo.currentIndexChanged.connect(lambda _i: self._draw_maps())

    # ---- filling ----

    def retranslate_ui(self) -> None:
        """Re-set the texts made from numbers (the static ones follow the translator)."""
        if self.snapshot is not None:
            self.set_snapshot(self.snapshot)

    def clear(self, message: str | None = None) -> None:
        self.snapshot, self.pictures, self._feature_maps = None, None, None
        self.headline.setText(
            message or self.tr("Results appear when training is paused or finished.")
        )
        self.confusion.set_matrix(np.zeros((0, 0)), ())
        self.class_accuracy.set_accuracy((), np.zeros(0))
        self.grid.show_message(self.tr("No results yet."))
        self.filters.show_message("")
        self.maps.show_message("")
        self.chosen_picture.show_message("")
        self.shown_indices = np.zeros(0, dtype=np.int64)

    def set_snapshot(self, snapshot: ResultsSnapshot) -> None:
        """Show a ResultsSnapshot (its pictures, or the ones received before)."""
        self.snapshot = snapshot
        if snapshot.pictures is not None:
            self.pictures = snapshot.pictures
        r = snapshot.results
        n = len(r.true_labels)
        if n:
            self.headline.setText(
                self.tr(
                    "Validation accuracy {acc:.1%} on {n} images after {epochs} epoch(s) "
                    "({steps} batches). Click a cell of the confusion matrix to see its images; "
                    "click an image to see its feature maps."
                ).format(acc=r.accuracy, n=n, epochs=r.epoch, steps=snapshot.step_count)
            )
        else:
            self.headline.setText(
                self.tr(
                    "No validation images (the chapter's demo fits one image): its result is "
                    "the falling loss. The filters and feature maps are below."
                )
            )
        names = r.class_names if n else ()  # nothing to count without validation images
        self.confusion.set_matrix(r.confusion if n else np.zeros((0, 0)), names)
        self.class_accuracy.set_accuracy(names, r.per_class_accuracy[: len(names)])
        self.filters.set_images(snapshot.filters)
        count = len(self.pictures) if self.pictures is not None else 0
        self.image_spin.blockSignals(True)
        self.image_spin.setRange(0, max(count - 1, 0))
        self.image_spin.setValue(snapshot.maps.index)
        self.image_spin.blockSignals(False)
        if self.selected_cell is not None and n:
            self.select_confusion_cell(*self.selected_cell)
        else:
            self.show_images("all")
        self.show_feature_maps(snapshot.maps)

    def select_confusion_cell(self, true_class: int, predicted: int) -> np.ndarray:
        """Show the validation images of one confusion-matrix cell; returns their indices."""
        if self.snapshot is None:
            return np.zeros(0, dtype=np.int64)
        r = self.snapshot.results
        self.selected_cell = (true_class, predicted)
        self.confusion.select(true_class, predicted)
        indices = r.cell_indices(true_class, predicted)
        names = r.class_names
        self.grid_title.setText(
            self.tr("True {true}, predicted {pred}: {n} image(s)").format(
                true=names[true_class], pred=names[predicted], n=len(indices)
            )
            + (
                self.tr(" (showing the first {m})").format(m=MAX_CELLS)
                if len(indices) > MAX_CELLS
                else ""
            )
        )
        self._fill_grid(indices)
        return indices

    def show_images(self, which: str) -> None:
        """The validation grid: "all" images (the first MAX_CELLS) or only the "mistakes"."""
        if self.snapshot is None:
            return
        r = self.snapshot.results
        self.selected_cell = None
        self.confusion.select(None)
        indices = (
            np.flatnonzero(r.mistakes) if which == "mistakes" else np.arange(len(r.true_labels))
        )
        text = (
            self.tr("Mistakes: {n} image(s); each shows the prediction and, in red, the truth")
            if which == "mistakes"
            else self.tr("Validation images: prediction under each, mistakes framed red ({n})")
        )
        self.grid_title.setText(text.format(n=len(indices)))
        self._fill_grid(indices)

    def _fill_grid(self, indices: np.ndarray) -> None:
        self.shown_indices = np.asarray(indices, dtype=np.int64)
        if self.pictures is None or self.snapshot is None or not len(indices):
            self.grid.show_message(self.tr("No images here."))
            return
        r = self.snapshot.results
        shown = self.shown_indices[:MAX_CELLS]
        captions = []
        for i in shown:
            pred, true = r.class_names[r.predictions[i]], r.class_names[r.true_labels[i]]
            right = r.predictions[i] == r.true_labels[i]
            captions.append(
                [(pred, RIGHT if right else WRONG), ("" if right else f"({true})", WRONG)]
            )
        self.grid.set_images(self.pictures[shown], captions, r.mistakes[shown])

    def choose_image(self, index: int) -> None:
        """Ask for the feature maps of validation image ``index``."""
        if self.image_spin.value() != index:
            self.image_spin.blockSignals(True)
            self.image_spin.setValue(index)
            self.image_spin.blockSignals(False)
        hits = np.flatnonzero(self.shown_indices[:MAX_CELLS] == index)
        self.grid.choose(int(hits[0]) if hits.size else None)
        self.image_chosen.emit(int(index))

    def show_feature_maps(self, maps: FeatureMaps) -> None:
        self._feature_maps = maps
        names = [name for name, _ in maps.layers]
        if [self.layer_combo.itemText(i) for i in range(self.layer_combo.count())] != names:
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            self.layer_combo.addItems(names)
            self.layer_combo.blockSignals(False)
        if self.pictures is not None and 0 <= maps.index < len(self.pictures):
            if self.snapshot is not None and len(self.snapshot.results.true_labels):
                r = self.snapshot.results
                caption = r.class_names[r.true_labels[maps.index]]
            else:
                caption = self.tr("the input")
            self.chosen_picture.set_images(
                self.pictures[maps.index : maps.index + 1], [[(caption, "#222")]]
            )
        self._draw_maps()

    def _draw_maps(self) -> None:
        maps = self._feature_maps
        if maps is None or not maps.layers:
            return
        layer = max(self.layer_combo.currentIndex(), 0)
        name, values = maps.layers[layer]
        channels, size = values.shape[0], values.shape[1]
        self.maps_title.setText(
            self.tr(
                "Image {i} after {layer}: {c} feature maps of {s}×{s}. Bright: the filter "
                "found its pattern there."
            ).format(i=maps.index, layer=name, c=channels, s=size)
        )
        self.maps_title.setWordWrap(True)
        self.maps.set_images(self._lut[values], scale=max(1, 64 // size))
