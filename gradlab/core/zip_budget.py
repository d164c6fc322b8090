"""Count a ZIP archive's entries from its end record, before zipfile builds one object each."""

from __future__ import annotations

import os
import struct
from typing import IO

_CENTRAL_ENTRY_BYTES = 1024  # one entry's share of the directory, its name included


class ZipBudgetError(ValueError):
    """The archive's directory is beyond the budget; the message names the limit and value."""


def check_zip_directory(file: IO[bytes], max_entries: int) -> None:
    """Refuse a directory of more than ``max_entries`` entries (or bytes for as many).

    Reads the end-of-directory record (and its ZIP64 form) only, then seeks back to the start;
    a file without one is left to zipfile, which says it is not a ZIP archive.
    """
    size = file.seek(0, os.SEEK_END)
    file.seek(max(0, size - 65_557))  # the record (22 bytes) plus the longest comment
    tail = file.read()
    file.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return
    entries, directory_bytes = struct.unpack("<HI", tail[at + 10 : at + 16])
    locator = at - 20
    if locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        (record_offset,) = struct.unpack("<Q", tail[locator + 8 : locator + 16])
        if record_offset + 56 <= size:
            file.seek(record_offset)
            record = file.read(56)
            file.seek(0)
            if record[:4] == b"PK\x06\x06":
                entries, directory_bytes = struct.unpack("<QQ", record[32:48])
    if entries > max_entries or directory_bytes > max_entries * _CENTRAL_ENTRY_BYTES:
        raise ZipBudgetError(
            f"too many parts ({entries:,} in a {directory_bytes:,}-byte directory); "
            f"the limit is {max_entries:,}"
        )
