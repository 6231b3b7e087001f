"""Checks a ZIP container (xlsx, xlsm, xlsb, ods) before any parser unpacks it.

Reads only the central directory, never the content: the entry count, the size each entry
declares and its compression ratio. A decompression bomb is refused here in milliseconds; one
that lies about its sizes still meets the memory limit of the parsing child process.
"""

import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from domain.imports.errors import UnreadableFile

_END_OF_DIRECTORY = b"PK\x05\x06"
_END_RECORD_BYTES = 22
_MAX_COMMENT_BYTES = 0xFFFF
_MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ZipLimits:
    # A workbook has a few dozen parts; thousands mean something else.
    max_entries: int = 10_000
    max_entry_bytes: int = 1024 * _MIB
    max_total_bytes: int = 2048 * _MIB
    # Sheet XML compresses 10 to 30 times; a bomb compresses a thousand times.
    max_ratio: float = 200.0
    # Small parts may compress extremely well without being a threat.
    ratio_applies_from_bytes: int = 16 * _MIB


def _declared_entry_count(path: Path) -> int:
    """The entry count from the end-of-directory record; found without trusting zipfile to
    build a million ZipInfo objects first."""
    size = path.stat().st_size
    tail_bytes = min(size, _END_RECORD_BYTES + _MAX_COMMENT_BYTES)
    with path.open("rb") as stream:
        stream.seek(size - tail_bytes)
        tail = stream.read()
    position = tail.rfind(_END_OF_DIRECTORY)
    if position < 0 or len(tail) - position < _END_RECORD_BYTES:
        raise UnreadableFile(
            "the file starts like a ZIP archive (as xlsx and ods files do) but its end is "
            "missing: it is truncated or damaged; upload it again"
        )
    (entries,) = struct.unpack_from("<H", tail, position + 10)
    return int(entries)


def _check_entry(info: zipfile.ZipInfo, limits: ZipLimits) -> None:
    if info.file_size > limits.max_entry_bytes:
        raise UnreadableFile(
            f"the part {info.filename} unpacks to {info.file_size:,} bytes, more than the "
            f"{limits.max_entry_bytes:,} allowed"
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size >= limits.ratio_applies_from_bytes and ratio > limits.max_ratio:
        raise UnreadableFile(
            f"the part {info.filename} is compressed {ratio:,.0f} times, as decompression "
            "bombs are; it was not unpacked"
        )


def list_entries(path: Path, limits: ZipLimits | None = None) -> list[str]:
    """Names of the archive's entries, after checking counts, sizes and ratios against
    `limits`. Raises UnreadableFile for a damaged or suspicious archive."""
    limits = limits or ZipLimits()
    if _declared_entry_count(path) > limits.max_entries:
        raise UnreadableFile(f"the archive has more than {limits.max_entries:,} parts")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, struct.error) as error:
        raise UnreadableFile(f"the ZIP archive is damaged: {error}") from None
    if len(infos) > limits.max_entries:
        raise UnreadableFile(f"the archive has more than {limits.max_entries:,} parts")
    total = 0
    for info in infos:
        _check_entry(info, limits)
        total += info.file_size
    if total > limits.max_total_bytes:
        raise UnreadableFile(
            f"the archive unpacks to {total:,} bytes, more than the "
            f"{limits.max_total_bytes:,} allowed"
        )
    return [info.filename for info in infos]


def read_small_entry(path: Path, name: str, max_bytes: int = 64 * 1024) -> bytes:
    """At most `max_bytes` of one entry, for sniffing ([Content_Types].xml, mimetype)."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(name) as entry:
            return entry.read(max_bytes)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFile(f"the ZIP archive is damaged: {error}") from None
