"""Each loader's budgets, checked in-process with small budgets injected where a real-size file
would be slow to make; every refusal is one line naming the file, the limit and the value."""

from __future__ import annotations

import os
import re
import sys
import time
import zipfile

import numpy as np
import pytest
from hostile_corpus import billion_laughs, deep_tuples, lesson_text, small_session

from gradlab.core import limits, session_file
from gradlab.core.bounded_json import JsonBudgetError, describe, loads, nesting_depth
from gradlab.core.cnn import cifar
from gradlab.core.cnn.errors import DatasetError
from gradlab.core.lesson import load_lesson, parse_lesson
from gradlab.core.lesson_fields import LessonError
from gradlab.core.limits import MAX_TEXT_CHARS
from gradlab.core.session_arrays import SessionFileError
from gradlab.core.session_file import load_session
from gradlab.core.text_breaks import breakable

# ---- JSON within budgets ----------------------------------------------------------------------


def test_nesting_depth_skips_strings_and_is_linear():
    assert nesting_depth('{"a": [1, {"b": "[[[[{{{"}]}') == 3
    assert nesting_depth('"\\"[[["') == 0
    start = time.perf_counter()
    assert nesting_depth("[" * 2_000_000 + "]" * 2_000_000) == 2_000_000
    assert nesting_depth('"' + "x" * 5_000_000 + '"') == 0
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize("depth", [33, 990, sys.getrecursionlimit() + 10, 100_000])
def test_deep_json_is_refused_without_recursion_error(depth):
    with pytest.raises(JsonBudgetError, match=f"nested too deeply \\({depth:,} levels; the limit"):
        loads("[" * depth + "]" * depth)
    with pytest.raises(LessonError, match="nested too deeply"):
        parse_lesson("[" * depth + "]" * depth)


def test_whole_numbers_beyond_twenty_digits_are_refused_before_int_parses_them():
    assert loads("[12345678901234567890, -12345678901234567890]")[0] == 12345678901234567890
    for digits in (21, 4301, 100_000):
        with pytest.raises(JsonBudgetError, match=f"{digits:,} digits is too large"):
            loads("7" * digits)


def test_describe_is_bounded_and_never_recursive():
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert describe(deep) == "[[...]]"
    assert describe([1, 2]) == "[1, 2]" and describe({"a": 1}) == '{"a": 1}'
    assert describe(10**5000).startswith("<a whole number of about 5001 digits")
    assert len(describe("x" * 10**7)) == 40
    assert len(describe(list(range(10**6)))) == 40


# ---- lessons ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "words"),
    [
        ({"title": "t" * (limits.MAX_LESSON_TITLE_CHARS + 1)}, "the limit is 1,000"),
        ({"explanation": {"zh": "字" * 100_001}}, 'the "zh" text is 100,001 characters long'),
        ({"questions": ["q"] * 101}, "101 questions; the limit is 100"),
        ({"title": {f"l{i}": "t" for i in range(17)}}, "17 languages; the limit is 16"),
        ({"config": {"data": {"target": "x" * 32_768}}}, "32,768 characters long; the limit is"),
        ({"config": {"seed": 10**25}}, "26 digits is too large (the limit is 20 digits)"),
    ],
)
def test_lesson_budgets(parts, words):
    with pytest.raises(LessonError, match=re.escape(words)) as caught:
        parse_lesson(lesson_text(**parts), source="l.json")
    assert str(caught.value).startswith("l.json: ") and "\n" not in str(caught.value)


def test_a_huge_key_is_cut_short_in_the_message_and_never_fuzzy_matched():
    start = time.perf_counter()
    for text in (
        '{"format": 1, "kind": "gradlab-lesson", "' + "k" * 1_000_000 + '": 1}',
        lesson_text(config={"data": {"k" * 1_000_000: 1}}),
        lesson_text(config={"k" * 1_000_000: 1}),
        lesson_text(locked=["k" * 1_000_000]),
    ):
        with pytest.raises(LessonError, match=r"1,000,0\d\d characters") as caught:
            parse_lesson(text)
        assert len(str(caught.value)) < 200
    assert time.perf_counter() - start < 2


def test_the_shared_text_limit_is_the_panel_limit():
    assert MAX_TEXT_CHARS == 32_767  # a QLineEdit's default maxLength
    config = parse_lesson(lesson_text(config={"data": {"target": "x" * 32_767}})).config
    assert len(config.data.target) == 32_767


def test_unbroken_words_get_break_opportunities_and_ordinary_text_does_not():
    assert breakable("an ordinary sentence, with words.") == "an ordinary sentence, with words."
    chinese = "梯度下降" * 500  # breaks anywhere already
    assert breakable(chinese) == chinese
    url = "https://example.org/" + "a" * 150
    assert breakable(url) == url
    word = "w" * 99_000
    broken = breakable(word)
    assert broken.replace("\u200b", "") == word
    assert max(len(part) for part in broken.split("\u200b")) == limits.LONGEST_UNBROKEN_RUN
    lesson = parse_lesson(lesson_text(explanation={"en": f"see {word} here"}))
    assert lesson.explanation["en"].replace("\u200b", "") == f"see {word} here"


def test_breaking_is_linear_time():
    timings = []
    for n in (500_000, 4_000_000):
        start = time.perf_counter()
        breakable("w" * n)
        timings.append(time.perf_counter() - start)
    assert timings[1] < 1.0


def test_a_fifo_or_an_empty_name_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "lesson.json"
    os.mkfifo(fifo)
    with pytest.raises(LessonError, match="not a regular file \\(a FIFO\\)"):
        load_lesson(fifo)
    with pytest.raises(LessonError, match="empty file name"):
        load_lesson("")


# ---- session files ----------------------------------------------------------------------------


def refusal(path) -> str:
    with pytest.raises(SessionFileError) as caught:
        load_session(path)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path))
    return message


def test_rows_beyond_what_gradlab_records_are_refused_from_the_header(tmp_path, monkeypatch):
    path = small_session(tmp_path / "s.gradlab")
    assert len(load_session(path).runs[0].history) == 3
    from gradlab.core import session_arrays  # where a run's arrays are read and checked

    monkeypatch.setattr(session_arrays, "MAX_RUN_ROWS", 2)
    assert "has 3 rows; GradLab records at most 2 per run" in refusal(path)


def test_a_session_of_many_runs_is_refused(tmp_path, monkeypatch):
    path = small_session(tmp_path / "s.gradlab")
    monkeypatch.setattr(session_file, "MAX_SESSION_RUNS", 0)
    assert "1 runs; a session file holds at most 0" in refusal(path)


def test_the_directory_is_counted_before_zipfile_reads_it(tmp_path, monkeypatch):
    path = small_session(tmp_path / "s.gradlab")
    monkeypatch.setattr(session_file, "MAX_MEMBERS", 2)
    calls = []
    monkeypatch.setattr(zipfile.ZipFile, "__init__", lambda *a, **k: calls.append(a))
    assert "too many parts" in refusal(path) and "the limit is 2" in refusal(path)
    assert calls == []


def test_a_big_manifest_is_read_a_chunk_at_a_time(tmp_path):
    path = small_session(tmp_path / "s.gradlab")
    with zipfile.ZipFile(path) as archive:
        size = archive.getinfo("manifest.json").file_size
        assert session_file._read_member(archive, "manifest.json", size)[:1] == b"{"


def test_the_final_loss_message_names_its_run_once(tmp_path):
    from hostile_corpus import rewrite_session

    path = rewrite_session(
        small_session(tmp_path / "s.gradlab"),
        lambda text: text.replace('"final_loss": 1.0', '"final_loss": [1]'),
    )
    message = refusal(path)
    assert message.count("run 1") == 1 and "final_loss must be a number, got [1]" in message


# ---- CIFAR-10 ---------------------------------------------------------------------------------


def batch_file(tmp_path, data: bytes):
    path = tmp_path / "data_batch_1"
    path.write_bytes(data)
    return path


def real_layout(tmp_path, n=20):
    import pickle

    rng = np.random.default_rng(0)
    batch = {
        b"labels": [int(v) for v in rng.integers(0, 10, n)],
        b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
        b"filenames": [f"f{i}.png".encode() for i in range(n)],
    }
    return batch_file(tmp_path, pickle.dumps(batch, protocol=2))


@pytest.mark.parametrize(
    ("budget", "value", "words"),
    [
        ("MAX_MEMO", 5, "too many stored references (6; the limit is 5)"),
        ("MAX_ITEMS", 10, "a list too long (20; the limit is 10)"),
        ("MAX_OPCODES", 50, "too many pickle opcodes (51; the limit is 50)"),
        ("MAX_FILE_BYTES", 1000, "bytes; a CIFAR-10 batch file is at most 1,000"),
    ],
)
def test_cifar_budgets(tmp_path, monkeypatch, budget, value, words):
    path = real_layout(tmp_path)
    images, labels = cifar.read_batch(path)
    assert images.shape == (20, 3, 32, 32) and labels.shape == (20,)
    monkeypatch.setattr(cifar, budget, value)
    with pytest.raises(DatasetError, match=re.escape(words)):
        cifar.read_batch(path)


def test_nested_references_stay_shared(tmp_path):
    start = time.perf_counter()
    loaded = cifar.safe_load_pickle(batch_file(tmp_path, billion_laughs(levels=60)))
    assert loaded[b"labels"][-1][0] is loaded[b"labels"][-2]  # shared, never copied out
    with pytest.raises(DatasetError, match="its data is not an array"):
        cifar.read_batch(tmp_path / "data_batch_1")
    assert time.perf_counter() - start < 1


def test_deeply_nested_tuples_are_refused_before_they_are_hashed(tmp_path):
    with pytest.raises(DatasetError, match="tuples nested too deeply \\(33; the limit is 32\\)"):
        cifar.safe_load_pickle(batch_file(tmp_path, deep_tuples(100_000)))


def test_labels_that_are_not_numbers_are_refused_before_numpy_sees_them(tmp_path):
    import pickle

    batch = {b"labels": [[1]] * 3, b"data": np.zeros((3, 3072), np.uint8)}
    with pytest.raises(DatasetError, match="labels are not whole numbers"):
        cifar.read_batch(batch_file(tmp_path, pickle.dumps(batch, protocol=2)))


def test_shapes_are_multiplied_without_wrapping_around(tmp_path):
    with pytest.raises(DatasetError, match="bytes of data"):
        cifar._make_array("f", b"", cifar._Dtype("u1"), (2**62, 4, 1), False)


def test_the_limits_module_lists_every_budget():
    for name in ("FILE_BYTES", "OPCODES", "MEMO", "ITEMS", "DEPTH"):
        assert getattr(limits, f"MAX_CIFAR_{name}") == getattr(cifar, f"MAX_{name}"), name
    assert limits.MAX_SESSION_BYTES <= 1024**3  # a whole session loads in under 1 GB
    assert all(isinstance(getattr(limits, name), int) for name in limits.__all__)
