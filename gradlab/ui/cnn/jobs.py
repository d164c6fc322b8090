"""The CNN lab's jobs: what runs in the worker thread, next to the training session.

The lab submits them to its worker (``TrainingController.submit``) between training chunks; they
use torch and return NumPy-only answers (samples, results, feature maps) or the path of a file
they wrote, which a ``JobCourier`` carries back to the GUI thread through a queued signal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from gradlab.core.cnn.config import CnnConfig
from gradlab.core.cnn.results import CnnResults
from gradlab.ui.worker import describe_error


def make_cnn_session(config: CnnConfig) -> object:
    """The default session factory; runs in the worker thread (torch is imported there)."""
    from gradlab.core.cnn.session import CnnSession

    return CnnSession(config)


class JobCourier(QObject):
    """Carries a job's answer from the worker thread to the GUI thread (queued)."""

    delivered = Signal(int, str, object)  # session generation, kind, payload

    def job(
        self, generation: int, kind: str, fn: Callable[[object], object]
    ) -> Callable[[object], None]:
        """fn(session) wrapped for the worker: its answer (or error) is delivered as ``kind``."""

        def run(session: object) -> None:
            try:
                payload = fn(session)
            except Exception as error:  # reported in the banner, never as a traceback
                self.delivered.emit(generation, "error", (kind, describe_error(error)))
                return
            self.delivered.emit(generation, kind, payload)

        return run


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


# ---- files ----


def save_weights_to(session: object, path: str) -> str:
    """Save the model's weights (state_dict) to ``path``; returns the path."""
    session.save_weights(path)
    return path


def load_weights_from(session: object, path: str) -> str:
    """Load weights from ``path`` into the session's model; returns the path."""
    session.load_weights(path)
    return path


def write_script(config: CnnConfig, path: str) -> str:
    """Write the pipeline with these settings as a standalone script; returns the path."""
    from gradlab.core.cnn.export import write_training_script

    write_training_script(config, path)
    return path
