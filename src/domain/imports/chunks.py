"""One chunk of data rows sorted into the report's buckets before anything is stored.

Blank rows are skipped, rows with problems are invalid, rows repeating an earlier row of the
file are duplicates, and the rest are valid and go on to the merge. Every row lands in exactly
one of these, so `rows == blank + invalid + duplicates + len(valid)`.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic

from domain.imports.cells import Cell, original_text
from domain.imports.duplicates import DuplicateDetector
from domain.imports.headers import HeaderMapping
from domain.imports.report import ImportCounts
from domain.imports.rows import (
    ParsedRow,
    RowProblem,
    RowT,
    VoterRow,
    is_blank_row,
    parse_voter_row,
)

EMAIL_TAKEN = "email already belongs to another student on the roll"
_MESSAGE_SEPARATOR = "; "


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row the import did not store, with its cells as the file had them and why, so the
    uploader can fix it and upload it again."""

    line: int
    cells: tuple[str, ...]
    error: str

    def aligned(self, width: int) -> list[str]:
        """The cells under a header `width` columns wide (a short row is padded, cells past
        the header, which the import ignored, are dropped), then the error."""
        cells = list(self.cells[:width])
        return [*cells, *[""] * (width - len(cells)), self.error]


def rejected_row(line: int, cells: Sequence[Cell], problems: Sequence[RowProblem]) -> RejectedRow:
    """Every problem of the row in one `error` text: `column: message; column: message`."""
    error = _MESSAGE_SEPARATOR.join(f"{problem.column}: {problem.message}" for problem in problems)
    return RejectedRow(line, tuple(original_text(cell) for cell in cells), error)


@dataclass(slots=True)
class SortedChunk(Generic[RowT]):
    rows: int = 0
    blank: int = 0
    invalid: int = 0
    duplicates: int = 0
    valid: list[RowT] = field(default_factory=list)
    line_of: dict[str, int] = field(default_factory=dict)
    # The cells of each valid row by student id: a row the merge refuses is rejected with them.
    cells_of: dict[str, Sequence[Cell]] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)
    missing_fields: list[str] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)

    def rejected_problems(self, rejected: Sequence[str], column: str) -> list[RowProblem]:
        """Problems for the valid rows the merge refused (their email is taken)."""
        emails = {row.student_id: row.email for row in self.valid}
        return [
            RowProblem(self.line_of[student_id], column, emails[student_id], EMAIL_TAKEN)
            for student_id in rejected
        ]

    def rejected_after_merge(self, rejected: Sequence[str], column: str) -> list[RejectedRow]:
        """The rejected rows of the problems above, with their cells, in line order."""
        problems = self.rejected_problems(rejected, column)
        found = [
            rejected_row(problem.line, self.cells_of[student_id], [problem])
            for student_id, problem in zip(rejected, problems, strict=True)
        ]
        return sorted(found, key=lambda row: row.line)


RowParser = Callable[[Sequence[Cell], int], ParsedRow[RowT]]


def sort_rows(
    rows: Sequence[tuple[int, Sequence[Cell]]],
    parse: RowParser[RowT],
    mapping: HeaderMapping,
    detector: DuplicateDetector,
) -> SortedChunk[RowT]:
    """Rows in file order; `detector` carries what earlier chunks of the same file held;
    `parse(cells, line)` turns one row into a row of the import's kind or its problems."""
    chunk: SortedChunk[RowT] = SortedChunk(rows=len(rows))
    for line, cells in rows:
        if is_blank_row(cells):
            chunk.blank += 1
            continue
        parsed = parse(cells, line)
        if parsed.row is None:
            chunk.invalid += 1
            chunk.problems.extend(parsed.problems)
            chunk.missing_fields.extend(parsed.missing_fields)
            chunk.rejected.append(rejected_row(line, cells, parsed.problems))
            continue
        repeat = detector.check(line, parsed.row.student_id, parsed.row.email)
        if repeat is not None:
            chunk.duplicates += 1
            problem = repeat.problem(mapping.column_of(repeat.field))
            chunk.problems.append(problem)
            chunk.rejected.append(rejected_row(line, cells, [problem]))
            continue
        chunk.valid.append(parsed.row)
        chunk.line_of[parsed.row.student_id] = line
        chunk.cells_of[parsed.row.student_id] = cells
    return chunk


def sort_voter_rows(
    rows: Sequence[tuple[int, Sequence[Cell]]],
    mapping: HeaderMapping,
    detector: DuplicateDetector,
    default_eligible: bool,
) -> SortedChunk[VoterRow]:
    def parse(cells: Sequence[Cell], line: int) -> ParsedRow[VoterRow]:
        return parse_voter_row(cells, mapping, line, default_eligible)

    return sort_rows(rows, parse, mapping, detector)


@dataclass(slots=True)
class RunningCounts:
    """The report's counts while chunks go by; `counts()` checks they add up."""

    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    invalid: int = 0
    duplicates: int = 0

    def add(
        self, chunk: SortedChunk[RowT], created: int, updated: int, unchanged: int, skipped: int
    ) -> None:
        """`skipped` counts rows the merge left alone; `rejected` rows are the valid rows
        the merge accounted for in none of the other buckets."""
        merged = created + updated + unchanged + skipped
        self.total_rows += chunk.rows
        self.created += created
        self.updated += updated
        self.unchanged += unchanged
        self.skipped += chunk.blank + skipped
        self.invalid += chunk.invalid + (len(chunk.valid) - merged)
        self.duplicates += chunk.duplicates

    def counts(self) -> ImportCounts:
        return ImportCounts(
            total_rows=self.total_rows,
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            skipped=self.skipped,
            invalid=self.invalid,
            duplicates=self.duplicates,
        )
