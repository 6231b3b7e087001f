"""Which text encoding a file uses, from its byte-order mark or from how its bytes decode."""

import codecs
from pathlib import Path

_BLOCK_BYTES = 1 << 20
_BOMS = (
    # UTF-32 first: its little-endian mark starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# latin-1 decodes any byte, so it is the last resort; cp1252 (Windows Excel's "CSV") is
# tried first because it gives the right characters for bytes 0x80-0x9F, such as the euro sign.
_FALLBACKS = ("utf-8", "cp1252", "latin-1")


def bom_encoding(head: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def utf16_without_bom(sample: bytes) -> str | None:
    """Mostly-ASCII UTF-16 has a NUL in every other byte; which half says the byte order."""
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def decodes_whole(path: Path, encoding: str) -> bool:
    """Decodes the file block by block; memory stays at one block whatever the file size."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as stream:
            while block := stream.read(_BLOCK_BYTES):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(path: Path) -> str:
    """The BOM wins; then BOM-less UTF-16; then the first of UTF-8, cp1252 and latin-1 that
    decodes the whole file (a cp1252 byte may first appear on the millionth line)."""
    with path.open("rb") as stream:
        sample = stream.read(64 * 1024)
    declared = bom_encoding(sample) or utf16_without_bom(sample)
    if declared is not None:
        return declared
    for encoding in _FALLBACKS:
        if decodes_whole(path, encoding):
            return encoding
    return "latin-1"
