"""Randomly damaged copies of good files: each loader raises its own error type or loads, and
nothing else ever escapes (seeded, so a failure repeats)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hostile_corpus import lesson_text, small_session

from gradlab.core.cnn.cifar import safe_load_pickle
from gradlab.core.cnn.errors import DatasetError
from gradlab.core.lesson import parse_lesson
from gradlab.core.lesson_fields import LessonError
from gradlab.core.session_arrays import SessionFileError
from gradlab.core.session_file import load_session

MUTANTS = 150


def mutants(data: bytes, seed: int):
    """Copies with a few bytes changed, a cut, or a slice repeated."""
    rng = np.random.default_rng(seed)
    for _ in range(MUTANTS):
        mutant = bytearray(data)
        kind = rng.integers(3)
        if kind == 0:
            for _ in range(rng.integers(1, 8)):
                mutant[rng.integers(len(mutant))] = rng.integers(256)
        elif kind == 1:
            del mutant[rng.integers(1, len(mutant)) :]
        else:
            start = int(rng.integers(len(mutant)))
            piece = mutant[start : start + int(rng.integers(1, 64))]
            mutant[start:start] = piece * int(rng.integers(1, 200))
        yield bytes(mutant)


def test_damaged_lessons_raise_only_lesson_errors():
    good = lesson_text(
        title={"en": "T", "zh": "题"},
        questions=[{"en": "Why?"}],
        config={"training": {"lr": 1e-6, "steps": 10}, "seed": 3},
    ).encode()
    for mutant in mutants(good, 1):
        text = mutant.decode("utf-8", "replace")
        try:
            parse_lesson(text)
        except LessonError:
            pass


def test_damaged_session_files_raise_only_session_file_errors(tmp_path):
    good = small_session(tmp_path / "good.gradlab").read_bytes()
    path = tmp_path / "mutant.gradlab"
    for mutant in mutants(good, 2):
        path.write_bytes(mutant)
        try:
            load_session(path)
        except SessionFileError:
            pass


@pytest.mark.parametrize("protocol", [2, 5])
def test_damaged_cifar_batches_raise_only_dataset_errors(tmp_path, protocol):
    rng = np.random.default_rng(0)
    batch = {
        b"labels": [int(v) for v in rng.integers(0, 10, 30)],
        b"data": rng.integers(0, 256, (30, 3072), dtype=np.uint8),
        b"filenames": [f"f{i}.png".encode() for i in range(30)],
    }
    good = pickle.dumps(batch, protocol=protocol)
    path = tmp_path / "data_batch_1"
    for mutant in mutants(good, 3 + protocol):
        path.write_bytes(mutant)
        try:
            safe_load_pickle(path)
        except DatasetError:
            pass
