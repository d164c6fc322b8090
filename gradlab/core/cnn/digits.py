"""The UCI optdigits 8×8 handwritten digits from the shipped CSV (NumPy only, exportable).

Each row holds 64 pixel counts 0..16 (row by row) and then the digit 0..9.
"""

import gzip
import os

import numpy as np

DIGIT_CLASSES = tuple(str(d) for d in range(10))


def read_digits_csv(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray]:
    """Images (n, 8, 8) float32 scaled to 0..1 and labels (n,) int64 from digits.csv.gz."""
    with gzip.open(path, "rt", encoding="ascii") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64, ndmin=2)
    if table.shape[1] != 65 or table.min() < 0 or table[:, :64].max() > 16:
        raise ValueError(f"{path}: expected rows of 64 pixels 0..16 and a digit, got {table.shape}")
    images = (table[:, :64].reshape(-1, 8, 8) / 16.0).astype(np.float32)
    return images, table[:, 64].astype(np.int64)
