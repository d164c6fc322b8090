"""The data stage's settings page: dataset, CIFAR-10 folder (a text field with a Choose… button),
images, validation fraction, batch size and seed, the Load data button, and the samples preview.
The lab administrator may hide the CIFAR-10 folder picker (``cnn/cifar_picker=false``): then the
CIFAR-10 choice is withheld from the dataset list too, since it cannot be used without a folder.

The fields are declared as tables for CnnSettings' FieldTable, which validates them. The texts
are in the CnnSettings translation context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gradlab.ui.cnn.image_grid import ImageGrid
from gradlab.ui.forms import QT_TRANSLATE_NOOP, FieldSpec
from gradlab.ui.palette import colour
from gradlab.ui.settings import Settings

if TYPE_CHECKING:
    from gradlab.ui.cnn.settings import CnnSettings


DATA_FIELDS = (
    FieldSpec(
        "dataset",
        QT_TRANSLATE_NOOP("CnnSettings", "Dataset"),
        QT_TRANSLATE_NOOP("CnnSettings", "Which images the CNN learns"),
        "combo",
        "cnn_datasetCombo",
        items=(
            (QT_TRANSLATE_NOOP("CnnSettings", "Shapes (drawn on this PC)"), "shapes"),
            (QT_TRANSLATE_NOOP("CnnSettings", "Handwritten digits (UCI, shipped)"), "digits"),
            (QT_TRANSLATE_NOOP("CnnSettings", "CIFAR-10 (from a folder)"), "cifar10"),
            (QT_TRANSLATE_NOOP("CnnSettings", "The chapter's demo (one image)"), "demo"),
        ),
    ),
)
SIZE_FIELDS = (
    FieldSpec(
        "n_images",
        QT_TRANSLATE_NOOP("CnnSettings", "Images"),
        QT_TRANSLATE_NOOP(
            "CnnSettings", "How many shapes to draw (a multiple of 10: the same count per class)"
        ),
        "integer",
        "cnn_n_imagesEdit",
        when=("dataset", ("shapes",)),
    ),
    FieldSpec(
        "val_fraction",
        QT_TRANSLATE_NOOP("CnnSettings", "Validation fraction"),
        QT_TRANSLATE_NOOP(
            "CnnSettings", "Share of each class held out to validate on (never trained on)"
        ),
        "number",
        "cnn_val_fractionEdit",
        when=("dataset", ("shapes", "digits")),
    ),
    FieldSpec(
        "batch_size",
        QT_TRANSLATE_NOOP("CnnSettings", "Batch size"),
        QT_TRANSLATE_NOOP(
            "CnnSettings", "Images per training step: the gradient is averaged over a batch"
        ),
        "integer",
        "cnn_batch_sizeEdit",
    ),
    FieldSpec(
        "seed",
        QT_TRANSLATE_NOOP("CnnSettings", "Seed"),
        QT_TRANSLATE_NOOP(
            "CnnSettings", "Same seed, same images, same starting weights, same numbers"
        ),
        "integer",
        "cnn_seedEdit",
    ),
)


def build_data_page(settings: CnnSettings) -> QWidget:
    """The data page, with the samples preview on its right.

    Keeps the widgets others use on ``settings``: dataset_combo, folder_edit, folder_button,
    dataset_note, load_data_button, lock_note, preview and preview_info.
    """
    table = settings.table
    page, layout, form = settings.new_page(
        QT_TRANSLATE_NOOP(
            "CnnSettings",
            "Where the images come from, how many are held out for validation, and how "
            "many go into one batch (one update of the parameters).",
        )
    )
    combo = table.build(form, DATA_FIELDS)["dataset"]
    assert isinstance(combo, QComboBox)
    settings.dataset_combo = combo
    picker = Settings().cifar_picker_shown()
    if not picker:
        _withhold(combo, "cifar10")
    settings.folder_edit = QLineEdit()
    settings.folder_edit.setObjectName("cnn_data_dirEdit")
    settings.folder_button = QPushButton()
    table.show_text(settings.folder_button.setText, QT_TRANSLATE_NOOP("CnnSettings", "Choose…"))
    settings.folder_button.setObjectName("cnnChooseFolderButton")
    settings.folder_button.clicked.connect(settings.choose_folder)
    folder_row = QWidget(page)
    row = QHBoxLayout(folder_row)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(settings.folder_button, 0, Qt.AlignmentFlag.AlignTop)
    table.add_field(
        form,
        QT_TRANSLATE_NOOP("CnnSettings", "CIFAR-10 folder"),
        "data_dir",
        settings.folder_edit,
        QT_TRANSLATE_NOOP(
            "CnnSettings",
            "The unpacked cifar-10-batches-py folder: data_batch_1 … data_batch_5, "
            "test_batch, batches.meta",
        ),
        settings.folder_edit.text,
        settings.folder_edit.setText,
        lambda: picker and combo.currentData() == "cifar10",
        folder_row,
    )
    table.build(form, SIZE_FIELDS)
    settings.dataset_note = QLabel()
    settings.dataset_note.setWordWrap(True)
    settings.dataset_note.setStyleSheet(f"color: {colour('muted')};")
    layout.addWidget(settings.dataset_note)
    settings.load_data_button = QPushButton()
    table.show_text(
        settings.load_data_button.setText,
        QT_TRANSLATE_NOOP("CnnSettings", "Load data and show samples"),
    )
    settings.load_data_button.setObjectName("cnnLoadDataButton")
    settings.load_data_button.clicked.connect(settings.load_data_requested)
    layout.addWidget(settings.load_data_button, 0, Qt.AlignmentFlag.AlignLeft)
    settings.lock_note = QLabel()
    table.show_text(
        settings.lock_note.setText,
        QT_TRANSLATE_NOOP(
            "CnnSettings",
            "These settings belong to the run: press Reset to change them. The learning "
            "rate can change at any time.",
        ),
    )
    settings.lock_note.setWordWrap(True)
    settings.lock_note.setStyleSheet(f"color: {colour('warning_text')};")
    settings.lock_note.hide()
    layout.addWidget(settings.lock_note)
    layout.addStretch(1)
    right = _preview(settings)
    outer = QWidget()
    both = QHBoxLayout(outer)
    both.setContentsMargins(0, 0, 0, 0)
    page.setMaximumWidth(460)
    both.addWidget(page, 2)
    both.addLayout(right, 3)
    return outer


def _withhold(combo: QComboBox, value: str) -> None:
    """Hide a choice and make it unselectable (kept in the list: translations go by index)."""
    index = combo.findData(value)
    view, model = combo.view(), combo.model()
    if isinstance(view, QListView):
        view.setRowHidden(index, True)
    if isinstance(model, QStandardItemModel) and (item := model.item(index)) is not None:
        item.setEnabled(False)


def _preview(settings: CnnSettings) -> QVBoxLayout:
    """The samples preview (filled by ``settings.show_samples``) under its title."""
    settings.preview = ImageGrid("cnnSamplePreview", scale=2, caption_lines=1)
    settings.preview_info = QLabel()
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(settings.preview)
    right = QVBoxLayout()
    title = QLabel()
    settings.table.show_text(
        title.setText, QT_TRANSLATE_NOOP("CnnSettings", "<b>Samples with their labels</b>")
    )
    right.addWidget(title)
    right.addWidget(settings.preview_info)
    right.addWidget(area, 1)
    settings.show_samples(
        None,
        QCoreApplication.translate("CnnSettings", "Press “Load data and show samples” (or Start)."),
    )
    return right


def dataset_note(dataset: str) -> str:
    """What the chosen dataset is and where it comes from (under the data page's fields)."""
    return {
        "shapes": QCoreApplication.translate(
            "CnnSettings",
            "10 classes of shapes (circle, square, triangle, …) with random "
            "colours, sizes, positions and noise, 3×32×32. Nothing to download.",
        ),
        "digits": QCoreApplication.translate(
            "CnnSettings",
            "1,797 handwritten digits 0–9 (UCI optdigits, CC BY 4.0), shipped "
            "with GradLab: 8×8 pictures enlarged to 32×32, one channel.",
        ),
        "cifar10": QCoreApplication.translate(
            "CnnSettings",
            "CIFAR-10, the chapter's dataset: 50,000 training and 10,000 test "
            "photos in 10 classes. Choose the folder your teacher unpacked "
            "from cifar-10-python.tar.gz. Validation uses its test_batch.",
        ),
        "demo": QCoreApplication.translate(
            "CnnSettings",
            "The chapter's own demo: one all-ones 3×32×32 image, target "
            "[1, 2, …, 10], MSE and RMSprop(lr 1e-4), 100 periods. Nothing "
            "to validate: watch the loss fall from about 38.",
        ),
    }[dataset]
