"""What the import use cases need from the outside world to read an uploaded file."""

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

from domain.imports.cells import Cell

# (line or row number as the uploader sees it, the row's cells). The first one is the header.
NumberedRow = tuple[int, Sequence[Cell]]


class SheetReader(Protocol):
    """Reads the rows of one table (a CSV file or one sheet of a workbook) from a file on disk.

    Blocking and streaming: a caller on an event loop pulls chunks in a worker thread, e.g.
    `await asyncio.to_thread(next, chunks, None)`, so only one chunk is in memory at a time.
    Raises UnsupportedFileType for content that is no table format, UnreadableFile for a
    damaged, hostile or empty file (from the first chunk or from any later one).
    """

    def file_type(self, path: Path) -> str:
        """The detected format as a short name (`csv`, `xlsx`, `ods`...), from the content."""
        ...

    def chunks(
        self, path: Path, sheet: str | None = None, chunk_rows: int = 5000
    ) -> Iterator[list[NumberedRow]]:
        """Rows in file order, at most `chunk_rows` per chunk, header first. `sheet` names a
        workbook's sheet (the first one when None); CSV files ignore it."""
        ...
