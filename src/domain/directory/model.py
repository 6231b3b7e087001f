"""The student directory (the university's student information system) as the residence
office sees it: one entry per student, and the plan that brings residents in line with it."""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from domain.housing.model import DIRECTORY_FIELDS

FieldValue = str | int | None

__all__ = [
    "DIRECTORY_FIELDS",
    "DirectoryEntry",
    "KnownResident",
    "ResidentUpdate",
    "SyncPlan",
    "SyncRun",
]


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    student_id: str
    first_name: str
    last_name: str
    email: str
    phone: str | None = None
    department: str | None = None
    year_of_study: int | None = None

    def values(self) -> dict[str, FieldValue]:
        return {name: getattr(self, name) for name in DIRECTORY_FIELDS}


@dataclass(frozen=True, slots=True)
class KnownResident:
    """A resident as the sync needs it: directory fields, status, locks and absences."""

    id: UUID
    student_id: str
    values: dict[str, FieldValue]
    former: bool = False
    locked_fields: frozenset[str] = frozenset()
    missed_runs: int = 0
    last_missed_run: UUID | None = None


@dataclass(frozen=True, slots=True)
class ResidentUpdate:
    resident_id: UUID
    student_id: str
    changes: dict[str, tuple[FieldValue, FieldValue]]  # field -> (before, after)


@dataclass(slots=True)
class SyncPlan:
    creates: list[DirectoryEntry] = field(default_factory=list)
    updates: list[ResidentUpdate] = field(default_factory=list)
    unchanged: int = 0
    # Residents missing from this run, with their count of runs missed in a row.
    absences: dict[UUID, int] = field(default_factory=dict)
    # Residents missing for the configured number of runs: they become former residents.
    deactivations: list[UUID] = field(default_factory=list)
    # Residents back in the feed after missing some runs: their count starts again.
    returned: list[UUID] = field(default_factory=list)
    # Entries refused, with why (an email another student already uses).
    refused: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SyncRun:
    """One run of the directory sync and its report. `changes` lists what it changed (or, dry,
    would change); `errors` the records it could not use."""

    id: UUID
    source: str
    dry_run: bool
    created_at: datetime
    state: str = "running"  # running, succeeded, failed
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    changes: list[dict[str, object]] = field(default_factory=list)
    failure: str | None = None
    created_by: UUID | None = None
    finished_at: datetime | None = None
