"""The CNN pipeline strip's rules: one status per stage box from the latest CnnBatch, and the
progress numbers the boxes show (pure; the strip only draws them)."""

from __future__ import annotations

from gradlab.core.cnn.config import STAGES
from gradlab.core.cnn.results import CnnBatch

__all__ = ["DONE_STATUSES", "STRIP_STAGES", "stage_details", "stage_statuses"]

# "download" is the chapter's first stage; GradLab works offline, so it checks, not downloads.
STRIP_STAGES = ("download", *STAGES)
DONE_STATUSES = frozenset({"finished", "diverged", "failed"})  # a CnnBatch's final statuses
_DONE = DONE_STATUSES


def stage_statuses(
    batch: CnnBatch | None, *, has_session: bool, active: bool, validates: bool = True
) -> dict[str, str]:
    """One status per strip box from the latest CnnBatch (None before the first one).

    Boxes before the batch's stage are done, its own box is "running" while the worker runs
    (or "current" while paused there), the rest wait; a failed run marks its stage failed.
    Without validation images (the chapter's demo) the validate box is "skipped".
    """
    statuses = dict.fromkeys(STRIP_STAGES, "waiting")
    if not validates:
        statuses["validate"] = "skipped"
    if not has_session:
        return statuses
    statuses["download"] = "done"  # the session exists: the data source was checked
    stage = batch.stage if batch is not None else "data"
    status = batch.status if batch is not None else "ready"
    position = STAGES.index(stage) if stage in STAGES else 0
    for i, name in enumerate(STAGES):
        if i < position and statuses[name] != "skipped":
            statuses[name] = "done"
    if status in _DONE:
        statuses[stage] = "done" if status == "finished" else "failed"
        if status == "diverged":
            statuses["train"] = "failed"
        return statuses
    statuses[stage] = "running" if active else "current"
    if stage == "train" and (batch.epoch if batch is not None else 1) > 1 and validates:
        statuses["validate"] = "done"  # validated after an earlier epoch; runs again later
    return statuses


def stage_details(batch: CnnBatch | None) -> dict[str, float | int]:
    """Progress numbers for the boxes: data loaded (0..1), the epoch, validation (0..1)."""
    if batch is None:
        return {}
    details: dict[str, float | int] = {}
    if batch.stage == "data":
        details["data"] = batch.stage_progress
    if batch.stage in ("train", "validate") or batch.status == "finished":
        details["train"] = batch.epoch
    if batch.stage == "validate":
        details["validate"] = batch.stage_progress
    return details
