"""Python's collector pauses while PyTorch loads, then leaves the long-lived objects alone: a
full pass over them held the GUI thread 150-260 ms (gradlab.ui.collector)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

# in fresh processes: freezing is for the whole process, and the warm-up must import torch
WARM_UP_IN_A_FRESH_PROCESS = textwrap.dedent(
    """
    import gc, json, os
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from gradlab.ui.torch_warmup import TorchWarmup, torch_loaded
    app = QCoreApplication([])
    assert not torch_loaded()
    passes = []
    def seen(phase, info):
        if phase == "stop":
            passes.append(info["generation"])
    gc.callbacks.append(seen)
    warmup, loop = TorchWarmup(), QEventLoop()
    warmup.finished.connect(lambda ok: loop.quit())
    QTimer.singleShot(120_000, loop.quit)
    warmup.start()
    loop.exec()
    print(json.dumps({
        "ok": warmup.done and not warmup.failed, "passes": passes, "enabled": gc.isenabled(),
        "frozen": gc.get_freeze_count(), "tracked": len(gc.get_objects()),
    }))
    """
)


def test_the_warm_up_loads_torch_without_a_collection_and_freezes_what_it_made():
    result = subprocess.run(
        [sys.executable, "-c", WARM_UP_IN_A_FRESH_PROCESS],
        capture_output=True, text=True, timeout=180, check=True,
    )  # fmt: skip
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["ok"] and seen["enabled"]
    assert seen["passes"] == []  # none at all while torch and torch._dynamo were imported
    assert seen["frozen"] > 100_000  # torch's modules (and all else alive then)
    assert seen["tracked"] < seen["frozen"] / 10  # what a later pass still walks


COLLECTOR_RULES = textwrap.dedent(
    """
    import gc, json
    from gradlab.ui.collector import collector_paused
    seen = {}
    with collector_paused():
        seen["inside"] = gc.isenabled()
        made = [[n] for n in range(1000)]
    seen["after"], seen["frozen"] = gc.isenabled(), gc.get_freeze_count()
    try:
        with collector_paused():
            raise RuntimeError("an import failed")
    except RuntimeError:
        pass
    seen["after_a_failure"] = gc.isenabled()
    gc.disable()  # someone had it off: it stays off
    with collector_paused():
        pass
    seen["kept_off"] = not gc.isenabled()
    print(json.dumps(seen))
    """
)


def test_the_collector_is_back_on_after_a_pause_even_when_the_work_failed():
    result = subprocess.run(
        [sys.executable, "-c", COLLECTOR_RULES], capture_output=True, text=True, timeout=60,
        check=True,
    )  # fmt: skip
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "inside": False, "after": True, "frozen": seen["frozen"], "after_a_failure": True,
        "kept_off": True,
    }  # fmt: skip
    assert seen["frozen"] >= 1000  # the lists made inside among them
