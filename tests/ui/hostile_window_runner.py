"""Open hostile files through GradLab's window in a process of its own, and measure it.

    python hostile_window_runner.py REPORT KIND FILE [KIND FILE ...]

KIND is lesson (File → Open lesson), session (File → Open session), weights (the CNN tab's Load
weights) or cifar (a CIFAR-10 folder in the CNN tab's settings, then Start). The window is built
offscreen with the CNN tab and torch loaded before the baseline is taken, so growth is the
files' alone. REPORT receives JSON: baseline and peak RSS (KB, VmHWM), and per file the seconds
until the window had answered, whether it refused, and the message it showed; plus every
exception that reached sys.excepthook or threading.excepthook.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import traceback

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WAIT_MS = 30_000


def _peak_rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main() -> int:
    report_path, *pairs = sys.argv[1:]
    exceptions: list[str] = []
    sys.excepthook = lambda kind, value, tb: exceptions.append(
        "".join(traceback.format_exception(kind, value, tb))
    )
    threading.excepthook = lambda args: exceptions.append(
        "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
    )
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from gradlab.app import create_window
    from gradlab.core.cnn.config import default_config

    window = create_window()
    window.dialogs.confirm = lambda text: True
    window.show()
    lab = window.cnn_lab  # built now, and torch with its first session below
    small = {"n_images": 200, "batch_size": 32, "epochs": 1, "threads": 1}
    lab.settings.set_config(default_config("shapes", **small), notify=False)

    def wait_for(signal, accept, timeout_ms: int = WAIT_MS) -> None:
        loop = QEventLoop()

        def on_signal(*args: object) -> None:
            if accept(*args):
                loop.quit()

        signal.connect(on_signal)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        signal.disconnect(on_signal)

    import gradlab.core.cnn.session  # noqa: F401  (torch: not the files' memory)

    for _ in range(3):
        app.processEvents()
    baseline = _peak_rss_kb()
    cases = []
    for kind, path in zip(pairs[::2], pairs[1::2], strict=True):
        window.banner.dismiss()
        lab.banner.hide()
        start = time.perf_counter()
        if kind == "lesson":
            refused = not window.classroom.lessons.open_lesson(path)
            message = window.banner.text
        elif kind == "session":
            refused = not window.classroom.files.open_session(path)
            message = window.banner.text
        elif kind == "weights":
            lab.reset()
            lab.dialogs.ask_open_file = lambda *args, p=path: p
            results: list[str] = []
            lab.job_done.connect(results.append)
            lab.load_weights()
            if not results:  # the job runs in the CNN worker
                wait_for(lab.job_done, lambda _kind: True)
            lab.job_done.disconnect(results.append)
            refused = results != ["loaded"]
            message = lab.banner.text
        elif kind == "cifar":
            lab.reset()
            lab.settings.set_config(
                default_config("cifar10", data_dir=path, threads=1, epochs=1), notify=False
            )
            states: list[str] = []
            lab.state_changed.connect(states.append)
            lab.start()
            wait_for(lab.state_changed, lambda state: state in ("failed", "finished"), 10_000)
            lab.state_changed.disconnect(states.append)
            lab.stop()
            refused = "failed" in states
            message = lab.banner.text
        else:
            raise SystemExit(f"unknown kind {kind}")
        seconds = time.perf_counter() - start
        cases.append({"kind": kind, "file": path, "seconds": seconds, "refused": refused,
                      "message": message})  # fmt: skip
    window.close()
    with open(report_path, "w", encoding="utf-8") as report:
        json.dump(
            {"baseline_kb": baseline, "peak_kb": _peak_rss_kb(), "cases": cases,
             "exceptions": exceptions},
            report,
        )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
