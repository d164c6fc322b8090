"""What the CNN lab's worker jobs hand to the GUI thread (NumPy only), and which samples the
data page shows. No Qt, no torch: the jobs that fill these run in the worker thread."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gradlab.core.cnn.results import CnnResults

__all__ = ["FeatureMaps", "ResultsSnapshot", "SamplePictures", "class_names_in", "mixed_sample"]


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
    """The data page's preview: pictures and each one's class (English and Chinese names)."""

    pictures: np.ndarray  # (n, h, w, 3) uint8
    labels: tuple[str, ...]
    labels_zh: tuple[str, ...]  # the same labels in Chinese (the English ones where none exist)
    n_train: int
    n_val: int


def class_names_in(
    language: str, names: tuple[str, ...], names_zh: tuple[str, ...]
) -> tuple[str, ...]:
    """The class names to show in ``language`` ("zh" uses the Chinese names where given)."""
    if language == "zh" and len(names_zh) == len(names):
        return names_zh
    return names


def mixed_sample(targets: np.ndarray, count: int) -> np.ndarray:
    """Indices of up to ``count`` items, taking the classes in turn (first of each class, then
    the second of each, ...), so a preview shows every class even when the split is sorted."""
    targets = np.asarray(targets).reshape(-1)
    count = min(count, len(targets))
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(targets, kind="stable")
    sorted_targets = targets[order]
    starts = np.searchsorted(sorted_targets, sorted_targets, side="left")
    rank = np.arange(len(targets)) - starts  # place of each item within its class
    turn = np.lexsort((order, rank))  # by rank, then by original position
    return order[turn][:count].astype(np.int64)
