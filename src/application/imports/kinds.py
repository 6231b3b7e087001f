"""What differs between kinds of import: how a row is read and where valid rows are merged.

Everything else (chunks, duplicates, problems, rejected rows, counts, progress, emails) is the
same engine for voters and residents."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from application.imports.ports import ImportsUnitOfWork, NumberedRow
from domain.imports.cells import Cell
from domain.imports.chunks import SortedChunk, sort_rows, sort_voter_rows
from domain.imports.duplicates import DuplicateDetector
from domain.imports.headers import HeaderMapping, ImportKind
from domain.imports.model import ImportRecord, MergeOutcome
from domain.imports.rows import ParsedRow, ResidentRow, parse_resident_row


def sort_chunk(
    record: ImportRecord,
    mapping: HeaderMapping,
    detector: DuplicateDetector,
    rows: Sequence[NumberedRow],
    now: datetime,
) -> SortedChunk[Any]:
    if record.kind is ImportKind.RESIDENTS:
        today = now.date()

        def parse(cells: Sequence[Cell], line: int) -> ParsedRow[ResidentRow]:
            return parse_resident_row(cells, mapping, line, today)

        return sort_rows(rows, parse, mapping, detector)
    return sort_voter_rows(rows, mapping, detector, record.default_eligible)


async def merge_chunk(
    uow: ImportsUnitOfWork,
    record: ImportRecord,
    mapping: HeaderMapping,
    chunk: SortedChunk[Any],
    now: datetime,
) -> MergeOutcome:
    if record.kind is ImportKind.RESIDENTS:
        # Only the columns the file has are changed: a file without phone numbers must not
        # erase the phone numbers residents gave the office.
        return await uow.residents.merge(
            chunk.valid, mapping.provided_fields(), record.mode, now, record.dry_run
        )
    return await uow.voters.merge(chunk.valid, record.mode, record.id, now, record.dry_run)
