"""Duplicates within one file, found in a single pass as rows stream by.

The first row with a student id or an email wins; a later row repeating the id is a
duplicate, and a later row giving the same email to another id is a conflict. Both name the
two lines. Memory is one dictionary entry per distinct id and per distinct email, which for a
million students is well under the worker's budget.
"""

from dataclasses import dataclass
from enum import StrEnum

from domain.imports.rows import RowProblem


class DuplicateKind(StrEnum):
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"


@dataclass(frozen=True, slots=True)
class Duplicate:
    kind: DuplicateKind
    field: str
    value: str
    line: int
    first_line: int

    @property
    def message(self) -> str:
        if self.kind is DuplicateKind.DUPLICATE:
            return f"student id {self.value} already appears on line {self.first_line}"
        return f"email {self.value} already belongs to another student id on line {self.first_line}"

    def problem(self, column: str) -> RowProblem:
        """As a row problem, under the column label the file uses for `field`."""
        return RowProblem(self.line, column, self.value, self.message)


class DuplicateDetector:
    """Feed every valid row in file order; `check` says whether it repeats an earlier one."""

    def __init__(self) -> None:
        self._first_line_by_id: dict[str, int] = {}
        # Email -> the student id that claimed it; that id's entry above gives the line, and
        # the id string is shared with it, so emails cost no second copy of the id.
        self._id_by_email: dict[str, str] = {}

    def check(self, line: int, student_id: str, email: str) -> Duplicate | None:
        """Remembers the row when it is new. A repeated row is not remembered, so a third
        occurrence still points at the first line."""
        first_line = self._first_line_by_id.get(student_id)
        if first_line is not None:
            return Duplicate(DuplicateKind.DUPLICATE, "student_id", student_id, line, first_line)
        owner = self._id_by_email.get(email)
        if owner is not None:
            owner_line = self._first_line_by_id[owner]
            return Duplicate(DuplicateKind.CONFLICT, "email", email, line, owner_line)
        self._first_line_by_id[student_id] = line
        self._id_by_email[email] = student_id
        return None

    def __len__(self) -> int:
        """Distinct student ids accepted so far."""
        return len(self._first_line_by_id)
