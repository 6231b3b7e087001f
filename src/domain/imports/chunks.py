"""One chunk of data rows sorted into the report's buckets before anything is stored.

Blank rows are skipped, rows with problems are invalid, rows repeating an earlier row of the
file are duplicates, and the rest are valid and go on to the merge. Every row lands in exactly
one of these, so `rows == blank + invalid + duplicates + len(valid)`.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from domain.imports.cells import Cell
from domain.imports.duplicates import DuplicateDetector
from domain.imports.headers import HeaderMapping
from domain.imports.report import ImportCounts
from domain.imports.rows import RowProblem, VoterRow, is_blank_row, parse_voter_row

EMAIL_TAKEN = "email already belongs to another student on the roll"


@dataclass(slots=True)
class SortedChunk:
    rows: int = 0
    blank: int = 0
    invalid: int = 0
    duplicates: int = 0
    valid: list[VoterRow] = field(default_factory=list)
    line_of: dict[str, int] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)
    missing_fields: list[str] = field(default_factory=list)

    def rejected_problems(self, rejected: Sequence[str], column: str) -> list[RowProblem]:
        """Problems for the valid rows the merge refused (their email is taken)."""
        emails = {row.student_id: row.email for row in self.valid}
        return [
            RowProblem(self.line_of[student_id], column, emails[student_id], EMAIL_TAKEN)
            for student_id in rejected
        ]


def sort_voter_rows(
    rows: Sequence[tuple[int, Sequence[Cell]]],
    mapping: HeaderMapping,
    detector: DuplicateDetector,
    default_eligible: bool,
) -> SortedChunk:
    """Rows in file order; `detector` carries what earlier chunks of the same file held."""
    chunk = SortedChunk(rows=len(rows))
    for line, cells in rows:
        if is_blank_row(cells):
            chunk.blank += 1
            continue
        parsed = parse_voter_row(cells, mapping, line, default_eligible)
        if parsed.row is None:
            chunk.invalid += 1
            chunk.problems.extend(parsed.problems)
            chunk.missing_fields.extend(parsed.missing_fields)
            continue
        repeat = detector.check(line, parsed.row.student_id, parsed.row.email)
        if repeat is not None:
            chunk.duplicates += 1
            chunk.problems.append(repeat.problem(mapping.column_of(repeat.field)))
            continue
        chunk.valid.append(parsed.row)
        chunk.line_of[parsed.row.student_id] = line
    return chunk


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
        self, chunk: SortedChunk, created: int, updated: int, unchanged: int, skipped: int
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
