"""Ports of the backups context."""

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol
from uuid import UUID

import msgspec

from application.shared.paging import PageRequest
from domain.backups.model import Backup


class TableEntry(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    file: str
    columns: list[str]
    rows: int
    sha256: str


class BackupManifest(msgspec.Struct, frozen=True, kw_only=True):
    """manifest.json of an archive."""

    format: int
    schema_revision: str
    created_at: datetime
    application_version: str
    engine: str
    tables: list[TableEntry]

    @property
    def row_counts(self) -> dict[str, int]:
        return {table.name: table.rows for table in self.tables}


class ArchiveStream(Protocol):
    """The bytes of a backup archive as they are written; `manifest` is set once the stream
    has been read to its end."""

    manifest: BackupManifest | None

    def __aiter__(self) -> AsyncIterator[bytes]: ...


TableProgress = Callable[[int, int], Awaitable[None]]  # tables done, tables in all


class DatabaseSnapshot(Protocol):
    def archive(self, created_at: datetime, progress: TableProgress) -> ArchiveStream:
        """Reads every table in one consistent snapshot (one repeatable-read transaction)
        into a compressed archive, streamed as it is written."""
        ...


class RestoreReport(msgspec.Struct, frozen=True, kw_only=True):
    schema_revision: str  # the archive's
    migrated_to: str  # the database's revision after the restore
    row_counts: dict[str, int]


class DatabaseRestorer(Protocol):
    async def restore(self, archive: Path, *, replace: bool) -> RestoreReport:
        """Checks every file of the archive against its manifest before touching the
        database (TamperedArchive names the first that fails), then loads it into an empty
        database, migrated to the archive's revision first and to the newest after.
        A database that holds rows is refused (NotRestorable) unless `replace`."""
        ...


class BackupRepository(Protocol):
    """Backup records; each call is a transaction of its own, like the job records."""

    async def add(self, backup: Backup) -> None:
        """Raises Conflict when a backup with this id exists."""
        ...

    async def get(self, backup_id: UUID) -> Backup | None: ...
    async def save(self, backup: Backup) -> None: ...
    async def page(self, page: PageRequest) -> tuple[list[Backup], int]:
        """Newest first, and the total count."""
        ...

    async def succeeded(self) -> list[Backup]: ...
    async def delete(self, backup_id: UUID) -> None: ...
