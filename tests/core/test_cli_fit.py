"""`gradlab fit` end to end: the acceptance commands, the JSON shape, files, and bad input."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from gradlab.cli import main
from gradlab.resources import resource_path

CHAPTER = ["--method", "numpy-manual", "--lr", "1e-6", "--loss", "squared", "--reduction", "sum"]


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["fit", *args, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # stdout is exactly one JSON object
    return json.loads(out)


def test_chapter_run_reaches_the_optimum_fast(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, *CHAPTER, "--steps", "200000")
    assert result["steps"] == 200_000
    assert result["loss"] == pytest.approx(result["optimum"]["loss"], rel=1e-9)
    assert result["optimum"]["loss"] == pytest.approx(8.81717, abs=1e-5)
    assert result["max_stable_lr"] == pytest.approx(3.558e-6, rel=1e-3)
    assert result["condition_number"] == pytest.approx(325.4, abs=0.1)
    assert result["diverged"] is False and result["diverged_at"] is None
    # the chapter's script takes ~40 s; a small fraction of that, with room for a busy machine
    assert result["elapsed_s"] < 5
    assert set(result) == {
        "steps", "loss", "coefficients", "optimum", "max_stable_lr", "condition_number",
        "diverged", "diverged_at", "elapsed_s", "steps_per_s",
    }  # fmt: skip


def test_too_large_learning_rate_diverges(capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, *CHAPTER, "--lr", "4e-6", "--steps", "200000")
    assert result["diverged"] is True
    assert 1000 < result["diverged_at"] < 3000
    assert result["steps"] == result["diverged_at"] - 1  # the last finite state is kept
    assert all(abs(c) < float("inf") for c in result["coefficients"])


def test_torch_methods_and_flags(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--steps", "300", "--reduction", "mean", "--init", "0.1,0.2,0.3,0.4"]
    sgd = run_json(capsys, "--method", "torch-optim", "--optimizer", "sgd", "--lr", "1e-3", *args)
    hand = run_json(capsys, "--method", "numpy-manual", "--lr", "1e-3", *args)
    autograd = run_json(capsys, "--method", "torch-autograd", "--lr", "1e-3", *args)
    for other in (sgd, autograd):
        assert other["coefficients"] == pytest.approx(hand["coefficients"], rel=1e-9)
    adam = run_json(
        capsys, "--method", "torch-optim", "--optimizer", "adam", "--lr", "1e-2",
        "--weight-decay", "0", "--degree", "5", "--basis", "legendre", "--x-range=-pi,pi",
        "--target", "exp(-x**2)", "--noise", "0.05", "--val-fraction", "0.2",
        "--batch-size", "64", "--steps", "200", "--dtype", "float32", "--seed", "3",
    )  # fmt: skip
    assert len(adam["coefficients"]) == 6


def test_human_output_prints_the_chapter_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fit", "--steps", "20000"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("y_pred = ")
    assert "*x + " in out[-1] and out[-1].endswith("*x^3")


def test_csv_and_lesson_round_trip(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    history = tmp_path / "history.csv"
    lesson = tmp_path / "mine.json"
    first = run_json(
        capsys, "--lr", "2e-6", "--steps", "500", "--csv", str(history),
        "--save-lesson", str(lesson),
    )  # fmt: skip
    with history.open() as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["step", "loss", "val_loss", "a", "b", "c", "d", "grad_norm"]
    assert len(rows) == 501
    again = run_json(capsys, "--lesson", str(lesson))
    assert again["coefficients"] == first["coefficients"]
    # flags override the lesson
    shorter = run_json(capsys, "--lesson", str(lesson), "--steps", "10")
    assert shorter["steps"] == 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lr", "-1"], "learning rate must be > 0 and finite, got -1"),
        (["--lr", "abc"], "--lr needs a number"),
        (["--degree", "12"], "degree"),
        (["--target", "sin(x"], "position"),
        (["--target", "__import__('os')"], "target"),
        (["--x-range", "1"], "--x-range needs LO,HI"),
        (["--init", "1,2"], "init values must be 4 numbers"),
        (["--method", "magic"], "invalid choice"),
        (["--lesson", "/nonexistent/lesson.json"], "lesson.json"),
        (["--nesterov", "--method", "torch-optim", "--optimizer", "sgd"], "Nesterov"),
    ],
)
def test_bad_input_is_one_line_and_status_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        status = main(["fit", *args])
    except SystemExit as exit_:  # argparse exits for its own errors
        status = int(exit_.code or 0)
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.strip().splitlines()) == 1
    assert message in err
    assert "Traceback" not in err


def test_broken_lesson_file(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": 1, "kind": "gradlab-lesson", "config": {"training": {"lr": ')
    assert main(["fit", "--lesson", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "broken.json" in err and len(err.strip().splitlines()) == 1


def test_python_dash_m_is_the_same_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gradlab", "fit", "--steps", "100", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["steps"] == 100
    bad = subprocess.run(
        [sys.executable, "-m", "gradlab", "fit", "--points", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stderr.startswith("gradlab fit: error: number of points must be")


@pytest.mark.parametrize(
    "lesson", sorted(p.name for p in resource_path("lessons").glob("*.json")), ids=str
)
def test_every_shipped_lesson_runs_headless(
    lesson: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = resource_path("lessons", lesson)
    result = run_json(capsys, "--lesson", str(path), "--steps", "50")
    assert result["steps"] == 50 or result["diverged"]
    if "parameters" in result:  # a network: no closed-form optimum exists, none is reported
        assert result["optimum"] is None
    else:
        assert result["optimum"]["loss"] >= 0
