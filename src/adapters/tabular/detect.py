"""What a file is, from its first bytes and (for ZIP containers) its directory, never its name."""

import codecs
from dataclasses import dataclass
from pathlib import Path

from adapters.tabular.encoding import bom_encoding, utf16_without_bom
from adapters.tabular.zip_guard import ZipLimits, list_entries, read_small_entry
from domain.imports.errors import UnreadableFile

_SAMPLE_BYTES = 64 * 1024
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable program"),
    (b"{\\rtf", "an RTF document"),
)
_MARKUP = (
    ("<!doctype html", "an HTML page (save it as CSV or XLSX instead)"),
    ("<html", "an HTML page (save it as CSV or XLSX instead)"),
    ("<?xml", "an XML document (an Excel 2003 XML sheet? save it as XLSX)"),
)
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x00")


@dataclass(frozen=True, slots=True)
class DetectedType:
    """`format` is what a reader is picked by (`csv`, `xlsx`, `xlsm`, `xlsb`, `xls`, `ods`),
    None when unsupported; `description` says in words what the file looks like."""

    format: str | None
    description: str


def _zip_type(path: Path, limits: ZipLimits) -> DetectedType:
    names = set(list_entries(path, limits))
    if "mimetype" in names:
        mimetype = read_small_entry(path, "mimetype").strip()
        if mimetype == _ODS_MIMETYPE:
            return DetectedType("ods", "an OpenDocument spreadsheet (ods)")
        kind = mimetype.decode("ascii", "replace").rsplit(".", 1)[-1]
        return DetectedType(None, f"an OpenDocument file that is no spreadsheet ({kind})")
    if "xl/workbook.bin" in names:
        return DetectedType("xlsb", "an Excel binary workbook (xlsb)")
    if "xl/workbook.xml" in names:
        content_types = read_small_entry(path, "[Content_Types].xml")
        if b"macroEnabled" in content_types:
            return DetectedType("xlsm", "an Excel macro-enabled workbook (xlsm)")
        return DetectedType("xlsx", "an Excel workbook (xlsx)")
    if any(name.startswith("word/") for name in names):
        return DetectedType(None, "a Word document (docx)")
    if any(name.startswith("ppt/") for name in names):
        return DetectedType(None, "a PowerPoint presentation (pptx)")
    return DetectedType(None, "a ZIP archive without a spreadsheet")


def _decoded_sample(sample: bytes) -> str:
    """The sample as text, or None when it is not text in any encoding we read. The last
    bytes may be half a character cut by the sample's end, so the decode is not final."""
    encoding = bom_encoding(sample) or utf16_without_bom(sample)
    candidates = [encoding] if encoding else ["utf-8", "cp1252"]
    for candidate in candidates:
        try:
            return codecs.getincrementaldecoder(candidate)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
    return sample.decode("latin-1")


def _looks_like_text(sample: bytes, text: str) -> bool:
    """Text may carry a stray NUL (the CSV reader then names its line); binary data is full of
    NULs and other control bytes."""
    if bom_encoding(sample) or utf16_without_bom(sample):
        return text.count("\x00") <= max(8, len(text) // 100)
    controls = sum(1 for byte in sample if byte < 32 and byte not in _TEXT_CONTROLS)
    return sample.count(0) <= max(8, len(sample) // 100) and controls <= len(sample) // 20


def _text_type(sample: bytes) -> DetectedType:
    text = _decoded_sample(sample)
    if not _looks_like_text(sample, text):
        return DetectedType(None, "binary data")
    start = text.lstrip("\ufeff \t\r\n").lower()
    for prefix, description in _MARKUP:
        if start.startswith(prefix):
            return DetectedType(None, description)
    return DetectedType("csv", "CSV text")


def detect_file_type(path: Path, limits: ZipLimits | None = None) -> DetectedType:
    """Raises UnreadableFile for an empty file and for a ZIP archive that is damaged or
    hostile (it may be a workbook, so "unsupported type" would mislead)."""
    with path.open("rb") as stream:
        sample = stream.read(_SAMPLE_BYTES)
    if not sample:
        raise UnreadableFile("the file is empty")
    if sample.startswith(_ZIP):
        return _zip_type(path, limits or ZipLimits())
    if sample.startswith(_OLE2):
        return DetectedType("xls", "an Excel 97-2003 workbook (xls)")
    for magic, description in _MAGIC:
        if sample.startswith(magic):
            return DetectedType(None, description)
    return _text_type(sample)
