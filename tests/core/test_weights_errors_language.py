"""A weights file that cannot be used is explained in Chinese too (the CNN lab's message box
and the command line use gradlab.text.errors), never in the core's English."""

from __future__ import annotations

import re

import pytest

torch = pytest.importorskip("torch")

from gradlab.core.cnn.errors import WeightsError  # noqa: E402
from gradlab.core.cnn.weights import load_weights, save_weights  # noqa: E402
from gradlab.text.errors import error_text  # noqa: E402

ENGLISH_WORD = re.compile(r"\b(?!GradLab\b|ZIP\b|torch\b|save\b|state_dict\b)[A-Za-z]{3,}\b")


def chinese_of(error: WeightsError, path: str) -> str:
    text = error_text(error, "zh")
    assert error.message_id.startswith("weights_"), error.message_id
    assert re.search(r"[\u4e00-\u9fff]", text), text
    rest = re.sub(r"`[^`]*`", "", text.replace(path, ""))  # identifiers in backticks are code
    assert not ENGLISH_WORD.search(rest), text
    return text


def test_missing_folder_and_damaged_weights_files_in_chinese(tmp_path) -> None:
    model = torch.nn.Linear(2, 1)
    cases = {
        "missing": tmp_path / "nothing.pt",
        "folder": tmp_path,
        "damaged": tmp_path / "damaged.pt",
    }
    cases["damaged"].write_bytes(b"not a zip at all")
    for path in cases.values():
        with pytest.raises(WeightsError) as caught:
            load_weights(model, path)
        chinese_of(caught.value, str(path))


def test_weights_of_another_model_in_chinese(tmp_path) -> None:
    path = tmp_path / "other.pt"
    save_weights(torch.nn.Linear(3, 1), path)
    with pytest.raises(WeightsError) as caught:
        load_weights(torch.nn.Linear(2, 1), path)
    text = chinese_of(caught.value, str(path))
    assert "形状" in text and "(1, 3)" in text and "(1, 2)" in text
    assert str(caught.value).startswith(str(path))  # the English message is unchanged
