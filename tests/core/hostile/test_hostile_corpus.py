"""Every hostile file, real size, through each loader in a process of its own, as the CLI runs it.

Each file is accepted or refused within 5 s, the process's memory grows by less than 1 GB,
each refusal is one line with no traceback, and the CLI exits with status 2.
"""

from __future__ import annotations

from conftest import GROWTH_KB, SECONDS, Measured
from hostile_corpus import (
    ACCEPTED_LESSONS,
    cifar_cases,
    lesson_cases,
    session_cases,
    weights_cases,
)


def check(result: Measured, expected: int, refused: bool = True) -> None:
    assert result.growth_kb < GROWTH_KB, result
    assert len(result.cases) == expected, result.stderr[-2000:]
    for case in result.cases:
        assert case["seconds"] < SECONDS, case
        assert case.get("refused", refused) is refused, case
        assert case.get("status", 2) == 2, case  # the CLI's exit status for bad input
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr
    if refused:
        assert len(lines) == expected, lines
        assert all(line.startswith("gradlab") and len(line) < 400 for line in lines), lines


def report(names, result: Measured) -> None:
    """Figures for the record (pytest -s shows them)."""
    seconds = {
        name: round(case["seconds"], 3) for name, case in zip(names, result.cases, strict=True)
    }
    print(f"\n{seconds}\npeak RSS growth {result.growth_kb / 1024:.0f} MB")


def test_lessons_through_the_fit_command(tmp_path, measured):
    paths = []
    for name, text in lesson_cases().items():
        paths.append(tmp_path / f"{name}.json")
        paths[-1].write_text(text, encoding="utf-8")
    result = measured("cli", "fit", "--lesson", "{file}", "--json", "--each", *paths)
    check(result, len(paths))
    assert result.stdout == ""
    assert all(line.startswith("gradlab fit: error: ") for line in result.stderr.splitlines())
    report([path.stem for path in paths], result)


def test_long_but_legal_lesson_texts_are_accepted_quickly(tmp_path, measured):
    paths = []
    for name, text in ACCEPTED_LESSONS.items():
        paths.append(tmp_path / f"{name}.json")
        paths[-1].write_text(text, encoding="utf-8")
    check(measured("lesson", *paths), len(paths), refused=False)


def test_session_files(tmp_path, measured):
    cases = session_cases(tmp_path / "sessions")
    result = measured("session", *cases.values())
    check(result, len(cases))
    messages = dict(zip(cases, result.stderr.splitlines(), strict=True))
    assert "too large" in messages["int-5000-digits"]
    assert "interrupted" not in messages["int-5000-digits"]
    assert "9223372036854775807" in messages["run-id-2**63"]
    assert "262,144" in messages["rows-29M"] and "262,144" in messages["rows-300k-real"]
    assert "32,767" in messages["label-30MB"] and "32,767" in messages["target-30MB"]
    assert messages["final-loss-text"].count("run 1") == 1
    report(cases, result)


def test_cifar_folders(tmp_path, measured):
    cases = cifar_cases(tmp_path / "cifar")
    result = measured("cifar", *cases.values())
    check(result, len(cases))
    report(cases, result)


def test_weights_files_through_the_cnn_command(tmp_path, measured):
    cases = weights_cases(tmp_path / "weights")
    args = ["cnn", "--load-weights", "{file}", "--epochs", "1", "--images", "100", "--json"]
    result = measured("cli", *args, "--each", *cases.values())
    check(result, len(cases))
    lines = result.stderr.splitlines()
    assert all(line.startswith("gradlab cnn: error: ") for line in lines)
    assert "weights_only" not in result.stderr and result.stdout == ""
    assert "1,200,000,000" in lines[0]
    report(cases, result)
