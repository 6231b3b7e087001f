"""Real spreadsheet files for the reader tests, written by libraries (never committed binaries),
and hostile ones built by hand."""

import random
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook

Value = str | float | int | bool | date | None


def write_xlsx(path: Path, rows: Sequence[Sequence[Value]], title: str = "Voters") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def _ods_cell(value: Value) -> TableCell:
    if isinstance(value, bool):
        return TableCell(valuetype="boolean", booleanvalue=str(value).lower())
    if isinstance(value, int | float):
        return TableCell(valuetype="float", value=value)
    if isinstance(value, date):
        return TableCell(valuetype="date", datevalue=value.isoformat())
    cell = TableCell(valuetype="string")
    if value:
        cell.addElement(P(text=value))
    return cell


def write_ods(path: Path, rows: Sequence[Sequence[Value]], title: str = "Voters") -> Path:
    document = OpenDocumentSpreadsheet()
    table = Table(name=title)
    for row in rows:
        table_row = TableRow()
        for value in row:
            table_row.addElement(_ods_cell(value))
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def write_xls(path: Path, rows: Sequence[Sequence[Value]], title: str = "Voters") -> Path:
    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet(title)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for row_index, row in enumerate(rows):
        for column, value in enumerate(row):
            if isinstance(value, date):
                sheet.write(row_index, column, value, date_style)
            elif value is not None:
                sheet.write(row_index, column, value)
    workbook.save(str(path))
    return path


def _rewrite_zip(source: Path, target: Path, replacements: dict[str, bytes]) -> Path:
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for info in original.infolist():
            copy.writestr(
                info.filename, replacements.get(info.filename, original.read(info.filename))
            )
    return target


def as_xlsm(source: Path, target: Path) -> Path:
    """The same workbook declared macro-enabled, as Excel saves an .xlsm."""
    with zipfile.ZipFile(source) as original:
        content_types = original.read("[Content_Types].xml")
    declared = content_types.replace(
        b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
    )
    return _rewrite_zip(source, target, {"[Content_Types].xml": declared})


HUGE_RANGE_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<dimension ref="A1:XFD1048576"/><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Student ID</t></is></c></row>'
    b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    b"</sheetData></worksheet>"
)


def huge_range_xlsx(directory: Path) -> Path:
    """Two cells, A1 and XFD1048576: a reader that allocates the range needs 17 billion cells."""
    good = write_xlsx(directory / "seed.xlsx", [["Student ID"]])
    return _rewrite_zip(
        good, directory / "huge_range.xlsx", {"xl/worksheets/sheet1.xml": HUGE_RANGE_SHEET}
    )


def zip_bomb_xlsx(directory: Path, megabytes: int = 64) -> Path:
    """A workbook whose sheet unpacks to `megabytes` of blanks from well under a megabyte."""
    good = write_xlsx(directory / "seed.xlsx", [["Student ID"]])
    bomb = _rewrite_zip(good, directory / "bomb.xlsx", {"xl/worksheets/sheet1.xml": b""})
    with (
        zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as entry,
    ):
        block = b" " * (1 << 20)
        for _ in range(megabytes):
            entry.write(block)
    return bomb


def truncated(source: Path, target: Path) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


def random_bytes(path: Path, size: int = 4096) -> Path:
    path.write_bytes(random.Random(5).randbytes(size))
    return path


def zip_with(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


VOTER_ROWS: list[list[Value]] = [
    ["Student ID", "First Name", "Surname", "E-mail", "Year", "Date of Birth", "Eligible"],
    ["00123", "Ada", "Lovelace", "ADA@uni.edu", 3, date(2004, 3, 1), True],
    [12345, "Alan", "Turing", "alan@uni.edu", 2.0, datetime(2005, 6, 23), False],
]
