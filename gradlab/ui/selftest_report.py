"""The self-test's report: one line per check (ok, WARNING or FAILED, in the interface
language), a summary, and a JSON line that scripts read (never translated)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication

METHODS = ("numpy-manual", "torch-autograd", "torch-optim")


@dataclass
class Report:
    lines: list[tuple[bool, str]] = field(default_factory=list)
    missed: set[int] = field(default_factory=set)  # lines that passed but missed a goal
    window_shown_s: float | None = None
    steps_per_s: dict[str, float] = field(default_factory=dict)
    lateness: list[float] = field(default_factory=list)
    window_vs_headless: dict[str, float] = field(default_factory=dict)  # by method
    first_torch_step_s: float | None = None  # Start -> first step of the first torch run
    qt_messages: list[str] = field(default_factory=list)

    def check(self, ok: bool, text: str, *, goal_met: bool = True) -> bool:
        """Add a line; ``goal_met=False`` marks a pass that missed its goal (a warning: the
        machine works, but slower than a classroom PC should)."""
        if ok and not goal_met:
            self.missed.add(len(self.lines))
        self.lines.append((bool(ok), text))
        return bool(ok)

    @property
    def ok(self) -> bool:
        return bool(self.lines) and all(ok for ok, _ in self.lines)

    def lateness_p95_ms(self) -> float | None:
        if not self.lateness:
            return None
        ordered = sorted(self.lateness)
        return 1000 * ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]

    def summary(self) -> dict[str, Any]:
        p95 = self.lateness_p95_ms()
        return {
            "window_shown_s": _round(self.window_shown_s, 3),
            "steps_per_s": {m: _round(self.steps_per_s.get(m), 1) for m in METHODS},
            "gui_lateness_p95_ms": _round(p95, 2),
            "window_vs_headless": {m: _round(self.window_vs_headless.get(m), 3) for m in METHODS},
            "first_torch_step_s": _round(self.first_torch_step_s, 3),
            "goals_missed": len(self.missed),
            "ok": self.ok,
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def report_lines(report: Report, platform: str) -> list[str]:
    """What the self-test prints: a heading, one line per check, a summary (all in the
    interface language), then the JSON line."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    passed = QCoreApplication.translate("SelfTest", "ok")
    failed = QCoreApplication.translate("SelfTest", "FAILED")
    warned = QCoreApplication.translate("SelfTest", "WARNING")
    width = max(len(passed), len(failed), len(warned))
    heading = QCoreApplication.translate(
        "SelfTest", "GradLab self-test (PySide6 {pyside}, Qt {qt}, platform {platform})"
    ).format(pyside=pyside_version, qt=qVersion(), platform=platform)

    def status(index: int, ok: bool) -> str:
        if not ok:
            return failed
        return warned if index in report.missed else passed

    checks = [f"{status(i, ok):<{width}}  {text}" for i, (ok, text) in enumerate(report.lines)]
    failures = sum(not ok for ok, _text in report.lines)
    if not report.ok:
        summary = QCoreApplication.translate("SelfTest", "{failed} of {n} checks FAILED.")
    elif report.missed:
        summary = QCoreApplication.translate(
            "SelfTest", "All {n} checks passed; {missed} missed a speed goal (WARNING above)."
        )
    else:
        summary = QCoreApplication.translate("SelfTest", "All {n} checks passed.")
    summary = summary.format(n=len(report.lines), failed=failures, missed=len(report.missed))
    return [heading, *checks, summary, json.dumps(report.summary())]
