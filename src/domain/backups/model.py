"""Backups: consistent snapshots of the whole database, kept as archives in file storage."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class BackupState(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class BackupTrigger(StrEnum):
    MANUAL = "manual"  # POST /api/backups
    SCHEDULED = "scheduled"  # the nightly schedule
    CLI = "cli"  # `residence backup`


@dataclass(frozen=True, slots=True)
class Backup:
    id: UUID
    trigger: BackupTrigger
    created_at: datetime
    state: BackupState = BackupState.RUNNING
    created_by: UUID | None = None
    storage_key: str | None = None
    size_bytes: int | None = None
    sha256: str | None = None
    schema_revision: str | None = None
    row_counts: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    finished_at: datetime | None = None


def archive_key(backup_id: UUID, created_at: datetime) -> str:
    """Keys sort by time, and name the backup they hold."""
    return f"backups/{created_at:%Y%m%dT%H%M%SZ}-{backup_id}.zip"
