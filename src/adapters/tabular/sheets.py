"""One SheetReader for every supported upload: detects the format and hands over to the reader."""

from pathlib import Path

from adapters.tabular.calamine_reader import CalamineSheetReader, ParseLimits
from adapters.tabular.chunking import EstimatedChunks
from adapters.tabular.csv_reader import CsvSheetReader
from adapters.tabular.detect import DetectedType, detect_file_type
from adapters.tabular.zip_guard import ZipLimits
from domain.imports.errors import UnsupportedFileType

WORKBOOK_FORMATS = frozenset({"xlsx", "xlsm", "xlsb", "xls", "ods"})


class TabularSheetReader:
    """SheetReader for any upload: CSV through the csv module, workbooks through calamine."""

    def __init__(
        self, parse_limits: ParseLimits | None = None, zip_limits: ZipLimits | None = None
    ) -> None:
        self._zip_limits = zip_limits or ZipLimits()
        self._csv = CsvSheetReader()
        self._workbooks = CalamineSheetReader(parse_limits, self._zip_limits)

    def detect(self, path: Path) -> DetectedType:
        """Raises UnsupportedFileType naming what the file looks like, UnreadableFile for an
        empty file or a damaged archive."""
        detected = detect_file_type(path, self._zip_limits)
        if detected.format is None:
            raise UnsupportedFileType(detected.description)
        return detected

    def file_type(self, path: Path) -> str:
        format_name = self.detect(path).format
        assert format_name is not None
        return format_name

    def chunks(
        self, path: Path, sheet: str | None = None, chunk_rows: int = 5000
    ) -> EstimatedChunks:
        if self.file_type(path) == "csv":
            return self._csv.chunks(path, sheet, chunk_rows)
        return self._workbooks.chunks(path, sheet, chunk_rows)


def open_sheet(path: Path, sheet: str | None = None, chunk_rows: int = 5000) -> EstimatedChunks:
    """The chunks of the table in `path`, whatever its format; detection happens now, so an
    unsupported file raises UnsupportedFileType here, before any chunk is asked for."""
    return TabularSheetReader().chunks(path, sheet, chunk_rows)
