"""An import as a record: what was uploaded, how it is to be merged, and what came of it."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.imports.headers import ImportKind
from domain.shared.errors import Conflict, InvalidValue

# The same file, kind and mode uploaded again within this time is the same import.
REPEAT_WINDOW = timedelta(hours=24)
# A job whose worker died this many times is not tried again.
MAX_ATTEMPTS = 3


class ImportMode(StrEnum):
    UPSERT = "upsert"
    APPEND = "append"
    REPLACE = "replace"


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file stored where workers can read it; `sha256` is the hex digest of its bytes."""

    path: str
    name: str
    size: int
    sha256: str
    file_type: str


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """One import; its id is the id of the job that runs it."""

    id: UUID
    kind: ImportKind
    mode: ImportMode
    dry_run: bool
    default_eligible: bool
    file: UploadedFile
    created_at: datetime
    uploaded_by: UUID | None = None
    uploader_email: str | None = None
    report: dict[str, Any] | None = field(default=None)
    finished_at: datetime | None = None
    # The workbook's sheet to read; None for the first one.
    sheet: str | None = None
    # The file's header row as typed, once a run has read it.
    header: tuple[str, ...] | None = None
    # How many times a lost run was handed to a worker again, the last time when.
    resumes: int = 0
    resumed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MergeOutcome:
    """What merging one chunk of valid rows did. `rejected` are the student ids whose email
    already belongs to another stored student: they are counted as invalid, not merged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejected: tuple[str, ...] = ()

    def __add__(self, other: "MergeOutcome") -> "MergeOutcome":
        return MergeOutcome(
            self.created + other.created,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.skipped + other.skipped,
            self.rejected + other.rejected,
        )


def check_mode_allowed(kind: ImportKind, mode: ImportMode) -> None:
    """Residents have bookings, accounts and a history: an import never removes them, nor
    decides on its own that those missing from a file have left. `replace` is for the voter
    roll only; the office marks residents `former` one by one."""
    if kind is ImportKind.RESIDENTS and mode is ImportMode.REPLACE:
        raise InvalidValue(
            "mode",
            "replace is not available for residents (it would remove residents who have "
            "bookings); use upsert or append",
        )


def check_replace_allowed(mode: ImportMode, dry_run: bool, confirm: bool, reviewed: bool) -> None:
    """`replace` removes every voter absent from the file, so it needs `confirm=true` or a dry
    run of the same file reviewed before. A dry run itself removes nothing and is always fine."""
    if mode is ImportMode.REPLACE and not (dry_run or confirm or reviewed):
        raise Conflict(
            "mode replace removes every voter absent from the file: run it with dry_run=true "
            "first and review the report, or send confirm=true",
            field="confirm",
        )


def is_repeat(previous: ImportRecord, sha256: str, now: datetime) -> bool:
    """An earlier import of the same bytes within REPEAT_WINDOW (kind, mode and dry_run are
    matched by the caller's query)."""
    return previous.file.sha256 == sha256 and now - previous.created_at < REPEAT_WINDOW


class SeedState(StrEnum):
    """The states of the first users' task-status endpoint (Celery's names)."""

    PENDING = "PENDING"
    STARTED = "STARTED"
    PROGRESS = "PROGRESS"
    SUCCESS = "SUCCESS"
    FAILURE = "FAILURE"


def seed_state(job_state: str, processed: int) -> SeedState:
    """queued -> PENDING; running -> STARTED until the first chunk is done, then PROGRESS."""
    if job_state == "succeeded":
        return SeedState.SUCCESS
    if job_state == "failed":
        return SeedState.FAILURE
    if job_state == "running":
        return SeedState.PROGRESS if processed > 0 else SeedState.STARTED
    return SeedState.PENDING
