"""The one table of settings a paused run takes on without starting again.

The learning rate, the step count and torch.optim's hyperparameters change from the next step
on; everything else (data, model, method, loss, optimizer name, seed, batches...) fixes the
session and needs a new run. The session, the lab model and the panel all read this table.
"""

from __future__ import annotations

LIVE_OPTIMIZER_SETTINGS: tuple[str, ...] = (
    "momentum",
    "nesterov",
    "weight_decay",
    "alpha",
    "beta1",
    "beta2",
    "eps",
)
LIVE_PATHS: frozenset[str] = frozenset(
    {"training.lr", "training.steps"} | {f"optimizer.{name}" for name in LIVE_OPTIMIZER_SETTINGS}
)
