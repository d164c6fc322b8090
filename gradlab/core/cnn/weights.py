"""Save and load a model's weights: state_dict via torch.save, atomically; loading with
weights_only=True, and every problem reported as a WeightsError the student can act on."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import torch
from torch import nn

from gradlab.core.atomic import atomic_open, input_problem
from gradlab.core.bounded_json import describe
from gradlab.core.cnn.errors import WeightsError
from gradlab.core.limits import (
    MAX_WEIGHTS_FILE_BYTES,
    MAX_WEIGHTS_MEMBER_BYTES,
    MAX_WEIGHTS_MEMBERS,
    MAX_WEIGHTS_PICKLE_BYTES,
)
from gradlab.core.zip_budget import ZipBudgetError, check_zip_directory


def save_weights(model: nn.Module, path: str | os.PathLike[str]) -> None:
    """Write model.state_dict() atomically (gradlab.core.atomic: temp file, fsync, replace)."""
    target = Path(path)
    try:
        with atomic_open(target) as file:
            torch.save(model.state_dict(), file)
    except OSError as exc:
        raise WeightsError(
            f"cannot save weights to {target}: {exc.strerror or exc}",
            "weights_cannot_save",
            {"path": str(target), "reason": exc.strerror or str(exc)},
        ) from None


def _check_file(path: str | os.PathLike[str]) -> None:
    """Refuse before torch.load what is not a small ZIP of tensors (sizes from the directory)."""
    name = os.fspath(path)
    problem = input_problem(name)
    if problem:
        raise WeightsError(
            f"weights file {name!r}: {problem}",
            "weights_bad_input",
            {"path": name, "problem": problem},
        )
    try:
        with open(name, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            if size > MAX_WEIGHTS_FILE_BYTES:
                raise WeightsError(
                    f"{name} is {size:,} bytes; a weights file is at most "
                    f"{MAX_WEIGHTS_FILE_BYTES:,} (the chapter's CNN needs about 1 MB)",
                    "weights_too_big",
                    {"path": name, "size": f"{size:,}", "limit": f"{MAX_WEIGHTS_FILE_BYTES:,}"},
                )
            check_zip_directory(file, MAX_WEIGHTS_MEMBERS)
            with zipfile.ZipFile(file) as archive:
                infos = archive.infolist()
    except FileNotFoundError:
        raise WeightsError(
            f"weights file {name} does not exist", "weights_missing", {"path": name}
        ) from None
    except IsADirectoryError:
        raise WeightsError(
            f"weights file {name} is a folder", "weights_is_folder", {"path": name}
        ) from None
    except ZipBudgetError as error:
        raise WeightsError(
            f"{name}: {error} (a weights file)", "weights_zip_budget", {"path": name}
        ) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise WeightsError(
            f"{name} is not a weights file saved by GradLab or torch.save (not the ZIP "
            "format torch.save writes, or damaged)",
            "weights_not_zip",
            {"path": name},
        ) from None
    total = 0
    for info in infos:
        limit = (
            MAX_WEIGHTS_PICKLE_BYTES
            if info.filename.endswith(".pkl")
            else (MAX_WEIGHTS_MEMBER_BYTES)
        )
        if info.file_size > limit:
            raise WeightsError(
                f"{name}: part {describe(info.filename)} is {info.file_size:,} bytes "
                f"unpacked; the limit is {limit:,}",
                "weights_part_too_large",
                {"path": name, "size": f"{info.file_size:,}", "limit": f"{limit:,}"},
            )
        total += info.file_size
    if total > MAX_WEIGHTS_FILE_BYTES:
        raise WeightsError(
            f"{name} unpacks to {total:,} bytes; the limit is {MAX_WEIGHTS_FILE_BYTES:,}",
            "weights_unpacks_too_large",
            {"path": name, "size": f"{total:,}", "limit": f"{MAX_WEIGHTS_FILE_BYTES:,}"},
        )


def load_weights(model: nn.Module, path: str | os.PathLike[str]) -> None:
    """Load a state_dict saved by save_weights into model. A missing, corrupt or
    non-matching file raises WeightsError and leaves the model unchanged.

    The file's sizes are checked before torch reads it, and torch's own error text is never
    passed on (it can suggest weights_only=False, which would let a file run code).
    """
    _check_file(path)
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise WeightsError(
            f"weights file {path} does not exist", "weights_missing", {"path": os.fspath(path)}
        ) from None
    except Exception as exc:  # torch.load raises many types for a damaged or foreign file
        raise WeightsError(
            f"{path} is not a weights file saved by GradLab or torch.save (damaged, or it "
            f"holds more than tensors: {type(exc).__name__})",
            "weights_not_weights",
            {"path": os.fspath(path)},
        ) from None
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise WeightsError(
            f"{path} does not hold a model's weights (a state_dict)",
            "weights_not_state_dict",
            {"path": os.fspath(path)},
        )
    expected = model.state_dict()
    missing = [k for k in expected if k not in state]
    unknown = [k for k in state if k not in expected]
    if missing or unknown:
        raise WeightsError(
            f"{path} holds weights for a different model: missing "
            f"{', '.join(missing) or 'nothing'}; unexpected {', '.join(unknown) or 'nothing'}",
            "weights_other_model",
            {
                "path": os.fspath(path),
                "missing": ", ".join(missing) or "—",
                "unknown": ", ".join(unknown) or "—",
            },
        )
    for key, value in expected.items():
        if tuple(state[key].shape) != tuple(value.shape):
            raise WeightsError(
                f"{path} does not fit this model: {key} has shape "
                f"{tuple(state[key].shape)} in the file but {tuple(value.shape)} here "
                f"(a model for another dataset's image channels or size?)",
                "weights_wrong_shape",
                {
                    "path": os.fspath(path),
                    "key": key,
                    "file_shape": tuple(state[key].shape),
                    "model_shape": tuple(value.shape),
                },
            )
    model.load_state_dict(state)
