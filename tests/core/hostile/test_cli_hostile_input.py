"""Malformed command lines and unrepresentable data: one line, exit status 2, before any work;
no library warning on stderr; divergence explained by its real cause."""

from __future__ import annotations

import json
import os
import time

import pytest

from gradlab.cli import main
from gradlab.core.config import Config, ConfigError
from gradlab.core.data import make_dataset


def refused(capsys, *args: str) -> str:
    assert main(list(args)) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err, captured.err
    assert captured.out == ""
    return lines[0]


@pytest.mark.parametrize("flag", ["--csv", "--lesson", "--save-lesson", "--export-script"])
def test_fit_refuses_empty_file_names(capsys, flag):
    assert refused(capsys, "fit", flag, "") == f"gradlab fit: error: {flag}: empty file name"


@pytest.mark.parametrize("flag", ["--load-weights", "--save-weights", "--export-script"])
def test_cnn_refuses_empty_file_names(capsys, flag):
    assert refused(capsys, "cnn", flag, "") == f"gradlab cnn: error: {flag}: empty file name"


def test_csv_onto_a_fifo_is_refused_and_the_fifo_kept(capsys, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    line = refused(capsys, "fit", "--steps", "10", "--csv", str(fifo))
    assert "not a regular file (a FIFO)" in line
    assert fifo.is_fifo()
    assert "a device" in refused(capsys, "fit", "--steps", "10", "--csv", "/dev/null")


@pytest.mark.parametrize("flag", ["--save-weights", "--export-script"])
def test_cnn_outputs_are_checked_before_training(capsys, tmp_path, flag):
    start = time.perf_counter()
    line = refused(capsys, "cnn", "--epochs", "50", flag, str(tmp_path / "missing" / "w.pt"))
    assert "no such folder" in line and "missing" in line
    assert time.perf_counter() - start < 5  # 50 epochs were never started


@pytest.mark.parametrize(
    ("args", "field", "words"),
    [
        (["--target", "1e300*x"], "data.target", "the target reaches 3.14e+300"),
        (["--target", "exp(x)", "--x-range=0,700"], "data.target", "the target reaches 1.01e+304"),
        (
            ["--x-range=-1e6,1e6", "--degree", "9", "--dtype", "float32"],
            "data.x_max",
            "x**9 reaches 1e+54 over this x range, too large to train on in float32",
        ),
    ],
)
def test_unrepresentable_data_is_refused_up_front(capsys, args, field, words):
    line = refused(capsys, "fit", *args)
    assert words in line and "RuntimeWarning" not in line
    changes = {"data.target": "1e300*x"} if "1e300*x" in args else {}
    if field == "data.x_max":
        changes = {"data.x_min": -1e6, "data.x_max": 1e6, "model.degree": 9,
                   "model.dtype": "float32"}  # fmt: skip
    if changes:
        with pytest.raises(ConfigError) as caught:
            make_dataset(Config().with_changes(**changes))
        assert caught.value.field == field


def test_large_but_representable_data_is_still_accepted():
    make_dataset(Config().with_changes(**{"data.target": "1e100*x"}))
    make_dataset(Config().with_changes(**{"data.x_min": -100.0, "data.x_max": 100.0,
                                          "model.degree": 9}))  # fmt: skip
    make_dataset(Config().with_changes(**{"data.x_min": -1e6, "data.x_max": 1e6,
                                          "model.degree": 9, "model.basis": "legendre",
                                          "model.dtype": "float32"}))  # fmt: skip


def test_a_diverged_run_reports_its_last_finite_loss_and_the_diverging_value(capsys):
    assert main(["fit", "--lr", "4e-6", "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""  # no RuntimeWarning
    result = json.loads(captured.out)
    assert result["diverged"] is True
    assert result["loss"] is not None and result["loss"] > 1e300
    assert result["diverged_loss"] == "inf"


def test_divergence_blames_the_learning_rate_only_when_it_is_above_the_limit(capsys):
    assert main(["fit", "--lr", "4e-6"]) == 0
    above = capsys.readouterr()
    assert "the learning rate 4e-06 is above the stable limit 3.558e-06" in above.out
    assert above.err == ""
    momentum = ["--method", "torch-optim", "--optimizer", "sgd", "--momentum", "0.99"]
    assert main(["fit", *momentum, "--lr", "1e-3", "--steps", "2000"]) == 0
    out = capsys.readouterr().out
    assert "diverged at step" in out and "above the stable limit" not in out
    assert "too large for sgd with momentum 0.99" in out


def test_the_seed_limit_reads_in_full(capsys):
    line = refused(capsys, "fit", "--seed", "4294967296")
    assert "4294967295" in line and "e+09" not in line
