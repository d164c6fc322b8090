"""Run GradLab's loaders on hostile files in a process of their own, as the CLI does.

    python hostile_runner.py REPORT cli ARGS...        gradlab's main(ARGS)
    python hostile_runner.py REPORT cli ARGS... --each FILE...   main(ARGS) per FILE ("{file}")
    python hostile_runner.py REPORT KIND FILE...       one loader on each file, in turn

KIND is lesson, session or cifar. Each refusal is printed as one line on stderr, as
the CLI prints it. REPORT receives JSON: the peak RSS (KB) once the loader's modules are
imported, and for each file the seconds it took and whether it was refused. RSS is read from
/proc/self/status (VmHWM, this process's own high-water mark: getrusage's ru_maxrss would
start at the forking parent's), so growth = peak - baseline.
"""

from __future__ import annotations

import json
import resource
import sys
import time


def _peak_rss_kb() -> int:
    """This process's peak resident memory in KB (VmHWM; ru_maxrss where there is no /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _loader(kind: str):
    if kind == "lesson":
        from gradlab.core.lesson import load_lesson
        from gradlab.core.lesson_fields import LessonError

        return load_lesson, LessonError
    if kind == "session":
        from gradlab.core.session_arrays import SessionFileError
        from gradlab.core.session_file import load_session

        return load_session, SessionFileError
    if kind == "cifar":
        from gradlab.core.cnn.cifar import read_cifar10
        from gradlab.core.cnn.errors import DatasetError

        return read_cifar10, DatasetError
    raise SystemExit(f"unknown kind {kind}")


def main() -> int:
    report_path, kind, *args = sys.argv[1:]
    if kind == "cli":  # ARGS may end in --each FILE...: the command once per file, "{file}" in ARGS
        from gradlab.cli import main as cli

        if args[0] == "cnn":  # the command imports torch first: not the loader's time or memory
            import gradlab.core.cnn.session  # noqa: F401

        template, files = args, [""]
        if "--each" in args:
            at = args.index("--each")
            template, files = args[:at], args[at + 1 :]
        baseline = _peak_rss_kb()
        cases, status = [], 0
        for path in files:
            start = time.perf_counter()
            try:
                status = cli([part.replace("{file}", path) for part in template])
            except SystemExit as exit_:  # argparse's own refusals
                status = exit_.code if isinstance(exit_.code, int) else 2
            seconds = time.perf_counter() - start
            cases.append({"file": path, "seconds": seconds, "status": status})
    else:
        load, error_type = _loader(kind)
        baseline = _peak_rss_kb()
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
        json.dump({"baseline_kb": baseline, "peak_kb": _peak_rss_kb(), "cases": cases}, report)
    return status


if __name__ == "__main__":
    sys.exit(main())
