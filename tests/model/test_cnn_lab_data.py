"""What the CNN lab's data page shows: a mix of classes, names per language, folder problems."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from gradlab.model.cnn_data import FolderTrouble, cifar_folder_problem
from gradlab.model.cnn_results import class_names_in, mixed_sample


def test_a_sorted_split_still_shows_every_class() -> None:
    targets = np.repeat(np.arange(10), 48)  # a stratified split, class by class
    shown = mixed_sample(targets, 40)
    assert len(shown) == 40 and len(set(shown.tolist())) == 40
    assert set(targets[shown].tolist()) == set(range(10))
    assert np.bincount(targets[shown]).tolist() == [4] * 10
    assert set(targets[:40].tolist()) == {0}  # what "the first 40" showed


@given(st.lists(st.integers(0, 9), min_size=0, max_size=200), st.integers(0, 60))
def test_the_mix_takes_each_class_in_turn(labels: list[int], count: int) -> None:
    targets = np.array(labels, dtype=np.int64)
    shown = mixed_sample(targets, count)
    assert len(shown) == min(count, len(targets)) and len(set(shown.tolist())) == len(shown)
    counts = np.bincount(targets[shown], minlength=10)
    available = np.bincount(targets, minlength=10) if len(targets) else np.zeros(10, int)
    # a class gets one more picture only when every class that has more got as many
    for a in range(10):
        for b in range(10):
            if counts[a] >= counts[b] + 2:
                assert counts[b] == available[b]


def test_class_names_follow_the_language() -> None:
    names, zh = ("circle", "square"), ("圆", "正方形")
    assert class_names_in("zh", names, zh) == zh
    assert class_names_in("en", names, zh) == names
    assert class_names_in("zh", names, ()) == names  # no Chinese names: the English ones


def test_cifar_folder_problems_are_data(tmp_path) -> None:
    missing = cifar_folder_problem(str(tmp_path / "nowhere"))
    assert missing is not None and missing.trouble == FolderTrouble.NOT_A_FOLDER
    (tmp_path / "data_batch_1.bin").write_bytes(b"")
    incomplete = cifar_folder_problem(str(tmp_path))
    assert incomplete is not None and incomplete.trouble == FolderTrouble.INCOMPLETE
    assert incomplete.missing[0] == "data_batch_1" and incomplete.binary_version
    inner = tmp_path / "cifar-10-batches-py"
    inner.mkdir()
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch", "batches.meta"]:
        (inner / name).write_bytes(b"x")
    assert cifar_folder_problem(str(tmp_path)) is None
