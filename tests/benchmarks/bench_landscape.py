"""Time of one 200×200 landscape grid on the chapter's 2000 points, per loss.

Run: .venv/bin/python tests/benchmarks/bench_landscape.py
Goal: well under 100 ms for 200×200.
"""

from __future__ import annotations

import time

import numpy as np

from gradlab.core.features import feature_matrix
from gradlab.core.landscape import loss_grid

REPEATS = 7


def main() -> None:
    x = np.linspace(-np.pi, np.pi, 2000)
    y = np.sin(x)
    X = feature_matrix(x, 3, "power", -np.pi, np.pi)
    w = np.array([0.1, 0.8, 0.02, -0.09])
    a_values = np.linspace(-1.0, 2.0, 200)
    b_values = np.linspace(-1.0, 1.0, 200)
    print("200x200 loss grid over (b, d), 2000 points, best of", REPEATS)
    for kind in ("squared", "l1", "huber"):
        times = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            loss_grid(X, y, w, 1, 3, a_values, b_values, kind, "sum")
            times.append(time.perf_counter() - started)
        print(f"  {kind:8s} {1000 * min(times):8.2f} ms  (median {1000 * np.median(times):.2f} ms)")


if __name__ == "__main__":
    main()
