"""The results stage: confusion matrix (click a cell to see its images), validation images with
predicted and true labels, per-class accuracy, the first layer's filters and feature maps.

The worker thread makes the NumPy-only snapshots (jobs.collect_results and friends); this page
only draws them.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
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

from gradlab.model.cnn_results import FeatureMaps, ResultsSnapshot, class_names_in
from gradlab.ui.cnn.confusion_matrix import ConfusionMatrixView
from gradlab.ui.cnn.image_grid import ImageGrid
from gradlab.ui.cnn.plots import ClassAccuracyPlot
from gradlab.ui.i18n import current_language
from gradlab.ui.palette import colour

MAX_CELLS = 96  # images shown at once in the validation grid


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
        names = self.class_names() if n else ()  # nothing to count without validation images
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

    def class_names(self) -> tuple[str, ...]:
        """The snapshot's class names in the interface language."""
        if self.snapshot is None:
            return ()
        r = self.snapshot.results
        return class_names_in(current_language(), r.class_names, r.class_names_zh)

    def select_confusion_cell(self, true_class: int, predicted: int) -> np.ndarray:
        """Show the validation images of one confusion-matrix cell; returns their indices."""
        if self.snapshot is None:
            return np.zeros(0, dtype=np.int64)
        r = self.snapshot.results
        self.selected_cell = (true_class, predicted)
        self.confusion.select(true_class, predicted)
        indices = r.cell_indices(true_class, predicted)
        names = self.class_names()
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
        names = self.class_names()
        captions = []
        for i in shown:
            pred, true = names[r.predictions[i]], names[r.true_labels[i]]
            right = r.predictions[i] == r.true_labels[i]
            captions.append(
                [
                    (pred, colour("good" if right else "bad")),
                    ("" if right else f"({true})", colour("bad")),
                ]
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
                caption = self.class_names()[r.true_labels[maps.index]]
            else:
                caption = self.tr("the input")
            self.chosen_picture.set_images(
                self.pictures[maps.index : maps.index + 1], [[(caption, colour("text"))]]
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
