"""The CNN lab's jobs: what runs in the worker thread, next to the training session.

The lab submits them to its worker (``TrainingController.submit``) between training chunks; they
use torch and return NumPy-only answers (samples, results, feature maps) or the path of a file
they wrote, which a ``JobCourier`` carries back to the GUI thread through a queued signal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from gradlab.core.cnn.config import CnnConfig
from gradlab.model.cnn_results import FeatureMaps, ResultsSnapshot, SamplePictures, mixed_sample
from gradlab.ui.error_text import error_text
from gradlab.ui.worker import describe_error

Session = Any  # a CnnSession, built and used in the worker thread only (torch lives there)


def make_cnn_session(config: CnnConfig) -> Session:
    """The default session factory; runs in the worker thread (torch is imported there)."""
    from gradlab.core.cnn.session import CnnSession

    return CnnSession(config)


class JobCourier(QObject):
    """Carries a job's answer from the worker thread to the GUI thread (queued)."""

    delivered = Signal(int, str, object)  # session generation, kind, payload

    def job(
        self, generation: int, kind: str, fn: Callable[[Session], object]
    ) -> Callable[[Session], None]:
        """fn(session) wrapped for the worker: its answer (or error) is delivered as ``kind``."""

        def run(session: Session) -> None:
            try:
                payload = fn(session)
            except Exception as error:  # reported in the banner, never as a traceback
                # worded in the interface's language when the core gave it an id (a weights
                # or data file), else its own message
                text = error_text(error) if str(error).strip() else describe_error(error)
                self.delivered.emit(generation, "error", (kind, text))
                return
            self.delivered.emit(generation, kind, payload)

        return run


def display_pictures(images: Any) -> np.ndarray:
    """(n, c, h, w) uint8 or float 0..1 tensor -> (n, h, w, 3) uint8 (worker thread)."""
    from gradlab.core.cnn.datasets import images_as_float

    x = images_as_float(images).clamp(0, 1).mul(255).round().byte().numpy()
    x = x.transpose(0, 2, 3, 1)
    return np.ascontiguousarray(np.repeat(x, 3, axis=-1) if x.shape[-1] == 1 else x)


def _picker_images(session: Session) -> Any:
    data = session.data
    return data.val_images if data.n_val else data.train_images


def collect_samples(session: Session, count: int = 40) -> SamplePictures:
    """Training images of every class in turn, with their labels (the data page's preview)."""
    import torch

    data = session.data
    n = min(count, data.n_train)
    if data.is_classification:
        shown = mixed_sample(np.asarray(data.train_targets[: data.n_train]), n)
        classes = [int(data.train_targets[int(i)]) for i in shown]
        labels = tuple(data.class_names[c] for c in classes)
        names_zh = data.class_names_zh or data.class_names
        labels_zh = tuple(names_zh[c] for c in classes)
        images = data.train_images[torch.as_tensor(shown)]
    else:
        labels = labels_zh = ("[1..10]",) * n
        images = data.train_images[:n]
    return SamplePictures(display_pictures(images), labels, labels_zh, data.n_train, data.n_val)


def collect_feature_maps(session: Session, index: int) -> FeatureMaps:
    """Feature maps of picture ``index`` after each convolution, each stretched to 0..255."""
    from gradlab.core.cnn.datasets import images_as_float
    from gradlab.core.cnn.model import feature_maps

    images = _picker_images(session)
    index = int(min(max(index, 0), len(images) - 1))
    layers: list[tuple[str, np.ndarray]] = []
    for name, maps in feature_maps(session.model, images_as_float(images[index : index + 1])[0]):
        low = maps.min(axis=(1, 2), keepdims=True)
        span = maps.max(axis=(1, 2), keepdims=True) - low
        scaled = (maps - low) / np.where(span > 0, span, 1.0) * 255
        layers.append((name, scaled.round().astype(np.uint8)))
    return FeatureMaps(index, tuple(layers))


def collect_results(session: Session, image_index: int, with_pictures: bool) -> ResultsSnapshot:
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


def save_weights_to(session: Session, path: str) -> str:
    """Save the model's weights (state_dict) to ``path``; returns the path."""
    session.save_weights(path)
    return path


def load_weights_from(session: Session, path: str) -> str:
    """Load weights from ``path`` into the session's model; returns the path."""
    session.load_weights(path)
    return path


def write_script(config: CnnConfig, path: str, language: str = "en") -> str:
    """Write the pipeline with these settings as a standalone script, commented in
    ``language``; returns the path."""
    from gradlab.core.cnn.export import write_training_script
    from gradlab.text.comments import Comments

    write_training_script(config, path, Comments(language))
    return path
