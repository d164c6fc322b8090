"""Run a loader in a subprocess and measure it: time per file, peak memory growth, output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

RUNNER = Path(__file__).with_name("hostile_runner.py")
SECONDS = 5.0  # any file is accepted or refused within this
GROWTH_KB = 1024 * 1024  # and with less than this much more memory (1 GB)


@dataclass
class Measured:
    status: int
    stdout: str
    stderr: str
    peak_kb: int  # the process's own peak RSS (VmHWM)
    baseline_kb: int  # its peak RSS once the loader's modules were imported
    cases: list[dict]

    @property
    def growth_kb(self) -> int:
        return self.peak_kb - self.baseline_kb


def run_measured(tmp_path: Path, kind: str, *args: str) -> Measured:
    report = tmp_path / f"report-{kind}.json"
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, str(RUNNER), str(report), kind, *args],
            stdout=stdout,
            stderr=stderr,
            env=env,
        )
        timer = threading.Timer(120, process.kill)  # a hang fails the test, never the suite
        timer.start()
        try:
            _, wait_status, _ = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(wait_status)
    empty = {"baseline_kb": 0, "peak_kb": 0, "cases": []}
    data = json.loads(report.read_text()) if report.exists() else empty
    return Measured(
        status=process.returncode,
        stdout=out.read_text(),
        stderr=err.read_text(),
        peak_kb=data["peak_kb"],
        baseline_kb=data["baseline_kb"],
        cases=data["cases"],
    )


@pytest.fixture
def measured(tmp_path):
    def run(kind: str, *args: str) -> Measured:
        return run_measured(tmp_path, kind, *map(str, args))

    return run
