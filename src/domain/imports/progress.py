"""How far an import got: its phase and an estimate of the rows it will read in all.

Files are read as a stream, so the number of rows is not known until the end. For text files
the bytes read so far say how much of the file the rows read so far cover; spreadsheets know
their sheet's height. Either way the estimate never falls below the rows already read, and it
is exact once the file has been read to the end.
"""

from enum import StrEnum


class ImportPhase(StrEnum):
    READING = "reading"
    VALIDATING = "validating"
    WRITING = "writing"
    REPORTING = "reporting"


def estimate_rows(rows_read: int, bytes_read: int, total_bytes: int) -> int | None:
    """Rows in the whole file, extrapolated from the share of its bytes the rows read so far
    took; None before anything is read (nothing to extrapolate from)."""
    if rows_read < 0 or bytes_read < 0 or total_bytes < 0:
        raise ValueError("rows and bytes are never negative")
    if bytes_read == 0 or rows_read == 0:
        return None
    if bytes_read >= total_bytes:
        return rows_read
    return max(rows_read, round(rows_read * total_bytes / bytes_read))


def data_rows_estimate(table_rows: int | None, rows_done: int) -> int | None:
    """The data rows (the table's rows less its header row) to report beside `rows_done`,
    never fewer than those."""
    if table_rows is None:
        return None
    return max(rows_done, table_rows - 1)
