"""A session file's arrays (.npy parts), read and checked, and SessionFileError: each problem is
one line in English with a message id and values (gradlab.text.file_errors words it in Chinese).
Nothing is ever unpickled."""

from __future__ import annotations

import math
import zipfile

import numpy as np

from gradlab.core.bounded_json import describe
from gradlab.core.config import MAX_LAYERS, MAX_WIDTH, ModelConfig
from gradlab.core.limits import MAX_RUN_ROWS
from gradlab.core.worded_error import WordedError

# the most columns a run's history has: one per parameter of the largest network
_MAX_COLUMNS = ModelConfig(kind="mlp", layers=MAX_LAYERS, hidden=MAX_WIDTH).parameter_count
_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class SessionFileError(WordedError):
    """A session file cannot be written or read; the message is one line naming the file.

    ``message_id`` and ``values`` say the same as data (gradlab.text.file_errors)."""


def read_array(archive: zipfile.ZipFile, member: object, where: str) -> np.ndarray:
    """One .npy member, checked (header first, so a lying shape allocates nothing)."""
    if not isinstance(member, str) or member not in archive.NameToInfo:
        raise SessionFileError(
            f"{where}: missing part {describe(member)}",
            message_id="session_run_bad",
            values={"where": where},
        )
    size = archive.getinfo(member).file_size
    with archive.open(member) as source:
        try:
            version = np.lib.format.read_magic(source)
            if version == (1, 0):
                shape, _, dtype = np.lib.format.read_array_header_1_0(source)
            elif version == (2, 0):
                shape, _, dtype = np.lib.format.read_array_header_2_0(source)
            else:
                raise ValueError(f"unsupported .npy version {version}")
        except ValueError as error:
            raise SessionFileError(
                f"{where}: {member} is not a NumPy array ({error})",
                message_id="session_run_bad",
                values={"where": where},
            ) from None
        if dtype.hasobject:
            raise SessionFileError(
                f"{where}: {member} holds Python objects; GradLab never loads pickled data",
                message_id="session_run_bad",
                values={"where": where},
            )
        if dtype.kind not in "iuf" or dtype.fields is not None:
            raise SessionFileError(
                f"{where}: {member} holds {dtype} values, expected numbers",
                message_id="session_run_bad",
                values={"where": where},
            )
        _check_shape(where, member, shape)
        if math.prod(shape) * dtype.itemsize > size - source.tell():
            raise SessionFileError(
                f"{where}: {member} is shorter than its shape {shape}",
                message_id="session_run_bad",
                values={"where": where},
            )
    with archive.open(member) as source:
        try:
            # read_array, not np.load: only the .npy format, never a pickle or a nested archive
            array: np.ndarray = np.lib.format.read_array(source, allow_pickle=False)
            return array
        except ValueError as error:
            raise SessionFileError(
                f"{where}: {member} cannot be read ({error})",
                message_id="session_run_bad",
                values={"where": where},
            ) from None


def _check_shape(where: str, member: str, shape: tuple[int, ...]) -> None:
    """Rows within what GradLab records per run, before a byte of the array is read."""
    if len(shape) > 2 or (len(shape) == 2 and shape[1] > _MAX_COLUMNS):
        raise SessionFileError(
            f"{where}: {member} has shape {shape}, not a run's history",
            message_id="session_run_bad",
            values={"where": where},
        )
    if shape and shape[0] > MAX_RUN_ROWS:
        raise SessionFileError(
            f"{where}: {member} has {shape[0]:,} rows; GradLab records at most "
            f"{MAX_RUN_ROWS:,} per run",
            message_id="session_run_bad",
            values={"where": where},
        )


def decode_float(value: object, where: str) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and value in _NON_FINITE:
        return _NON_FINITE[value]
    raise SessionFileError(
        f"{where}: final_loss must be a number, got {describe(value)}",
        message_id="session_run_bad",
        values={"where": where},
    )
