"""The readers' size estimates behind import progress: a CSV's rows extrapolated from the bytes
read so far, a workbook's sheet height, and both exact once the table has been read."""

from pathlib import Path

from adapters.tabular.sheets import TabularSheetReader
from tests.integration.tabular_files import write_xlsx

ROWS = 5000


def test_a_csv_estimate_comes_from_the_bytes_read(tmp_path: Path) -> None:
    path = tmp_path / "roll.csv"
    lines = ["student_id,email"] + [f"{i:06d},s{i}@example.edu" for i in range(ROWS)]
    # Big enough that the decoder's read-ahead is a small share of the file.
    path.write_text("\n".join(lines * 20) + "\n", encoding="utf-8")
    chunks = TabularSheetReader().chunks(path, chunk_rows=10_000)

    next(chunks)
    early = chunks.rows_estimated()
    read = 10_000 + sum(len(chunk) for chunk in chunks)

    assert early is not None
    assert 0.8 * read <= early <= 1.2 * read
    assert chunks.rows_estimated() == read


def test_a_workbook_estimate_is_its_sheet_height(tmp_path: Path) -> None:
    rows = [["student_id", "email"]] + [[f"{i:04d}", f"s{i}@example.edu"] for i in range(99)]
    chunks = TabularSheetReader().chunks(write_xlsx(tmp_path / "roll.xlsx", rows), chunk_rows=10)

    next(chunks)

    assert chunks.rows_estimated() == 100
    assert sum(len(chunk) for chunk in chunks) == 90
    assert chunks.rows_estimated() == 100
