"""Run GradLab's loaders on hostile files in a process of their own, as the CLI does.

    python hostile_runner.py REPORT cli ARGS...        gradlab's main(ARGS)
    python hostile_runner.py REPORT KIND FILE...       one loader on each file, in turn

KIND is lesson, session, weights or cifar. Each refusal is printed as one line on stderr, as
the CLI prints it. REPORT receives JSON: the peak RSS (KB) once the loader's modules are
imported, and for each file the seconds it took and whether it was refused. The parent reads
the process's overall peak RSS from os.wait4, so growth = peak - baseline.
"""

from __future__ import annotations

import json
import resource
import sys
import time


def _loader(kind: str):
    if kind == "lesson":
        from gradlab.core.lesson import LessonError, load_lesson

        return load_lesson, LessonError
    if kind == "session":
        from gradlab.core.session_file import SessionFileError, load_session

        return load_session, SessionFileError
    if kind == "weights":
        from gradlab.core.cnn.errors import WeightsError
        from gradlab.core.cnn.model import build_cnn
        from gradlab.core.cnn.weights import load_weights

        model = build_cnn(1, 32)

        return (lambda path: load_weights(model, path)), WeightsError
    if kind == "cifar":
        from gradlab.core.cnn.cifar import read_cifar10
        from gradlab.core.cnn.errors import DatasetError

        return read_cifar10, DatasetError
    raise SystemExit(f"unknown kind {kind}")


def main() -> int:
    report_path, kind, *args = sys.argv[1:]
    if kind == "cli":
        from gradlab.cli import main as cli

        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        try:
            status = cli(args)
        except SystemExit as exit_:  # argparse's own refusals
            status = exit_.code if isinstance(exit_.code, int) else 2
        cases = [{"file": " ".join(args), "seconds": time.perf_counter() - start}]
    else:
        load, error_type = _loader(kind)
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cases, status = [], 0
        for path in args:
            start = time.perf_counter()
            refused = True
            try:
                load(path)
                refused = False
            except error_type as error:
                print(f"gradlab: error: {error}", file=sys.stderr)
            cases.append({"file": path, "seconds": time.perf_counter() - start, "refused": refused})
    with open(report_path, "w", encoding="utf-8") as report:
        json.dump({"baseline_kb": baseline, "cases": cases}, report)
    return status


if __name__ == "__main__":
    sys.exit(main())
