"""`gradlab cnn`: the --json object, human output, and bad input (one line, exit status 2)."""

import argparse
import json
import sys

import pytest

from gradlab import cnn_cli


def _main(argv):
    parser = argparse.ArgumentParser(prog="gradlab")
    commands = parser.add_subparsers(dest="command")
    cnn_cli.add_parser(commands)
    return cnn_cli.run(parser.parse_args(["cnn", *argv]))


TINY = ["--images", "200", "--epochs", "2", "--batch-size", "32", "--seed", "1", "--threads", "1"]


def test_json_object(capsys):
    assert _main([*TINY, "--json"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out)  # exactly one JSON object, nothing else on stdout
    assert report["epochs"] == 2 and report["status"] == "finished"
    for key in ("train_loss", "val_loss", "val_accuracy", "train_accuracy"):
        assert len(report[key]) == 2 and all(isinstance(v, float) for v in report[key])
    assert report["images_per_s"] > 0 and report["elapsed_s"] > 0
    assert report["parameters"] == 145_578 and report["batches"] == 10
    assert sum(map(sum, report["confusion_matrix"])) == 40
    assert report["config"]["seed"] == 1 and report["config"]["n_images"] == 200


def test_demo_json_has_the_chapters_losses(capsys):
    assert _main(["--dataset", "demo", "--epochs", "5", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["config"]["optimizer"] == "rmsprop" and report["config"]["lr"] == 1e-4
    assert 37 < report["train_loss"][0] < 40 and report["val_loss"] == [None] * 5
    assert report["batch_loss"] == report["train_loss"]


def test_human_output_weights_and_script(capsys, tmp_path):
    weights, script = tmp_path / "w.pt", tmp_path / "train.py"
    argv = [*TINY, "--relu", "--save-weights", str(weights), "--export-script", str(script)]
    assert _main(argv) == 0
    out = capsys.readouterr().out
    assert "epoch 1/2: train loss" in out and "epoch 2/2" in out and "with ReLU" in out
    assert "validation accuracy" in out and weights.exists() and script.exists()
    assert _main([*TINY, "--relu", "--load-weights", str(weights), "--epochs", "1"]) == 0


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--batch-size", "0"], "--batch-size: batch size must be >= 1"),
        (["--epochs", "many"], "argument --epochs: invalid int value: 'many'"),
        (["--dataset", "mnist"], "invalid choice: 'mnist'"),
        (["--dataset", "cifar10"], "--data-dir: CIFAR-10 needs a data folder"),
        (["--dataset", "cifar10", "--data-dir", "/no/such/folder"], "does not exist"),
        (["--images", "123"], "--images: number of images must be a multiple of 10"),
        (["--lr", "-1"], "--lr: learning rate must be > 0"),
        (["--load-weights", "/no/such/w.pt"], "weights file /no/such/w.pt does not exist"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, argv, words):
    with pytest.raises(SystemExit) as info:
        raise SystemExit(_main(argv))
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("gradlab cnn: error: ")
    assert words in err and "Traceback" not in err


@pytest.mark.parametrize("made", [False, True])
def test_a_missing_or_incomplete_cifar_folder_is_said_before_torch_loads(
    capsys, monkeypatch, tmp_path, made
):
    folder = tmp_path / "cifar"
    if made:
        folder.mkdir()  # there, but without the batch files
    for module in ("gradlab.core.cnn.session", "gradlab.core.cnn.model"):
        monkeypatch.setitem(sys.modules, module, None)  # importing them (torch) now fails
    assert _main(["--dataset", "cifar10", "--data-dir", str(folder)]) == 2
    err = capsys.readouterr().err
    assert ("is incomplete" if made else "does not exist") in err and "Traceback" not in err
