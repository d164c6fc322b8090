"""Importing gradlab before NumPy gives NumPy one BLAS thread (see gradlab/__init__.py), unless the
user asked for another number."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
THREADS = "import gradlab, numpy, os; print(len(os.listdir('/proc/self/task')))"


def threads_after_import(**env: str) -> int:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
    }
    out = subprocess.run(
        [sys.executable, "-c", THREADS],
        capture_output=True,
        text=True,
        env={**clean, **env},
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    return int(out.stdout.strip().splitlines()[-1])


pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir() or (os.cpu_count() or 1) < 2,
    reason="counts threads in /proc; OpenBLAS starts one per core",
)


def test_numpy_imported_after_gradlab_runs_one_thread() -> None:
    assert threads_after_import() == 1


def test_a_number_the_user_set_is_kept() -> None:
    assert threads_after_import(OPENBLAS_NUM_THREADS="2") == 2
