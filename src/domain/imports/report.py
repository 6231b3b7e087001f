"""The numbers of an import report, built so that they always add up.

Every data row lands in exactly one bucket: created, updated, unchanged (written or compared
by the merge), skipped (blank rows, or rows `append` mode leaves alone), invalid (a problem in
the row itself) or duplicates (repeats an earlier row of the same file).
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from domain.imports.rows import RowProblem

ERRORS_SAMPLE_SIZE = 20


@dataclass(frozen=True, slots=True)
class ImportCounts:
    total_rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    invalid: int = 0
    duplicates: int = 0

    def __post_init__(self) -> None:
        buckets = (
            self.created,
            self.updated,
            self.unchanged,
            self.skipped,
            self.invalid,
            self.duplicates,
        )
        if min((*buckets, self.total_rows)) < 0:
            raise ValueError(f"import counts must not be negative: {self}")
        if sum(buckets) != self.total_rows:
            raise ValueError(f"import counts do not add up to total_rows: {self}")


@dataclass(slots=True)
class ProblemTally:
    """Collects what the report says about problems while rows stream by: the per-field
    count of rows missing a required value and the first problems as a sample. The full list
    goes to the errors file, never into memory."""

    missing_fields: Counter[str] = field(default_factory=Counter)
    errors_sample: list[RowProblem] = field(default_factory=list)
    problem_count: int = 0

    def add_missing(self, fields: Iterable[str]) -> None:
        self.missing_fields.update(fields)

    def add_problems(self, problems: Iterable[RowProblem]) -> None:
        for problem in problems:
            self.problem_count += 1
            if len(self.errors_sample) < ERRORS_SAMPLE_SIZE:
                self.errors_sample.append(problem)
