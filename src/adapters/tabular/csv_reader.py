"""CSV files read as a stream with the csv module: any common encoding and delimiter, no surprises.

Memory stays at one line plus one chunk whatever the file size. Every record comes with the
physical line it starts on (quoted fields may span lines), so reports name rows the way a
text editor shows them.
"""

import csv
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from adapters.tabular.chunking import EstimatedChunks, in_chunks
from adapters.tabular.encoding import detect_encoding
from application.imports.ports import NumberedRow
from domain.imports.errors import UnreadableFile
from domain.imports.progress import estimate_rows

DELIMITERS = ",;\t|"
# The csv module's own default; a longer field is far more likely an unclosed quote than data.
MAX_FIELD_CHARS = 128 * 1024
MAX_LINE_CHARS = 1024 * 1024
_SNIFF_CHARS = 16 * 1024


def _first_line(sample: str) -> str:
    return sample.splitlines()[0] if sample else ""


def sniff_delimiter(sample: str) -> str:
    """csv.Sniffer limited to the four delimiters people use; when it fails, or picks one the
    header line does not even contain, the most frequent delimiter of the header line wins."""
    header = _first_line(sample)
    with suppress(csv.Error):
        found = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
        if found in header or not any(d in header for d in DELIMITERS):
            return found
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _sample(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, newline="") as stream:
        sample = stream.read(_SNIFF_CHARS)
    # A line cut in half would skew the sniffer's per-line counts.
    cut = max(sample.rfind("\n"), sample.rfind("\r"))
    return sample[: cut + 1] if cut > 0 else sample


def _checked_lines(stream: TextIO) -> Iterator[str]:
    """Lines with a length limit (one giant line must not fill memory) and no NUL bytes (a sign
    of a binary file or a broken export, and csv would silently keep them)."""
    readline = stream.readline
    number = 0
    while line := readline(MAX_LINE_CHARS):
        number += 1
        if len(line) == MAX_LINE_CHARS and line[-1] not in "\r\n":
            raise UnreadableFile(
                f"line {number} is longer than {MAX_LINE_CHARS:,} characters; "
                "is this really a CSV file?"
            )
        if "\x00" in line:
            raise UnreadableFile(
                f"line {number} contains a NUL byte, which CSV text never has; "
                "the file is damaged or not a CSV file"
            )
        yield line


def _field_error(error: csv.Error, line: int) -> UnreadableFile:
    if "field larger than field limit" in str(error):
        return UnreadableFile(
            f"the record starting on line {line} has a field longer than "
            f"{MAX_FIELD_CHARS:,} characters (an unclosed quote?)"
        )
    return UnreadableFile(f"the record starting on line {line} is not valid CSV: {error}")


@dataclass(slots=True)
class _ReadPosition:
    """How far into its file a reading has got, for the estimate of the rows in all."""

    size: int
    stream: BinaryIO | None = None

    def estimate(self, rows_read: int) -> int | None:
        if self.stream is None:
            return None
        try:
            # The decoder reads ahead a buffer at a time: a slight under-estimate at most.
            bytes_read = self.stream.tell()
        except ValueError:  # closed: the file was read to its end
            return rows_read
        return estimate_rows(rows_read, bytes_read, self.size)


class CsvSheetReader:
    """SheetReader for CSV: UTF-8 (with or without BOM), UTF-16/32 with BOM, cp1252 or latin-1;
    `,` `;` tab or `|` as delimiter; quoted fields with embedded newlines."""

    def file_type(self, path: Path) -> str:
        return "csv"

    def chunks(
        self, path: Path, sheet: str | None = None, chunk_rows: int = 5000
    ) -> EstimatedChunks:
        position = _ReadPosition(path.stat().st_size)
        return EstimatedChunks(in_chunks(self.rows(path, position), chunk_rows), position.estimate)

    def rows(self, path: Path, position: _ReadPosition | None = None) -> Iterator[NumberedRow]:
        """(line the record starts on, its fields); the first is the header. Blank lines are
        left out but still counted."""
        if path.stat().st_size == 0:
            raise UnreadableFile("the file is empty")
        encoding = detect_encoding(path)
        delimiter = sniff_delimiter(_sample(path, encoding))
        # Process-wide setting, but every CSV reader in this codebase wants the same limit.
        csv.field_size_limit(MAX_FIELD_CHARS)
        with path.open(encoding=encoding, newline="") as stream:
            if position is not None:
                position.stream = stream.buffer
            yield from self._records(stream, delimiter)

    def _records(self, stream: TextIO, delimiter: str) -> Iterator[NumberedRow]:
        reader = csv.reader(_checked_lines(stream), delimiter=delimiter)
        start = 1
        seen_header = False
        try:
            for record in reader:
                # Blank lines carry no row; whitespace-only lines above the header neither.
                if record and (seen_header or any(field.strip() for field in record)):
                    seen_header = True
                    yield start, record
                start = reader.line_num + 1
        except csv.Error as error:
            raise _field_error(error, start) from None
        if not seen_header:
            raise UnreadableFile("the file has no header row: it holds only blank lines")
