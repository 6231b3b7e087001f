"""The tabular readers against real files on disk: every CSV encoding and delimiter, workbooks
written by libraries, and hostile files that must fail clearly without taking the test process
down with them."""

import codecs
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from adapters.tabular.calamine_reader import CalamineSheetReader, ParseLimits
from adapters.tabular.csv_reader import MAX_FIELD_CHARS, CsvSheetReader
from adapters.tabular.sheets import TabularSheetReader, open_sheet
from application.imports.ports import NumberedRow, SheetReader
from domain.imports.cells import Cell
from domain.imports.errors import UnreadableFile, UnsupportedFileType
from domain.imports.headers import ImportKind, map_headers
from domain.imports.rows import parse_voter_row
from tests.fakes.imports import InMemorySheetReader
from tests.integration.tabular_files import (
    VOTER_ROWS,
    as_xlsm,
    huge_range_xlsx,
    random_bytes,
    truncated,
    write_ods,
    write_xls,
    write_xlsx,
    zip_bomb_xlsx,
    zip_with,
)

HEADER = ["student_id", "name", "email"]
CSV_TEXT = "student_id,name,email\r\n00123,Zoë Brontë,z@uni.edu\r\n00456,Ana € Ruiz,a@uni.edu\r\n"


def read_all(path: Path, sheet: str | None = None) -> list[NumberedRow]:
    return [row for chunk in open_sheet(path, sheet) for row in chunk]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- CSV ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        lambda text: text.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16le", "utf-16be", "cp1252"],
)
def test_csv_in_every_encoding_reads_the_same(
    tmp_path: Path, encode: Callable[[str], bytes]
) -> None:
    path = write(tmp_path / "voters.csv", encode(CSV_TEXT))
    assert read_all(path) == [
        (1, HEADER),
        (2, ["00123", "Zoë Brontë", "z@uni.edu"]),
        (3, ["00456", "Ana € Ruiz", "a@uni.edu"]),
    ]


def test_a_cp1252_byte_deep_in_the_file_still_switches_the_encoding(tmp_path: Path) -> None:
    lines = ["id,name"] + [f"{n},plain" for n in range(20_000)] + ["99,Renée"]
    path = write(tmp_path / "late.csv", "\n".join(lines).encode("cp1252"))
    assert read_all(path)[-1] == (20_002, ["99", "Renée"])


def test_bytes_that_cp1252_lacks_fall_back_to_latin_1(tmp_path: Path) -> None:
    path = write(tmp_path / "latin.csv", b"id,name\n1,caf\xe9\x81\n")
    assert read_all(path)[1] == (2, ["1", "café\x81"])


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    text = "\n".join(delimiter.join(row) for row in [HEADER, ["007", "Bond, James", "j@uni.edu"]])
    text = text.replace("Bond, James", '"Bond, James"') if delimiter == "," else text
    path = write(tmp_path / "voters.csv", text.encode())
    assert read_all(path) == [(1, HEADER), (2, ["007", "Bond, James", "j@uni.edu"])]


def test_quoted_newlines_keep_physical_line_numbers(tmp_path: Path) -> None:
    text = 'id;note\n1;"two\nline note"\n\n2;"three\r\nline\nnote"\n3;plain\n'
    path = write(tmp_path / "notes.csv", text.encode())
    assert read_all(path) == [
        (1, ["id", "note"]),
        (2, ["1", "two\nline note"]),
        (5, ["2", "three\r\nline\nnote"]),
        (8, ["3", "plain"]),
    ]


def test_a_header_only_file_yields_only_the_header(tmp_path: Path) -> None:
    assert read_all(write(tmp_path / "h.csv", b"student_id,email\n")) == [
        (1, ["student_id", "email"])
    ]


@pytest.mark.parametrize(("data", "reason"), [(b"", "empty"), (b"\n\r\n  \n", "no header")])
def test_an_empty_file_is_refused(tmp_path: Path, data: bytes, reason: str) -> None:
    path = write(tmp_path / "empty.csv", data)
    with pytest.raises(UnreadableFile, match=reason):
        read_all(path)


def test_a_nul_byte_names_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "nul.csv", b"id,name\n1,ok\n2,b\x00d\n")
    with pytest.raises(UnreadableFile, match="line 3 contains a NUL byte"):
        read_all(path)


def test_a_10_mb_field_fails_clearly(tmp_path: Path) -> None:
    path = write(tmp_path / "big.csv", b'id,note\n1,"' + b"x" * 10_000_000 + b'"\n')
    with pytest.raises(UnreadableFile, match="line 2 is longer than"):
        read_all(path)


def test_a_field_over_the_limit_on_a_short_line_fails_clearly(tmp_path: Path) -> None:
    path = write(tmp_path / "field.csv", b'id,note\n1,"' + b"x" * (MAX_FIELD_CHARS + 1) + b'"\n')
    with pytest.raises(UnreadableFile, match="starting on line 2 has a field longer"):
        read_all(path)


def test_csv_chunks_hold_at_most_the_asked_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "many.csv", "\n".join(["id"] + [str(n) for n in range(10)]).encode())
    sizes = [len(chunk) for chunk in CsvSheetReader().chunks(path, chunk_rows=4)]
    assert sizes == [4, 4, 3]


# --- Workbooks -----------------------------------------------------------------------------------


def voters_from(rows: list[NumberedRow]) -> list[tuple[str, str, int | None, bool]]:
    """Runs the domain's row parser over what a reader produced, as the import will."""
    (_, header), *data = rows
    mapping = map_headers(ImportKind.VOTERS, header)
    parsed = [parse_voter_row(cells, mapping, line) for line, cells in data]
    assert all(p.row is not None for p in parsed), parsed
    return [(p.row.student_id, p.row.email, p.row.year, p.row.is_eligible) for p in parsed if p.row]


@pytest.mark.parametrize("writer", [write_xlsx, write_ods, write_xls], ids=["xlsx", "ods", "xls"])
def test_workbooks_keep_text_ids_numbers_dates_and_booleans(
    tmp_path: Path, writer: Callable[..., Path]
) -> None:
    path = writer(tmp_path / "voters.bin", VOTER_ROWS)
    rows = read_all(path)
    assert [line for line, _ in rows] == [1, 2, 3]
    assert rows[1][1][0] == "00123"
    assert rows[2][1][0] == 12345.0
    assert rows[1][1][5] == date(2004, 3, 1) or rows[1][1][5] == datetime(2004, 3, 1)
    assert voters_from(rows) == [
        ("00123", "ada@uni.edu", 3, True),
        ("12345", "alan@uni.edu", 2, False),
    ]


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda d: write_xlsx(d / "a", VOTER_ROWS), "xlsx"),
        (lambda d: as_xlsm(write_xlsx(d / "a", VOTER_ROWS), d / "b"), "xlsm"),
        (lambda d: write_ods(d / "a", VOTER_ROWS), "ods"),
        (lambda d: write_xls(d / "a", VOTER_ROWS), "xls"),
        (lambda d: zip_with(d / "a", {"xl/workbook.bin": b"", "[Content_Types].xml": b""}), "xlsb"),
        (lambda d: write(d / "a", CSV_TEXT.encode()), "csv"),
    ],
)
def test_the_type_comes_from_the_content_not_the_name(
    tmp_path: Path, build: Callable[[Path], Path], expected: str
) -> None:
    assert TabularSheetReader().file_type(build(tmp_path)) == expected


def test_an_xlsm_workbook_is_read(tmp_path: Path) -> None:
    path = as_xlsm(write_xlsx(tmp_path / "a.xlsx", VOTER_ROWS), tmp_path / "a.xlsm")
    assert read_all(path)[1][1][0] == "00123"


def test_a_named_sheet_is_read_and_a_missing_one_is_refused(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "roll.ods", VOTER_ROWS, title="Roll 2025")
    assert read_all(path, sheet="Roll 2025")[1][1][0] == "00123"
    with pytest.raises(UnreadableFile, match="no sheet named 'Spring'"):
        read_all(path, sheet="Spring")


def test_rows_are_numbered_as_the_sheet_shows_them(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "offset.xlsx", [[None], [None], *VOTER_ROWS])
    assert [line for line, _ in read_all(path)] == [3, 4, 5]


def test_an_empty_sheet_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="empty"):
        read_all(write_xlsx(tmp_path / "empty.xlsx", []))


# --- Hostile and foreign files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "detected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"<!DOCTYPE html><html><table>", "an HTML page"),
    ],
)
def test_foreign_formats_are_unsupported_and_named(
    tmp_path: Path, data: bytes, detected: str
) -> None:
    with pytest.raises(UnsupportedFileType, match=detected) as raised:
        open_sheet(write(tmp_path / "voters.csv", data))
    assert raised.value.detected.startswith(detected)


def test_random_bytes_are_binary_data(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFileType, match="binary data"):
        open_sheet(random_bytes(tmp_path / "voters.xlsx"))


def test_a_zip_without_a_spreadsheet_is_named(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFileType, match="ZIP archive without a spreadsheet"):
        open_sheet(zip_with(tmp_path / "photos.xlsx", {"a.jpg": b"x"}))


def test_a_truncated_workbook_is_unreadable(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", VOTER_ROWS)
    with pytest.raises(UnreadableFile, match="truncated"):
        read_all(truncated(good, tmp_path / "cut.xlsx"))


def test_a_decompression_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    bomb = zip_bomb_xlsx(tmp_path)
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(UnreadableFile, match="decompression bombs"):
        read_all(bomb)


def test_a_sheet_claiming_a_huge_range_fails_in_the_child_not_here(tmp_path: Path) -> None:
    reader = CalamineSheetReader(ParseLimits(memory_bytes=1024**3))
    with pytest.raises(UnreadableFile, match="needs more than 1 GiB of memory"):
        list(reader.rows(huge_range_xlsx(tmp_path)))
    # The child died; this process lives on and reads the next workbook.
    good = write_xlsx(tmp_path / "next.xlsx", VOTER_ROWS)
    assert len(list(reader.rows(good))) == 3


def test_a_reader_that_takes_too_long_is_stopped(tmp_path: Path) -> None:
    # No child starts and parses within a millisecond, so this always runs out of time.
    reader = CalamineSheetReader(ParseLimits(wait_seconds=0.001))
    with pytest.raises(UnreadableFile, match=r"took longer than 0\.001 s"):
        list(reader.rows(write_xlsx(tmp_path / "slow.xlsx", VOTER_ROWS)))


def test_abandoning_a_workbook_midway_stops_its_child(tmp_path: Path) -> None:
    rows = [VOTER_ROWS[0]] + [["1", "a", "b", "a@uni.edu", 1, None, True]] * 50
    chunks = CalamineSheetReader().chunks(write_xlsx(tmp_path / "w.xlsx", rows), chunk_rows=10)
    assert len(next(chunks)) == 10
    chunks.close()  # runs the reader's cleanup: the child is killed and reaped, not leaked


# --- Contract: the fake behaves like the real reader ---------------------------------------------


@pytest.fixture(params=["real", "fake"])
def sheet_reader_and_table(
    request: pytest.FixtureRequest, tmp_path: Path
) -> tuple[SheetReader, Path]:
    rows: list[list[Cell]] = [["id", "email"], *[[str(n), f"{n}@uni.edu"] for n in range(7)]]
    path = tmp_path / "roll.csv"
    path.write_text("\n".join(",".join(str(c) for c in row) for row in rows))
    if request.param == "real":
        return TabularSheetReader(), path
    fake = InMemorySheetReader()
    return fake, fake.add(path, rows)


def test_a_sheet_reader_numbers_rows_from_the_header_in_chunks(
    sheet_reader_and_table: tuple[SheetReader, Path],
) -> None:
    reader, path = sheet_reader_and_table
    assert reader.file_type(path) == "csv"
    chunks = list(reader.chunks(path, chunk_rows=3))
    assert [len(chunk) for chunk in chunks] == [3, 3, 2]
    assert chunks[0][0] == (1, ["id", "email"])
    assert chunks[-1][-1] == (8, ["6", "6@uni.edu"])


def test_a_sheet_reader_refuses_what_it_cannot_read(
    sheet_reader_and_table: tuple[SheetReader, Path], tmp_path: Path
) -> None:
    reader, _ = sheet_reader_and_table
    unknown = random_bytes(tmp_path / "noise.bin")
    with pytest.raises(UnsupportedFileType):
        list(reader.chunks(unknown))
