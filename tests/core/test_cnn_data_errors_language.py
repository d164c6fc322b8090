"""A CIFAR-10 folder or file the CNN lab cannot use says so as a message id and values, so the
window and the command line word it in Chinese too."""

from __future__ import annotations

import re

import pytest

from gradlab.core.cnn.cifar import CIFAR_FILES, find_cifar_folder, read_batch
from gradlab.core.cnn.config import default_config
from gradlab.core.cnn.errors import DatasetError
from gradlab.text.errors import DATASET_MESSAGES, error_text

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_RUN = re.compile(r"\b[a-z]+ [a-z]+ [a-z]+\b")  # three English words in a row


def _assert_chinese(error: DatasetError, message_id: str) -> str:
    assert error.message_id == message_id
    text = error_text(error, "zh")
    assert CHINESE.search(text) and not ENGLISH_RUN.search(text.replace("batches.meta", "")), text
    assert error_text(error, "en") == str(error)
    return text


def test_a_missing_folder(tmp_path) -> None:
    with pytest.raises(DatasetError) as caught:
        find_cifar_folder(tmp_path / "nowhere")
    assert "nowhere" in _assert_chinese(caught.value, "cifar_no_folder")


def test_an_incomplete_folder_of_the_binary_version(tmp_path) -> None:
    (tmp_path / "data_batch_1.bin").write_bytes(b"x")
    with pytest.raises(DatasetError) as caught:
        find_cifar_folder(tmp_path)
    text = _assert_chinese(caught.value, "cifar_incomplete")
    assert "二进制版本" in text and "test_batch" in text


def test_a_damaged_batch_file(tmp_path) -> None:
    path = tmp_path / "data_batch_1"
    path.write_bytes(b"\x80\x02}q\x00")  # a pickle cut off after its first opcodes
    with pytest.raises(DatasetError) as caught:
        read_batch(str(path))
    assert "data_batch_1" in _assert_chinese(caught.value, "cifar_bad_file")


def test_a_failed_run_carries_the_message_id(tmp_path) -> None:
    from gradlab.core.cnn.session import CnnSession

    for name in CIFAR_FILES:
        (tmp_path / name).write_bytes(b"not a pickle")
    session = CnnSession(default_config("cifar10", data_dir=str(tmp_path)))
    while not session.done:
        session.advance(1)
    batch = session.drain()
    assert batch.status == "failed" and batch.error
    assert batch.error_message is not None and batch.error_message.id == "cifar_bad_file"


def test_every_data_message_has_both_languages() -> None:
    fields = re.compile(r"\{(\w+)\}")
    for key, (english, chinese) in DATASET_MESSAGES.items():
        assert CHINESE.search(chinese), key
        assert set(fields.findall(english)) == set(fields.findall(chinese)), key
