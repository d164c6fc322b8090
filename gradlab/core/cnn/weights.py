"""Save and load a model's weights: state_dict via torch.save, atomically; loading with
weights_only=True, and every problem reported as a WeightsError the student can act on."""

from __future__ import annotations

import os
from pathlib import Path

import torch
from torch import nn

from gradlab.core.atomic import atomic_open
from gradlab.core.cnn.errors import WeightsError


def save_weights(model: nn.Module, path: str | os.PathLike[str]) -> None:
    """Write model.state_dict() atomically (gradlab.core.atomic: temp file, fsync, replace)."""
    target = Path(path)
    try:
        with atomic_open(target) as file:
            torch.save(model.state_dict(), file)
    except OSError as exc:
        raise WeightsError(f"cannot save weights to {target}: {exc.strerror or exc}") from None


def load_weights(model: nn.Module, path: str | os.PathLike[str]) -> None:
    """Load a state_dict saved by save_weights into model. A missing, corrupt or
    non-matching file raises WeightsError and leaves the model unchanged."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise WeightsError(f"weights file {path} does not exist") from None
    except Exception as exc:  # torch.load raises many types for a damaged or foreign file
        reason = str(exc).splitlines()[0] if str(exc) else ""
        raise WeightsError(
            f"{path} is not a weights file saved by GradLab or torch.save "
            f"({type(exc).__name__}: {reason})"
        ) from None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise WeightsError(f"{path} does not hold a model's weights (a state_dict)")
    expected = model.state_dict()
    missing = [k for k in expected if k not in state]
    unknown = [k for k in state if k not in expected]
    if missing or unknown:
        raise WeightsError(
            f"{path} holds weights for a different model: missing "
            f"{', '.join(missing) or 'nothing'}; unexpected {', '.join(unknown) or 'nothing'}"
        )
    for key, value in expected.items():
        if tuple(state[key].shape) != tuple(value.shape):
            raise WeightsError(
                f"{path} does not fit this model: {key} has shape "
                f"{tuple(state[key].shape)} in the file but {tuple(value.shape)} here "
                f"(a model for another dataset's image channels or size?)"
            )
    model.load_state_dict(state)
