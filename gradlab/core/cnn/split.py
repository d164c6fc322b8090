"""Seeded train/validation split that keeps every class's share (NumPy only, exportable)."""

import numpy as np


def stratified_split(
    labels: np.ndarray, val_fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Index arrays (train, validation): round(val_fraction × count) of each class held out.

    Both come back in a seeded random order, so a preview of the first images shows a mix.
    """
    rng = np.random.default_rng([seed, 2])
    order = rng.permutation(len(labels))
    val_parts = []
    for k in np.unique(labels):
        members = order[labels[order] == k]
        val_parts.append(members[: round(len(members) * val_fraction)])
    val = np.concatenate(val_parts) if val_parts else np.zeros(0, dtype=np.int64)
    is_val = np.zeros(len(labels), dtype=bool)
    is_val[val] = True
    return order[~is_val[order]], order[is_val[order]]
