"""The lab's four datasets as in-memory tensors, loaded in small steps, plus image previews.

shapes: 10 procedurally drawn shape classes (3×32×32); digits: the shipped UCI optdigits
(1×8×8, upsampled to 1×32×32); cifar10: a local folder of the python-version batches (read
without unpickling); demo: the chapter's one all-ones image with the target [1..10].
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from gradlab.core.cnn import cifar
from gradlab.core.cnn.config import CnnConfig
from gradlab.core.cnn.digits import DIGIT_CLASSES, read_digits_csv
from gradlab.core.cnn.errors import DatasetError
from gradlab.core.cnn.shapes import (
    SHAPE_CLASSES,
    SHAPE_NAMES_ZH,
    generate_shapes_chunk,
    shape_chunk_sizes,
)
from gradlab.core.cnn.split import stratified_split
from gradlab.resources import resource_path

IMAGE_SIZE = 32  # every dataset is brought to the chapter's 32×32 input
DIGITS_FILE = ("data", "digits.csv.gz")
DEMO_TARGET = tuple(float(v) for v in range(1, 11))


@dataclass(frozen=True)
class CnnData:
    """Train and validation tensors in memory (no DataLoader workers: fast and deterministic).

    Images are uint8 0..255 (shapes, CIFAR-10) or float32 0..1 (digits, demo); use
    images_as_float() on a batch. Targets are int64 class indices, or float32 (n, 10) rows
    for the demo.
    """

    name: str
    train_images: torch.Tensor
    train_targets: torch.Tensor
    val_images: torch.Tensor
    val_targets: torch.Tensor
    class_names: tuple[str, ...]
    class_names_zh: tuple[str, ...]

    @property
    def in_channels(self) -> int:
        return int(self.train_images.shape[1])

    @property
    def image_size(self) -> int:
        return int(self.train_images.shape[-1])

    @property
    def n_train(self) -> int:
        return int(self.train_images.shape[0])

    @property
    def n_val(self) -> int:
        return int(self.val_images.shape[0])

    @property
    def is_classification(self) -> bool:
        return self.train_targets.dtype == torch.int64


def images_as_float(images: torch.Tensor) -> torch.Tensor:
    """A batch as float32 0..1 (uint8 images are kept as bytes until they are used)."""
    if images.dtype == torch.uint8:
        return images.to(torch.float32).div_(255.0)
    return images


def resize_images(images: np.ndarray, size: int) -> torch.Tensor:
    """(n, h, w) or (n, c, h, w) float images bilinearly resized to size × size."""
    x = torch.from_numpy(np.ascontiguousarray(images, dtype=np.float32))
    if x.dim() == 3:
        x = x[:, None]
    return F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)


def input_shape(config: CnnConfig) -> tuple[int, int, int]:
    """(channels, height, width) the model sees for this dataset, known before loading."""
    return (1 if config.dataset == "digits" else 3, IMAGE_SIZE, IMAGE_SIZE)


def class_names(config: CnnConfig) -> tuple[str, ...]:
    """The 10 class names in English (CIFAR-10's standard names before its folder is read)."""
    if config.dataset == "shapes":
        return SHAPE_CLASSES
    if config.dataset == "cifar10":
        return tuple(cifar.CIFAR_NAMES_ZH)
    return DIGIT_CLASSES if config.dataset == "digits" else tuple(f"y{i}" for i in range(1, 11))


class DatasetBuilder:
    """Builds a dataset one unit at a time (a chunk of shapes, one CIFAR-10 file, ...).

    Each unit takes well under a second, so a worker thread can show progress and stop in
    between. Cheap checks (e.g. a CIFAR-10 folder's file list) run in the constructor.
    """

    def __init__(self, config: CnnConfig) -> None:
        self.config = config
        self._parts: list[tuple[np.ndarray, np.ndarray]] = []
        self._names: tuple[str, ...] = ()
        self._units: list[Callable[[], None]]
        self.result: CnnData | None = None
        if config.dataset == "shapes":
            sizes = shape_chunk_sizes(config.n_images)
            self._units = [self._shape_unit(i, n) for i, n in enumerate(sizes)]
        elif config.dataset == "cifar10":
            self._folder = cifar.find_cifar_folder(config.data_dir)
            self._units = [self._cifar_unit(n) for n in cifar.CIFAR_FILES]
        elif config.dataset == "digits":
            self._units = [self._digits_unit]
        else:
            self._units = [self._demo_unit]
        self.total_units = len(self._units)
        self.units_done = 0

    @property
    def done(self) -> bool:
        return self.result is not None

    def step(self) -> bool:
        """Run the next unit; True once the dataset is complete (then see .result)."""
        if self.result is None:
            self._units[self.units_done]()
            self.units_done += 1
            if self.units_done == self.total_units and self.result is None:
                self._finish_split()
        return self.result is not None

    def build(self) -> CnnData:
        """Run all remaining units and return the dataset."""
        while not self.step():
            pass
        assert self.result is not None
        return self.result

    def _shape_unit(self, chunk: int, count: int) -> Callable[[], None]:
        def run() -> None:
            self._parts.append(generate_shapes_chunk(self.config.seed, chunk, count))
            self._names = SHAPE_CLASSES

        return run

    def _cifar_unit(self, name: str) -> Callable[[], None]:
        def run() -> None:
            path = f"{self._folder}/{name}"
            if name == "batches.meta":
                self._names = cifar.read_label_names(path)
            else:
                self._parts.append(cifar.read_batch(path))

        return run

    def _digits_unit(self) -> None:
        path = resource_path(*DIGITS_FILE)
        try:
            images, labels = read_digits_csv(path)
        except (OSError, ValueError) as exc:
            raise DatasetError(
                f"the shipped digits file {path} cannot be read: {exc}",
                "cannot_read",
                {"path": str(path)},
            ) from None
        self._parts.append((resize_images(images, IMAGE_SIZE).numpy(), labels))
        self._names = DIGIT_CLASSES

    def _demo_unit(self) -> None:
        ones = torch.ones((1, 3, IMAGE_SIZE, IMAGE_SIZE), dtype=torch.float32)
        target = torch.tensor([DEMO_TARGET], dtype=torch.float32)
        self.result = CnnData(
            "demo", ones, target, ones[:0], target[:0], class_names(self.config), ()
        )

    def _finish_split(self) -> None:
        """Hold out the validation set (CIFAR-10: its own test_batch) and wrap as tensors."""
        zh = {**SHAPE_NAMES_ZH, **cifar.CIFAR_NAMES_ZH}
        names_zh = tuple(zh.get(n, n) for n in self._names)
        if self.config.dataset == "cifar10":
            (*train, test) = self._parts
            images = np.concatenate([p[0] for p in train])
            labels = np.concatenate([p[1] for p in train])
            train_x, train_y, val_x, val_y = images, labels, test[0], test[1]
        else:
            images = np.concatenate([p[0] for p in self._parts])
            labels = np.concatenate([p[1] for p in self._parts])
            train_idx, val_idx = stratified_split(
                labels, self.config.val_fraction, self.config.seed
            )
            train_x, train_y = images[train_idx], labels[train_idx]
            val_x, val_y = images[val_idx], labels[val_idx]
        self._parts = []
        self.result = CnnData(
            self.config.dataset,
            torch.from_numpy(np.ascontiguousarray(train_x)),
            torch.from_numpy(train_y),
            torch.from_numpy(np.ascontiguousarray(val_x)),
            torch.from_numpy(val_y),
            self._names,
            names_zh,
        )


def load_dataset(config: CnnConfig) -> CnnData:
    """The whole dataset at once (the CLI, tests and benchmarks use this)."""
    return DatasetBuilder(config).build()


@dataclass(frozen=True)
class SamplePreview:
    """A grid picture of samples and what each cell shows; cell i sits at
    (pad + (i // cols) * cell, pad + (i % cols) * cell) from the top left."""

    image: np.ndarray  # (H, W, 3) uint8
    labels: tuple[str, ...]
    labels_zh: tuple[str, ...]
    indices: np.ndarray  # which images of the split are shown
    cols: int
    cell: int
    pad: int


def image_grid(
    images: torch.Tensor | np.ndarray,
    cols: int = 8,
    scale: int = 2,
    pad: int = 2,
    marks: np.ndarray | None = None,
    mark_colour: tuple[int, int, int] = (220, 40, 40),
) -> np.ndarray:
    """(n, c, h, w) images as one (H, W, 3) uint8 picture; marked cells get a coloured frame."""
    x = images_as_float(torch.as_tensor(images)).clamp(0, 1).mul(255).round().to(torch.uint8)
    pics = x.numpy().transpose(0, 2, 3, 1)
    if pics.shape[-1] == 1:
        pics = np.repeat(pics, 3, axis=-1)
    pics = pics.repeat(scale, axis=1).repeat(scale, axis=2)
    n, h, w = pics.shape[:3]
    cols = max(1, min(cols, n)) if n else 1
    rows = -(-n // cols)
    grid = np.full((pad + rows * (h + pad), pad + cols * (w + pad), 3), 40, dtype=np.uint8)
    for i in range(n):
        top, left = pad + (i // cols) * (h + pad), pad + (i % cols) * (w + pad)
        if marks is not None and marks[i] and pad > 0:
            grid[top - pad : top + h + pad, left - pad : left + w + pad] = mark_colour
        grid[top : top + h, left : left + w] = pics[i]
    return grid


def preview_samples(
    data: CnnData, count: int = 32, split: str = "train", cols: int = 8, scale: int = 2
) -> SamplePreview:
    """The first count images of a split (already in seeded random order) with their labels."""
    images, targets = (
        (data.train_images, data.train_targets)
        if split == "train"
        else (data.val_images, data.val_targets)
    )
    shown = np.arange(min(count, len(images)))
    if data.is_classification:
        idx = targets[: len(shown)].numpy()
        labels = tuple(data.class_names[i] for i in idx)
        labels_zh = tuple(data.class_names_zh[i] for i in idx) if data.class_names_zh else labels
    else:
        labels = labels_zh = tuple("target [1..10]" for _ in shown)
    pad = 2
    grid = image_grid(images[: len(shown)], cols, scale, pad)
    cell = data.image_size * scale + pad
    return SamplePreview(grid, labels, labels_zh, shown, max(1, min(cols, len(shown))), cell, pad)
