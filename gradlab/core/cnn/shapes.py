"""The "shapes" dataset: 10 classes of simple coloured shapes drawn with NumPy only.

Generated vectorised in chunks of SHAPES_CHUNK images, each chunk from its own seeded
generator, so the images do not depend on how the work is split. Every chunk holds the same
number of images of each class (the whole set stays balanced). This module needs only NumPy,
so the exported training script can include it verbatim.
"""

import numpy as np

SHAPE_CLASSES = (
    "circle",
    "square",
    "triangle",
    "ring",
    "plus",
    "x",
    "diamond",
    "frame",
    "horizontal stripes",
    "vertical stripes",
)
SHAPE_NAMES_ZH = {
    "circle": "圆形",
    "square": "正方形",
    "triangle": "三角形",
    "ring": "圆环",
    "plus": "加号",
    "x": "叉号",
    "diamond": "菱形",
    "frame": "方框",
    "horizontal stripes": "横条纹",
    "vertical stripes": "竖条纹",
}
SHAPES_CHUNK = 1000  # images per seeded chunk; a multiple of the 10 classes
SHAPE_SIZE = 32
NOISE_STD = 0.06  # pixel noise on the 0..1 scale


def _class_mask(
    k: int,
    dx: np.ndarray,
    dy: np.ndarray,
    h: np.ndarray,
    t: np.ndarray,
    flip: np.ndarray,
    period: np.ndarray,
    phase: np.ndarray,
) -> np.ndarray:
    """Boolean mask of class k for images whose pixel offsets from the centre are dx, dy."""
    ax, ay = np.abs(dx), np.abs(dy)
    box = np.maximum(ax, ay)
    side = 0.85 * h  # squares a bit smaller so their area is near the circle's
    if k in (0, 3):  # circle, ring
        radius = np.sqrt(dx * dx + dy * dy)
        mask = (radius <= h) if k == 0 else (radius <= h) & (radius >= h - t)
    elif k == 2:  # triangle pointing up or down
        dyf = dy * flip
        mask = (dyf >= -h) & (dyf <= h) & (ax <= (dyf + h) / 2)
    elif k == 4:  # plus
        mask = ((ax <= t / 2) & (ay <= h)) | ((ay <= t / 2) & (ax <= h))
    elif k == 5:  # x: a plus on axes turned by 45°
        u, v = np.abs(dx + dy) / np.sqrt(2), np.abs(dx - dy) / np.sqrt(2)
        mask = ((u <= t / 2) & (v <= h)) | ((v <= t / 2) & (u <= h))
    elif k == 6:  # diamond
        mask = ax + ay <= h
    elif k == 1:
        mask = box <= side
    elif k == 7:  # frame: a hollow square
        mask = (box <= side) & (box >= side - t)
    else:
        offset = dy if k == 8 else dx  # horizontal stripes alternate along y, vertical along x
        mask = (box <= side) & (np.floor((offset + phase) / period) % 2 == 0)
    return np.asarray(mask)


def _column(values: np.ndarray) -> np.ndarray:
    """Per-image numbers shaped (n, 1, 1) to broadcast over the pixels."""
    return values[:, None, None].astype(np.float32)


def _masks(
    labels: np.ndarray,
    dx: np.ndarray,
    dy: np.ndarray,
    half: np.ndarray,
    thick: np.ndarray,
    flip: np.ndarray,
    period: np.ndarray,
    phase: np.ndarray,
) -> np.ndarray:
    """Boolean (n, size, size) masks, each image drawn with its own class's rule."""
    size = dx.shape[-1]
    masks = np.zeros((len(labels), size, size), dtype=bool)
    for k in range(len(SHAPE_CLASSES)):
        sel = np.flatnonzero(labels == k)
        per_image = [_column(a[sel]) for a in (half, thick, flip, period, phase)]
        masks[sel] = _class_mask(k, dx[sel], dy[sel], *per_image)
    return masks


def generate_shapes_chunk(
    seed: int, chunk: int, count: int, size: int = SHAPE_SIZE
) -> tuple[np.ndarray, np.ndarray]:
    """Images (count, 3, size, size) uint8 and labels (count,) int64 of one seeded chunk."""
    rng = np.random.default_rng([seed, 0, chunk])
    n_classes = len(SHAPE_CLASSES)
    labels = rng.permutation(np.arange(count) % n_classes)
    half = rng.uniform(0.16, 0.36, count) * size
    cx = rng.uniform(half, size - half)
    cy = rng.uniform(half, size - half)
    thick = half * rng.uniform(0.28, 0.42, count)
    flip = rng.choice(np.array([-1.0, 1.0]), count)
    # stripe width: 2.5 to 3.5 light-dark pairs across the patch, never thinner than 1.5 px
    period = np.maximum(1.5, 0.85 * half / rng.uniform(2.5, 3.5, count))
    phase = rng.uniform(0.0, 2 * period)
    dark = rng.uniform(0.0, 0.45, (count, 3))
    light = rng.uniform(0.55, 1.0, (count, 3))
    light_on_dark = rng.random(count) < 0.5
    background = np.where(light_on_dark[:, None], dark, light)
    foreground = np.where(light_on_dark[:, None], light, dark)
    noise = rng.standard_normal((count, 3, size, size), dtype=np.float32)

    centres = np.arange(size, dtype=np.float32) + 0.5
    dx = centres[None, None, :] - cx[:, None, None].astype(np.float32)
    dy = centres[None, :, None] - cy[:, None, None].astype(np.float32)
    masks = _masks(labels, dx, dy, half, thick, flip, period, phase)

    bg = background.astype(np.float32)[:, :, None, None]
    fg = foreground.astype(np.float32)[:, :, None, None]
    # work on the 0..255 scale in place: this is the slowest part of the generation
    images = noise
    images *= NOISE_STD * 255.0
    images += bg * 255.0 + 0.5
    images += masks[:, None] * ((fg - bg) * 255.0)
    np.clip(images, 0, 255, out=images)
    return images.astype(np.uint8), labels.astype(np.int64)


def shape_chunk_sizes(n_images: int) -> list[int]:
    """How many images each chunk holds: full chunks, then the rest."""
    full, rest = divmod(n_images, SHAPES_CHUNK)
    return [SHAPES_CHUNK] * full + ([rest] if rest else [])


def generate_shapes(
    n_images: int, seed: int, size: int = SHAPE_SIZE
) -> tuple[np.ndarray, np.ndarray]:
    """The whole shapes dataset: images (n, 3, size, size) uint8 and labels (n,) int64."""
    parts = [
        generate_shapes_chunk(seed, chunk, count, size)
        for chunk, count in enumerate(shape_chunk_sizes(n_images))
    ]
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])
