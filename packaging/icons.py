"""Make gradlab.ico (Windows) and gradlab.icns (macOS) from the shipped PNG icons.

Both formats may hold PNG images as they are, so no image library is needed: the spec calls
``make_icons(folder)`` at build time and the generated files never live in the repository.
"""

from __future__ import annotations

import struct
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
# ICNS element types that hold a PNG of the given size (Apple's "icp4".."ic10")
_ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}


def _pngs(sizes: list[int]) -> list[tuple[int, bytes]]:
    found = []
    for size in sizes:
        path = ICONS / f"gradlab-{size}.png"
        if path.is_file():
            found.append((size, path.read_bytes()))
    return found


def ico_bytes() -> bytes:
    """An .ico holding the 16..256 px PNGs (PNG entries are valid since Windows Vista)."""
    images = _pngs([16, 24, 32, 48, 64, 128, 256])
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, data in images:
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def icns_bytes() -> bytes:
    """An .icns holding the 16..512 px PNGs."""
    body = b""
    for size, data in _pngs(sorted(_ICNS_TYPES)):
        body += _ICNS_TYPES[size] + struct.pack(">I", 8 + len(data)) + data
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def make_icons(folder: Path) -> tuple[Path, Path]:
    """Write gradlab.ico and gradlab.icns into ``folder``; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    ico, icns = folder / "gradlab.ico", folder / "gradlab.icns"
    ico.write_bytes(ico_bytes())
    icns.write_bytes(icns_bytes())
    return ico, icns
