"""Fake of the import engine's SheetReader: tables held in memory, keyed by path."""

from collections.abc import Iterator, Sequence
from pathlib import Path

from application.imports.ports import NumberedRow
from domain.imports.cells import Cell
from domain.imports.errors import UnreadableFile, UnsupportedFileType


class InMemorySheetReader:
    """Serves tables registered with `add`; rows are numbered from 1 like a file's lines.
    An unknown path is unsupported, an empty table unreadable, as the real readers say."""

    def __init__(self) -> None:
        self._tables: dict[Path, tuple[str, list[Sequence[Cell]]]] = {}

    def add(self, path: Path, rows: list[Sequence[Cell]], file_type: str = "csv") -> Path:
        self._tables[path] = (file_type, rows)
        return path

    def file_type(self, path: Path) -> str:
        if path not in self._tables:
            raise UnsupportedFileType("binary data")
        return self._tables[path][0]

    def chunks(
        self, path: Path, sheet: str | None = None, chunk_rows: int = 5000
    ) -> Iterator[list[NumberedRow]]:
        self.file_type(path)
        rows = self._tables[path][1]
        if not rows:
            raise UnreadableFile("the file is empty")
        numbered: list[NumberedRow] = list(enumerate(rows, start=1))
        return iter([numbered[i : i + chunk_rows] for i in range(0, len(numbered), chunk_rows)])
