"""Datasets: shapes (deterministic, balanced, fast), split, digits, demo, previews."""

import time

import numpy as np
import pytest
import torch

from gradlab.core.cnn import DatasetError, default_config
from gradlab.core.cnn.datasets import (
    DatasetBuilder,
    image_grid,
    images_as_float,
    load_dataset,
    preview_samples,
)
from gradlab.core.cnn.digits import read_digits_csv
from gradlab.core.cnn.shapes import (
    SHAPE_CLASSES,
    SHAPE_NAMES_ZH,
    generate_shapes,
    generate_shapes_chunk,
)
from gradlab.core.cnn.split import stratified_split
from gradlab.resources import resource_path


def test_shapes_are_deterministic_balanced_and_varied():
    images, labels = generate_shapes(2000, seed=3)
    again, labels_again = generate_shapes(2000, seed=3)
    other, _ = generate_shapes(2000, seed=4)
    assert images.shape == (2000, 3, 32, 32) and images.dtype == np.uint8
    assert np.array_equal(images, again) and np.array_equal(labels, labels_again)
    assert not np.array_equal(images, other)
    assert np.bincount(labels, minlength=10).tolist() == [200] * 10
    assert len(SHAPE_CLASSES) == 10 and set(SHAPE_NAMES_ZH) == set(SHAPE_CLASSES)
    # every class draws something: the shape differs from its background
    for k in range(10):
        sample = images[labels == k].astype(np.float32)
        assert sample.std(axis=(2, 3)).mean() > 20, SHAPE_CLASSES[k]


def test_shapes_do_not_depend_on_chunking():
    images, labels = generate_shapes(1500, seed=1)
    second, second_labels = generate_shapes_chunk(1, 1, 500)
    assert np.array_equal(images[1000:], second) and np.array_equal(labels[1000:], second_labels)


@pytest.mark.timing
def test_ten_thousand_shapes_generate_fast():
    generate_shapes(1000, seed=0)  # warm up NumPy
    start = time.perf_counter()
    generate_shapes(10_000, seed=0)
    seconds = time.perf_counter() - start
    print(f"10,000 shapes generated in {seconds:.3f} s")
    assert seconds < 3.0  # about 0.3 s measured on the 2-core box


def test_stratified_split_keeps_class_shares():
    labels = np.repeat(np.arange(10), 50)
    train, val = stratified_split(labels, 0.2, seed=5)
    assert len(val) == 100 and len(train) == 400
    assert np.bincount(labels[val]).tolist() == [10] * 10
    assert sorted(np.concatenate([train, val]).tolist()) == list(range(500))
    again = stratified_split(labels, 0.2, seed=5)
    assert np.array_equal(again[0], train) and np.array_equal(again[1], val)
    assert len(stratified_split(labels, 0.0, seed=5)[1]) == 0


def test_shapes_dataset_in_units():
    config = default_config("shapes", n_images=2500, val_fraction=0.2)
    builder = DatasetBuilder(config)
    assert builder.total_units == 3
    steps = 0
    while not builder.step():
        steps += 1
    data = builder.result
    assert steps == 2 and data is not None
    assert (data.n_train, data.n_val, data.in_channels, data.image_size) == (2000, 500, 3, 32)
    assert np.bincount(data.val_targets.numpy()).tolist() == [50] * 10
    assert data.class_names_zh[0] == "圆形"
    batch = images_as_float(data.train_images[:4])
    assert batch.dtype == torch.float32 and 0.0 <= batch.min() and batch.max() <= 1.0


def test_digits_are_the_shipped_optdigits():
    images, labels = read_digits_csv(resource_path("data", "digits.csv.gz"))
    assert images.shape == (1797, 8, 8) and images.min() == 0.0 and images.max() == 1.0
    assert np.bincount(labels).sum() == 1797 and len(np.unique(labels)) == 10
    assert resource_path("data", "DIGITS-LICENSE.txt").read_text().count("CC BY 4.0")
    data = load_dataset(default_config("digits"))
    assert data.in_channels == 1 and data.image_size == 32
    assert data.n_train + data.n_val == 1797
    assert data.train_images.dtype == torch.float32
    assert float(data.train_images.max()) <= 1.0 + 1e-6


def test_demo_is_the_chapters_single_image():
    data = load_dataset(default_config("demo"))
    assert torch.equal(data.train_images, torch.ones(1, 3, 32, 32))
    assert data.train_targets.tolist() == [[float(v) for v in range(1, 11)]]
    assert data.n_val == 0 and not data.is_classification


def test_preview_grid_and_marks():
    data = load_dataset(default_config("shapes", n_images=100))
    preview = preview_samples(data, count=12, cols=4, scale=2)
    assert preview.image.dtype == np.uint8 and preview.image.shape[2] == 3
    assert preview.image.shape[:2] == (2 + 3 * preview.cell, 2 + 4 * preview.cell)
    names = [data.class_names[i] for i in data.train_targets[:12]]
    assert list(preview.labels) == names
    marks = np.zeros(4, dtype=bool)
    marks[1] = True
    grid = image_grid(data.val_images[:4], cols=4, scale=1, pad=2, marks=marks)
    assert tuple(grid[0, 34 + 2]) == (220, 40, 40)  # the frame above image 1
    gray = image_grid(torch.rand(3, 1, 8, 8), cols=3, scale=1)
    assert gray.shape == (12, 32, 3)


def test_missing_digits_file_is_a_dataset_error(monkeypatch, tmp_path):
    import gradlab.core.cnn.datasets as datasets

    monkeypatch.setattr(datasets, "DIGITS_FILE", ("nowhere", "digits.csv.gz"))
    with pytest.raises(DatasetError, match="digits file"):
        load_dataset(default_config("digits"))
