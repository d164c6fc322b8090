"""Save and open a whole lab session (config, every run's full history, UI state) as one file.

The file is a ZIP archive::

    manifest.json        {"format": 1, "kind": "gradlab-session", "app_version", "saved_at",
                          "config": {...}, "runs": [{"id", "label", "status", ..., "config",
                          "arrays": {"loss": "runs/1/loss.npy", ...}}], "extra": {...}}
    runs/<id>/<name>.npy one NumPy array each (steps, loss, val_loss, coefficients, grad_norm,
                         final_coefficients), written and read with allow_pickle=False

Writes are atomic (a temporary file in the same folder, fsync, os.replace), so a crash or a full
disk never damages the previous file. Reading checks everything before anything is returned, and
every problem is one SessionFileError line naming the file. Nothing is ever unpickled.
Autosave with crash recovery (gradlab.core.autosave) and the CSV export of one run's history
(gradlab.core.run_export) build on this module.
"""

from __future__ import annotations

import json
import math
import os
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

import numpy as np

from gradlab import __version__
from gradlab.core.atomic import atomic_open, input_problem
from gradlab.core.bounded_json import JsonBudgetError, describe, loads
from gradlab.core.config import Config
from gradlab.core.lesson import config_from_dict, config_to_dict
from gradlab.core.lesson_fields import LessonError
from gradlab.core.limits import (
    MAX_MANIFEST_BYTES,
    MAX_SESSION_BYTES,
    MAX_SESSION_MEMBERS,
    MAX_SESSION_RUNS,
)
from gradlab.core.runs import HISTORY_ARRAYS, RunHistory, RunRecord
from gradlab.core.session_arrays import SessionFileError, decode_float, read_array
from gradlab.core.worded_error import file_error
from gradlab.core.zip_budget import ZipBudgetError, check_zip_directory

FORMAT_VERSION = 1
SESSION_KIND = "gradlab-session"
SESSION_SUFFIX = ".gradlab"
MANIFEST = "manifest.json"
ARRAY_NAMES = (*HISTORY_ARRAYS, "final_coefficients")
MAX_TOTAL_BYTES = MAX_SESSION_BYTES  # uncompressed, against zip bombs (read at call time)
MAX_MEMBERS = MAX_SESSION_MEMBERS
# coefficients per row: a degree-9 polynomial has 10, the largest network (3 × 64 units) 8513
_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


@dataclass
class SessionState:
    """Everything a session file holds: the current config, the runs and JSON-able UI state
    (e.g. ``{"selected_run": 2, "language": "zh"}``)."""

    config: Config = field(default_factory=Config)
    runs: list[RunRecord] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


# ---- saving -----------------------------------------------------------------------------------


def save_session(path: str | os.PathLike[str], state: SessionState) -> None:
    """Write ``state`` to ``path`` atomically; the previous file survives any failure.

    Raises SessionFileError when the state cannot be saved (e.g. ``extra`` is not JSON data)
    or the file cannot be written (full disk, no permission), naming the file and the reason.
    """
    name = os.fspath(path)
    try:
        manifest = _manifest_text(state)
        with atomic_open(path) as file, zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST, manifest)
            for record in state.runs:
                for array_name, array in _run_arrays(record).items():
                    _write_array(zf, _member(record.id, array_name), array)
    except SessionFileError as error:
        raise error.named(name) from error.__cause__
    except OSError as error:
        raise file_error(SessionFileError, "write", error).named(name) from error


def _manifest_text(state: SessionState) -> str:
    if not isinstance(state.config, Config):
        raise SessionFileError(f"config must be a Config, got {type(state.config).__name__}")
    if not all(isinstance(record, RunRecord) for record in state.runs):
        raise SessionFileError("runs must be a list of RunRecord")
    ids = [record.id for record in state.runs]
    if len(set(ids)) != len(ids):
        raise SessionFileError("run ids must be unique")
    if not isinstance(state.extra, dict):
        raise SessionFileError(f"extra must be a dict, got {type(state.extra).__name__}")
    manifest = {
        "format": FORMAT_VERSION,
        "kind": SESSION_KIND,
        "app_version": __version__,
        "saved_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "config": config_to_dict(state.config),
        "runs": [_run_entry(record) for record in state.runs],
        "extra": state.extra,
    }
    try:
        text = json.dumps(manifest, ensure_ascii=False, indent=1, allow_nan=False)
    except (TypeError, ValueError) as error:  # only extra can hold such values
        raise SessionFileError(f"extra UI state is not plain JSON data ({error})") from None
    if json.loads(text)["extra"] != state.extra:  # e.g. int keys or tuples would come back changed
        raise SessionFileError("extra UI state must use text keys, lists and plain values")
    return text


def _run_entry(record: RunRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "label": record.label,
        "status": record.status,
        "step_count": record.step_count,
        "diverged_at": record.diverged_at,
        "final_loss": _encode_float(record.final_loss),
        "created": record.created,
        "visible": record.visible,
        "config": config_to_dict(record.config),
        "arrays": {name: _member(record.id, name) for name in ARRAY_NAMES},
    }


def _run_arrays(record: RunRecord) -> dict[str, np.ndarray]:
    arrays = {name: getattr(record.history, name) for name in HISTORY_ARRAYS}
    arrays["final_coefficients"] = record.final_coefficients
    return arrays


def _member(run_id: int, array_name: str) -> str:
    return f"runs/{run_id}/{array_name}.npy"


def _write_array(zf: zipfile.ZipFile, member: str, array: np.ndarray) -> None:
    with zf.open(member, "w", force_zip64=array.nbytes > 2**30) as out:
        np.save(out, array, allow_pickle=False)


def _encode_float(value: float) -> float | str:
    """JSON has no NaN or infinity: those become "nan", "inf", "-inf"."""
    return value if math.isfinite(value) else repr(value)


# ---- loading ----------------------------------------------------------------------------------


def load_session(path: str | os.PathLike[str]) -> SessionState:
    """Read and check a session file; any problem is a one-line SessionFileError.

    Nothing is returned unless the whole file is valid.
    """
    name = os.fspath(path)
    problem = input_problem(name)
    if problem:
        raise SessionFileError(
            problem, message_id="file_problem", values={"problem": problem}
        ).named(name or repr(name))
    try:
        with open(path, "rb") as file:
            start = file.read(4)
            if not start:
                raise SessionFileError("the file is empty", message_id="file_empty")
            try:
                check_zip_directory(file, MAX_MEMBERS)
            except ZipBudgetError as error:
                raise SessionFileError(
                    f"{error} (a session file)",
                    message_id="session_too_many_parts",
                    values={"limit": f"{MAX_MEMBERS:,}"},
                ) from None
            file.seek(0)
            return _read(file, looks_like_zip=start == b"PK\x03\x04")
    except SessionFileError as error:
        raise error.named(name) from error.__cause__
    except FileNotFoundError:
        raise SessionFileError("no such file", message_id="file_missing").named(name) from None
    except IsADirectoryError:
        raise SessionFileError(
            "is a folder, not a session file", message_id="session_is_folder"
        ).named(name) from None
    except OSError as error:
        raise file_error(SessionFileError, "read", error).named(name) from None


def _read(file: IO[bytes], looks_like_zip: bool) -> SessionState:
    try:
        with zipfile.ZipFile(file) as archive:
            return _read_archive(archive)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
            RuntimeError, ValueError, OverflowError, KeyError, IndexError) as error:  # fmt: skip
        if isinstance(error, SessionFileError):
            raise
        # all the ways a cut-off or scrambled archive shows up in zipfile, zlib and numpy
        if not looks_like_zip:
            raise SessionFileError(
                "not a GradLab session file (not a ZIP archive)", message_id="session_not_zip"
            ) from None
        raise SessionFileError(
            f"the file is damaged or incomplete ({_short(error)}); was saving interrupted?",
            message_id="session_damaged",
        ) from None


def _read_archive(archive: zipfile.ZipFile) -> SessionState:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise SessionFileError(
            f"too many parts ({len(infos):,}) for a session file; the limit is {MAX_MEMBERS:,}",
            message_id="session_too_many_parts",
            values={"limit": f"{MAX_MEMBERS:,}"},
        )
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise SessionFileError("the archive lists a part twice", message_id="session_damaged")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise SessionFileError(
            f"the contents are too large ({total:,} bytes unpacked; the limit is "
            f"{MAX_TOTAL_BYTES:,})",
            message_id="session_too_large",
            values={"size": f"{total:,}", "limit": f"{MAX_TOTAL_BYTES:,}"},
        )
    if MANIFEST not in names:
        raise SessionFileError(
            f"a ZIP archive but not a GradLab session (no {MANIFEST})",
            message_id="session_no_manifest",
            values={"manifest": MANIFEST},
        )
    manifest_size = archive.getinfo(MANIFEST).file_size
    if manifest_size > MAX_MANIFEST_BYTES:
        raise SessionFileError(
            f"{MANIFEST} is too large ({manifest_size:,} bytes; the limit is "
            f"{MAX_MANIFEST_BYTES:,})",
            message_id="session_manifest_bad",
            values={"manifest": MANIFEST},
        )
    manifest = _parse_manifest(_read_member(archive, MANIFEST, manifest_size))
    config = _config(manifest.get("config"), "config")
    entries = manifest.get("runs", [])
    if not isinstance(entries, list):
        raise SessionFileError(
            f'"runs" must be a list, got {describe(entries)}',
            message_id="session_manifest_bad",
            values={"manifest": MANIFEST},
        )
    if len(entries) > MAX_SESSION_RUNS:
        raise SessionFileError(
            f"{len(entries):,} runs; a session file holds at most {MAX_SESSION_RUNS:,}",
            message_id="session_too_many_runs",
            values={"count": f"{len(entries):,}", "limit": f"{MAX_SESSION_RUNS:,}"},
        )
    runs = [_read_run(archive, entry, index) for index, entry in enumerate(entries)]
    ids = [record.id for record in runs]
    if len(set(ids)) != len(ids):
        raise SessionFileError("two runs have the same id", message_id="session_same_id")
    extra = manifest.get("extra", {})
    if not isinstance(extra, dict):
        raise SessionFileError(
            f'"extra" must be a JSON object, got {describe(extra)}',
            message_id="session_manifest_bad",
            values={"manifest": MANIFEST},
        )
    return SessionState(config=config, runs=runs, extra=extra)


def _read_member(archive: zipfile.ZipFile, member: str, size: int) -> bytes:
    """A member's bytes, inflated a chunk at a time: a stream that inflates beyond its declared
    size is cut there (then fails its CRC), never held in memory whole."""
    chunks, left = [], size
    with archive.open(member) as source:
        while left > 0 and (chunk := source.read(min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        source.read(1)  # reaching the end checks the CRC
    return b"".join(chunks)


def _reject_constant(name: str) -> None:
    raise SessionFileError(
        f"{MANIFEST} contains {name}, which is not JSON",
        message_id="session_manifest_bad",
        values={"manifest": MANIFEST},
    )


def _parse_manifest(raw: bytes) -> dict[str, Any]:
    try:
        manifest = loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except JsonBudgetError as error:
        raise SessionFileError(
            f"{MANIFEST}: {error}",
            message_id="session_manifest_bad",
            values={"manifest": MANIFEST},
        ) from None
    except UnicodeDecodeError:
        raise SessionFileError(
            f"{MANIFEST} is not UTF-8 text",
            message_id="session_manifest_bad",
            values={"manifest": MANIFEST},
        ) from None
    except json.JSONDecodeError as error:
        raise SessionFileError(
            f"{MANIFEST} is not valid JSON ({error.msg})",
            message_id="session_manifest_bad",
            values={"manifest": MANIFEST},
        ) from None
    except RecursionError:
        raise SessionFileError(
            f"{MANIFEST} is nested too deeply",
            message_id="session_manifest_bad",
            values={"manifest": MANIFEST},
        ) from None
    if not isinstance(manifest, dict):
        raise SessionFileError(
            f"{MANIFEST} must be a JSON object",
            message_id="session_manifest_bad",
            values={"manifest": MANIFEST},
        )
    kind = manifest.get("kind")
    if kind != SESSION_KIND:
        raise SessionFileError(
            f'not a GradLab session: "kind" is {describe(kind)}',
            message_id="session_wrong_kind",
            values={"value": describe(kind)},
        )
    version = manifest.get("format")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SessionFileError(
            f'"format" must be a version number, got {describe(version)}',
            message_id="session_manifest_bad",
            values={"manifest": MANIFEST},
        )
    if version > FORMAT_VERSION:
        raise SessionFileError(
            f"saved by a newer GradLab (format {version}); this version reads format "
            f"{FORMAT_VERSION}: update GradLab to open it",
            message_id="session_newer",
            values={"version": version, "reads": FORMAT_VERSION},
        )
    return manifest


def _config(data: object, where: str) -> Config:
    try:
        return config_from_dict(data)
    except LessonError as error:
        raise SessionFileError(
            f"{where}: {error}",
            message_id="session_config",
            values={"where": where, "lesson_id": error.message_id, **error.values},
        ) from error


def _read_run(archive: zipfile.ZipFile, entry: object, index: int) -> RunRecord:
    try:
        return _read_run_entry(archive, entry, index)
    except SessionFileError as error:  # which run, as data too
        error.values.setdefault("run", index + 1)
        raise


def _read_run_entry(archive: zipfile.ZipFile, entry: object, index: int) -> RunRecord:
    where = f"run {index + 1}"
    if not isinstance(entry, dict):
        raise SessionFileError(
            f"{where} must be a JSON object, got {describe(entry)}",
            message_id="session_run_bad",
            values={"where": where},
        )
    missing = [
        key for key in ("id", "status", "step_count", "config", "arrays") if key not in entry
    ]
    if missing:
        raise SessionFileError(
            f"{where} is missing {', '.join(missing)}",
            message_id="session_run_bad",
            values={"where": where},
        )
    where = f"run {index + 1} ({describe(entry.get('label', entry['id']))})"
    config = _config(entry["config"], f"{where}: config")
    arrays = entry["arrays"]
    if not isinstance(arrays, dict) or set(ARRAY_NAMES) - set(arrays):
        raise SessionFileError(
            f'{where}: "arrays" must name {", ".join(ARRAY_NAMES)}',
            message_id="session_run_bad",
            values={"where": where},
        )
    final_loss = decode_float(entry.get("final_loss", "nan"), where)
    loaded = {name: read_array(archive, arrays[name], f"{where}: {name}") for name in ARRAY_NAMES}
    try:
        history = RunHistory(*(loaded[name] for name in HISTORY_ARRAYS))
        return RunRecord(
            id=entry["id"],
            label=entry.get("label", ""),
            config=config,
            status=entry["status"],
            step_count=entry["step_count"],
            diverged_at=entry.get("diverged_at"),
            final_loss=final_loss,
            final_coefficients=loaded["final_coefficients"],
            history=history,
            created=entry.get("created", ""),
            visible=entry.get("visible", True),
        )
    except ValueError as error:
        raise SessionFileError(
            f"{where}: {error}", message_id="session_run_bad", values={"where": where}
        ) from None


def _short(error: BaseException) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text if len(text) <= 80 else text[:77] + "..."
