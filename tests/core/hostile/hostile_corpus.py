"""Hostile files, made on the fly (nothing large is committed): one function per case.

Each maker writes into a folder and returns the path. Sizes that would be slow to write for
real (a 1.9 GB member, a 1.2 GB tensor) are declared in the ZIP directory instead: the loaders
must refuse them from the declaration, before reading a byte of them.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

# ---- lessons ----------------------------------------------------------------------------------


def lesson_text(**parts: object) -> str:
    document = {"format": 1, "kind": "gradlab-lesson", **parts}
    return json.dumps(document, ensure_ascii=False)


def lesson_cases() -> dict[str, str]:
    """name -> lesson file text; each must be refused (or accepted, see ACCEPTED_LESSONS)."""
    deep = 990
    return {
        "int-5000-digits": '{"format": 1, "kind": "gradlab-lesson", "config": {"seed": '
        + "7" * 5000
        + "}}",
        "nested-990": '{"format": 1, "kind": "gradlab-lesson", "title": '
        + "[" * deep
        + "]" * deep
        + "}",
        "nested-200000": "[" * 200_000 + "]" * 200_000,
        "word-1M-in-title": lesson_text(title={"en": "w" * 1_000_000}),
        "word-4.9M-in-explanation": lesson_text(explanation={"en": "w" * 4_900_000}),
        "target-32768-chars": lesson_text(config={"data": {"target": "x" * 32_768}}),
        "key-1M-chars": '{"format": 1, "kind": "gradlab-lesson", "' + "k" * 1_000_000 + '": 1}',
        "questions-10000": lesson_text(questions=["why?"] * 10_000),
        "float-1e999": '{"format": 1, "kind": "gradlab-lesson", "config": {"training": '
        '{"lr": 1e999}}}',
    }


# accepted: long but legal texts come back with break opportunities, quickly
ACCEPTED_LESSONS = {
    "word-99000-in-explanation": lesson_text(explanation={"en": "w" * 99_000}),
}


# ---- session files ----------------------------------------------------------------------------


def small_session(path: Path) -> Path:
    """A valid session with one 3-row run, written by GradLab itself."""
    from gradlab.core.config import Config
    from gradlab.core.runs import RunHistory, RunRecord
    from gradlab.core.session_file import SessionState, save_session

    history = RunHistory(
        np.arange(1, 4), np.ones(3), np.full(3, np.nan), np.zeros((3, 4)), np.ones(3)
    )
    record = RunRecord(
        id=1, label="run", config=Config(), status="finished", step_count=3,
        diverged_at=None, final_loss=1.0, final_coefficients=np.zeros(4), history=history,
    )  # fmt: skip
    save_session(path, SessionState(runs=[record]))
    return path


def rewrite_session(path: Path, edit_manifest=None, members: dict[str, bytes] | None = None):
    """Rewrite a session ZIP: edit_manifest(text) -> text; members replace or add parts."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    if edit_manifest is not None:
        parts["manifest.json"] = edit_manifest(parts["manifest.json"].decode()).encode()
    parts.update(members or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def declare_size(path: Path, member: str, size: int) -> Path:
    """Make the ZIP directory (and local header) claim ``size`` unpacked bytes for ``member``."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:  # central directory entries
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == name:
            struct.pack_into("<I", data, at + 24, size)
            local = struct.unpack_from("<I", data, at + 42)[0]
            struct.pack_into("<I", data, local + 22, size)
        at += 4
    path.write_bytes(bytes(data))
    return path


def declare_entries(path: Path, entries: int) -> Path:
    """Make the end-of-directory record claim ``entries`` parts."""
    data = bytearray(path.read_bytes())
    at = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, at + 8, min(entries, 0xFFFF), min(entries, 0xFFFF))
    struct.pack_into("<I", data, at + 12, entries * 100)
    path.write_bytes(bytes(data))
    return path


def lying_member(path: Path) -> Path:
    """manifest.json declares its true small size but its deflate stream inflates to 200 MB."""
    small_session(path)
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    raw = bytearray(path.read_bytes())
    # swap the manifest's compressed bytes for a 200 MB stream of zeros (about 200 KB packed)
    # a full flush makes each 1 MB piece independent and byte-aligned, so it can be repeated
    bomb = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = bomb.compress(b"\0" * (1 << 20)) + bomb.flush(zlib.Z_FULL_FLUSH)
    packed = piece * 200 + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    local = raw.find(b"PK\x03\x04")
    compressed_size = struct.unpack_from("<I", raw, local + 18)[0]
    name_length, extra_length = struct.unpack_from("<HH", raw, local + 26)
    start = local + 30 + name_length + extra_length
    rest = bytes(raw[start + compressed_size :])
    head = bytearray(raw[:start])
    struct.pack_into("<I", head, local + 18, len(packed))
    shift = len(packed) - compressed_size
    tail = bytearray(rest)
    # fix the directory: compressed size of the manifest and every later offset
    at = 0
    while (at := tail.find(b"PK\x01\x02", at)) >= 0:
        offset = struct.unpack_from("<I", tail, at + 42)[0]
        if offset == local:
            struct.pack_into("<I", tail, at + 20, len(packed))
        else:
            struct.pack_into("<I", tail, at + 42, offset + shift)
        at += 4
    end = tail.rfind(b"PK\x05\x06")
    directory = struct.unpack_from("<I", tail, end + 16)[0]
    struct.pack_into("<I", tail, end + 16, directory + shift)
    path.write_bytes(bytes(head) + packed + bytes(tail))
    return path


def session_cases(folder: Path) -> dict[str, Path]:
    """name -> a session file that must be refused."""
    folder.mkdir(parents=True, exist_ok=True)

    def fresh(name: str) -> Path:
        return small_session(folder / f"{name}.gradlab")

    def swap(name: str, old: str, new: str) -> Path:
        return rewrite_session(fresh(name), lambda text: text.replace(old, new, 1))

    def npy(array: np.ndarray) -> bytes:
        out = io.BytesIO()
        np.save(out, array, allow_pickle=False)
        return out.getvalue()

    # a loss array whose header claims 29,000,000 rows (the data itself is not written)
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (29_000_000,)}
    )
    deep = "[" * 990 + "]" * 990
    # fmt: off
    return {
        "member-declares-1.9GB": declare_size(fresh("huge"), "runs/1/loss.npy", 1_900_000_000),
        "member-lies-200MB": lying_member(folder / "lying.gradlab"),
        "rows-29M": declare_size(
            rewrite_session(fresh("rows"), members={"runs/1/loss.npy": header.getvalue()}),
            "runs/1/loss.npy",
            232_000_200,
        ),
        "rows-300k-real": rewrite_session(
            fresh("rows-real"), members={"runs/1/loss.npy": npy(np.zeros(300_000))}
        ),
        "directory-70000-entries": declare_entries(fresh("entries"), 70_000),
        "int-5000-digits": swap("digits", '"step_count": 3', '"step_count": ' + "9" * 5000),
        "run-id-2**63": swap("id", '"id": 1', f'"id": {2**63}'),
        "label-30MB": swap("label", '"label": "run"', '"label": "' + "L" * 30_000_000 + '"'),
        "target-30MB": swap("target", '"target": "sin"', '"target": "' + "x" * 30_000_000 + '"'),
        "nested-990": swap("nested", '"extra": {}', '"extra": {"a": ' + deep + "}"),
        "final-loss-text": swap("final", '"final_loss": 1.0', '"final_loss": "lots"'),
    }
    # fmt: on


# ---- CNN weights ------------------------------------------------------------------------------


def weights_cases(folder: Path) -> dict[str, Path]:
    """name -> a .pt file that must be refused (before torch reads the big parts)."""
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    small = folder / "small.pt"
    torch.save({"conv1.weight": torch.zeros(4)}, small)
    members = [i.filename for i in zipfile.ZipFile(small).infolist()]
    storage = next(name for name in members if "/data/" in name)
    declared = folder / "declared-1.2GB.pt"
    declared.write_bytes(small.read_bytes())
    declare_size(declared, storage, 1_200_000_000)
    big = folder / "tensor-40MB.pt"
    torch.save({"conv1.weight": torch.zeros(10_000_000)}, big)
    deflated = folder / "deflated-1.2GB.pt"
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(deflated, "w") as out:
        for info in source.infolist():
            out.writestr(info.filename, source.read(info), zipfile.ZIP_DEFLATED)
    declare_size(deflated, storage, 1_200_000_000)
    pickle_bomb = folder / "data-pkl-20MB.pt"
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(pickle_bomb, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith("data.pkl"):
                data = b"\x80\x02]" + b"}a" * 10_000_000 + b"."
            out.writestr(info.filename, data, zipfile.ZIP_DEFLATED)
    not_zip = folder / "plain-pickle.pt"
    not_zip.write_bytes(b"\x80\x02}q\x00." + b"\0" * 1000)
    return {
        "declared-1.2GB": declared,
        "tensor-40MB": big,
        "deflated-1.2GB": deflated,
        "data-pkl-20MB": pickle_bomb,
        "plain-pickle": not_zip,
    }


# ---- CIFAR-10 ---------------------------------------------------------------------------------


def billion_laughs(levels: int = 40, width: int = 10) -> bytes:
    """{"labels": [L0, L1, ..., L39], "data": []} where each level holds ``width`` references
    to the one below: 10**40 leaves if copied out, a few KB as written."""
    out = bytearray(b"\x80\x02}q\x00(U\x06labelsq\x01]q\x02")
    out += b"]r" + struct.pack("<I", 3) + b"(" + b"K\x01" * width + b"ea"  # L0, appended
    for level in range(1, levels):
        memo = level + 3
        out += b"]r" + struct.pack("<I", memo) + b"("
        out += (b"j" + struct.pack("<I", memo - 1)) * width + b"ea"
    out += b"U\x04data]u."
    return bytes(out)


def deep_tuples(depth: int = 100_000) -> bytes:
    """A tuple inside a tuple, ``depth`` times, used as a dictionary key (hashing recurses)."""
    return b"\x80\x02}K\x00" + b"\x85" * depth + b"K\x01s."


def many_opcodes(count: int) -> bytes:
    return b"\x80\x02]" + b"N" * count + b"."


def cifar_folder(folder: Path, first: bytes | None = None, sparse: int = 0) -> Path:
    """A CIFAR-10 folder whose data_batch_1 is hostile (the others are never reached)."""
    from gradlab.core.cnn.cifar import CIFAR_FILES

    folder.mkdir(parents=True, exist_ok=True)
    for name in CIFAR_FILES:
        (folder / name).write_bytes(b"\x80\x02}.")
    target = folder / "data_batch_1"
    if sparse:
        with open(target, "wb") as file:
            file.truncate(sparse)
    elif first is not None:
        target.write_bytes(first)
    return folder


def cifar_cases(folder: Path) -> dict[str, Path]:
    return {
        "billion-laughs": cifar_folder(folder / "laughs", billion_laughs()),
        "deep-tuples": cifar_folder(folder / "tuples", deep_tuples()),
        "opcodes-10M": cifar_folder(folder / "opcodes", many_opcodes(10_000_000)),
        "sparse-1.5GB": cifar_folder(folder / "sparse", sparse=1_500_000_000),
    }
