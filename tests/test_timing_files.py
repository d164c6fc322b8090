"""make test runs the timing tests alone, collected only from the files tests/timing_files.txt
lists: a timing test in a file not listed there would never run."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_file_with_timing_tests_is_listed() -> None:
    listed = (ROOT / "tests" / "timing_files.txt").read_text(encoding="utf-8").split()
    marked = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "tests").rglob("test_*.py")
        if path != Path(__file__) and "mark.timing" in path.read_text(encoding="utf-8")
    )
    assert marked == sorted(listed), "tests/timing_files.txt must list exactly these: " + str(
        marked
    )
